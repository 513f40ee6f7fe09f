extension DecodingError {
    /// Where and what, for a person: "Records[0].s3.object.size is not a Int64" rather than
    /// DecodingError's dump. Every JSON input the program reads reports its errors this way.
    public var reason: String {
        func path(_ codingPath: [CodingKey]) -> String {
            let steps: [String] = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
            return String(steps.joined().drop { $0 == "." })
        }
        switch self {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let at = path(context.codingPath)
            return at.isEmpty ? "the whole is not a \(type)" : "\(at) is not a \(type)"
        case .dataCorrupted(let context):
            let at = path(context.codingPath)
            return at.isEmpty ? context.debugDescription : "\(at): \(context.debugDescription)"
        @unknown default:
            return String(describing: self)
        }
    }
}
