import Deadline
import HTTPClient
import SigV4

/// GetObject and PutObject. Path-style addressing (`ENDPOINT/bucket/key`) when an endpoint
/// override is configured, virtual-hosted HTTPS (`https://bucket.s3.REGION.amazonaws.com/key`)
/// otherwise. Not thread-safe (one HTTP connection): use one client per thread.
public final class S3Client {
    private let configuration: AWSConfiguration
    let sender: SignedRequestSender

    public init(configuration: AWSConfiguration, http: HTTPClient, log: @escaping (String) -> Void = AWSLog.standardError) {
        self.configuration = configuration
        sender = SignedRequestSender(service: .s3, configuration: configuration, http: http, log: log)
    }

    /// Every call stops by this (see SignedRequestSender.deadline); set it per invocation.
    public var deadline: Deadline {
        get { sender.deadline }
        set { sender.deadline = newValue }
    }

    /// The whole object in memory, at `versionId` when given (the latest version otherwise), where
    /// curl received it (one copy, freed with the value); fails with `ResponseTooLarge` beyond
    /// `maxBytes` (before downloading it, since S3 announces the length).
    public func getObject(bucket: String, key: String, versionId: String? = nil, maxBytes: Int) throws -> ResponseBytes {
        try validate(bucket, key, "GetObject")
        let url = objectURL(bucket: bucket, key: key) + (versionId.map { "?versionId=" + PercentEncoding.encode($0) } ?? "")
        let resource = Self.describe(bucket, key) + (versionId.map { " (version \($0))" } ?? "")
        let response = try sender.send(operation: "GetObject", resource: resource, method: "GET", url: url,
                                       maxResponseBytes: maxBytes, takesBodyInPlace: true)
        return response.bodyBytes ?? ResponseBytes()
    }

    /// Uploads `body` with a signed SHA-256 payload hash, so S3 rejects a corrupted upload.
    public func putObject(bucket: String, key: String, body: [UInt8], contentType: String = "text/csv") throws {
        try validate(bucket, key, "PutObject")
        _ = try sender.send(operation: "PutObject", resource: Self.describe(bucket, key), method: "PUT",
                            url: objectURL(bucket: bucket, key: key), headers: [("Content-Type", contentType)], body: body)
    }

    /// The URL of an object, its key percent-encoded once (`/` kept), as S3 signs it.
    public func objectURL(bucket: String, key: String) -> String {
        let path = PercentEncoding.encode(key, keepSlash: true)
        if let endpoint = configuration.endpointOverride(.s3) {
            return "\(endpoint)/\(bucket)/\(path)"
        }
        let host = "s3.\(configuration.region).\(configuration.dnsSuffix)"
        // A dotted bucket name would not match the *.s3 TLS certificate as a host name.
        return bucket.contains(".") ? "https://\(host)/\(bucket)/\(path)" : "https://\(bucket).\(host)/\(path)"
    }

    private func validate(_ bucket: String, _ key: String, _ operation: String) throws {
        guard bucket.isEmpty || key.isEmpty else { return }
        throw sender.error(operation, Self.describe(bucket, key), "InvalidParameter", "the bucket name and the key must not be empty")
    }

    static func describe(_ bucket: String, _ key: String) -> String { "s3://\(bucket)/\(key)" }
}
