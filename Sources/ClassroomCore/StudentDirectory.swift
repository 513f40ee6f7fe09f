import FoundationEssentials
import LogSink
import RequestContext

/// A student's academic record, as the DynamoDB table and student_data.json hold it.
public struct StudentRecord: Sendable, Equatable, Codable {
    public let id: Int
    public let name: String
    public let major: String
    public let year: String

    public init(id: Int, name: String, major: String, year: String) {
        self.id = id
        self.name = name
        self.major = major
        self.year = year
    }
}

/// Where recognised names are looked up: the embedded JSON table, or DynamoDB in the Lambda.
public protocol StudentDirectory {
    /// What warnings call it: a file path or a table name.
    var source: String { get }
    func record(named name: String, context: RequestContext) throws -> StudentRecord?
}

public struct StudentTableError: Error, LocalizedError, CustomStringConvertible, Sendable {
    public let description: String
    public init(description: String) { self.description = description }
    public var errorDescription: String? { description }
}

/// `student_data.json`: the embedded stand-in for the DynamoDB table when no AWS is configured.
public struct StudentTable: StudentDirectory, Sendable {
    public let records: [StudentRecord]
    public let source: String
    private let byName: [String: StudentRecord]

    public init(records: [StudentRecord], source: String = "the student table") throws {
        var byName: [String: StudentRecord] = [:]
        for record in records {
            // The name is the key between the encoding and the table: a second row of it would
            // make one of the two unreachable.
            if let first = byName.updateValue(record, forKey: record.name) {
                throw StudentTableError(description: Self.sameName(record.name, ids: [first.id, record.id]))
            }
        }
        self.records = records
        self.source = source
        self.byName = byName
    }

    public init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StudentTableError(description: "\(path): cannot read the student table: \(error.readableDescription)")
        }
        do {
            try self.init(records: try JSONDecoder().decode([StudentRecord].self, from: data), source: path)
        } catch let error as DecodingError {
            throw StudentTableError(description: "\(path): not a list of {id, name, major, year}: \(error.reason)")
        } catch let error as StudentTableError {
            throw StudentTableError(description: "\(path): \(error.description)")
        }
    }

    public func record(named name: String, context: RequestContext = .unbounded) -> StudentRecord? { byName[name] }

    /// The table without `name`'s row; nil when it has none.
    public func removing(_ name: String) throws -> StudentTable? {
        guard byName[name] != nil else { return nil }
        return try StudentTable(records: records.filter { $0.name != name }, source: source)
    }

    /// The records as student_data.json holds them, in order.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(records)) + [UInt8(ascii: "\n")]
    }

    /// The refusal of two students of one name, naming both ids.
    public static func sameName(_ name: String, ids: [Int]) -> String {
        "students \(ids.map(String.init).joined(separator: " and ")) are both named '\(name)': the name is how a face finds its student, so each name must be one student's"
    }
}
