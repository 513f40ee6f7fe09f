import FoundationEssentials

/// A failed AWS call: AWS's error code, message and request id, or one of this package's own
/// codes when AWS never answered or answered something unusable: `NetworkError` (reset, refused,
/// timed out: retried), `TransportFailure` (DNS, TLS...), `DeadlineExceeded`, `ResponseTooLarge`, `UnprocessedItems`,
/// `InvalidResponse`. Never carries a secret, token or signature.
public struct AWSError: Error, LocalizedError, CustomStringConvertible, Sendable {
    /// "S3" or "DynamoDB"
    public let service: String
    /// "GetObject", "Query", ...
    public let operation: String
    /// What the call was about: `s3://bucket/key`, `table students`.
    public let resource: String
    public let code: String
    public let message: String
    public let requestID: String?
    /// nil when no HTTP response came back.
    public let httpStatus: Int?
    public let attempts: Int

    public init(service: String, operation: String, resource: String, code: String, message: String,
                requestID: String? = nil, httpStatus: Int? = nil, attempts: Int = 1) {
        self.service = service
        self.operation = operation
        self.resource = resource
        self.code = code
        self.message = message
        self.requestID = requestID
        self.httpStatus = httpStatus
        self.attempts = attempts
    }

    public var errorDescription: String? {
        var details: [String] = []
        if let httpStatus { details.append("HTTP \(httpStatus)") }
        if let requestID { details.append("request id \(requestID)") }
        if attempts > 1 { details.append("after \(attempts) attempts") }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        return "\(service) \(operation) on \(resource) failed: \(code): \(message)\(suffix)"
    }

    public var description: String { errorDescription ?? code }

    /// Throttling and transient server or network failures; never signature or permission errors.
    public var isRetryable: Bool {
        if Self.retryableCodes.contains(code) { return true }
        guard let httpStatus else { return false }
        return [500, 502, 503, 504].contains(httpStatus)
    }

    static let networkError = "NetworkError"
    /// The call could not finish before the invocation's deadline (never retried).
    public static let deadlineExceeded = "DeadlineExceeded"
    static let transportFailure = "TransportFailure"

    private static let retryableCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "RequestThrottled",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "SlowDown", "InternalError", networkError, "InternalServerError", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException",
    ]
}
