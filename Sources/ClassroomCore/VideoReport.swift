import FaceRecognition
import RequestContext

/// What happened to one video: who, how many frames, and where the time went.
public struct VideoReport: Sendable {
    public let video: String
    public var students: [String] = []
    public var missingFromDirectory: [String] = []
    public var unknownPeople = 0
    public var framesDecoded = 0
    /// First-match mode's answer and the evidence for it (nil when nobody was recognised).
    public var firstMatch: FirstMatchEvidence?
    /// The video's length, from its container (nil when it does not say).
    public var durationSeconds: Double?
    public var milliseconds: [StageTimings.Stage: Double] = [:]

    public init(video: String, durationSeconds: Double? = nil, framesDecoded: Int = 0, firstMatch: FirstMatchEvidence? = nil) {
        (self.video, self.durationSeconds, self.framesDecoded, self.firstMatch) = (video, durationSeconds, framesDecoded, firstMatch)
    }
}
