import CurlShim
import FoundationEssentials

/// The request never got a complete HTTP response: refused, reset, timed out, unresolvable...
public struct HTTPTransportError: Error, LocalizedError, CustomStringConvertible {
    public let url: String
    /// The CURLcode.
    public let code: Int32
    public let message: String

    public init(url: String, code: Int32, message: String) {
        self.url = url
        self.code = code
        self.message = message
    }

    public var errorDescription: String? { "HTTP request to \(url) failed: \(message) (curl error \(code))" }

    public var description: String { errorDescription ?? "" }

    /// Failures worth one more try: the connection was refused, reset or cut, or timed out.
    public var isTransient: Bool {
        [CS_E_COULDNT_CONNECT, CS_E_OPERATION_TIMEDOUT, CS_E_GOT_NOTHING, CS_E_SEND_ERROR, CS_E_RECV_ERROR]
            .map { Int32($0) }.contains(code)
    }

    /// The transfer ran out of its time.
    public var isTimeout: Bool { code == Int32(CS_E_OPERATION_TIMEDOUT) }

    /// The response body was bigger than the request's `maxResponseBytes`.
    public var isResponseTooLarge: Bool { code == Int32(CS_E_FILESIZE_EXCEEDED) }
}

/// The request cannot be put on the wire as given.
public struct HTTPRequestError: Error, LocalizedError, CustomStringConvertible {
    public let url: String
    public let reason: String

    public var errorDescription: String? { "HTTP request to \(url) is invalid: \(reason)" }

    public var description: String { errorDescription ?? "" }
}
