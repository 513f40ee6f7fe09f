import Glibc

/// When work must be finished by, on the monotonic clock (CLOCK_MONOTONIC, the clock libav's
/// interrupt callback reads too), so that a change of the wall clock cannot move it.
public struct Deadline: Sendable {
    /// CLOCK_MONOTONIC nanoseconds; `UInt64.max` is never.
    public let monotonicNanoseconds: UInt64

    public init(monotonicNanoseconds: UInt64) { self.monotonicNanoseconds = monotonicNanoseconds }

    public static let never = Deadline(monotonicNanoseconds: .max)

    /// `seconds` from now (never for an infinite or absurd value).
    public static func after(seconds: Double) -> Deadline {
        guard seconds.isFinite, seconds < 1e9 else { return .never }
        let now = Self.nowNanoseconds()
        if seconds <= 0 { return Deadline(monotonicNanoseconds: now) }
        return Deadline(monotonicNanoseconds: now + UInt64(seconds * 1e9))
    }

    /// A wall-clock time in milliseconds since the Unix epoch (as the Lambda Runtime API gives it),
    /// turned into the monotonic clock once.
    public static func wallClock(unixMilliseconds: Int64) -> Deadline {
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let nowMilliseconds = Double(wall.tv_sec) * 1000 + Double(wall.tv_nsec) / 1e6
        return after(seconds: (Double(unixMilliseconds) - nowMilliseconds) / 1000)
    }

    public var isNever: Bool { monotonicNanoseconds == .max }

    /// Seconds left (negative once past; infinity for never).
    public var secondsRemaining: Double {
        if isNever { return .infinity }
        let now = Self.nowNanoseconds()
        return monotonicNanoseconds >= now ? Double(monotonicNanoseconds - now) / 1e9
                                           : -Double(now - monotonicNanoseconds) / 1e9
    }

    public var hasPassed: Bool { !isNever && Self.nowNanoseconds() >= monotonicNanoseconds }

    /// The same deadline moved `seconds` earlier, to leave time for what must happen after it.
    public func earlier(by seconds: Double) -> Deadline {
        if isNever { return self }
        let shift = UInt64(max(0, seconds) * 1e9)
        return Deadline(monotonicNanoseconds: monotonicNanoseconds > shift ? monotonicNanoseconds - shift : 0)
    }

    /// A timeout for one blocking call: at most `limit` seconds and never past the deadline (at
    /// least a millisecond, so that a timeout is never "no limit").
    public func timeout(atMost limit: Double) -> Double {
        max(0.001, min(limit, secondsRemaining))
    }

    public static func nowNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
