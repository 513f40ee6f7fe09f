import Foundation
import LambdaRuntime
import XCTest

final class InvocationMetadataTests: XCTestCase {
    private let complete = [
        "lambda-runtime-aws-request-id": "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
        "lambda-runtime-deadline-ms": "1542409706888",
        "lambda-runtime-invoked-function-arn": "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime",
        "lambda-runtime-trace-id": "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
        "lambda-runtime-client-context": #"{"custom":{"k":"v"}}"#,
        "lambda-runtime-cognito-identity": #"{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}"#,
    ]

    private func parse(_ headers: [String: String]) throws -> InvocationMetadata {
        try InvocationMetadata { headers[$0.lowercased()] }
    }

    func testReadsEveryHeader() throws {
        let metadata = try parse(complete)
        XCTAssertEqual(metadata.requestID, "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        XCTAssertEqual(metadata.deadlineMilliseconds, 1_542_409_706_888)
        XCTAssertTrue(metadata.deadline.hasPassed, "a deadline of 2018 is past")
        XCTAssertEqual(metadata.invokedFunctionARN, "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime")
        XCTAssertEqual(metadata.traceID, "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
        XCTAssertEqual(metadata.clientContext, #"{"custom":{"k":"v"}}"#)
        XCTAssertEqual(metadata.cognitoIdentity, #"{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}"#)
    }

    func testTheDeadlineIsTheWallClockMillisecondsSeenOnTheMonotonicClock() throws {
        let inFiveSeconds = Int64((Date().timeIntervalSince1970 + 5) * 1000)
        let metadata = try parse(["lambda-runtime-aws-request-id": "r", "lambda-runtime-deadline-ms": String(inFiveSeconds)])
        XCTAssertEqual(metadata.deadline.secondsRemaining, 5, accuracy: 0.25)
        XCTAssertFalse(metadata.deadline.hasPassed)
    }

    func testOptionalHeadersMayBeAbsent() throws {
        let metadata = try parse(complete.filter { $0.key.hasSuffix("request-id") || $0.key.hasSuffix("deadline-ms") })
        XCTAssertNil(metadata.invokedFunctionARN)
        XCTAssertNil(metadata.traceID)
        XCTAssertNil(metadata.clientContext)
        XCTAssertNil(metadata.cognitoIdentity)
    }

    func testMissingOrBadRequiredHeadersAreTypedErrors() {
        var noID = complete; noID["lambda-runtime-aws-request-id"] = nil
        var emptyID = complete; emptyID["lambda-runtime-aws-request-id"] = ""
        var noDeadline = complete; noDeadline["lambda-runtime-deadline-ms"] = nil
        let cases: [([String: String], InvocationMetadataError)] = [
            (noID, .missingHeader("Lambda-Runtime-Aws-Request-Id")),
            (emptyID, .missingHeader("Lambda-Runtime-Aws-Request-Id")),
            (noDeadline, .missingHeader("Lambda-Runtime-Deadline-Ms")),
        ] + ["soon", "", "-5", "0", "1.5e12", "99999999999999999999"].map { value in
            var headers = complete; headers["lambda-runtime-deadline-ms"] = value
            return (headers, .invalidDeadline(value))
        }
        for (headers, expected) in cases {
            XCTAssertThrowsError(try parse(headers)) { error in
                XCTAssertEqual(error as? InvocationMetadataError, expected)
                XCTAssertTrue(error.localizedDescription.contains("Lambda-Runtime-"), error.localizedDescription)
            }
        }
    }

    func testTraceIDIsExportedPerInvocationAndClearedWhenAbsent() throws {
        let traced = try parse(complete)
        traced.exportTraceID()
        XCTAssertEqual(ProcessInfo.processInfo.environment["_X_AMZN_TRACE_ID"], traced.traceID)
        try parse(complete.filter { !$0.key.hasSuffix("trace-id") }).exportTraceID()
        XCTAssertNil(ProcessInfo.processInfo.environment["_X_AMZN_TRACE_ID"])
    }
}
