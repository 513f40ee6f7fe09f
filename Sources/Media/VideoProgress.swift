import Synchronization

/// How far the sampling of one video has got, for a progress display.
public struct VideoProgress: Sendable {
    /// Seconds of video sampled so far (all segments together).
    public let secondsDone: Double
    /// From the container; nil when it does not say.
    public let durationSeconds: Double?
}

/// Counts the sampled seconds of one video as the segments sampling it side by side finish them,
/// and passes the total on (from whichever segment's thread finished one).
public final class SampleProgress: @unchecked Sendable {
    private let samples = Atomic<Int>(0)
    private let interval: Double
    private let durationSeconds: Double?
    private let callback: (VideoProgress) -> Void

    public init(interval: Double, durationSeconds: Double?, callback: @escaping (VideoProgress) -> Void) {
        self.interval = interval
        self.durationSeconds = durationSeconds
        self.callback = callback
    }

    public func sampled() {
        let done = samples.add(1, ordering: .relaxed).newValue
        callback(VideoProgress(secondsDone: min(Double(done) * interval, durationSeconds ?? .infinity), durationSeconds: durationSeconds))
    }
}
