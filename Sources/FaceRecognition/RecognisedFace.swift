/// One face found on a frame: where, its descriptor, the nearest known people, and whom it
/// matches if anyone.
public struct RecognisedFace {
    public let box: FaceBox
    public let descriptor: [Double]
    public let candidate: FaceCandidate?
    public let match: FaceMatch?

    public init(box: FaceBox, descriptor: [Double], matcher: FaceMatcher) {
        self.box = box
        self.descriptor = descriptor
        candidate = matcher.nearest(descriptor)
        match = candidate.flatMap(matcher.match)
    }
}
