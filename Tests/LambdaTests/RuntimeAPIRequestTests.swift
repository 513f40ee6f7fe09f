import Foundation
import LambdaRuntime
import XCTest

final class RuntimeAPIRequestTests: XCTestCase {
    func testRequestsMapToTheRuntimeAPIPaths() {
        let id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
        XCTAssertEqual(RuntimeAPIRequest.next.method, "GET")
        XCTAssertEqual(RuntimeAPIRequest.next.url(endpoint: "127.0.0.1:9001"),
                       "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next")
        XCTAssertEqual(RuntimeAPIRequest.invocationResponse(requestID: id).path, "/2018-06-01/runtime/invocation/\(id)/response")
        XCTAssertEqual(RuntimeAPIRequest.invocationError(requestID: id).path, "/2018-06-01/runtime/invocation/\(id)/error")
        XCTAssertEqual(RuntimeAPIRequest.initializationError.path, "/2018-06-01/runtime/init/error")
        for request in [RuntimeAPIRequest.invocationResponse(requestID: id), .invocationError(requestID: id), .initializationError] {
            XCTAssertEqual(request.method, "POST")
        }
    }

    func testARequestIDCannotChangeThePath() {
        XCTAssertEqual(RuntimeAPIRequest.invocationResponse(requestID: "../init/error?x=1 é").path,
                       "/2018-06-01/runtime/invocation/..%2Finit%2Ferror%3Fx%3D1%20%C3%A9/response")
    }

    func testErrorReportIsEscapedJSON() throws {
        let message = "quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0} é 学生 😀 </script>"
        let report = ErrorReport(errorType: "Bad\"Type\n", errorMessage: message)
        let bytes = try report.jsonBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertFalse(bytes.contains { $0 < 0x20 }, "raw control bytes in \(text)")
        for escaped in [#"\""#, #"\\"#, #"\n"#, #"\t"#, #"\u0007"#, #"\u0000"#] {
            XCTAssertTrue(text.contains(escaped), "\(escaped) missing from \(text)")
        }
        let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        XCTAssertEqual(decoded["errorMessage"] as? String, message)
        XCTAssertEqual(decoded["errorType"] as? String, "Bad\"Type\n")
        XCTAssertEqual((decoded["stackTrace"] as? [Any])?.count, 0)
        XCTAssertEqual(report.headerValue, "Bad\"Type_")
    }

    func testErrorReportOfAnErrorUsesItsTypeNameAndDescription() {
        struct VideoUnreadable: Error, LocalizedError { var errorDescription: String? { "s3://in/test_0.mp4 is truncated" } }
        XCTAssertEqual(ErrorReport(VideoUnreadable()), ErrorReport(errorType: "VideoUnreadable", errorMessage: "s3://in/test_0.mp4 is truncated"))
    }
}
