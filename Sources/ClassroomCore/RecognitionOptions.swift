import FoundationEssentials
import FaceRecognition
import Settings

/// How the pipeline samples and matches.
public struct RecognitionOptions: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Name one student: the first one matched surely enough (see FirstMatchRule).
        case firstMatch = "first"
        /// Sample the whole video and list everyone seen (attendance).
        case all
    }

    public var mode: Mode
    public var tolerance: Double
    public var samplesPerSecond: Double
    public var ladder: DetectionLadder
    public var firstMatchRule: FirstMatchRule
    /// Time segments of one video sampled side by side in attendance mode.
    public var parallelism: Int
    /// Threads one face detection may use (see share).
    public var detectionThreads: Int
    /// Attendance: the smallest face, in pixels tall in the frame as displayed, to find.
    public var minFace: Int
    /// Attendance: how much nearer a face must be to the person it is named as than to anyone else
    /// (see TrackIdentity).
    public var identityMargin: Double
    /// Whether the report keeps a crop of each person no known face matches. Off by default: that
    /// stores the face of someone who never consented (a visitor, a student of another class).
    public var unknownFaceCrops: Bool

    public init(mode: Mode = .firstMatch, tolerance: Double = Setting.tolerance.defaultNumber, samplesPerSecond: Double = 1,
                ladder: DetectionLadder = DetectionLadder(), firstMatchRule: FirstMatchRule = FirstMatchRule(),
                parallelism: Int = 1, detectionThreads: Int = 1, minFace: Int = Int(Setting.minFace.defaultNumber), identityMargin: Double = 0.05,
                unknownFaceCrops: Bool = false) {
        self.mode = mode
        self.tolerance = tolerance
        self.samplesPerSecond = samplesPerSecond
        self.ladder = ladder
        self.firstMatchRule = firstMatchRule
        self.parallelism = parallelism
        self.detectionThreads = detectionThreads
        self.minFace = minFace
        self.identityMargin = identityMargin
        self.unknownFaceCrops = unknownFaceCrops
    }
}

extension RecognitionOptions {
    /// The tolerances either front end accepts.
    public static let toleranceRange = 0.01...1.99
    /// The smallest faces, in pixels tall, either front end accepts.
    public static let minFaceRange = 20...2000

    /// How `cores` are shared, the one plan both front ends use: attendance samples each video in
    /// one time segment per core; first-match runs `videosAtOnce` videos side by side, one worker
    /// each. The cores left over for each worker speed up its face detection and descriptors.
    public mutating func share(cores: Int, videosAtOnce: Int) {
        parallelism = mode == .all ? max(1, cores) : 1
        let workersAtOnce = mode == .all ? parallelism : max(1, min(cores, videosAtOnce))
        detectionThreads = Self.threadsPerWorker(workersRunningAtOnce: workersAtOnce)
    }

    /// Threads each of `workers` workers running side by side should use: the machine's cores
    /// shared out, so that they do not fight over them.
    static func threadsPerWorker(workersRunningAtOnce workers: Int) -> Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, workers))
    }
}
