import FoundationEssentials
import RequestContext
import TextEncoding

/// The calls of an S3 multipart upload. Each part is a signed PUT of its bytes (a corrupted part
/// is refused by its SHA-256); CompleteMultipartUpload may fail after its 200 status line, so its
/// body is checked for an error too. The command line's uploads: no deadline bounds them.
extension S3Client {
    /// Starts an upload; returns its UploadId.
    public func createMultipartUpload(bucket: String, key: String, contentType: String) throws -> String {
        try validate(bucket, key, "CreateMultipartUpload")
        let response = try sender.send(operation: "CreateMultipartUpload", resource: Self.describe(bucket, key), method: "POST",
                                       url: objectURL(bucket: bucket, key: key) + "?uploads",
                                       headers: [("Content-Type", contentType), ("Cache-Control", Self.cacheControl)], context: .unbounded)
        guard let id = ErrorBody.element("UploadId", in: String(decoding: response.body, as: UTF8.self)), !id.isEmpty else {
            throw sender.error("CreateMultipartUpload", Self.describe(bucket, key), "InvalidResponse", "the answer has no UploadId",
                               response.header("x-amz-request-id"), response.status)
        }
        return id
    }

    /// Uploads part `number` (1-based); returns its ETag.
    public func uploadPart(bucket: String, key: String, uploadId: String, number: Int, body: [UInt8]) throws -> String {
        let resource = Self.describe(bucket, key) + " part \(number)"
        let response = try sender.send(operation: "UploadPart", resource: resource, method: "PUT",
                                       url: objectURL(bucket: bucket, key: key) + "?partNumber=\(number)&uploadId=" + PercentEncoding.encode(uploadId),
                                       body: body, context: .unbounded)
        guard let etag = response.header("ETag") else {
            throw sender.error("UploadPart", resource, "InvalidResponse", "the answer has no ETag", response.header("x-amz-request-id"), response.status)
        }
        return etag
    }

    /// Joins the parts, given in order as (number, ETag); returns the object's ETag.
    @discardableResult
    public func completeMultipartUpload(bucket: String, key: String, uploadId: String, parts: [(number: Int, etag: String)]) throws -> String? {
        let body = "<CompleteMultipartUpload>" + parts.map {
            "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(Self.xmlEscaped($0.etag))</ETag></Part>"
        }.joined() + "</CompleteMultipartUpload>"
        let resource = Self.describe(bucket, key)
        let response = try sender.send(operation: "CompleteMultipartUpload", resource: resource, method: "POST",
                                       url: objectURL(bucket: bucket, key: key) + "?uploadId=" + PercentEncoding.encode(uploadId),
                                       headers: [("Content-Type", "application/xml")], body: Array(body.utf8), context: .unbounded)
        let text = String(decoding: response.body, as: UTF8.self)
        if text.contains("<Error>") {
            let details = ErrorBody(response)
            throw sender.error("CompleteMultipartUpload", resource, details.code, details.message, details.requestID, response.status)
        }
        return ErrorBody.element("ETag", in: text)
    }

    /// Abandons the upload: S3 drops the parts it holds.
    public func abortMultipartUpload(bucket: String, key: String, uploadId: String) throws {
        _ = try sender.send(operation: "AbortMultipartUpload", resource: Self.describe(bucket, key), method: "DELETE",
                            url: objectURL(bucket: bucket, key: key) + "?uploadId=" + PercentEncoding.encode(uploadId), context: .unbounded)
    }

    private static func xmlEscaped(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;").replacing("\"", with: "&quot;")
    }
}
