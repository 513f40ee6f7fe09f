import FoundationEssentials

/// An object or a prefix written as `s3://BUCKET/KEY`: how the settings (ENCODING_URI, ROSTERS_URI)
/// and the command line name a place in S3.
public struct S3Location: Equatable, Sendable, CustomStringConvertible {
    public let bucket: String
    /// The key, or the prefix; "" for the whole bucket.
    public let key: String

    public static let scheme = "s3://"

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://BUCKET[/KEY]`: a bucket named by S3's rules and a key of at most 1024 bytes; the
    /// error names the text and what is wrong with it.
    public init(uri: String) throws(S3LocationError) {
        guard uri.hasPrefix(Self.scheme) else { throw S3LocationError(uri: uri, reason: "it does not start with s3://") }
        let rest = uri.dropFirst(Self.scheme.count)
        let bucket = String(rest.prefix { $0 != "/" })
        if let problem = Self.bucketNameProblem(bucket) {
            throw S3LocationError(uri: uri, reason: "'\(bucket)' is not an S3 bucket name: \(problem)")
        }
        let key = String(rest.dropFirst(bucket.count + 1))
        guard key.utf8.count <= 1024 else { throw S3LocationError(uri: uri, reason: "the key is longer than 1024 bytes") }
        self.init(bucket: bucket, key: key)
    }

    /// An object's location: as `init(uri:)`, and the key must not be empty.
    public init(objectURI uri: String) throws(S3LocationError) {
        try self.init(uri: uri)
        guard !key.isEmpty, !key.hasSuffix("/") else { throw S3LocationError(uri: uri, reason: "it names no key of an object after the bucket") }
    }

    /// Whether the text names an S3 location rather than a local path.
    public static func isURI(_ text: String) -> Bool { text.hasPrefix(scheme) }

    /// The key as a folder: empty, or ending in `/`.
    public var folder: String { key.isEmpty || key.hasSuffix("/") ? key : key + "/" }

    public var description: String { Self.scheme + bucket + "/" + key }

    /// Why `name` is not a general purpose bucket name by S3's naming rules, or nil when it is one.
    /// A name from an event or a setting goes into a URL: `localhost:8765#` would become a host of its
    /// own. (Buckets made in us-east-1 before March 2018 could break these rules; none is served.)
    public static func bucketNameProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return "it is \(bytes.count) bytes long, not 3 to 63" }
        if let other = name.unicodeScalars.first(where: { !isLowerCaseLetterOrDigit($0) && $0 != "." && $0 != "-" }) {
            return "it holds '\(other.escaped(asASCII: true))', and only lower-case letters, digits, '.' and '-' are allowed"
        }
        guard let first = name.unicodeScalars.first, let last = name.unicodeScalars.last,
              isLowerCaseLetterOrDigit(first), isLowerCaseLetterOrDigit(last) else {
            return "it must begin and end with a letter or digit"
        }
        if name.contains("..") { return "it has two adjacent periods" }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return "it is formatted as an IP address" }
        if let prefix = reservedPrefixes.first(where: name.hasPrefix) { return "the prefix \"\(prefix)\" is reserved" }
        if let suffix = reservedSuffixes.first(where: name.hasSuffix) { return "the suffix \"\(suffix)\" is reserved" }
        return nil
    }

    private static let reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"]
    /// Access point, Object Lambda, Multi-Region Access Point, directory bucket and table bucket names.
    private static let reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]

    private static func isLowerCaseLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}

public struct S3LocationError: Error, LocalizedError, Equatable {
    public let uri: String
    public let reason: String
    public var errorDescription: String? { "'\(uri)' is not an S3 location (s3://BUCKET/KEY): \(reason)" }
}
