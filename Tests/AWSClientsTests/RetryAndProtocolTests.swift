import AWSClients
import Foundation
import HTTPClient
import LogSink
import SigV4
import TestSupport
import XCTest

/// What moto cannot show: retries on 503, throttling and resets (and none on signature or
/// permission errors), pagination, UnprocessedItems, the scan fallback's trigger, and that
/// no secret reaches a log line or an error. A scripted local server plays AWS.
final class RetryAndProtocolTests: ScratchTestCase {
    private var logged: [String] = []
    private let secret = "stub-secret-key/+=", token = "stub-session-token-value"

    private func configuration(_ stub: StubServer, maxAttempts: Int = 4) -> AWSConfiguration {
        AWSConfiguration(credentials: Credentials(accessKeyID: "AKIDSTUB", secretAccessKey: secret, sessionToken: token),
                         region: "us-east-1", endpointURL: stub.baseURL,
                         retryPolicy: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.001, maxDelay: 0.01), requestTimeout: 5)
    }

    private func s3(_ stub: StubServer, maxAttempts: Int = 4) throws -> S3Client {
        S3Client(configuration: configuration(stub, maxAttempts: maxAttempts), http: try HTTPClient(), log: LogSink { self.logged.append($0) })
    }

    private func dynamoDB(_ stub: StubServer, maxAttempts: Int = 4) throws -> DynamoDBClient {
        DynamoDBClient(configuration: configuration(stub, maxAttempts: maxAttempts), http: try HTTPClient(), log: LogSink { self.logged.append($0) })
    }

    private static func s3Error(_ status: Int, _ code: String) -> StubServer.Step {
        StubServer.Step(status: status, headers: ["Content-Type": "application/xml", "x-amz-request-id": "REQ-\(code)"],
                        body: "<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>\(code) &amp; more</Message>"
                            + "<RequestId>REQ-\(code)</RequestId></Error>")
    }

    private static func dynamoDBError(_ code: String, _ message: String) -> StubServer.Step {
        StubServer.Step(status: 400, headers: ["Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "REQ-\(code)"],
                        body: "{\"__type\":\"com.amazonaws.dynamodb.v20120810#\(code)\",\"message\":\"\(message)\"}")
    }

    private static func json(_ body: String) -> StubServer.Step {
        StubServer.Step(headers: ["Content-Type": "application/x-amz-json-1.0"], body: body)
    }

    // MARK: Retries

    func testS3SlowDown503IsRetriedThenSucceedsEachAttemptSigned() throws {
        let stub = try StubServer(script: [Self.s3Error(503, "SlowDown"), .init(body: "video bytes")], scratch: scratch)
        defer { stub.stop() }
        XCTAssertEqual(try s3(stub).getObject(bucket: "in", key: "test_0.mp4", maxBytes: 100).withBuffer { Array($0) }, Array("video bytes".utf8))
        let requests = try stub.requests()
        XCTAssertEqual(requests.count, 2)
        XCTAssertTrue(requests.allSatisfy { $0.header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDSTUB/") ?? false })
        XCTAssertEqual(logged.count, 1)
        let line = try XCTUnwrap(logged.first)
        XCTAssertTrue(line.contains("SlowDown") && line.contains("REQ-SlowDown") && line.contains("retry 1 of 3"), line)
    }

    func testResetConnectionAnd500AreRetried() throws {
        let stub = try StubServer(script: [.init(reset: true), Self.s3Error(500, "InternalError"), .init(status: 200)], scratch: scratch)
        defer { stub.stop() }
        try s3(stub).putObject(bucket: "out", key: "test_0", body: Array("a,b,c\n".utf8), contentType: "text/csv")
        XCTAssertEqual(try stub.requests().count, 3)
        XCTAssertEqual(logged.count, 2)
    }

    func testThrottlingIsRetriedUntilTheAttemptsRunOut() throws {
        let stub = try StubServer(script: [Self.dynamoDBError("ThrottlingException", "Rate exceeded")], scratch: scratch)
        defer { stub.stop() }
        XCTAssertThrowsError(try dynamoDB(stub, maxAttempts: 3).queryByName(table: "students", name: "floki")) {
            let error = $0 as? AWSError
            XCTAssertEqual(error?.code, "ThrottlingException")
            XCTAssertEqual(error?.message, "Rate exceeded")
            XCTAssertEqual(error?.requestID, "REQ-ThrottlingException")
            XCTAssertEqual(error?.httpStatus, 400)
            XCTAssertEqual(error?.attempts, 3)
            XCTAssertEqual(error?.operation, "Query")
        }
        XCTAssertEqual(try stub.requests().count, 3)
    }

    func testProvisionedThroughputExceededIsRetried() throws {
        let stub = try StubServer(script: [Self.dynamoDBError("ProvisionedThroughputExceededException", "slow down"),
                                           Self.json("{\"Items\":[{\"id\":{\"N\":\"4\"},\"name\":{\"S\":\"floki\"}}]}")], scratch: scratch)
        defer { stub.stop() }
        XCTAssertEqual(try dynamoDB(stub).queryByName(table: "students", name: "floki"), [["id": .n("4"), "name": .s("floki")]])
        XCTAssertEqual(try stub.requests().count, 2)
    }

    func testSignatureAndPermissionErrorsAreNeverRetried() throws {
        for (step, code) in [(Self.s3Error(403, "SignatureDoesNotMatch"), "SignatureDoesNotMatch"), (Self.s3Error(403, "AccessDenied"), "AccessDenied")] {
            let stub = try StubServer(script: [step, .init(body: "must not be reached")], scratch: scratch)
            defer { stub.stop() }
            XCTAssertThrowsError(try s3(stub).getObject(bucket: "in", key: "k", maxBytes: 100)) {
                let error = $0 as? AWSError
                XCTAssertEqual(error?.code, code)
                XCTAssertEqual(error?.message, "\(code) & more", "XML entities are decoded")
                XCTAssertEqual(error?.requestID, "REQ-\(code)")
                XCTAssertEqual(error?.isRetryable, false)
            }
            XCTAssertEqual(try stub.requests().count, 1, code)
            try FileManager.default.removeItem(atPath: scratch + "/stub-requests.jsonl")
        }
        let stub = try StubServer(script: [Self.dynamoDBError("AccessDeniedException", "not authorized")], scratch: scratch)
        defer { stub.stop() }
        XCTAssertThrowsError(try dynamoDB(stub).queryByName(table: "students", name: "floki")) {
            XCTAssertEqual(($0 as? AWSError)?.code, "AccessDeniedException")
        }
        XCTAssertEqual(try stub.requests().count, 1)
    }

    func testUnresolvableHostIsATransportFailureNotRetried() throws {
        var configuration = AWSConfiguration(credentials: Credentials(accessKeyID: "A", secretAccessKey: "B"), region: "us-east-1",
                                             endpointURL: "http://no-such-host.invalid", requestTimeout: 5)
        configuration.retryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01)
        XCTAssertThrowsError(try S3Client(configuration: configuration, http: try HTTPClient(), log: .none)
            .getObject(bucket: "in", key: "k", maxBytes: 10)) {
            let error = $0 as? AWSError
            XCTAssertEqual(error?.code, "TransportFailure", "\($0)")
            XCTAssertNil(error?.httpStatus)
            XCTAssertEqual(error?.attempts, 1)
        }
    }

    // MARK: DynamoDB protocol

    func testQueryUsesTheIndexAndFollowsLastEvaluatedKey() throws {
        let stub = try StubServer(script: [
            Self.json("{\"Items\":[{\"id\":{\"N\":\"1\"},\"name\":{\"S\":\"floki\"}}],\"LastEvaluatedKey\":{\"id\":{\"N\":\"1\"},\"name\":{\"S\":\"floki\"}}}"),
            Self.json("{\"Items\":[{\"id\":{\"N\":\"9\"},\"name\":{\"S\":\"floki\"}}],\"Count\":1}"),
        ], scratch: scratch)
        defer { stub.stop() }
        let items = try dynamoDB(stub).queryByName(table: "students", name: "floki")
        XCTAssertEqual(items.compactMap { $0["id"]?.numberValue }, ["1", "9"])

        let requests = try stub.requests()
        XCTAssertEqual(requests.map { $0.header("X-Amz-Target") }, ["DynamoDB_20120810.Query", "DynamoDB_20120810.Query"])
        XCTAssertEqual(requests[0].header("Content-Type"), "application/x-amz-json-1.0")
        let first = try jsonObject(requests[0].body), second = try jsonObject(requests[1].body)
        XCTAssertEqual(first["IndexName"] as? String, "name-index")
        XCTAssertEqual(first["TableName"] as? String, "students")
        XCTAssertNil(first["ExclusiveStartKey"])
        XCTAssertEqual((second["ExclusiveStartKey"] as? [String: Any])?.keys.sorted(), ["id", "name"])
    }

    func testMissingIndexFallsBackToAPaginatedScanWithAFilter() throws {
        let stub = try StubServer(script: [
            Self.dynamoDBError("ValidationException", "The table does not have the specified index: name-index"),
            Self.json("{\"Items\":[],\"LastEvaluatedKey\":{\"id\":{\"N\":\"5\"}}}"),
            Self.json("{\"Items\":[{\"id\":{\"N\":\"6\"},\"name\":{\"S\":\"floki\"}}]}"),
        ], scratch: scratch)
        defer { stub.stop() }
        let items = try dynamoDB(stub).queryByName(table: "students", name: "floki")
        XCTAssertEqual(items, [["id": .n("6"), "name": .s("floki")]])
        let requests = try stub.requests()
        XCTAssertEqual(requests.map { $0.header("X-Amz-Target") ?? "" },
                       ["DynamoDB_20120810.Query", "DynamoDB_20120810.Scan", "DynamoDB_20120810.Scan"])
        let scan = try jsonObject(requests[2].body)
        XCTAssertEqual(scan["FilterExpression"] as? String, "#name = :name")
        XCTAssertEqual((scan["ExpressionAttributeValues"] as? [String: [String: String]])?[":name"], ["S": "floki"])
        XCTAssertNotNil(scan["ExclusiveStartKey"])
    }

    func testMissingTableIsAnErrorNotAScan() throws {
        let stub = try StubServer(script: [Self.dynamoDBError("ResourceNotFoundException", "Requested resource not found")], scratch: scratch)
        defer { stub.stop() }
        XCTAssertThrowsError(try dynamoDB(stub).queryByName(table: "students", name: "floki")) {
            XCTAssertEqual(($0 as? AWSError)?.code, "ResourceNotFoundException")
        }
        XCTAssertEqual(try stub.requests().count, 1)
    }

    func testBatchWriteSendsAtMost25AndResubmitsUnprocessedItems() throws {
        let unprocessed = "{\"UnprocessedItems\":{\"students\":[{\"PutRequest\":{\"Item\":{\"id\":{\"N\":\"3\"}}}}]}}"
        let stub = try StubServer(script: [Self.json(unprocessed), Self.json("{\"UnprocessedItems\":{}}")], scratch: scratch)
        defer { stub.stop() }
        let items: [DynamoDBClient.Item] = (1...30).map { ["id": .n(String($0)), "name": .s("s\($0)")] }
        try dynamoDB(stub).batchWrite(table: "students", items: items)

        let counts = try stub.requests().map { request -> Int in
            let body = try jsonObject(request.body)
            return ((body["RequestItems"] as? [String: Any])?["students"] as? [Any])?.count ?? -1
        }
        XCTAssertEqual(counts, [25, 1, 5], "first 25, then the one left unprocessed, then the last 5")
        XCTAssertTrue(try stub.requests()[1].body.contains("\"N\":\"3\""))
        XCTAssertTrue(logged.first?.contains("UnprocessedItems") ?? false, "\(logged)")
    }

    func testBatchWriteGivesUpWhenItemsStayUnprocessed() throws {
        let unprocessed = "{\"UnprocessedItems\":{\"students\":[{\"PutRequest\":{\"Item\":{\"id\":{\"N\":\"1\"}}}}]}}"
        let stub = try StubServer(script: [Self.json(unprocessed)], scratch: scratch)
        defer { stub.stop() }
        XCTAssertThrowsError(try dynamoDB(stub, maxAttempts: 3).batchWrite(table: "students", items: [["id": .n("1")]])) {
            let error = $0 as? AWSError
            XCTAssertEqual(error?.code, "UnprocessedItems")
            XCTAssertEqual(error?.attempts, 3)
        }
        XCTAssertEqual(try stub.requests().count, 3)
    }

    // MARK: Secrets

    func testSessionTokenIsSentButNoSecretTokenOrSignatureIsLoggedOrReported() throws {
        let stub = try StubServer(script: [Self.s3Error(503, "ServiceUnavailable")], scratch: scratch)
        defer { stub.stop() }
        var reported = ""
        XCTAssertThrowsError(try s3(stub, maxAttempts: 3).getObject(bucket: "in", key: "k", maxBytes: 10)) { reported = "\($0)" }

        let requests = try stub.requests()
        XCTAssertEqual(requests.first?.header("X-Amz-Security-Token"), token)
        XCTAssertTrue(requests.first?.header("Authorization")?.contains("x-amz-security-token") ?? false, "the token is signed")
        let signatures = requests.compactMap { $0.header("Authorization")?.components(separatedBy: "Signature=").last }
        XCTAssertEqual(signatures.count, 3)
        for text in logged + [reported] {
            for secretPart in [secret, token] + signatures {
                XCTAssertFalse(text.contains(secretPart), "\"\(text)\" leaks a secret")
            }
        }
        XCTAssertEqual(logged.count, 2)
    }

    private func jsonObject(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
