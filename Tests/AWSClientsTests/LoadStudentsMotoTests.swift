import AWSClients
import Foundation
import HTTPClient
import TestSupport
import XCTest

/// `classroom-assistant load-students` filling the table, then read back with the function's key.
final class LoadStudentsMotoTests: MotoTestCase {
    private struct Student: Decodable {
        let id: Int
        let name: String
        let major: String
        let year: String
    }

    private var studentData: String { Project.root.appendingPathComponent("student_data.json").path }

    func testLoadsEveryStudentWithANumericID() throws {
        let moto = try moto()
        let result = try Command.run(Project.binary, ["load-students", studentData, "--table", moto.table],
                                     environment: moto.commandEnvironment(.operator))
        XCTAssertEqual(result.status, 0, result.stderr)

        let students = try JSONDecoder().decode([Student].self, from: Data(contentsOf: URL(fileURLWithPath: studentData)))
        XCTAssertFalse(students.isEmpty)
        XCTAssertTrue(result.stdout.contains("\(students.count) students"), result.stdout)
        let function = DynamoDBClient(configuration: moto.configuration(.function), http: try HTTPClient())
        for student in students {
            let expected: DynamoDBClient.Item = ["id": .n(String(student.id)), "name": .s(student.name),
                                                 "major": .s(student.major), "year": .s(student.year)]
            XCTAssertEqual(try function.queryByName(table: moto.table, name: student.name), [expected], student.name)
        }
    }

    func testWithoutWritePermissionItFailsNamingTheCodeAndNotTheSecret() throws {
        let moto = try moto()
        let environment = moto.commandEnvironment(.function)
        let result = try Command.run(Project.binary, ["load-students", studentData, "--table", moto.table], environment: environment)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("AccessDenied") && result.stderr.contains("BatchWriteItem"), result.stderr)
        XCTAssertFalse(result.stderr.contains(environment["AWS_SECRET_ACCESS_KEY"] ?? "<none>"))
    }

    /// The name is the key between the encoding and the table: a second student of a name is refused,
    /// naming both ids, by load-students and by `enroll --add --table`, before anything is written.
    func testASecondStudentOfTheSameNameIsRefusedNamingBothIDs() throws {
        let moto = try moto()
        func load(_ id: Int) throws -> CommandResult {
            let path = "\(scratch)/twin-\(id).json"
            try Data(#"[{"id": \#(id), "name": "twin", "major": "art", "year": "junior"}]"#.utf8).write(to: URL(fileURLWithPath: path))
            return try Command.run(Project.binary, ["load-students", path, "--table", moto.table], environment: moto.commandEnvironment(.operator))
        }
        XCTAssertEqual(try load(90).status, 0)
        XCTAssertEqual(try load(90).status, 0, "loading the same student again is no duplicate")
        let second = try load(91)
        XCTAssertNotEqual(second.status, 0)
        XCTAssertTrue(second.stderr.contains("students 90 and 91 are both named 'twin'"), second.stderr)

        // One put in behind load-students' back: enroll --add --table refuses the name.
        let operatorDB = DynamoDBClient(configuration: moto.configuration(.operator), http: try HTTPClient())
        try operatorDB.batchWrite(table: moto.table, items: [["id": .n("92"), "name": .s("twin"), "major": .s("law"), "year": .s("senior")]])
        let encoding = scratch + "/encoding"
        try FileManager.default.copyItem(atPath: Project.root.appendingPathComponent("encoding").path, toPath: encoding)
        let enrolled = try Command.run(Project.binary, ["enroll", "--add", "twin", scratch + "/twin.jpg", "--encoding", encoding,
                                                        "--table", moto.table], environment: moto.commandEnvironment(.operator))
        XCTAssertNotEqual(enrolled.status, 0)
        XCTAssertTrue(enrolled.stderr.contains("are both named 'twin'") && enrolled.stderr.contains("90")
                      && enrolled.stderr.contains("92"), enrolled.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: encoding)),
                       try Data(contentsOf: Project.root.appendingPathComponent("encoding")), "the encoding was written")
    }

    func testMissingCredentialsNameTheVariable() throws {
        var environment = try moto().commandEnvironment(.operator)
        environment["AWS_ACCESS_KEY_ID"] = ""
        let result = try Command.run(Project.binary, ["load-students", studentData], environment: environment)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("AWS_ACCESS_KEY_ID is not set"), result.stderr)
    }
}
