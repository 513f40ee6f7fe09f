import EncodingFile
/// The closest known face to a descriptor, when it is within the tolerance.
public struct FaceMatch: Sendable, Equatable {
    public let name: String
    public let distance: Double
}

/// The known person nearest to a descriptor, and the nearest of everyone else: how far apart the
/// two are says how sure the match is. Distances are to each person's nearest encoding (a person
/// may have several).
public struct FaceCandidate: Sendable, Equatable {
    public let name: String
    public let distance: Double
    /// The runner-up person and distance; nil when the encodings know one person only.
    public let other: String?
    public let otherDistance: Double?

    /// How much nearer the face is to `name` than to anyone else (infinite with no one else).
    public var margin: Double { (otherDistance ?? .infinity) - distance }
}

/// Euclidean nearest neighbour over the known encodings, as face_recognition does.
public struct FaceMatcher: Sendable {
    public let known: KnownFaces
    public let tolerance: Double

    public init(known: KnownFaces, tolerance: Double) {
        self.known = known
        self.tolerance = tolerance
    }

    public func match(_ descriptor: [Double]) -> FaceMatch? {
        nearest(descriptor).flatMap(match)
    }

    /// The candidate as a match, when it is within the tolerance.
    public func match(_ candidate: FaceCandidate) -> FaceMatch? {
        candidate.distance <= tolerance ? FaceMatch(name: candidate.name, distance: candidate.distance) : nil
    }

    /// The nearest person and the runner-up, whatever their distances; nil with no encodings.
    public func nearest(_ descriptor: [Double]) -> FaceCandidate? {
        let ranked = nearestDistanceByPerson(descriptor).sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        let best = ranked.first, second = ranked.dropFirst().first
        guard let best else { return nil }
        return FaceCandidate(name: best.key, distance: best.value, other: second?.key, otherDistance: second?.value)
    }

    /// For each known person, the distance from `descriptor` to that person's nearest encoding.
    public func nearestDistanceByPerson(_ descriptor: [Double]) -> [String: Double] {
        var nearest: [String: Double] = [:]
        for (name, encoding) in zip(known.names, known.encodings) {
            let d = Self.distance(encoding, descriptor)
            if d < nearest[name] ?? .infinity { nearest[name] = d }
        }
        return nearest
    }

    public static func distance(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<min(a.count, b.count) {
            let d = a[i] - b[i]
            sum += d * d
        }
        return sum.squareRoot()
    }
}
