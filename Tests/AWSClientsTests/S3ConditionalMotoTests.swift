import AWSClients
import HTTPClient
import TestSupport
import XCTest

/// Conditional GetObject and PutObject, and DeleteObject, against moto with IAM enforced: the
/// encoding object moto-env made, which the operator may edit and the function only read.
final class S3ConditionalMotoTests: MotoTestCase {
    private func client(_ user: MotoServer.User) throws -> S3Client {
        S3Client(configuration: try moto().configuration(user), http: try HTTPClient())
    }

    private func encodingObject() throws -> (bucket: String, key: String) {
        let uri = try XCTUnwrap(try moto().environment["ENCODING_URI"], "moto-env exports ENCODING_URI")
        let parts = uri.dropFirst("s3://".count).split(separator: "/", maxSplits: 1).map(String.init)
        return (parts[0], parts[1])
    }

    func testAGetConditionalOnTheCurrentETagIsNotModifiedAndOnAnOldOneBringsTheObject() throws {
        let (bucket, key) = try encodingObject()
        let operatorS3 = try client(.operator), functionS3 = try client(.functionRole)
        guard case .object(let bytes, let etag?) = try functionS3.getObject(bucket: bucket, key: key, ifNoneMatch: nil, maxBytes: 1 << 20) else {
            return XCTFail("no object or no ETag")
        }
        XCTAssertGreaterThan(bytes.count, 1000, "moto-env filled it from ./encoding")
        guard case .notModified = try functionS3.getObject(bucket: bucket, key: key, ifNoneMatch: etag, maxBytes: 1 << 20) else {
            return XCTFail("a GET on the current ETag must be a 304")
        }
        let original = bytes.withBuffer { Array($0) }
        XCTAssertEqual(try operatorS3.putObject(bucket: bucket, key: key, body: original + [0], contentType: "application/octet-stream",
                                                condition: .matches(etag: etag)).isStored, true)
        guard case .object(let changed, let newTag?) = try functionS3.getObject(bucket: bucket, key: key, ifNoneMatch: etag, maxBytes: 1 << 20) else {
            return XCTFail("a GET on an old ETag must bring the new object")
        }
        XCTAssertNotEqual(newTag, etag)
        XCTAssertEqual(changed.count, original.count + 1)
        XCTAssertEqual(try operatorS3.putObject(bucket: bucket, key: key, body: original, contentType: "application/octet-stream",
                                                condition: .matches(etag: newTag)).isStored, true)
    }

    func testAPutConditionalOnAStaleETagOrOnAbsenceIsAConflictAndStoresNothing() throws {
        let (bucket, key) = try encodingObject()
        let operatorS3 = try client(.operator)
        let stale = "\"0123456789abcdef0123456789abcdef\""
        XCTAssertEqual(try operatorS3.putObject(bucket: bucket, key: key, body: [1, 2, 3], contentType: "application/octet-stream",
                                                condition: .matches(etag: stale)), .conflict)
        XCTAssertEqual(try operatorS3.putObject(bucket: bucket, key: key, body: [1, 2, 3], contentType: "application/octet-stream",
                                                condition: .absent), .conflict)
        guard case .object(let bytes, _) = try operatorS3.getObject(bucket: bucket, key: key, ifNoneMatch: nil, maxBytes: 1 << 20) else {
            return XCTFail("the object is gone")
        }
        XCTAssertGreaterThan(bytes.count, 3, "a conflicting write stored its body")
    }

    func testOnlyTheOperatorMayWriteTheEncodingAndTheFunctionMayReadNoOtherKeyThere() throws {
        let (bucket, key) = try encodingObject()
        let functionS3 = try client(.functionRole)
        assertAccessDenied([
            ("function PutObject on the encoding", {
                _ = try functionS3.putObject(bucket: bucket, key: key, body: [0], contentType: "application/octet-stream", condition: .absent)
            }),
            ("function GetObject of another key", { _ = try functionS3.getObject(bucket: bucket, key: key + ".old", maxBytes: 1024) }),
        ])
    }

    func testTheOperatorDeletesFanOutPartialsOnly() throws {
        let moto = try moto()
        let functionS3 = try client(.function), operatorS3 = try client(.operator)
        let partial = "fanout/0123/segment-00000.json"
        try functionS3.putObject(bucket: moto.outputBucket, key: partial, body: Array("[]".utf8), contentType: "application/json")
        try functionS3.putObject(bucket: moto.outputBucket, key: "kept.csv", body: Array("x\n".utf8))
        try operatorS3.deleteObject(bucket: moto.outputBucket, key: partial)
        try operatorS3.deleteObject(bucket: moto.outputBucket, key: partial)  // gone already: still a success
        XCTAssertEqual(try operatorS3.listKeys(bucket: moto.outputBucket, prefix: "fanout/"), [])
        assertAccessDenied([("operator DeleteObject outside fanout/", { try operatorS3.deleteObject(bucket: moto.outputBucket, key: "kept.csv") })])
    }
}

private extension ConditionalPut {
    var isStored: Bool {
        if case .stored = self { return true }
        return false
    }
}
