import AWSClients
import HTTPClient
import SigV4
import TestSupport
import XCTest

/// RangedObject against a scripted S3 (what moto cannot do: fail a range past its retries).
final class RangedObjectTests: ScratchTestCase {
    func testARangeFailingPastItsRetriesNamesTheObjectTheBytesAndTheReason() throws {
        let firstByte = StubServer.Step(status: 206, headers: ["Content-Range": "bytes 0-0/100", "ETag": "\"first-upload\""], body: "0")
        let firstBlock = StubServer.Step(status: 206, headers: ["Content-Range": "bytes 0-9/100", "ETag": "\"first-upload\""], body: "0123456789")
        let slowDown = StubServer.Step(status: 503, headers: ["Content-Type": "application/xml"],
                                       body: "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>")
        let stub = try StubServer(script: [firstByte, firstBlock, slowDown], scratch: scratch)
        defer { stub.stop() }
        let configuration = AWSConfiguration(credentials: Credentials(accessKeyID: "AKIDSTUB", secretAccessKey: "stub-secret"),
                                             region: "us-east-1", endpointURL: stub.baseURL,
                                             retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01), requestTimeout: 5)
        let s3 = S3Client(configuration: configuration, http: try HTTPClient(), log: .none)

        let object = try RangedObject(s3: s3, bucket: "in", key: "lectures/long.mp4", blockSize: 10)
        let reader = try object.reader()
        var buffer = [UInt8](repeating: 0, count: 4)

        XCTAssertEqual(object.size, 100)
        XCTAssertEqual(try buffer.withUnsafeMutableBytes { try reader.read(at: 2, into: $0) }, 4)
        XCTAssertEqual(buffer, Array("2345".utf8))
        XCTAssertEqual(try buffer.withUnsafeMutableBytes { try reader.read(at: 6, into: $0) }, 4, "block 0 is not kept")
        XCTAssertThrowsError(try buffer.withUnsafeMutableBytes { try reader.read(at: 55, into: $0) }) { error in
            let text = error.localizedDescription
            for part in ["s3://in/lectures/long.mp4", "bytes 50-59", "SlowDown", "HTTP 503", "after 3 attempts"] {
                XCTAssertTrue(text.contains(part), "\(part) missing from: \(text)")
            }
        }
        let requests = try stub.requests()
        // The first byte gives the size; block 1 is read ahead (and fails) while block 0 is read.
        XCTAssertEqual(requests.map { $0.header("Range") },
                       ["bytes=0-0", "bytes=0-9"] + Array(repeating: "bytes=10-19", count: 3) + Array(repeating: "bytes=50-59", count: 3))
        XCTAssertEqual(requests.dropFirst().map { $0.header("If-Match") }, Array(repeating: "\"first-upload\"", count: 7),
                       "a later range is not pinned to the first answer's ETag")
        XCTAssertTrue(requests.allSatisfy { ($0.header("Authorization") ?? "").contains("range") }, "the range is not signed")
    }
}
