import FoundationEssentials

/// `s3://BUCKET/KEY`, as ENCODING_URI and the command line's `--encoding` name an object.
public struct S3ObjectURI: Equatable, Sendable, CustomStringConvertible {
    public let bucket: String
    public let key: String

    public static let scheme = "s3://"

    /// Refuses anything but `s3://` followed by an S3 bucket name, `/` and a non-empty key.
    public init(_ text: String) throws(S3ObjectURIError) {
        guard text.hasPrefix(Self.scheme) else { throw S3ObjectURIError(text: text, reason: "it does not start with s3://") }
        let rest = text.dropFirst(Self.scheme.count)
        guard let slash = rest.firstIndex(of: "/") else { throw S3ObjectURIError(text: text, reason: "it names no key after the bucket") }
        let bucket = String(rest[..<slash]), key = String(rest[rest.index(after: slash)...])
        if let problem = S3Event.Bucket.nameProblem(bucket) {
            throw S3ObjectURIError(text: text, reason: "'\(bucket)' is not an S3 bucket name: \(problem)")
        }
        guard !key.isEmpty else { throw S3ObjectURIError(text: text, reason: "it names no key after the bucket") }
        guard key.utf8.count <= 1024 else { throw S3ObjectURIError(text: text, reason: "the key is longer than 1024 bytes") }
        self.bucket = bucket
        self.key = key
    }

    public var description: String { Self.scheme + bucket + "/" + key }
}

public struct S3ObjectURIError: Error, LocalizedError, Equatable {
    public let text: String
    public let reason: String
    public var errorDescription: String? { "'\(text)' is not an S3 object URI (s3://BUCKET/KEY): \(reason)" }
}
