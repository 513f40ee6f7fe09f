/// A recognised student across the sampled frames of one video.
public struct Sighting: Sendable, Equatable {
    public let name: String
    public internal(set) var firstSeen: Double
    public internal(set) var lastSeen: Double
    public internal(set) var frames: Int
    public internal(set) var bestDistance: Double
}

/// Collects who was seen when. Known faces accumulate per name; faces that match nobody are
/// grouped by descriptor distance so that one stranger seen in many frames counts once.
struct Attendance {
    let tolerance: Double
    private(set) var sightings: [Sighting] = []
    private var strangers: [[Double]] = []   // one representative descriptor per unknown person

    init(tolerance: Double) { self.tolerance = tolerance }

    var unknownPeople: Int { strangers.count }

    /// Folds in what another segment of the same video saw.
    mutating func merge(_ other: Attendance) {
        for seen in other.sightings {
            if let i = sightings.firstIndex(where: { $0.name == seen.name }) {
                sightings[i].firstSeen = min(sightings[i].firstSeen, seen.firstSeen)
                sightings[i].lastSeen = max(sightings[i].lastSeen, seen.lastSeen)
                sightings[i].frames += seen.frames
                sightings[i].bestDistance = min(sightings[i].bestDistance, seen.bestDistance)
            } else {
                sightings.append(seen)
            }
        }
        sightings.sort { $0.firstSeen < $1.firstSeen }
        for stranger in other.strangers where !isKnownStranger(stranger) { strangers.append(stranger) }
    }

    private func isKnownStranger(_ descriptor: [Double]) -> Bool {
        strangers.contains { FaceMatcher.distance($0, descriptor) <= tolerance }
    }

    mutating func record(_ faces: [RecognisedFace], at time: Double) {
        var seenThisFrame: Set<String> = []
        for face in faces {
            guard let match = face.match else {
                if !isKnownStranger(face.descriptor) { strangers.append(face.descriptor) }
                continue
            }
            if let i = sightings.firstIndex(where: { $0.name == match.name }) {
                if seenThisFrame.insert(match.name).inserted {
                    sightings[i].lastSeen = time
                    sightings[i].frames += 1
                }
                sightings[i].bestDistance = min(sightings[i].bestDistance, match.distance)
            } else {
                seenThisFrame.insert(match.name)
                sightings.append(Sighting(name: match.name, firstSeen: time, lastSeen: time, frames: 1,
                                          bestDistance: match.distance))
            }
        }
    }
}
