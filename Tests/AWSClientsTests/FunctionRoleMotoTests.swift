import AWSClients
import HTTPClient
import XCTest

/// The function as Lambda runs it: temporary credentials of its role, with a session token that
/// moto checks, and the role's policy (the function policy) enforced.
final class FunctionRoleMotoTests: MotoTestCase {
    func testRoleSessionReadsTheVideoWritesTheCSVAndQueriesTheTable() throws {
        let moto = try moto()
        let operatorConfiguration = moto.configuration(.operator)
        try S3Client(configuration: operatorConfiguration, http: try HTTPClient())
            .putObject(bucket: moto.inputBucket, key: "test_0.mp4", body: [0, 0, 0, 24], contentType: "video/mp4")
        try DynamoDBClient(configuration: operatorConfiguration, http: try HTTPClient())
            .batchWrite(table: moto.table, items: [["id": .n("4"), "name": .s("floki"), "major": .s("history"), "year": .s("junior")]])

        let role = moto.configuration(.functionRole)
        XCTAssertNotNil(role.credentials.sessionToken)
        let s3 = S3Client(configuration: role, http: try HTTPClient())
        XCTAssertEqual(try s3.getObject(bucket: moto.inputBucket, key: "test_0.mp4", maxBytes: 1 << 20).withBuffer { Array($0) }, [0, 0, 0, 24])
        try s3.putObject(bucket: moto.outputBucket, key: "test_0.csv", body: Array("floki,history,junior\n".utf8))
        let dynamoDB = DynamoDBClient(configuration: role, http: try HTTPClient())
        XCTAssertEqual(try dynamoDB.queryByName(table: moto.table, name: "floki").first?["major"], .s("history"))

        XCTAssertThrowsError(try s3.getObject(bucket: moto.outputBucket, key: "test_0.csv", maxBytes: 1024)) {
            XCTAssertEqual(($0 as? AWSError)?.code, "AccessDenied", "the role has the function's policy: \($0)")
        }
    }

    func testWrongOrMissingSessionTokenIsRefused() throws {
        let moto = try moto()
        let wrongToken = "FQoGZXIvYXdzEXAMPLE-not-the-token"
        XCTAssertThrowsError(try S3Client(configuration: moto.configuration(.functionRole, sessionToken: wrongToken), http: try HTTPClient())
            .getObject(bucket: moto.inputBucket, key: "test_0.mp4", maxBytes: 1024)) {
            XCTAssertEqual(($0 as? AWSError)?.code, "InvalidToken", "\($0)")
            XCTAssertFalse("\($0)".contains(wrongToken))
        }
        XCTAssertThrowsError(try DynamoDBClient(configuration: moto.configuration(.functionRole, sessionToken: wrongToken), http: try HTTPClient())
            .queryByName(table: moto.table, name: "floki")) {
            XCTAssertEqual(($0 as? AWSError)?.code, "InvalidClientTokenId", "\($0)")
        }
        var withoutToken = moto.configuration(.functionRole)
        withoutToken.credentials = .init(accessKeyID: withoutToken.credentials.accessKeyID,
                                         secretAccessKey: withoutToken.credentials.secretAccessKey)
        XCTAssertThrowsError(try S3Client(configuration: withoutToken, http: try HTTPClient())
            .getObject(bucket: moto.inputBucket, key: "test_0.mp4", maxBytes: 1024)) {
            XCTAssertEqual(($0 as? AWSError)?.code, "InvalidAccessKeyId", "temporary keys need their token: \($0)")
        }
    }
}
