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
    /// The sampled frames each named person was in (a person counts once per frame).
    private var frameTimes: [String: Set<Double>] = [:]

    init(tolerance: Double) { self.tolerance = tolerance }

    var unknownPeople: Int { strangers.count }

    /// Folds in what another segment of the same video saw.
    mutating func merge(_ other: Attendance) {
        for seen in other.sightings {
            record(seen.name, at: other.frameTimes[seen.name].map(Array.init) ?? [], bestDistance: seen.bestDistance)
        }
        for stranger in other.strangers { recordStranger(stranger) }
    }

    /// A named person in the sampled frames at `times`.
    mutating func record(_ name: String, at times: [Double], bestDistance: Double) {
        guard let first = times.min(), let last = times.max() else { return }
        frameTimes[name, default: []].formUnion(times)
        let frames = frameTimes[name]?.count ?? 0
        if let i = sightings.firstIndex(where: { $0.name == name }) {
            sightings[i].firstSeen = min(sightings[i].firstSeen, first)
            sightings[i].lastSeen = max(sightings[i].lastSeen, last)
            sightings[i].frames = frames
            sightings[i].bestDistance = min(sightings[i].bestDistance, bestDistance)
        } else {
            sightings.append(Sighting(name: name, firstSeen: first, lastSeen: last, frames: frames, bestDistance: bestDistance))
        }
        sightings.sort { $0.firstSeen < $1.firstSeen || ($0.firstSeen == $1.firstSeen && $0.name < $1.name) }
    }

    /// Someone no known face matches, counted once however often seen.
    mutating func recordStranger(_ descriptor: [Double]) {
        if !descriptor.isEmpty && !isKnownStranger(descriptor) { strangers.append(descriptor) }
    }

    private func isKnownStranger(_ descriptor: [Double]) -> Bool {
        strangers.contains { FaceMatcher.distance($0, descriptor) <= tolerance }
    }

    mutating func record(_ faces: [RecognisedFace], at time: Double) {
        for face in faces {
            if let match = face.match {
                record(match.name, at: [time], bestDistance: match.distance)
            } else {
                recordStranger(face.descriptor)
            }
        }
    }
}
