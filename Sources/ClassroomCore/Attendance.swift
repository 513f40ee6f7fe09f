/// A recognised student across the sampled frames of one video.
public struct Sighting: Sendable, Equatable {
    public let name: String
    public internal(set) var firstSeen: Double
    public internal(set) var lastSeen: Double
    /// The time of each sampled frame the student was in, in order.
    public internal(set) var times: [Double]
    public internal(set) var bestDistance: Double
    /// The face that matched at `bestDistance`.
    public internal(set) var face: FaceCrop?

    public var frames: Int { times.count }
}

/// A face that matches nobody, as one person: the first descriptor seen stands for them.
struct Stranger {
    let descriptor: [Double]
    var times: [Double]
    let face: FaceCrop?
}

/// Collects who was seen when. Known faces accumulate per name; faces that match nobody are
/// grouped by descriptor distance so that one stranger seen in many frames counts once.
struct Attendance {
    let tolerance: Double
    private(set) var sightings: [Sighting] = []
    private(set) var strangers: [Stranger] = []
    /// The time of every sampled frame, in order.
    private(set) var sampledTimes: [Double] = []

    init(tolerance: Double) { self.tolerance = tolerance }

    var unknownPeople: Int { strangers.count }

    /// Folds in what another segment of the same video saw.
    mutating func merge(_ other: Attendance) {
        for seen in other.sightings {
            if let i = sightings.firstIndex(where: { $0.name == seen.name }) {
                sightings[i].firstSeen = min(sightings[i].firstSeen, seen.firstSeen)
                sightings[i].lastSeen = max(sightings[i].lastSeen, seen.lastSeen)
                sightings[i].times = (sightings[i].times + seen.times).sorted()
                if seen.bestDistance < sightings[i].bestDistance {
                    sightings[i].bestDistance = seen.bestDistance
                    sightings[i].face = seen.face
                }
            } else {
                sightings.append(seen)
            }
        }
        sightings.sort { $0.firstSeen < $1.firstSeen }
        for stranger in other.strangers {
            if let i = knownStranger(stranger.descriptor) {
                strangers[i].times = (strangers[i].times + stranger.times).sorted()
            } else {
                strangers.append(stranger)
            }
        }
        sampledTimes = (sampledTimes + other.sampledTimes).sorted()
    }

    private func knownStranger(_ descriptor: [Double]) -> Int? {
        strangers.firstIndex { FaceMatcher.distance($0.descriptor, descriptor) <= tolerance }
    }

    /// `frame` is the full RGB frame the faces were found in, for the report's crops.
    mutating func record(_ faces: [RecognisedFace], in frame: PixelImage?, at time: Double) {
        sampledTimes.append(time)
        var seenThisFrame: Set<String> = []
        var strangersThisFrame: Set<Int> = []
        for face in faces {
            guard let match = face.match else {
                if let i = knownStranger(face.descriptor) {
                    if strangersThisFrame.insert(i).inserted { strangers[i].times.append(time) }
                } else {
                    strangersThisFrame.insert(strangers.count)
                    strangers.append(Stranger(descriptor: face.descriptor, times: [time], face: FaceCrop.capture(face.box, in: frame)))
                }
                continue
            }
            if let i = sightings.firstIndex(where: { $0.name == match.name }) {
                if seenThisFrame.insert(match.name).inserted {
                    sightings[i].lastSeen = time
                    sightings[i].times.append(time)
                }
                if match.distance < sightings[i].bestDistance {
                    sightings[i].bestDistance = match.distance
                    sightings[i].face = FaceCrop.capture(face.box, in: frame)
                }
            } else {
                seenThisFrame.insert(match.name)
                sightings.append(Sighting(name: match.name, firstSeen: time, lastSeen: time, times: [time],
                                          bestDistance: match.distance, face: FaceCrop.capture(face.box, in: frame)))
            }
        }
    }
}
