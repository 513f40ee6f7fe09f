/// One HTTP request as it goes on the wire.
public struct HTTPRequest {
    /// "GET", "POST", "PUT", "HEAD", ...
    public var method: String
    /// Absolute URL, already percent-encoded as it must be sent.
    public var url: String
    /// Sent in this order; curl adds Host, Content-Length and Accept itself.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds for the whole transfer; nil waits forever (the Lambda Runtime API's long poll).
    public var timeout: Double?
    /// A response body larger than this fails with `HTTPTransportError.isResponseTooLarge`,
    /// before the download when the server announces its length; nil = no limit.
    public var maxResponseBytes: Int?
    /// Hand a successful response's body over as `HTTPResponse.bodyBytes`, where curl received
    /// it, instead of copying it into `body` (for downloads too large to hold twice).
    public var takesBodyInPlace = false
    /// Write the response body (of any status) into this memory instead, which it must fit; a 2xx
    /// body's length is then `HTTPResponse.bodyCount`. For many ranged reads into the same buffers.
    public var bodyDestination: UnsafeMutableRawBufferPointer?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                timeout: Double? = 30, maxResponseBytes: Int? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? { firstValue(of: name, in: headers) }
}

/// Header names are case-insensitive; the first of repeated headers wins.
func firstValue(of name: String, in headers: [(name: String, value: String)]) -> String? {
    let wanted = name.lowercased()
    return headers.first { $0.name.lowercased() == wanted }?.value
}
