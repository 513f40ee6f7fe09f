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
