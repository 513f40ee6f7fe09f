import FoundationEssentials
import Synchronization

/// Where one video's time goes, stage by stage, from when its work began. Any thread may add to it:
/// attendance samples a video's chunks in parallel.
public final class StageTimings: Sendable {
    public enum Stage: String, Sendable, CaseIterable { case download, decode, equalise, detect, describe, lookup, upload }

    private let totals = Mutex<[Stage: Double]>([:])
    public let startedAt = Date()
    public let sinceStart = Stopwatch()

    public init() {}

    /// Runs `work`, counting its time as `stage`'s.
    public func time<T>(_ stage: Stage, _ work: () throws -> T) rethrows -> T {
        let clock = Stopwatch()
        defer { totals.withLock { $0[stage, default: 0] += clock.milliseconds } }
        return try work()
    }

    /// The milliseconds counted so far, by stage.
    public var milliseconds: [Stage: Double] { totals.withLock { $0 } }
}
