import Foundation
import HTTPClient
import TestSupport
import XCTest

final class HTTPClientTests: ScratchTestCase {

    func testSendsMethodPathHeadersAndBodyAsGiven() throws {
        let stub = try StubServer(script: [.init(echo: true)], scratch: scratch)
        defer { stub.stop() }
        let body = Array("name,major,year\nPresident Biden,physics,senior\n".utf8)
        let response = try HTTPClient().send(HTTPRequest(
            method: "PUT", url: stub.baseURL + "/bucket/my%20key%2B%E1%88%B4.csv?x-id=PutObject",
            headers: [("Content-Type", "text/csv"), ("X-Empty", ""), ("X-Amz-Date", "20150830T123600Z")], body: body))

        XCTAssertEqual(response.status, 200)
        let sent = try XCTUnwrap(stub.requests().first)
        XCTAssertEqual(sent.method, "PUT")
        XCTAssertEqual(sent.path, "/bucket/my%20key%2B%E1%88%B4.csv?x-id=PutObject", "the URL goes on the wire unchanged")
        XCTAssertEqual(sent.header("Content-Type"), "text/csv")
        XCTAssertEqual(sent.header("X-Empty"), "", "an empty header value is still sent")
        XCTAssertEqual(sent.header("x-amz-date"), "20150830T123600Z")
        XCTAssertEqual(sent.header("Content-Length"), String(body.count))
        XCTAssertEqual(sent.header("Host"), "127.0.0.1:\(stub.port)")
        XCTAssertNil(sent.header("Expect"), "curl's Expect: 100-continue would stall a signed PUT")
        XCTAssertEqual(sent.body, String(decoding: body, as: UTF8.self))
    }

    func testPostWithoutContentTypeGetsNoFormContentTypeAndEmptyPutSendsZeroLength() throws {
        let stub = try StubServer(script: [.init(echo: true)], scratch: scratch)
        defer { stub.stop() }
        let client = try HTTPClient()
        _ = try client.send(HTTPRequest(method: "POST", url: stub.baseURL + "/", body: Array("{}".utf8)))
        _ = try client.send(HTTPRequest(method: "PUT", url: stub.baseURL + "/empty"))

        let sent = try stub.requests()
        XCTAssertEqual(sent.count, 2)
        XCTAssertNil(sent[0].header("Content-Type"))
        XCTAssertEqual(sent[0].body, "{}")
        XCTAssertEqual(sent[1].method, "PUT")
        XCTAssertEqual(sent[1].header("Content-Length"), "0")
    }

    func testReturnsStatusHeadersAndBodyOfErrorResponsesAndReusesTheConnection() throws {
        let stub = try StubServer(script: [
            .init(status: 404, headers: ["X-Amz-Request-Id": "REQ1", "Content-Type": "application/xml"], body: "<Error/>"),
            .init(status: 200, body: "second"),
        ], scratch: scratch)
        defer { stub.stop() }
        let client = try HTTPClient()

        let first = try client.send(HTTPRequest(method: "GET", url: stub.baseURL + "/missing"))
        XCTAssertEqual(first.status, 404)
        XCTAssertEqual(first.header("x-amz-request-id"), "REQ1", "header lookup ignores case")
        XCTAssertEqual(String(decoding: first.body, as: UTF8.self), "<Error/>")
        let second = try client.send(HTTPRequest(method: "GET", url: stub.baseURL + "/again"))
        XCTAssertEqual(String(decoding: second.body, as: UTF8.self), "second")
        XCTAssertNil(second.header("X-Amz-Request-Id"), "nothing is left over from the previous response")

        let ports = try stub.requests().map(\.clientPort)
        XCTAssertEqual(ports.count, 2)
        XCTAssertEqual(ports[0], ports[1], "the second request reuses the kept-alive connection")
    }

    func testDotSegmentsAndDoubleSlashesGoOutUnchanged() throws {
        let stub = try StubServer(script: [.init(echo: true)], scratch: scratch)
        defer { stub.stop() }
        _ = try HTTPClient().send(HTTPRequest(method: "GET", url: stub.baseURL + "/bucket/a//b/./c/../d.csv"))
        XCTAssertEqual(try stub.requests().first?.path, "/bucket/a//b/./c/../d.csv", "S3 keys may hold dot segments")
    }

    func testResponseLargerThanTheLimitFails() throws {
        let stub = try StubServer(script: [.init(body: String(repeating: "x", count: 5000))], scratch: scratch)
        defer { stub.stop() }
        let client = try HTTPClient()
        XCTAssertEqual(try client.send(HTTPRequest(method: "GET", url: stub.baseURL + "/", maxResponseBytes: 5000)).body.count, 5000)
        XCTAssertThrowsError(try client.send(HTTPRequest(method: "GET", url: stub.baseURL + "/", maxResponseBytes: 4999))) {
            XCTAssertEqual(($0 as? HTTPTransportError)?.isResponseTooLarge, true, "\($0)")
        }
    }

    func testHeadHasNoBody() throws {
        let stub = try StubServer(script: [.init(headers: ["ETag": "\"abc\""], body: "ignored")], scratch: scratch)
        defer { stub.stop() }
        let response = try HTTPClient().send(HTTPRequest(method: "HEAD", url: stub.baseURL + "/object"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("etag"), "\"abc\"")
        XCTAssertEqual(response.body, [])
    }

    func testTimeoutIsATransientTransportError() throws {
        // The stub answers after 3 s: curl's code 28 means the 0.3 s timeout ended the request first.
        let stub = try StubServer(script: [.init(delay: 3)], scratch: scratch)
        defer { stub.stop() }
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(method: "GET", url: stub.baseURL + "/slow", timeout: 0.3))) {
            let error = $0 as? HTTPTransportError
            XCTAssertEqual(error?.code, 28, "CURLE_OPERATION_TIMEDOUT")
            XCTAssertEqual(error?.isTransient, true)
            XCTAssertTrue(error?.errorDescription?.contains(stub.baseURL + "/slow") ?? false, "the error names the URL")
        }
    }

    func testResetAndRefusedConnectionsAreTransientTransportErrors() throws {
        let stub = try StubServer(script: [.init(reset: true)], scratch: scratch)
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(method: "GET", url: stub.baseURL + "/reset"))) {
            XCTAssertEqual(($0 as? HTTPTransportError)?.isTransient, true, "\($0)")
        }
        stub.stop()
        let closedPort = try Harness.freePorts(1)[0]
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(closedPort)/"))) {
            XCTAssertEqual(($0 as? HTTPTransportError)?.code, 7, "CURLE_COULDNT_CONNECT: \($0)")
        }
    }

    func testRejectsHeaderValuesWithLineBreaks() throws {
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(
            method: "GET", url: "http://127.0.0.1:9/", headers: [("X-Injected", "a\r\nHost: evil")]))) {
            XCTAssertTrue($0 is HTTPRequestError, "\($0)")
        }
    }
}
