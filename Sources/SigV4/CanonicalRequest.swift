import TextEncoding

/// How a service turns the request path into the canonical URI.
public enum PathCanonicalization: Sendable {
    /// Every service but S3: remove `.`/`..` and empty segments, then URI-encode the path as sent,
    /// so a path already percent-encoded on the wire is encoded a second time.
    case normalizedAndEncodedTwice
    /// S3: no normalization; the path is encoded once (escapes on the wire are kept as escapes).
    case s3
}

/// Step 1 of SigV4: the canonical request, built from the request exactly as it is given, with no
/// header added. Every header passed in is signed.
public struct CanonicalRequest: Equatable {
    public let text: String
    /// Lowercase header names joined by `;`.
    public let signedHeaders: String

    /// - Parameters:
    ///   - path: the path as it goes on the wire (before any `?`).
    ///   - query: the raw query string after `?`, "" when there is none.
    ///   - payloadHash: hex SHA-256 of the body, or `UNSIGNED-PAYLOAD` and the like.
    public init(method: String, path: String, query: String, headers: [(name: String, value: String)],
                payloadHash: String, pathCanonicalization: PathCanonicalization) {
        let canonicalHeaders = Self.canonicalHeaders(headers)
        signedHeaders = canonicalHeaders.map(\.name).joined(separator: ";")
        text = [
            method,
            Self.canonicalPath(path, pathCanonicalization),
            Self.canonicalQuery(query),
            canonicalHeaders.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
    }

    static func canonicalPath(_ path: String, _ style: PathCanonicalization) -> String {
        let absolute = path.hasPrefix("/") ? path : "/" + path
        switch style {
        case .s3:
            return PercentEncoding.encode(PercentEncoding.decode(absolute), keepSlash: true)
        case .normalizedAndEncodedTwice:
            return PercentEncoding.encode(removeDotAndEmptySegments(absolute), keepSlash: true)
        }
    }

    /// `//a/./b/../c/` -> `/a/c/`: RFC 3986 dot-segment removal, plus empty segments dropped.
    static func removeDotAndEmptySegments(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let joined = "/" + segments.joined(separator: "/")
        let keepsTrailingSlash = path.hasSuffix("/") && !segments.isEmpty
        return keepsTrailingSlash ? joined + "/" : joined
    }

    /// Parameters decoded then encoded again (so `%e1`, `$` and `é` all come out the same way),
    /// `key=` for a key without a value, sorted by key then value.
    static func canonicalQuery(_ query: String) -> String {
        var parameters: [(key: String, value: String)] = []
        for parameter in query.split(separator: "&") {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1]) : ""
            parameters.append((key: PercentEncoding.encode(PercentEncoding.decode(String(parts[0]))),
                               value: PercentEncoding.encode(PercentEncoding.decode(value))))
        }
        parameters.sort { $0.key == $1.key ? $0.value < $1.value : $0.key < $1.key }
        return parameters.map { $0.key + "=" + $0.value }.joined(separator: "&")
    }

    /// Names lowercased and sorted; values trimmed with inner whitespace runs (line breaks of
    /// folded values included) collapsed to one space; repeated names joined with `,` in order.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let key = collapseWhitespace(name).lowercased()
            if values[key] == nil { order.append(key) }
            values[key, default: []].append(collapseWhitespace(value))
        }
        return order.sorted().map { (name: $0, value: values[$0]!.joined(separator: ",")) }
    }

    static func collapseWhitespace(_ text: String) -> String {
        // "\r\n" is one Character in Swift, hence the scalar test.
        text.split { $0.unicodeScalars.allSatisfy { [" ", "\t", "\r", "\n"].contains($0) } }.joined(separator: " ")
    }
}
