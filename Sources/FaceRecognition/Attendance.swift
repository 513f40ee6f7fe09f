import Imaging

/// A recognised student across the sampled frames of one video.
public struct Sighting: Sendable, Equatable {
    public let name: String
    public internal(set) var firstSeen: Double
    public internal(set) var lastSeen: Double
    /// The time of each sampled frame the student was in, in order (once per frame).
    public internal(set) var times: [Double]
    public internal(set) var bestDistance: Double
    /// The face the report shows: the frame's that matched at `bestDistance` (first-match mode), or
    /// the best face of the student's surest track (attendance mode: see ClassroomTracker.retire).
    public internal(set) var face: FaceCrop?

    public var frames: Int { times.count }
}

/// Someone no known face matches, as one person: a descriptor stands for them.
public struct Stranger {
    public let descriptor: [Double]
    public var times: [Double]
    public let face: FaceCrop?
}

/// Collects who was seen when. Known faces accumulate per name; faces that match nobody are
/// grouped by descriptor distance so that one stranger seen in many frames counts once.
public struct Attendance {
    public let tolerance: Double
    public private(set) var sightings: [Sighting] = []
    public private(set) var strangers: [Stranger] = []
    /// The time of every sampled frame, in order.
    public private(set) var sampledTimes: [Double] = []

    /// Whether a stranger keeps the crop of their face. A person nobody enrolled never consented to
    /// their face being stored, so by default a stranger is only a count and the times they were seen.
    public let keepsStrangerFaces: Bool

    public init(tolerance: Double, keepsStrangerFaces: Bool = false) {
        self.tolerance = tolerance
        self.keepsStrangerFaces = keepsStrangerFaces
    }

    public var unknownPeople: Int { strangers.count }

    /// Folds in what another segment of the same video saw.
    public mutating func merge(_ other: Attendance) {
        for seen in other.sightings { record(seen.name, at: seen.times, bestDistance: seen.bestDistance, face: seen.face) }
        for stranger in other.strangers { recordStranger(stranger.descriptor, at: stranger.times, face: stranger.face) }
        sampledTimes = Self.union(sampledTimes, other.sampledTimes)
    }

    /// A frame sampled at `time`, whoever was in it.
    public mutating func sampled(at time: Double) {
        sampled(at: [time])
    }

    /// Frames sampled at `times`.
    public mutating func sampled(at times: [Double]) {
        sampledTimes = Self.union(sampledTimes, times)
    }

    /// A named person in the sampled frames at `times`.
    public mutating func record(_ name: String, at times: [Double], bestDistance: Double, face: FaceCrop?) {
        guard let first = times.min(), let last = times.max() else { return }
        if let i = sightings.firstIndex(where: { $0.name == name }) {
            sightings[i].firstSeen = min(sightings[i].firstSeen, first)
            sightings[i].lastSeen = max(sightings[i].lastSeen, last)
            sightings[i].times = Self.union(sightings[i].times, times)
            if bestDistance < sightings[i].bestDistance || sightings[i].face == nil && face != nil {
                sightings[i].bestDistance = min(bestDistance, sightings[i].bestDistance)
                sightings[i].face = face ?? sightings[i].face
            }
        } else {
            sightings.append(Sighting(name: name, firstSeen: first, lastSeen: last, times: Self.union([], times),
                                      bestDistance: bestDistance, face: face))
        }
        sightings.sort { $0.firstSeen < $1.firstSeen || ($0.firstSeen == $1.firstSeen && $0.name < $1.name) }
    }

    /// Someone no known face matches, counted once however often seen.
    public mutating func recordStranger(_ descriptor: [Double], at times: [Double], face: FaceCrop?) {
        guard !descriptor.isEmpty else { return }
        if let i = strangers.firstIndex(where: { FaceMatcher.distance($0.descriptor, descriptor) <= tolerance }) {
            strangers[i].times = Self.union(strangers[i].times, times)
        } else {
            strangers.append(Stranger(descriptor: descriptor, times: Self.union([], times), face: keepsStrangerFaces ? face : nil))
        }
    }

    /// The faces recognised on one sampled frame; `frame` is the full RGB frame they were found
    /// in, for the report's crops.
    public mutating func record(_ faces: [RecognisedFace], in frame: PixelImage?, at time: Double) {
        sampled(at: time)
        for face in faces {
            if let match = face.match {
                record(match.name, at: [time], bestDistance: match.distance, face: FaceCrop.capture(face.box, in: frame))
            } else {
                recordStranger(face.descriptor, at: [time], face: keepsStrangerFaces ? FaceCrop.capture(face.box, in: frame) : nil)
            }
        }
    }

    private static func union(_ a: [Double], _ b: [Double]) -> [Double] {
        Array(Set(a).union(b)).sorted()
    }
}
