/// A DynamoDB attribute value in its JSON form: `{"S": "floki"}`, `{"N": "4"}`, ...
public indirect enum AttributeValue: Equatable, Sendable {
    case s(String)
    /// Numbers travel as strings so that no precision is lost.
    case n(String)
    case bool(Bool)
    case null
    case l([AttributeValue])
    case m([String: AttributeValue])
    case ss([String])
    case ns([String])

    public var stringValue: String? {
        if case .s(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var numberValue: String? {
        if case .n(let value) = self { return value }
        return nil
    }
}

extension AttributeValue: Codable {
    private enum Kind: String, CodingKey { case S, N, BOOL, NULL, L, M, SS, NS }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Kind.self)
        guard let kind = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an attribute value with no known type"))
        }
        switch kind {
        case .S: self = .s(try container.decode(String.self, forKey: kind))
        case .N: self = .n(try container.decode(String.self, forKey: kind))
        case .BOOL: self = .bool(try container.decode(Bool.self, forKey: kind))
        case .NULL: self = .null
        case .L: self = .l(try container.decode([AttributeValue].self, forKey: kind))
        case .M: self = .m(try container.decode([String: AttributeValue].self, forKey: kind))
        case .SS: self = .ss(try container.decode([String].self, forKey: kind))
        case .NS: self = .ns(try container.decode([String].self, forKey: kind))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Kind.self)
        switch self {
        case .s(let value): try container.encode(value, forKey: .S)
        case .n(let value): try container.encode(value, forKey: .N)
        case .bool(let value): try container.encode(value, forKey: .BOOL)
        case .null: try container.encode(true, forKey: .NULL)
        case .l(let value): try container.encode(value, forKey: .L)
        case .m(let value): try container.encode(value, forKey: .M)
        case .ss(let value): try container.encode(value, forKey: .SS)
        case .ns(let value): try container.encode(value, forKey: .NS)
        }
    }
}
