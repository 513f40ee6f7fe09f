/// The closest known face to a descriptor, when it is within the tolerance.
public struct FaceMatch: Sendable, Equatable {
    public let name: String
    public let distance: Double
}

/// Euclidean nearest neighbour over the known encodings, as face_recognition does.
public struct FaceMatcher: Sendable {
    public let known: KnownFaces
    public let tolerance: Double

    public init(known: KnownFaces, tolerance: Double = 0.6) {
        self.known = known
        self.tolerance = tolerance
    }

    public func match(_ descriptor: [Double]) -> FaceMatch? {
        var best: (index: Int, distance: Double)?
        for (index, encoding) in known.encodings.enumerated() {
            let d = Self.distance(encoding, descriptor)
            if best == nil || d < best!.distance { best = (index, d) }
        }
        guard let best, best.distance <= tolerance else { return nil }
        return FaceMatch(name: known.names[best.index], distance: best.distance)
    }

    /// For each known person, the distance from `descriptor` to that person's nearest encoding.
    func nearestDistanceByPerson(_ descriptor: [Double]) -> [String: Double] {
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
