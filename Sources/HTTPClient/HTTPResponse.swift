import FoundationEssentials
import TextEncoding

/// A complete HTTP response, body in memory.
public struct HTTPResponse {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The body of a 2xx response to a request that `takesBodyInPlace` (then `body` is empty).
    public var bodyBytes: ResponseBytes?
    /// The length of a 2xx body written into the request's `bodyDestination` (then `body` is empty).
    public var bodyWrittenToDestination: Int?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], bodyBytes: ResponseBytes? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyBytes = bodyBytes
    }

    /// The body's size, wherever it is.
    public var bodyCount: Int { bodyWrittenToDestination ?? bodyBytes?.count ?? body.count }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? { firstValue(of: name, in: headers) }
}

extension HTTPResponse {
    /// Parses curl's raw header bytes. curl hands over every header block it saw (an interim
    /// `100 Continue` comes before the final response), so only the last block is kept.
    static func parseHeaderBlock(_ raw: [UInt8]) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for line in String(decoding: raw, as: UTF8.self).split(separator: "\r\n") {
            if line.hasPrefix("HTTP/") {
                headers.removeAll()
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingSpacesAndTabs()
                let value = line[line.index(after: colon)...].trimmingSpacesAndTabs()
                headers.append((name: name, value: value))
            }
        }
        return headers
    }
}
