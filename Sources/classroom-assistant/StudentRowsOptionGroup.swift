import AtomicFile
import AWSClients
import ArgumentParser
import ClassroomCore
import FoundationEssentials
import HTTPClient

/// Where `enroll --add` checks a name and `forget --record` deletes a row: a student_data.json
/// file or the DynamoDB table (found by its `name-index`). Neither is required.
struct StudentRowsOptionGroup: ParsableArguments {
    @Option(name: .customLong("students"), help: ArgumentHelp("The student table as a JSON list of {id, name, major, year}.", valueName: "file"))
    var studentsFile: String?

    @Option(name: .customLong("table"), help: ArgumentHelp("The DynamoDB table of students (AWS from the environment, as load-students).", valueName: "name"))
    var table: String?

    func validate() throws {
        if studentsFile != nil && table != nil { throw ValidationError("give --students or --table, not both") }
    }

    /// The student data named, or nil when neither option is given.
    func rows() throws -> StudentRows? {
        if let studentsFile { return .file(studentsFile) }
        guard let table else { return nil }
        return .table(table, DynamoDBClient(configuration: try AWSConfiguration.fromEnvironment(), http: try HTTPClient()))
    }
}

enum StudentRows {
    case file(String)
    case table(String, DynamoDBClient)

    var source: String {
        switch self {
        case .file(let path): path
        case .table(let table, _): "DynamoDB table \(table)"
        }
    }

    /// The id of the one student named `name`, nil when there is none; two of that name are refused, naming both ids.
    func id(of name: String) throws -> Int? {
        switch self {
        case .file(let path):
            return try StudentTable(contentsOf: path).record(named: name)?.id
        case .table(let table, let dynamoDB):
            let ids = try dynamoDB.queryByName(table: table, name: name).map { Int($0["id"]?.numberValue ?? "") ?? 0 }
            if ids.count > 1 { throw StudentTableError(description: "\(source): " + StudentTable.sameName(name, ids: ids)) }
            return ids.first
        }
    }

    /// Deletes `name`'s row; what it deleted (nothing when there was no row).
    func remove(_ name: String) throws -> [String] {
        guard let id = try id(of: name) else { return [] }
        switch self {
        case .file(let path):
            guard let kept = try StudentTable(contentsOf: path).removing(name) else { return [] }
            try AtomicFile.write(try kept.encoded(), to: path, replaceExisting: true)
        case .table(let table, let dynamoDB):
            try dynamoDB.deleteItem(table: table, key: ["id": .n(String(id))])
        }
        return ["student \(id) ('\(name)') in \(source)"]
    }
}
