import FoundationEssentials
import LogSink

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
    func record(named name: String) throws -> StudentRecord?
}

public struct StudentTableError: Error, LocalizedError, CustomStringConvertible, Sendable {
    public let description: String
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
            guard byName.updateValue(record, forKey: record.name) == nil else {
                throw StudentTableError(description: "student '\(record.name)' appears twice")
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

    public func record(named name: String) -> StudentRecord? { byName[name] }
}
