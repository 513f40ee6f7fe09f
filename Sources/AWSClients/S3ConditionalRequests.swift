import HTTPClient
import RequestContext

/// What a GetObject conditional on an ETag found.
public enum ConditionalGet {
    /// 304: the object still has the ETag given.
    case notModified
    /// 200: the object (another ETag, or no condition was given) and its ETag.
    case object(ResponseBytes, etag: String?)
}

/// What a PutObject conditional on the object's state did.
public enum ConditionalPut: Equatable {
    /// The body is stored; its new ETag.
    case stored(etag: String?)
    /// 412 (or 409 while another conditional write is in flight, or 404 when the object given by
    /// ETag is gone): someone else wrote first; nothing was stored. Read again and retry.
    case conflict
}

/// The precondition of a conditional PutObject.
public enum PutCondition: Sendable, Equatable {
    /// Only while the object still has this ETag (`If-Match`).
    case matches(etag: String)
    /// Only when there is no such object yet (`If-None-Match: *`).
    case absent
}

extension S3Client {
    /// GetObject with `If-None-Match` when `etag` is given: one request either way, and a 304
    /// transfers no body. Fails with `ResponseTooLarge` beyond `maxBytes`.
    public func getObject(bucket: String, key: String, ifNoneMatch etag: String?, maxBytes: Int, context: RequestContext = .unbounded) throws -> ConditionalGet {
        try validate(bucket, key, "GetObject")
        let headers = etag.map { [("If-None-Match", $0)] } ?? []
        let response = try sender.send(operation: "GetObject", resource: Self.describe(bucket, key), method: "GET",
                                       url: objectURL(bucket: bucket, key: key), headers: headers, maxResponseBytes: maxBytes,
                                       takesBodyInPlace: true, outcomes: [304], context: context)
        if response.status == 304 { return .notModified }
        return .object(response.bodyBytes ?? ResponseBytes(), etag: response.header("ETag"))
    }

    /// PutObject only under `condition`, so that two writers who read the same object cannot both
    /// replace it: the second gets `.conflict` and nothing is stored.
    public func putObject(bucket: String, key: String, body: [UInt8], contentType: String,
                          condition: PutCondition, context: RequestContext = .unbounded) throws -> ConditionalPut {
        try validate(bucket, key, "PutObject")
        let precondition: (String, String)
        var outcomes: Set<Int> = [409, 412]
        switch condition {
        case .matches(let etag):
            precondition = ("If-Match", etag)
            outcomes.insert(404)
        case .absent:
            precondition = ("If-None-Match", "*")
        }
        let response = try sender.send(operation: "PutObject", resource: Self.describe(bucket, key), method: "PUT",
                                       url: objectURL(bucket: bucket, key: key),
                                       headers: [("Content-Type", contentType), ("Cache-Control", Self.cacheControl), precondition],
                                       body: body, outcomes: outcomes, context: context)
        return outcomes.contains(response.status) ? .conflict : .stored(etag: response.header("ETag"))
    }

    /// DeleteObject; deleting a key that does not exist succeeds too, as on S3.
    public func deleteObject(bucket: String, key: String, context: RequestContext = .unbounded) throws {
        try validate(bucket, key, "DeleteObject")
        _ = try sender.send(operation: "DeleteObject", resource: Self.describe(bucket, key), method: "DELETE",
                            url: objectURL(bucket: bucket, key: key), context: context)
    }
}
