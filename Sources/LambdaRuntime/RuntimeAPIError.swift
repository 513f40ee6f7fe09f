import FoundationEssentials

/// The Runtime API answered with a status the call does not expect.
public struct RuntimeAPIError: Error, LocalizedError {
    public let request: RuntimeAPIRequest
    public let status: Int
    /// The start of the response body (Lambda explains refusals in it).
    public let detail: String

    public init(request: RuntimeAPIRequest, status: Int, body: [UInt8]) {
        self.request = request
        self.status = status
        self.detail = String(decoding: body.prefix(512), as: UTF8.self)
    }

    /// 500 means the sandbox is broken and the runtime must exit; 400, 403 and 413 only lose this call.
    public var isFatal: Bool { status >= 500 }

    public var errorDescription: String? {
        "Runtime API \(request.method) \(request.path) answered HTTP \(status)" + (detail.isEmpty ? "" : ": \(detail)")
    }
}
