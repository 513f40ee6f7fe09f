import TextEncoding

/// The calls a custom runtime makes to the Lambda Runtime API (version 2018-06-01), as method and path.
/// Bodies travel separately: see `RuntimeAPIClient`.
public enum RuntimeAPIRequest: Equatable {
    /// Long-polls for the next event; blocks until Lambda has one.
    case next
    /// The handler's result for one invocation.
    case invocationResponse(requestID: String)
    /// The handler failed for one invocation.
    case invocationError(requestID: String)
    /// The function could not initialise; the runtime exits after posting it.
    case initializationError

    public var method: String {
        switch self {
        case .next: return "GET"
        case .invocationResponse, .invocationError, .initializationError: return "POST"
        }
    }

    /// The path under the Runtime API's host and port.
    public var path: String {
        let base = "/2018-06-01/runtime"
        switch self {
        case .next: return base + "/invocation/next"
        case .invocationResponse(let id): return base + "/invocation/\(Self.pathSegment(id))/response"
        case .invocationError(let id): return base + "/invocation/\(Self.pathSegment(id))/error"
        case .initializationError: return base + "/init/error"
        }
    }

    /// `endpoint` is `AWS_LAMBDA_RUNTIME_API`: host and port, without a scheme.
    public func url(endpoint: String) -> String { "http://\(endpoint)\(path)" }

    /// Request IDs are UUIDs; anything else is percent-encoded so it cannot change the path.
    private static func pathSegment(_ id: String) -> String { PercentEncoding.encode(id) }
}
