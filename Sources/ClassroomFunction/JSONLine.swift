import FoundationEssentials

/// A JSON document built in code, the function's answer and its log lines: strings, numbers, flags,
/// arrays and objects, written on one line with sorted keys and unescaped slashes.
enum JSONLine: Encodable {
    case string(String), integer(Int), number(Double), flag(Bool), array([JSONLine]), object([String: JSONLine]), null

    /// Any of those, as dictionaries and arrays of them hold them.
    init(_ value: Any) {
        switch value {
        case let text as String: self = .string(text)
        case let whole as Int: self = .integer(whole)
        case let real as Double: self = .number(real)
        case let flag as Bool: self = .flag(flag)
        case let items as [Any]: self = .array(items.map(JSONLine.init))
        case let fields as [String: Any]: self = .object(fields.mapValues(JSONLine.init))
        default: self = .null
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let whole): try container.encode(whole)
        case .number(let real): try container.encode(real)
        case .flag(let flag): try container.encode(flag)
        case .array(let items): try container.encode(items)
        case .object(let fields): try container.encode(fields)
        case .null: try container.encodeNil()
        }
    }

    static func bytes(_ value: Any) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(JSONLine(value)))
    }
}
