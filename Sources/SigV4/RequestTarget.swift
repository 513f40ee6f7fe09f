import FoundationEssentials

/// The parts of an absolute URL that SigV4 signs, taken from the string exactly as it will be
/// sent (no decoding, no normalization: Foundation's URL would do both).
struct RequestTarget {
    let authority: String
    let path: String
    let query: String

    init(url: String) throws {
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw SigningError(url: url, reason: "not an absolute URL")
        }
        let afterScheme = url[schemeEnd.upperBound...].prefix { $0 != "#" }
        let pathStart = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        authority = String(afterScheme[..<pathStart])
        guard !authority.isEmpty else { throw SigningError(url: url, reason: "no host") }
        let rest = afterScheme[pathStart...]
        if let questionMark = rest.firstIndex(of: "?") {
            path = String(rest[..<questionMark])
            query = String(rest[rest.index(after: questionMark)...])
        } else {
            path = String(rest)
            query = ""
        }
    }
}

/// A request that cannot be signed.
public struct SigningError: Error, LocalizedError, CustomStringConvertible {
    public let url: String
    public let reason: String

    public var errorDescription: String? { "cannot sign the request to \(url): \(reason)" }

    public var description: String { errorDescription ?? "" }
}
