import AWSClients
import HTTPClient
import TestSupport
import XCTest

/// S3 against a moto that verifies signatures and enforces the function's least-privilege policy.
final class S3MotoTests: MotoTestCase {
    private static let awkwardKeys = [
        "plain.csv", "with space.csv", "plus+equals=and&.csv", "ünïcödé/名前 ሴ.csv", "nested/dir/deep/key.csv",
        "double//slash.csv", "dots/./kept/../as-is.csv", "tilde~percent%25.csv",
    ]

    private func client(_ user: MotoServer.User, secret: String? = nil) throws -> S3Client {
        S3Client(configuration: try moto().configuration(user, secret: secret), http: try HTTPClient())
    }

    func testOperatorUploadsAndFunctionDownloadsAwkwardKeys() throws {
        let moto = try moto()
        let uploader = try client(.operator), reader = try client(.function)
        for (index, key) in Self.awkwardKeys.enumerated() {
            let body = Array("video \(index) for \(key)".utf8)
            try uploader.putObject(bucket: moto.inputBucket, key: key, body: body, contentType: "video/mp4")
            XCTAssertEqual(try reader.getObject(bucket: moto.inputBucket, key: key, maxBytes: 1 << 20).withBuffer { Array($0) }, body, key)
        }
    }

    /// The register's optimistic writes: a first write only where no object is, a later one only
    /// over the version read; the losing writer gets a conflict, never a silent overwrite.
    func testConditionalWritesOfARegisterRefuseAStaleWriter() throws {
        let moto = try moto()
        let function = try client(.function)
        let key = "registers/cs101.csv"
        XCTAssertNil(try function.objectETag(bucket: moto.outputBucket, key: key))
        guard case .stored(let first) = try function.putObject(bucket: moto.outputBucket, key: key, body: Array("a\n".utf8),
                                                               contentType: "text/csv", condition: .absent) else {
            return XCTFail("the first write was refused")
        }
        XCTAssertEqual(try function.objectETag(bucket: moto.outputBucket, key: key), first)
        XCTAssertEqual(try function.putObject(bucket: moto.outputBucket, key: key, body: Array("b\n".utf8), contentType: "text/csv",
                                              condition: .absent), .conflict)
        guard case .stored(let second) = try function.putObject(bucket: moto.outputBucket, key: key, body: Array("c\n".utf8),
                                                                contentType: "text/csv", condition: .matches(etag: first ?? "")) else {
            return XCTFail("the write over the version read was refused")
        }
        XCTAssertNotEqual(second, first)
        XCTAssertEqual(try function.putObject(bucket: moto.outputBucket, key: key, body: Array("d\n".utf8), contentType: "text/csv",
                                              condition: .matches(etag: first ?? "")), .conflict)
        XCTAssertEqual(try client(.operator).getObject(bucket: moto.outputBucket, key: key, maxBytes: 64).withBuffer { Array($0) }, Array("c\n".utf8))
    }

    func testFunctionWritesCSVsTheOperatorReadsBack() throws {
        let moto = try moto()
        let writer = try client(.function), reader = try client(.operator)
        for key in Self.awkwardKeys {
            let csv = Array("president_biden,history,sophomore\n\(key)\n".utf8)
            try writer.putObject(bucket: moto.outputBucket, key: key, body: csv, contentType: "text/csv")
            XCTAssertEqual(try reader.getObject(bucket: moto.outputBucket, key: key, maxBytes: 4096).withBuffer { Array($0) }, csv, key)
        }
    }

    func testWrongSecretIsSignatureDoesNotMatchAndIsNotRetried() throws {
        let moto = try moto()
        let secret = "wrongSecretValue/With+Symbols"
        XCTAssertThrowsError(try client(.function, secret: secret).getObject(bucket: moto.inputBucket, key: "plain.csv", maxBytes: 1024)) {
            let error = $0 as? AWSError
            XCTAssertEqual(error?.code, "SignatureDoesNotMatch", "\($0)")
            XCTAssertEqual(error?.httpStatus, 403)
            XCTAssertEqual(error?.attempts, 1)
            XCTAssertNotNil(error?.requestID)
            XCTAssertFalse("\($0)".contains(secret))
        }
    }

    func testActionsOutsideThePolicyAreAccessDenied() throws {
        let moto = try moto()
        let function = try client(.function)
        try client(.operator).putObject(bucket: moto.inputBucket, key: "denied-check.mp4", body: [1, 2, 3], contentType: "video/mp4")
        try function.putObject(bucket: moto.outputBucket, key: "denied-check.csv", body: Array("a,b,c\n".utf8))
        assertAccessDenied([
            ("GetObject on the output bucket", { _ = try function.getObject(bucket: moto.outputBucket, key: "denied-check.csv", maxBytes: 1024) }),
            ("PutObject on the input bucket", { try function.putObject(bucket: moto.inputBucket, key: "x.csv", body: [1]) }),
            ("GetObject on another bucket", { _ = try function.getObject(bucket: "someone-elses-bucket", key: "x", maxBytes: 1024) }),
        ])
    }

    func testMissingKeyIsNoSuchKeyWithMessageAndRequestID() throws {
        let moto = try moto()
        XCTAssertThrowsError(try client(.function).getObject(bucket: moto.inputBucket, key: "no such video.mp4", maxBytes: 1024)) {
            let error = $0 as? AWSError
            XCTAssertEqual(error?.code, "NoSuchKey")
            XCTAssertEqual(error?.httpStatus, 404)
            XCTAssertFalse(error?.message.isEmpty ?? true)
            XCTAssertNotNil(error?.requestID)
            XCTAssertTrue("\($0)".contains("s3://\(moto.inputBucket)/no such video.mp4"), "the error names the object: \($0)")
        }
    }

    func testObjectsBeyondTheSizeCapFailClearly() throws {
        let moto = try moto()
        let body = [UInt8](repeating: 7, count: 10_000)
        try client(.operator).putObject(bucket: moto.inputBucket, key: "big.mp4", body: body, contentType: "video/mp4")
        let reader = try client(.function)
        XCTAssertEqual(try reader.getObject(bucket: moto.inputBucket, key: "big.mp4", maxBytes: 10_000).withBuffer { Array($0) }, body)
        XCTAssertThrowsError(try reader.getObject(bucket: moto.inputBucket, key: "big.mp4", maxBytes: 9_999)) {
            let error = $0 as? AWSError
            XCTAssertEqual(error?.code, "ResponseTooLarge", "\($0)")
            XCTAssertTrue("\($0)".contains("9999"), "the error gives the cap: \($0)")
        }
        // Beyond the allowance kept for error bodies, curl refuses the announced length up front.
        try client(.operator).putObject(bucket: moto.inputBucket, key: "bigger.mp4", body: [UInt8](repeating: 1, count: 1_200_000),
                                        contentType: "video/mp4")
        XCTAssertThrowsError(try reader.getObject(bucket: moto.inputBucket, key: "bigger.mp4", maxBytes: 1_000_000)) {
            XCTAssertEqual(($0 as? AWSError)?.code, "ResponseTooLarge", "\($0)")
        }
    }

    /// A download is held once, where curl received it, and that memory goes back when the object
    /// is released: the client keeps nothing of its largest download.
    func testALargeObjectIsHeldOnceAndReleasedAfterwards() throws {
        let moto = try moto()
        let size = 96 << 20
        let body = [UInt8](repeating: 0x5A, count: size)
        try client(.operator).putObject(bucket: moto.inputBucket, key: "lecture.mp4", body: body, contentType: "video/mp4")
        try client(.operator).putObject(bucket: moto.inputBucket, key: "next.mp4", body: [1, 2, 3], contentType: "video/mp4")
        let reader = try client(.function)
        let before = try residentBytes()
        var object: ResponseBytes? = try reader.getObject(bucket: moto.inputBucket, key: "lecture.mp4", maxBytes: size)
        let holding = try residentBytes()
        XCTAssertEqual(object?.count, size)
        XCTAssertLessThan(holding - before, size + size / 4, "the download costs more than one copy of the object")
        object = nil
        _ = try reader.getObject(bucket: moto.inputBucket, key: "next.mp4", maxBytes: 1024)
        XCTAssertLessThan(try residentBytes() - before, size / 4, "the client kept the large buffer")
    }

    /// A RangedObject reads the object it first answered for, block by block, and fails (naming
    /// the object) once that object has been replaced, instead of mixing two uploads.
    func testARangedReadGivesTheObjectsBytesAndRefusesAReplacedObject() throws {
        let moto = try moto()
        let uploader = try client(.operator)
        let body = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        try uploader.putObject(bucket: moto.inputBucket, key: "ranged/lecture.mp4", body: body, contentType: "video/mp4")
        let object = try RangedObject(s3: try client(.function), bucket: moto.inputBucket, key: "ranged/lecture.mp4", blockSize: 16_384)
        let reader = try object.reader()
        var read = [UInt8](repeating: 0, count: body.count)
        var offset = 0
        while offset < body.count {
            let count = try read.withUnsafeMutableBytes { try reader.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[offset...])) }
            XCTAssertGreaterThan(count, 0)
            offset += count
        }
        XCTAssertEqual(read, body)

        try uploader.putObject(bucket: moto.inputBucket, key: "ranged/lecture.mp4", body: Array(body.reversed()), contentType: "video/mp4")
        var buffer = [UInt8](repeating: 0, count: 16)
        XCTAssertThrowsError(try buffer.withUnsafeMutableBytes { try object.reader().read(at: 50_000, into: $0) }) { error in
            XCTAssertEqual((error as? AWSError)?.code, "PreconditionFailed", "\(error)")
            XCTAssertTrue(error.localizedDescription.contains("s3://\(moto.inputBucket)/ranged/lecture.mp4"), error.localizedDescription)
        }
    }
}

/// This process's resident memory (VmRSS), in bytes.
private func residentBytes() throws -> Int {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else {
        throw TestSetupError("no VmRSS in /proc/self/status")
    }
    return kilobytes * 1024
}
