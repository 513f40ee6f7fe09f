import ClassroomFunction
import LambdaRuntime
import XCTest

final class S3EventTests: XCTestCase {
    private func decodedKey(_ encoded: String) throws -> String {
        let event = try S3Event.notification(from: S3EventFixtures.event(S3EventFixtures.record(key: encoded)))
        XCTAssertEqual(event.records[0].s3.object.encodedKey, encoded)
        return event.records[0].s3.object.key
    }

    func testDecodesEveryFieldOfAPutRecord() throws {
        let event = try S3Event.notification(from: S3EventFixtures.event(S3EventFixtures.record(key: "test_0.mp4")))
        XCTAssertEqual(event.records.count, 1)
        let record = event.records[0]
        XCTAssertEqual(record.eventVersion, "2.1")
        XCTAssertEqual(record.eventSource, "aws:s3")
        XCTAssertEqual(record.eventName, "ObjectCreated:Put")
        XCTAssertEqual(record.awsRegion, "us-east-1")
        XCTAssertEqual(record.eventTime, "2024-03-01T12:34:56.789Z")
        XCTAssertEqual(record.s3.configurationId, "classroom-video-uploaded")
        XCTAssertEqual(record.s3.bucket.name, "classroom-input")
        XCTAssertEqual(record.s3.bucket.arn, "arn:aws:s3:::classroom-input")
        XCTAssertEqual(record.s3.object.key, "test_0.mp4")
        XCTAssertEqual(record.s3.object.size, 1_234_567)
        XCTAssertEqual(record.s3.object.eTag, "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(record.s3.object.versionId, "096fKKXTRTtl3on89fVO.nfljtsv6qko")
        XCTAssertEqual(record.s3.object.sequencer, "0055AED6DCD90281E5")
    }

    func testKeysAreFormURLDecoded() throws {
        XCTAssertEqual(try decodedKey("class+videos/week+1/test_0.mp4"), "class videos/week 1/test_0.mp4")
        XCTAssertEqual(try decodedKey("a%2Bb%3Dc%26d.mp4"), "a+b=c&d.mp4")
        XCTAssertEqual(try decodedKey("caf%C3%A9+%E5%AD%A6%E7%94%9F+%281%29.mp4"), "café 学生 (1).mp4")
        XCTAssertEqual(try decodedKey("100%25+done%2f.mp4"), "100% done/.mp4")
        XCTAssertEqual(try decodedKey("2024/03/01/test_7.mp4"), "2024/03/01/test_7.mp4")
        // A %00 byte is part of the key, not its end.
        XCTAssertEqual(try decodedKey("a%00b"), "a\u{0}b")
    }

    func testBadKeyEncodingNamesTheKey() {
        for bad in ["bad%zz.mp4", "cut%2", "cut%", "%FF%FE.mp4", "%C3"] {
            XCTAssertThrowsError(try decodedKey(bad), bad) { error in
                guard case S3EventError.malformed(let reason) = error else { return XCTFail("\(bad): \(error)") }
                XCTAssertTrue(reason.contains("Records[0].s3.object.key"), reason)
                XCTAssertTrue(reason.contains(bad), reason)
            }
        }
    }

    func testSeveralRecordsKeepTheirOrder() throws {
        let payload = S3EventFixtures.event(
            try S3EventFixtures.record(key: "test_0.mp4", sequencer: "01"),
            try S3EventFixtures.record(key: "big+one.mp4", eventName: "ObjectCreated:CompleteMultipartUpload",
                                   bucket: "other-input", size: 6_000_000_000, sequencer: "02"),
            try S3EventFixtures.record(key: "copy.mp4", eventName: "ObjectCreated:Copy", sequencer: "03"))
        let event = try S3Event.notification(from: payload)
        XCTAssertEqual(event.records.map(\.s3.object.key), ["test_0.mp4", "big one.mp4", "copy.mp4"])
        XCTAssertEqual(event.records.map(\.s3.bucket.name), ["classroom-input", "other-input", "classroom-input"])
        XCTAssertEqual(event.records.map(\.s3.object.sequencer), ["01", "02", "03"])
        XCTAssertEqual(event.records[1].s3.object.size, 6_000_000_000)
    }

    func testRecordsOfOtherEventsDecodeAndSayTheyAreNotObjectCreated() throws {
        let event = try S3Event.notification(from: S3EventFixtures.event(
            S3EventFixtures.record(key: "a.mp4"),
            S3EventFixtures.record(key: "b.mp4", eventName: "ObjectRemoved:Delete"),
            S3EventFixtures.record(key: "c.mp4", eventName: "ObjectRestore:Completed")))
        XCTAssertEqual(event.records.map(\.isObjectCreated), [true, false, false])
        XCTAssertEqual(event.records.map(\.s3.object.key), ["a.mp4", "b.mp4", "c.mp4"])
    }

    func testTheVersionIsTheEventsOwnAndAbsentWithoutVersioning() throws {
        func version(_ record: String) throws -> String? {
            try S3Event.notification(from: S3EventFixtures.event(record)).records[0].s3.object.versionId
        }
        XCTAssertEqual(try version(S3EventFixtures.record(key: "a.mp4", versionId: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")),
                       "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")
        XCTAssertEqual(try version(S3EventFixtures.record(key: "a.mp4", versionId: "null")), "null")
        XCTAssertNil(try version(S3EventFixtures.record(key: "a.mp4", versionId: nil)))
        let numeric = try S3EventFixtures.record(key: "a.mp4", versionId: nil)
            .replacingOccurrences(of: "\"size\"", with: "\"versionId\": 7, \"size\"")
        XCTAssertThrowsError(try version(numeric)) { error in
            XCTAssertTrue(error.localizedDescription.contains("Records[0].s3.object.versionId"), error.localizedDescription)
        }
    }

    func testBucketNamesFollowS3sNamingRules() {
        for valid in ["classroom-input", "abc", "a.b-c.1", "my.dotted.bucket", String(repeating: "a", count: 63), "1.2.3.x"] {
            XCTAssertNil(S3Event.Bucket.nameProblem(valid), valid)
        }
        let invalid: [(String, String)] = [
            ("localhost:8765#", "':'"), ("evil.example.com/x", "'/'"), ("a@b.com", "'@'"), ("bucket?x=1", "'?'"),
            ("Classroom-Input", "'C'"), ("under_score", "'_'"), ("caf\u{e9}", "'\\u{00E9}'"), ("sp ace", "' '"),
            ("ab", "2 bytes"), (String(repeating: "a", count: 64), "64 bytes"), ("", "0 bytes"),
            ("-input", "begin and end"), ("input-", "begin and end"), (".input", "begin and end"),
            ("a..b", "adjacent periods"), ("192.168.5.4", "IP address"),
            ("xn--bucket", "\"xn--\""), ("sthree-bucket", "\"sthree-\""), ("amzn-s3-demo-bucket", "\"amzn-s3-demo-\""),
            ("bucket-s3alias", "\"-s3alias\""), ("bucket--ol-s3", "\"--ol-s3\""), ("bucket.mrap", "\".mrap\""),
            ("bucket--x-s3", "\"--x-s3\""), ("bucket--table-s3", "\"--table-s3\""),
        ]
        for (name, reason) in invalid {
            let problem = S3Event.Bucket.nameProblem(name)
            XCTAssertTrue(problem?.contains(reason) ?? false, "\(name.debugDescription): \(problem ?? "accepted")")
        }
    }

    func testEventsThatAreNotS3NotificationsSayWhatTheyAre() {
        let cases: [(String, [UInt8], S3EventError)] = [
            ("S3 test event", S3EventFixtures.testEvent, .testEvent(eventName: "s3:TestEvent")),
            ("SQS", S3EventFixtures.sqsEvent, .notFromS3(index: 0, eventSource: "aws:sqs")),
            ("empty records", Array(#"{"Records": []}"#.utf8), .noRecords(preview: #"{"Records": []}"#)),
            ("no records", Array(#"{"key": "test_0.mp4"}"#.utf8), .noRecords(preview: #"{"key": "test_0.mp4"}"#)),
            ("JSON string", Array(#""test_0.mp4""#.utf8), .noRecords(preview: #""test_0.mp4""#)),
            ("not JSON", Array("test_0.mp4".utf8), .notJSON(preview: "test_0.mp4")),
            ("empty", [], .notJSON(preview: "")),
        ]
        for (name, payload, expected) in cases {
            XCTAssertThrowsError(try S3Event.notification(from: payload), name) { error in
                XCTAssertEqual(error as? S3EventError, expected, name)
                XCTAssertFalse(error.localizedDescription.isEmpty)
            }
        }
    }

    func testMissingAndMistypedFieldsAreNamedByPath() throws {
        let noBucket = try S3EventFixtures.record(key: "a.mp4").replacingOccurrences(of: "\"bucket\"", with: "\"pail\"")
        let textSize = try S3EventFixtures.record(key: "a.mp4").replacingOccurrences(of: "\"size\": 1234567", with: "\"size\": \"big\"")
        for (record, path) in [(noBucket, "Records[0].s3.bucket is missing"), (textSize, "Records[0].s3.object.size is not")] {
            XCTAssertThrowsError(try S3Event.notification(from: S3EventFixtures.event(record))) { error in
                XCTAssertTrue(error.localizedDescription.contains(path), error.localizedDescription)
            }
        }
    }
}
