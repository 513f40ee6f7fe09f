import FoundationEssentials
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
        if let json = try? JSONDecoder().decode(JSONErrorFields.self, from: Data(response.body)),
           let type = json.__type ?? json.code {
            code = type.split(separator: "#").last.map(String.init) ?? type
            message = json.message ?? json.Message ?? ""
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
        elements(name, in: xml).first
    }

    /// The text of every `<name>...</name>`, in order, entities decoded (the five predefined
    /// entities are all AWS's XML uses).
    static func elements(_ name: String, in xml: String) -> [String] {
        var found: [String] = []
        var rest = xml[...]
        while let start = rest.firstRange(of: "<\(name)>"), let end = rest[start.upperBound...].firstRange(of: "</\(name)>") {
            found.append(String(rest[start.upperBound..<end.lowerBound]
                .replacing("&lt;", with: "<").replacing("&gt;", with: ">")
                .replacing("&quot;", with: "\"").replacing("&apos;", with: "'")
                .replacing("&amp;", with: "&")))
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// The fields a JSON 1.0 error body may carry (each protocol spells them its own way).
    private struct JSONErrorFields: Decodable {
        let __type: String?
        let code: String?
        let message: String?
        let Message: String?
    }
}
