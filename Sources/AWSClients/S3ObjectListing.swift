import Foundation
import SigV4

extension S3Client {
    /// The keys under `prefix` (ListObjectsV2, every page), in S3's order (by UTF-8 bytes).
    public func listKeys(bucket: String, prefix: String) throws -> [String] {
        var keys: [String] = []
        var continuation: String?
        repeat {
            var query = "list-type=2&prefix=" + PercentEncoding.encode(prefix)
            if let continuation { query = "continuation-token=" + PercentEncoding.encode(continuation) + "&" + query }
            let response = try sender.send(operation: "ListObjectsV2", resource: Self.describe(bucket, prefix), method: "GET",
                                           url: bucketURL(bucket) + "?" + query)
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

/// One page of a ListObjectsV2 answer: the keys and the token of the next page. Keys come
/// XML-escaped; the five predefined entities are all S3 uses.
struct S3ListingPage {
    let keys: [String]
    let nextContinuationToken: String?

    init(xml body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        keys = Self.values(of: "Key", in: text)
        let truncated = Self.values(of: "IsTruncated", in: text).first == "true"
        nextContinuationToken = truncated ? Self.values(of: "NextContinuationToken", in: text).first : nil
    }

    private static func values(of element: String, in text: String) -> [String] {
        text.components(separatedBy: "<\(element)>").dropFirst().compactMap { part in
            part.range(of: "</\(element)>").map { unescape(String(part[..<$0.lowerBound])) }
        }
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
