import AWSClients
import HTTPClient
import LogSink
import XCTest

/// DynamoDB against a moto that verifies signatures and enforces the function's least-privilege
/// policy per table and index.
final class DynamoDBMotoTests: MotoTestCase {
    private func client(_ user: MotoServer.User, secret: String? = nil, log: LogSink = .none) throws -> DynamoDBClient {
        DynamoDBClient(configuration: try moto().configuration(user, secret: secret), http: try HTTPClient(), log: log)
    }

    /// 30 students (more than one BatchWriteItem call), one of them with a non-ASCII name.
    private func students(firstID: Int) -> [DynamoDBClient.Item] {
        (0..<30).map { offset in
            let name = offset == 7 ? "Zoë ሴ O'Brien" : "student_\(firstID + offset)"
            return ["id": .n(String(firstID + offset)), "name": .s(name), "major": .s("physics"), "year": .s("junior")]
        }
    }

    func testOperatorLoadsAndFunctionQueriesTheNameIndex() throws {
        let moto = try moto()
        let written = students(firstID: 1000)
        try client(.operator).batchWrite(table: moto.table, items: written)

        let function = try client(.function)
        XCTAssertEqual(try function.queryByName(table: moto.table, name: "Zoë ሴ O'Brien"), [written[7]])
        XCTAssertEqual(try function.queryByName(table: moto.table, name: "student_1029"), [written[29]])
        XCTAssertEqual(try function.queryByName(table: moto.table, name: "nobody"), [])
    }

    /// The attendance table: the function role puts items and reads one course back with a
    /// strongly consistent Query, every page of it, in sort key order; the operator may Query but not write.
    func testAttendanceItemsArePutAndOneCourseIsQueriedBack() throws {
        let moto = try moto()
        let table = moto.environment["ATTENDANCE_TABLE"] ?? ""
        let function = try client(.functionRole)
        let padding = String(repeating: "x", count: 4000)  // about 4 KB an item: 300 items are more than one 1 MB page
        let items: [DynamoDBClient.Item] = (0..<300).map { index in
            ["course": .s("cs101"), "session_student": .s(String(format: "s%03d#student", index)), "present": .bool(index % 3 == 0),
             "note": .s(padding)]
        }
        for item in items { try function.putItem(table: table, item: item) }
        try function.putItem(table: table, item: ["course": .s("cs202"), "session_student": .s("s#x"), "present": .bool(true)])
        try function.putItem(table: table, item: items[0])   // the same item again changes nothing
        XCTAssertEqual(try function.query(table: table, keyName: "course", equals: .s("cs101")), items)
        XCTAssertEqual(try client(.operator).query(table: table, keyName: "course", equals: .s("cs202")).count, 1)
        let operatorClient = try client(.operator)
        assertAccessDenied([("the operator writing the register", { try operatorClient.putItem(table: table, item: items[1]) })])
    }

    func testTableWithoutTheIndexFallsBackToAScanWithAFilter() throws {
        let moto = try moto()
        let written = students(firstID: 2000)
        var logged: [String] = []
        let operatorClient = try client(.operator, log: LogSink { logged.append($0) })
        try operatorClient.batchWrite(table: MotoServer.tableWithoutIndex, items: written)

        XCTAssertEqual(try operatorClient.queryByName(table: MotoServer.tableWithoutIndex, name: "student_2003"), [written[3]])
        XCTAssertTrue(logged.contains { $0.contains("scanning") && $0.contains(MotoServer.tableWithoutIndex) }, "\(logged)")
    }

    func testWrongSecretIsSignatureDoesNotMatch() throws {
        let moto = try moto()
        let secret = "not/the+right=secret"
        XCTAssertThrowsError(try client(.function, secret: secret).queryByName(table: moto.table, name: "floki")) {
            let error = $0 as? AWSError
            XCTAssertEqual(error?.code, "SignatureDoesNotMatch", "\($0)")
            XCTAssertEqual(error?.attempts, 1)
            XCTAssertFalse("\($0)".contains(secret))
        }
    }

    func testActionsOutsideThePolicyAreAccessDenied() throws {
        let moto = try moto()
        let function = try client(.function), operatorClient = try client(.operator)
        assertAccessDenied([
            ("the function writing the table", { try function.batchWrite(table: moto.table, items: self.students(firstID: 3000)) }),
            ("the function querying another table", { _ = try function.queryByName(table: MotoServer.tableWithoutIndex, name: "x") }),
            ("the function deleting a student", { try function.deleteItem(table: moto.table, key: ["id": .n("1")]) }),
            ("the operator writing the attendance table", {
                try operatorClient.putItem(table: moto.environment["ATTENDANCE_TABLE"] ?? "", item: ["course": .s("x"), "session_student": .s("y")])
            }),
        ])
    }
}
