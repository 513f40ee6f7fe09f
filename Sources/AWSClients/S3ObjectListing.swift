import FoundationEssentials
import RequestContext
import SigV4
import TextEncoding

extension S3Client {
    /// The keys under `prefix` (ListObjectsV2, every page), in S3's order (by UTF-8 bytes).
    public func listKeys(bucket: String, prefix: String, context: RequestContext = .unbounded) throws -> [String] {
        var keys: [String] = []
        var continuation: String?
        repeat {
            var query = "list-type=2&prefix=" + PercentEncoding.encode(prefix)
            if let continuation { query = "continuation-token=" + PercentEncoding.encode(continuation) + "&" + query }
            let response = try sender.send(operation: "ListObjectsV2", resource: Self.describe(bucket, prefix), method: "GET",
                                           url: bucketURL(bucket) + "?" + query, context: context)
            let page = S3ListingPage(xml: response.body)
            keys += page.keys
            continuation = page.nextContinuationToken
        } while continuation != nil
        return keys
    }

    private func bucketURL(_ bucket: String) -> String {
        let url = objectURL(bucket: bucket, key: "")
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}

/// One page of a ListObjectsV2 answer: the keys and the token of the next page.
struct S3ListingPage {
    let keys: [String]
    let nextContinuationToken: String?

    init(xml body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        keys = ErrorBody.elements("Key", in: text)
        let truncated = ErrorBody.element("IsTruncated", in: text) == "true"
        nextContinuationToken = truncated ? ErrorBody.element("NextContinuationToken", in: text) : nil
    }
}
