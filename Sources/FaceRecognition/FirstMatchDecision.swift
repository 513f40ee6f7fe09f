import Imaging

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

/// Gathers what the sampled frames show until the rule lets first-match mode stop, then names one
/// student: the first trusted match (the nearest one when a frame holds several), else the nearest
/// match seen within the tolerance in the frames the rule allowed, unless another person was
/// about as near to it.
struct FirstMatchDecision {
    let rule: FirstMatchRule
    let tolerance: Double
    private(set) var evidence: [FirstMatchEvidence] = []
    private var trusted: FirstMatchEvidence?
    private var framesSinceBorderline = 0

    init(rule: FirstMatchRule, tolerance: Double) {
        self.rule = rule
        self.tolerance = tolerance
    }

    func trusts(_ face: RecognisedFace) -> Bool {
        face.candidate.map { rule.trusts($0, tolerance: tolerance) } ?? false
    }

    /// The faces of the frame sampled at `time`; `frame` is the RGB frame they were found in.
    mutating func record(_ faces: [RecognisedFace], in frame: PixelImage?, at time: Double) {
        let matches = faces.compactMap { face in
            face.candidate.flatMap {
                $0.distance <= tolerance ? FirstMatchEvidence(candidate: $0, frameTime: time, crop: FaceCrop.capture(face.box, in: frame)) : nil
            }
        }
        evidence += matches
        trusted = trusted ?? matches.filter { rule.trusts($0.candidate, tolerance: tolerance) }.min { $0.candidate.distance < $1.candidate.distance }
        if !evidence.isEmpty { framesSinceBorderline += 1 }
    }

    var isSettled: Bool { trusted != nil || framesSinceBorderline >= rule.borderlineFrames }

    var chosen: FirstMatchEvidence? {
        trusted ?? evidence.filter { $0.candidate.margin >= rule.borderlineMargin }
            .min { $0.candidate.distance < $1.candidate.distance }
    }
}
