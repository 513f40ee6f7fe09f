import HTTPClient

/// The custom runtime's side of the Lambda Runtime API. Uses one HTTP handle: not thread-safe.
public final class RuntimeAPIClient {
    /// Host and port, as in `AWS_LAMBDA_RUNTIME_API`.
    public let endpoint: String
    private let http: HTTPClient

    public init(endpoint: String, http: HTTPClient) {
        self.endpoint = endpoint
        self.http = http
    }

    /// Waits, without a timeout, until Lambda has an event for this function.
    public func nextInvocation() throws -> Invocation {
        let response = try send(.next, body: [], expecting: 200)
        let metadata = try InvocationMetadata(header: response.header)
        return Invocation(metadata: metadata, payload: response.body)
    }

    public func reportSuccess(requestID: String, body: [UInt8]) throws {
        try send(.invocationResponse(requestID: requestID), body: body, expecting: 202)
    }

    public func reportError(requestID: String, error: ErrorReport) throws {
        try send(.invocationError(requestID: requestID), body: try error.jsonBytes(), expecting: 202,
                 headers: [(ErrorReport.typeHeader, error.headerValue)])
    }

    /// After this, the runtime is expected to exit.
    public func reportInitError(error: ErrorReport) throws {
        try send(.initializationError, body: try error.jsonBytes(), expecting: 202,
                 headers: [(ErrorReport.typeHeader, error.headerValue)])
    }

    @discardableResult
    private func send(_ call: RuntimeAPIRequest, body: [UInt8], expecting status: Int,
                      headers: [(name: String, value: String)] = []) throws -> HTTPResponse {
        // The long poll may wait for hours between events; the other calls are quick.
        let timeout: Double? = call == .next ? nil : 30
        let response = try http.send(HTTPRequest(method: call.method, url: call.url(endpoint: endpoint),
                                                 headers: headers, body: body, timeout: timeout))
        guard response.status == status else {
            throw RuntimeAPIError(request: call, status: response.status, body: response.body)
        }
        return response
    }
}
