import HTTPClient
import LogSink
import RequestContext
import SigV4
import TextEncoding

/// GetObject, PutObject (conditional ones in S3ConditionalRequests.swift), DeleteObject and ListObjectsV2. Path-style addressing (`ENDPOINT/bucket/key`) when an endpoint
/// override is configured, virtual-hosted HTTPS (`https://bucket.s3.REGION.amazonaws.com/key`)
/// otherwise. Each call stops by its context's deadline. Not thread-safe (one HTTP connection): use one client per thread.
public final class S3Client {
    private let configuration: AWSConfiguration
    let sender: SignedRequestSender

    public init(configuration: AWSConfiguration, http: HTTPClient, log: LogSink = .standardError) {
        self.configuration = configuration
        sender = SignedRequestSender(service: .s3, configuration: configuration, http: http, log: log)
    }

    /// The whole object in memory, at `versionId` when given (the latest version otherwise), where
    /// curl received it (one copy, freed with the value); fails with `ResponseTooLarge` beyond
    /// `maxBytes` (before downloading it, since S3 announces the length).
    public func getObject(bucket: String, key: String, versionId: String? = nil, maxBytes: Int, context: RequestContext = .unbounded) throws -> ResponseBytes {
        try validate(bucket, key, "GetObject")
        let url = objectURL(bucket: bucket, key: key) + (versionId.map { "?versionId=" + PercentEncoding.encode($0) } ?? "")
        let resource = Self.describe(bucket, key) + (versionId.map { " (version \($0))" } ?? "")
        let response = try sender.send(operation: "GetObject", resource: resource, method: "GET", url: url,
                                       maxResponseBytes: maxBytes, takesBodyInPlace: true, context: context)
        return response.bodyBytes ?? ResponseBytes()
    }

    /// Bytes `offset..<offset + destination.count` of an object (fewer at its end), written into
    /// `destination`, at `versionId` when given, and only while its ETag is still `ifMatch` when given
    /// (S3 answers `PreconditionFailed` once the object has been replaced). An object of 0 bytes has no
    /// such range: S3 answers `InvalidRange`.
    public func getObjectRange(bucket: String, key: String, versionId: String? = nil, ifMatch etag: String? = nil,
                               offset: Int, into destination: UnsafeMutableRawBufferPointer, context: RequestContext = .unbounded) throws -> ObjectRange {
        try validate(bucket, key, "GetObject")
        let last = offset + max(destination.count, 1) - 1
        let url = objectURL(bucket: bucket, key: key) + (versionId.map { "?versionId=" + PercentEncoding.encode($0) } ?? "")
        let resource = Self.describe(bucket, key) + (versionId.map { " (version \($0))" } ?? "") + " bytes \(offset)-\(last)"
        let headers = [("Range", "bytes=\(offset)-\(last)")] + (etag.map { [("If-Match", $0)] } ?? [])
        let response = try sender.send(operation: "GetObject", resource: resource, method: "GET", url: url, headers: headers,
                                       maxResponseBytes: destination.count, bodyDestination: destination, context: context)
        // `bytes FIRST-LAST/TOTAL`; a server that ignores the range sends the whole object (200) instead.
        let total: Int?
        if let range = response.header("Content-Range") {
            total = range.split(separator: "/").last.flatMap { Int($0) }
        } else {
            total = response.status == 200 && offset == 0 ? response.bodyCount : nil
        }
        guard let total, total >= offset + response.bodyCount else {
            throw sender.error("GetObject", resource, "InvalidResponse",
                               "the answer does not say the object's size (Content-Range: \(response.header("Content-Range") ?? "none"))")
        }
        return ObjectRange(count: response.bodyCount, objectSize: total, etag: response.header("ETag"))
    }

    /// Uploads `body` with a signed SHA-256 payload hash, so S3 rejects a corrupted upload. Everything
    /// the function writes holds personal data: no browser or proxy may keep a copy of it. Returns
    /// the new object's ETag.
    @discardableResult
    public func putObject(bucket: String, key: String, body: [UInt8], contentType: String = "text/csv", context: RequestContext = .unbounded) throws -> String? {
        try validate(bucket, key, "PutObject")
        let response = try sender.send(operation: "PutObject", resource: Self.describe(bucket, key), method: "PUT",
                                       url: objectURL(bucket: bucket, key: key),
                                       headers: [("Content-Type", contentType), ("Cache-Control", Self.cacheControl)], body: body, context: context)
        return response.header("ETag")
    }

    /// The Cache-Control of every object this client writes.
    public static let cacheControl = "private, no-store"

    /// The longest a presigned URL may live (SigV4's limit).
    public static let maximumPresignedLifetimeSeconds = SigV4Presigner.maximumLifetimeSeconds

    /// An HTTPS GET of the object that anyone holding the URL may make until it expires, signed with
    /// this client's credentials (query-string SigV4); nothing is sent to S3 to make it.
    public func presignedGetURL(bucket: String, key: String, expiresInSeconds: Int) throws -> String {
        try validate(bucket, key, "GetObject")
        do {
            return try SigV4Presigner(signer: sender.signer).presign(url: objectURL(bucket: bucket, key: key),
                                                                   expiresInSeconds: expiresInSeconds)
        } catch let error as SigningError {
            throw sender.error("GetObject", Self.describe(bucket, key), "InvalidParameter", error.reason)
        }
    }

    /// The object's ETag (HeadObject), or nil when there is no such object.
    public func objectETag(bucket: String, key: String, context: RequestContext = .unbounded) throws -> String? {
        try headObject(bucket: bucket, key: key, context: context)?.header("ETag")
    }

    /// When the object was last written (seconds since 1970, whole seconds as S3 says), or nil when
    /// there is no such object.
    public func objectLastModified(bucket: String, key: String, context: RequestContext = .unbounded) throws -> Double? {
        try headObject(bucket: bucket, key: key, context: context).map { response in
            guard let text = response.header("Last-Modified"), let time = HTTPDate.seconds(text) else {
                throw sender.error("HeadObject", Self.describe(bucket, key), "InvalidResponse",
                                   "Last-Modified is missing or not an HTTP date: \(response.header("Last-Modified") ?? "none")")
            }
            return time
        }
    }

    private func headObject(bucket: String, key: String, context: RequestContext) throws -> HTTPResponse? {
        try validate(bucket, key, "HeadObject")
        do {
            return try sender.send(operation: "HeadObject", resource: Self.describe(bucket, key), method: "HEAD",
                                   url: objectURL(bucket: bucket, key: key), context: context)
        } catch let error as AWSError where error.httpStatus == 404 {
            return nil
        }
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

    func validate(_ bucket: String, _ key: String, _ operation: String) throws {
        guard bucket.isEmpty || key.isEmpty else { return }
        throw sender.error(operation, Self.describe(bucket, key), "InvalidParameter", "the bucket name and the key must not be empty")
    }

    static func describe(_ bucket: String, _ key: String) -> String { "s3://\(bucket)/\(key)" }

    /// A client of the same configuration on a connection of its own, for another thread.
    public func sibling() throws -> S3Client {
        S3Client(configuration: configuration, http: try HTTPClient(), log: sender.log)
    }
}

/// What a ranged GetObject wrote, and what S3 said of the whole object with it.
public struct ObjectRange {
    /// Bytes written into the destination.
    public let count: Int
    /// The whole object's size, from Content-Range.
    public let objectSize: Int
    public let etag: String?
}
