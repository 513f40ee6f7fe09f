/// Whom a track shows, decided from all its descriptors: for each known person, the median over
/// the descriptors of the distance to that person's nearest encoding. The nearest person is named
/// only when that median is within the tolerance and the next person is at least `margin` further:
/// one blurred frame cannot name a student, nor can a face halfway between two.
struct TrackIdentity: Codable, Equatable {
    let name: String?
    /// The median distance to the person named (or to the nearest person).
    let distance: Double
    /// The smallest single distance to the person named (or to the nearest person).
    let bestDistance: Double

    init(name: String?, distance: Double, bestDistance: Double) {
        self.name = name
        self.distance = distance
        self.bestDistance = bestDistance
    }

    init(descriptors: [[Double]], matcher: FaceMatcher, margin: Double) {
        var perPerson: [String: [Double]] = [:]
        for descriptor in descriptors {
            for (name, distance) in matcher.nearestDistanceByPerson(descriptor) { perPerson[name, default: []].append(distance) }
        }
        let ranked = perPerson.map { (name: $0.key, median: Self.median($0.value), best: $0.value.min() ?? .infinity) }
            .sorted { $0.median < $1.median }
        guard let nearest = ranked.first else {
            self.init(name: nil, distance: .infinity, bestDistance: .infinity)
            return
        }
        let runnerUp = ranked.count > 1 ? ranked[1].median : .infinity
        let named = nearest.median <= matcher.tolerance && runnerUp - nearest.median >= margin
        self.init(name: named ? nearest.name : nil, distance: nearest.median, bestDistance: nearest.best)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
