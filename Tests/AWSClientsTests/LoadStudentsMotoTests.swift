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

    func testMissingCredentialsNameTheVariable() throws {
        var environment = try moto().commandEnvironment(.operator)
        environment["AWS_ACCESS_KEY_ID"] = ""
        let result = try Command.run(Project.binary, ["load-students", studentData], environment: environment)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("AWS_ACCESS_KEY_ID is not set"), result.stderr)
    }
}
