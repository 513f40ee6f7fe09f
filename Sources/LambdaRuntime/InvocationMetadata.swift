import FoundationEssentials
import Glibc
import RequestContext
import TextEncoding

/// What the Runtime API says about one invocation, from the headers of its `next` response.
public struct InvocationMetadata: Equatable {
    public let requestID: String
    /// When Lambda stops the invocation, in milliseconds since the Unix epoch.
    public let deadlineMilliseconds: Int64
    public let invokedFunctionARN: String?
    /// X-Ray's trace header; the runtime exports it as `_X_AMZN_TRACE_ID` while the invocation runs.
    public let traceID: String?
    /// The mobile client's context (JSON), when the invoker sent one.
    public let clientContext: String?
    /// The Cognito identity (JSON), when the invoker had one.
    public let cognitoIdentity: String?

    public enum Header {
        public static let requestID = "Lambda-Runtime-Aws-Request-Id"
        public static let deadline = "Lambda-Runtime-Deadline-Ms"
        public static let invokedFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
        public static let traceID = "Lambda-Runtime-Trace-Id"
        public static let clientContext = "Lambda-Runtime-Client-Context"
        public static let cognitoIdentity = "Lambda-Runtime-Cognito-Identity"
    }

    public init(requestID: String, deadlineMilliseconds: Int64, invokedFunctionARN: String? = nil,
                traceID: String? = nil, clientContext: String? = nil, cognitoIdentity: String? = nil) {
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
    }

    /// Reads the headers of a `next` response; `header` looks a name up case-insensitively.
    public init(header: (String) -> String?) throws {
        guard let requestID = header(Header.requestID), !requestID.isEmpty else {
            throw InvocationMetadataError.missingHeader(Header.requestID)
        }
        guard let deadlineText = header(Header.deadline) else {
            throw InvocationMetadataError.missingHeader(Header.deadline)
        }
        guard let deadline = Int64(deadlineText.trimmingSpacesAndTabs()), deadline > 0 else {
            throw InvocationMetadataError.invalidDeadline(deadlineText)
        }
        self.init(requestID: requestID, deadlineMilliseconds: deadline,
                  invokedFunctionARN: header(Header.invokedFunctionARN), traceID: header(Header.traceID),
                  clientContext: header(Header.clientContext), cognitoIdentity: header(Header.cognitoIdentity))
    }

    /// When Lambda stops the invocation, on the monotonic clock from now on.
    public var deadline: Deadline { Deadline.wallClock(unixMilliseconds: deadlineMilliseconds) }

    /// Sets `_X_AMZN_TRACE_ID` to this invocation's trace header, or unsets it so no earlier one lingers.
    public func exportTraceID() {
        if let traceID {
            setenv(Self.traceEnvironmentVariable, traceID, 1)
        } else {
            unsetenv(Self.traceEnvironmentVariable)
        }
    }

    public static let traceEnvironmentVariable = "_X_AMZN_TRACE_ID"
}

public enum InvocationMetadataError: Error, LocalizedError, Equatable {
    case missingHeader(String)
    case invalidDeadline(String)

    public var errorDescription: String? {
        switch self {
        case .missingHeader(let name):
            return "the Runtime API's next invocation has no \(name) header"
        case .invalidDeadline(let value):
            return "the Runtime API's next invocation has a \(InvocationMetadata.Header.deadline) header that is not "
                + "a positive number of milliseconds: \"\(value)\""
        }
    }
}
