import Foundation
import HTTPClient

/// Code, message and request id of an AWS error response, whichever protocol the body uses:
/// S3's XML `<Error>`, the query protocol's `<ErrorResponse>` (which moto also sends for
/// DynamoDB's AccessDenied), or JSON 1.0's `__type` / `message`.
struct ErrorBody {
    let code: String
    let message: String
    let requestID: String?

    init(_ response: HTTPResponse) {
        let headerID = response.header("x-amz-request-id") ?? response.header("x-amzn-RequestId")
        let text = String(decoding: response.body, as: UTF8.self)
        if let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
           let type = json["__type"] as? String ?? json["code"] as? String {
            code = type.split(separator: "#").last.map(String.init) ?? type
            message = json["message"] as? String ?? json["Message"] as? String ?? ""
            requestID = headerID
        } else if let xmlCode = Self.element("Code", in: text) {
            code = xmlCode
            message = Self.element("Message", in: text) ?? ""
            requestID = Self.element("RequestId", in: text) ?? headerID
        } else {
            code = "HTTP\(response.status)"
            message = text.isEmpty ? "no error details in the response" : String(text.prefix(200))
            requestID = headerID
        }
    }

    /// The text of the first `<name>...</name>`, entities decoded.
    static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"), let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex) else {
            return nil
        }
        return xml[start.upperBound..<end.lowerBound]
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
