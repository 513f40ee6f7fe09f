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
    private static func pathSegment(_ id: String) -> String {
        var encoded = ""
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
