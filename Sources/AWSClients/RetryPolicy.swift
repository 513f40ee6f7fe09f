/// Bounded exponential backoff with full jitter: before retry n (1-based) wait a random time in
/// 0...min(maxDelay, baseDelay * 2^(n-1)).
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first one included.
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public static let standard = RetryPolicy(maxAttempts: 5, baseDelay: 0.05, maxDelay: 5)

    public init(maxAttempts: Int, baseDelay: Double, maxDelay: Double) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public func delay(beforeRetry retry: Int) -> Double {
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(max(retry - 1, 0), 30)))
        return ceiling > 0 ? Double.random(in: 0...ceiling) : 0
    }
}
