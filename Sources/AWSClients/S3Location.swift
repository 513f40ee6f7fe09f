import FoundationEssentials

/// An object or a prefix written as `s3://BUCKET/KEY`: how the command line and the settings name
/// a place in S3.
public struct S3Location: Equatable, Sendable, CustomStringConvertible {
    public let bucket: String
    /// The key, or the prefix; "" for the whole bucket.
    public let key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://BUCKET[/KEY]`; the error names the text and what is wrong with it.
    public init(uri: String) throws {
        guard uri.hasPrefix("s3://") else { throw S3LocationError(uri: uri, reason: "it does not start with s3://") }
        let rest = uri.dropFirst("s3://".count)
        let bucket = String(rest.prefix { $0 != "/" })
        guard (3...63).contains(bucket.count),
              bucket.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }),
              bucket.first.map({ $0.isLetter || $0.isNumber }) == true, bucket.last.map({ $0.isLetter || $0.isNumber }) == true
        else {
            throw S3LocationError(uri: uri, reason: "\"\(bucket)\" is not an S3 bucket name (3-63 lower-case letters, digits, '-' and '.')")
        }
        self.init(bucket: bucket, key: String(rest.dropFirst(bucket.count + 1)))
    }

    /// Whether the text names an S3 location rather than a local path.
    public static func isURI(_ text: String) -> Bool { text.hasPrefix("s3://") }

    public var description: String { "s3://\(bucket)/\(key)" }
}

public struct S3LocationError: Error, LocalizedError {
    public let uri: String
    public let reason: String
    public var errorDescription: String? { "\(uri): not an S3 location (s3://BUCKET/KEY): \(reason)" }
}
