/// One face followed across sampled frames: where it is now, when it was seen, and a few
/// descriptors taken along the way, from which its identity is decided once, with all of them.
final class FaceTrack {
    /// Samples after its first at which a track is described again (while HOG still finds it):
    /// a few looks early, when identity matters most, then fewer. Bounded, so that a class of 30
    /// costs about 30 descriptors, not 30 per sampled second.
    static let describeAtAge = [0, 4, 16, 64]

    var box: FaceBox
    /// Times of the sampled frames it was in.
    private(set) var times: [Double] = []
    private(set) var descriptors: [[Double]] = []
    /// Sampled frames since it started (0 on its first).
    private(set) var age = 0

    init(box: FaceBox, time: Double) {
        self.box = box
        times = [time]
    }

    var wantsDescriptor: Bool {
        descriptors.count < Self.describeAtAge.count && age >= Self.describeAtAge[descriptors.count]
    }

    /// The face the report shows: the one whose descriptor came nearest to a known encoding.
    private(set) var face: FaceCrop?
    private var faceDistance = Double.infinity

    func add(_ descriptor: [Double], nearestKnown distance: Double, face crop: FaceCrop) {
        descriptors.append(descriptor)
        if face == nil || distance < faceDistance {
            face = crop
            faceDistance = distance
        }
    }

    /// Samples in a row it has not been found in.
    private(set) var missedSamples = 0

    /// It is in the frame sampled at `time` (its box already updated, or unchanged).
    func seen(at time: Double) {
        age += 1
        missedSamples = 0
        if times.last != time { times.append(time) }
    }

    /// It was not found in the latest sampled frame.
    func missed() {
        age += 1
        missedSamples += 1
    }

    /// The mean of its descriptors: what groups unknown people.
    var meanDescriptor: [Double] {
        guard var sum = descriptors.first else { return [] }
        for descriptor in descriptors.dropFirst() { for i in sum.indices { sum[i] += descriptor[i] } }
        return sum.map { $0 / Double(descriptors.count) }
    }
}

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
