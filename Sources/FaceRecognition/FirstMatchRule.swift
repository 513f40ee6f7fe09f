/// When first-match mode trusts a match enough to stop sampling. A wrong student's record is
/// worse than none, and a borderline distance is where faces of different people meet (a small,
/// blurred or badly lit face can sit just inside the tolerance of someone else), so only a match
/// well inside the tolerance and clearly nearer than anyone else stops the sampling at once.
public struct FirstMatchRule: Sendable, Equatable {
    /// How far inside the tolerance a trusted match must be.
    public var depth: Double
    /// How much nearer the trusted person must be than the nearest encoding of anyone else.
    public var margin: Double
    /// Sampled frames looked at after the first borderline match, its own included, before deciding
    /// on the evidence gathered.
    public var borderlineFrames: Int
    /// The margin below which a borderline match is a coin toss between two people: never named.
    public var borderlineMargin: Double

    public init(depth: Double = 0.08, margin: Double = 0.1, borderlineFrames: Int = 3, borderlineMargin: Double = 0.05) {
        self.depth = depth
        self.margin = margin
        self.borderlineFrames = borderlineFrames
        self.borderlineMargin = borderlineMargin
    }

    func trusts(_ candidate: FaceCandidate, tolerance: Double) -> Bool {
        candidate.distance <= tolerance - depth && candidate.margin >= margin
    }
}

/// A face within the tolerance seen while first-match mode samples, and when.
public struct FirstMatchEvidence: Sendable {
    public let candidate: FaceCandidate
    public let frameTime: Double
    /// The face as the report shows it (nil when no frame was kept).
    let crop: FaceCrop?
}
