import Dispatch
import FaceRecognition
import FoundationEssentials
import Media

/// What happened to one video: who, how many frames, and where the time went.
public struct VideoReport: Sendable {
    public enum Stage: String, Sendable, CaseIterable { case download, decode, equalise, detect, describe, lookup, upload }

    public let video: String
    public var students: [String] = []
    public var missingFromDirectory: [String] = []
    public var unknownPeople = 0
    public var framesDecoded = 0
    /// First-match mode's answer and the evidence for it (nil when nobody was recognised).
    public var firstMatch: FirstMatchEvidence?
    /// The video's length, from its container (nil when it does not say).
    public var durationSeconds: Double?
    public var milliseconds: [Stage: Double] = [:]

    public init(video: String) { self.video = video }

    mutating func timing<T>(_ stage: Stage, _ work: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { milliseconds[stage, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }
        return try work()
    }
}
