import ClassroomFunction
import Foundation
import HTTPClient
import LambdaRuntime
import LogSink
import TestSupport
import XCTest

/// The runtime client and loop against the real Runtime Interface Emulator (scripts/fetch-rie installs it).
final class RuntimeEmulatorTests: XCTestCase {
    private var emulator: RuntimeEmulator?

    override func tearDown() {
        emulator?.stop()
        emulator = nil
        super.tearDown()
    }

    private func startEmulator() throws -> RuntimeEmulator {
        let started = try RuntimeEmulator(environment: ["AWS_LAMBDA_FUNCTION_NAME": "classroom-test",
                                                        "AWS_LAMBDA_FUNCTION_TIMEOUT": "9"])
        emulator = started
        return started
    }

    /// Sends the first invocation in the background (it starts the bootstrap), then returns its future answer.
    private func invokeInBackground(_ emulator: RuntimeEmulator, _ payload: [UInt8],
                                    headers: [(name: String, value: String)] = []) -> () throws -> HTTPResponse {
        final class Answer: @unchecked Sendable { var result: Result<HTTPResponse, Error>? }
        let answer = Answer(), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            answer.result = Result { try emulator.invoke(payload, headers: headers) }
            done.signal()
        }
        return {
            guard done.wait(timeout: .now() + 30) == .success, let result = answer.result else {
                throw TestSetupError("the first invocation got no answer within 30 s; emulator log:\n\(emulator.log)")
            }
            return try result.get()
        }
    }

    private func errorJSON(_ response: HTTPResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                      String(decoding: response.body, as: UTF8.self))
    }

    private struct NastyError: Error, LocalizedError {
        var errorDescription: String? { RuntimeEmulatorTests.nastyMessage }
    }

    static let nastyMessage = "video \"test 0\".mp4 \\ C:\\path\n\ttab \u{1} ctrl, café 学生 😀, </end> {\"json\":true}"

    /// The handler the tests deploy: the S3 event's decoded keys back, an error for keys with "fail",
    /// 7 MB for keys with "huge".
    private static func handler(_ invocation: Invocation) throws -> [UInt8] {
        let event = try S3Event.notification(from: invocation.payload)
        let keys = event.records.map(\.s3.object.key)
        if keys.contains(where: { $0.contains("fail") }) { throw NastyError() }
        if keys.contains(where: { $0.contains("huge") }) { return [UInt8](repeating: 0x61, count: 7 << 20) }
        return Array(("processed " + keys.joined(separator: ",") + "\n").utf8)
    }

    func testSuccessesAndFunctionErrorsReachTheInvoker() throws {
        let emulator = try startEmulator()
        let context = #"{"custom":{"course":"cse546"}}"#
        let first = invokeInBackground(emulator, S3EventFixtures.event(try S3EventFixtures.record(key: "class+videos/caf%C3%A9+1.mp4")),
                                       headers: [("X-Amz-Client-Context", Data(context.utf8).base64EncodedString())])
        try emulator.waitForBootstrap()
        let startedAt = Date()
        let runtime = try RuntimeThread(runtimeAPI: emulator.runtimeAPI, handler: Self.handler)

        let success = try first()
        XCTAssertEqual(success.status, 200, emulator.log)
        XCTAssertEqual(String(decoding: success.body, as: UTF8.self), "processed class videos/café 1.mp4\n")

        let failure = try emulator.invoke(S3EventFixtures.event(S3EventFixtures.record(key: "fail.mp4")))
        let failureJSON = try errorJSON(failure)
        XCTAssertEqual(failureJSON["errorType"] as? String, "NastyError")
        XCTAssertEqual(failureJSON["errorMessage"] as? String, Self.nastyMessage)
        XCTAssertEqual((failureJSON["stackTrace"] as? [Any])?.count, 0)

        let notS3 = try errorJSON(emulator.invoke(Array(#"{"Records":[{"eventSource":"aws:sqs"}]}"#.utf8)))
        XCTAssertEqual(notS3["errorType"] as? String, "S3EventError")
        XCTAssertEqual(notS3["errorMessage"] as? String, S3EventError.notFromS3(index: 0, eventSource: "aws:sqs").localizedDescription)

        // Lambda refuses results over 6 MB with 413; the invoker gets Lambda's own error and the loop goes on.
        let tooLarge = try errorJSON(emulator.invoke(S3EventFixtures.event(S3EventFixtures.record(key: "huge.mp4"))))
        XCTAssertEqual(tooLarge["errorType"] as? String, "Function.ResponseSizeTooLarge")
        XCTAssertTrue(runtime.logLines.contains { $0.contains("HTTP 413") }, "\(runtime.logLines)")

        let again = try emulator.invoke(S3EventFixtures.event(S3EventFixtures.record(key: "a.mp4"), S3EventFixtures.record(key: "b+c.mp4")))
        XCTAssertEqual(String(decoding: again.body, as: UTF8.self), "processed a.mp4,b c.mp4\n")

        let seen = runtime.invocations
        XCTAssertEqual(seen.count, 5)
        XCTAssertEqual(Set(seen.map(\.metadata.requestID)).count, 5, "request IDs repeat")
        for invocation in seen {
            XCTAssertNotNil(UUID(uuidString: invocation.metadata.requestID), invocation.metadata.requestID)
            XCTAssertEqual(invocation.metadata.invokedFunctionARN?.hasSuffix(":function:classroom-test"), true)
            // AWS_LAMBDA_FUNCTION_TIMEOUT=9: the deadline is 9 s after the invocation arrived.
            let deadline = Double(invocation.metadata.deadlineMilliseconds) / 1000
            XCTAssertGreaterThan(deadline, startedAt.addingTimeInterval(8).timeIntervalSince1970)
            XCTAssertLessThan(deadline, Date().addingTimeInterval(9.5).timeIntervalSince1970)
        }
        XCTAssertEqual(seen.first?.metadata.clientContext, context)
        XCTAssertNil(seen.last?.metadata.clientContext)

        // With the Runtime API gone, the pending long poll fails and the loop stops with a transport error.
        emulator.stop()
        XCTAssertTrue(runtime.waitForStop() is HTTPTransportError, "the loop did not stop with a transport error")
    }

    func testInitErrorIsReportedAndReachesTheInvoker() throws {
        let emulator = try startEmulator()
        struct ModelsMissing: Error, LocalizedError { var errorDescription: String? { RuntimeEmulatorTests.nastyMessage } }
        let first = invokeInBackground(emulator, Array("{}".utf8))
        try emulator.waitForBootstrap()

        var logged: [String] = []
        let loop = LambdaLoop(client: RuntimeAPIClient(endpoint: emulator.runtimeAPI, http: try HTTPClient()), log: LogSink { logged.append($0) })
        XCTAssertThrowsError(try loop.initialize { throw ModelsMissing() }) { error in
            XCTAssertTrue(error is ModelsMissing, "\(error)")
        }
        XCTAssertEqual(logged, ["initialisation failed: \(Self.nastyMessage)"])
        // A runtime exits after reporting; the emulator answers the invoker when its bootstrap has gone.
        try emulator.killBootstrap()
        let response = try first()
        XCTAssertEqual(response.status, 502, emulator.log)
        let json = try errorJSON(response)
        XCTAssertEqual(json["errorType"] as? String, "ModelsMissing")
        XCTAssertEqual(json["errorMessage"] as? String, Self.nastyMessage)
    }

    func testInitThatSucceedsReturnsTheHandlerWithoutCallingTheRuntimeAPI() throws {
        // No emulator at all: a successful init must not touch the Runtime API.
        let loop = LambdaLoop(client: RuntimeAPIClient(endpoint: "127.0.0.1:1", http: try HTTPClient()))
        let handler = try loop.initialize { { _ in Array("ok".utf8) } }
        let metadata = InvocationMetadata(requestID: "id", deadlineMilliseconds: 1)
        XCTAssertEqual(try handler(Invocation(metadata: metadata, payload: [])), Array("ok".utf8))
    }
}
