/// The time since it was made, on Deadline's monotonic clock.
public struct Stopwatch: Sendable {
    private let start = Deadline.nowNanoseconds()

    public init() {}

    public var seconds: Double { Double(Deadline.nowNanoseconds() - start) / 1e9 }
    public var milliseconds: Double { seconds * 1000 }
}
