import AWSClients
import ClassroomFunction
import Foundation
import HTTPClient
import TestSupport
import XCTest

/// The function as Lambda runs it, through the same real parts as scripts/workload: moto with
/// signature checks and IAM (scripts/moto-env), the real aws-lambda-rie running the built binary
/// with the function role's credentials, objects uploaded with the operator's keys, and S3 events
/// shaped like AWS's. One stack for the whole class.
final class FunctionEndToEndTests: FunctionStackTestCase {
    func testCourseClipsAndAnAwkwardKeyEachWriteTheirOneLine() throws {
        let stack = try running()
        let awkward = "lectures/2024 spring/Ünïcode + plus (1).v2.mp4"
        let plain = try stack.upload(contentsOf: Project.clip("test_0"), as: "test_0.mp4")
        let tricky = try stack.upload(contentsOf: Project.clip("test_1"), as: awkward)

        let outcome = try stack.invoke(S3EventFixtures.event(plain, tricky))

        XCTAssertNil(outcome.errorType, "the function failed: \(outcome.errorMessage ?? "")")
        let results = outcome.body["results"] as? [[String: Any]] ?? []
        XCTAssertEqual(results.compactMap { $0["outputKey"] as? String },
                       ["test_0.csv", "lectures/2024 spring/Ünïcode + plus (1).v2.csv"])
        var written: [(video: String, csv: String)] = []
        for (key, clip) in [("test_0.csv", "test_0.mp4"), ("lectures/2024 spring/Ünïcode + plus (1).v2.csv", "test_1.mp4")] {
            let line = try XCTUnwrap(stack.output(key), "no output object \(key)")
            let fields = line.split(separator: "\n").first?.split(separator: ",", omittingEmptySubsequences: false) ?? []
            XCTAssertEqual(line.split(separator: "\n").count, 1, "\(key): \(line)")
            XCTAssertEqual(fields.count, 3, "\(key): \(line)")
            let path = "\(stack.scratch)/graded-\(written.count).csv"
            try line.write(toFile: path, atomically: true, encoding: .utf8)
            written.append((clip, path))
        }
        for graded in try CourseGrading.grade(written) {
            XCTAssertNil(graded.problem, graded.video)
        }
        XCTAssertEqual(outcome.logLines.filter { $0["level"] as? String == "info" }.compactMap { $0["key"] as? String },
                       ["test_0.mp4", awkward], outcome.rawLog)
    }

    func testTheSameUploadTwiceWritesTheSameObject() throws {
        let stack = try running()
        let event = S3EventFixtures.event(try stack.upload(contentsOf: Project.clip("test_2"), as: "twice.mp4"))

        let first = try stack.invoke(event)
        let written = try stack.output("twice.csv")
        let second = try stack.invoke(event)

        XCTAssertNil(first.errorType, first.errorMessage ?? "")
        XCTAssertNil(second.errorType, second.errorMessage ?? "")
        XCTAssertEqual(written, "mr_bean,lawyer,freshmen\n")
        XCTAssertEqual(try stack.output("twice.csv"), written)
        XCTAssertEqual(NSDictionary(dictionary: first.body), NSDictionary(dictionary: second.body))
    }

    func testObjectsThatAreNotVideosFailWithOneLogLineAndNoOutput() throws {
        let stack = try running()
        let clip = try Array(Data(contentsOf: URL(fileURLWithPath: Project.clip("test_1"))))
        let audioOnly = stack.scratch + "/audio-only.mp4"
        try Command.ffmpeg(["-i", Project.clip("test_0"), "-vn", "-c:a", "copy", audioOnly])
        let badObjects: [(key: String, bytes: [UInt8])] = [
            ("bad/empty.mp4", []),
            ("bad/truncated.mp4", Array(clip.prefix(clip.count / 2))),
            ("bad/random.mp4", (0..<65_536).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }),
            ("bad/notes.mp4", Array("these are lecture notes, not a video\n".utf8)),
            ("bad/audio-only.mp4", try Array(Data(contentsOf: URL(fileURLWithPath: audioOnly)))),
        ]
        for (key, bytes) in badObjects {
            let outcome = try stack.invoke(S3EventFixtures.event(try stack.upload(bytes, as: key)))

            XCTAssertEqual(outcome.errorType, "FunctionError", "\(key): \(outcome.body)")
            XCTAssertTrue(outcome.errorMessage?.contains(key) ?? false, "\(key): \(outcome.errorMessage ?? "no errorMessage")")
            XCTAssertNil(try stack.output(key.replacingOccurrences(of: ".mp4", with: ".csv")), "\(key) left an output object")
            let lines = outcome.logLines.filter { $0["key"] as? String == key }
            XCTAssertEqual(lines.count, 1, "\(key): expected one log line about it:\n\(outcome.rawLog)")
            XCTAssertEqual(lines.first?["level"] as? String, "error", outcome.rawLog)
            XCTAssertFalse((lines.first?["error"] as? String ?? "").isEmpty, outcome.rawLog)
        }
    }

    func testAStudentMissingFromTheTableGetsEmptyMajorAndYearAndAWarning() throws {
        let stack = try running()
        let outcome = try stack.invoke(S3EventFixtures.event(try stack.upload(contentsOf: Project.clip("test_8"), as: "absent.mp4")))

        XCTAssertNil(outcome.errorType, outcome.errorMessage ?? "")
        XCTAssertEqual(try stack.output("absent.csv"), "\(Self.absentStudent),,\n")
        let warnings = outcome.logLines.filter { $0["level"] as? String == "warning" }
        XCTAssertEqual(warnings.count, 1, outcome.rawLog)
        // At the default log level the warning says what happened, not to whom (CloudWatch keeps it).
        XCTAssertTrue((warnings.first?["message"] as? String ?? "").contains("a student was recognised but has no row"), outcome.rawLog)
        XCTAssertFalse(outcome.rawLog.contains(Self.absentStudent), outcome.rawLog)
    }

    /// Issue 25: every line about an object is CloudWatch Embedded Metric Format (checked against the
    /// specification's required fields), with the per-video counts and timings as metrics; issue 21:
    /// no line at the default level names a student, whatever happened to the video.
    func testEveryLineAboutAVideoIsEmbeddedMetricFormatAndNamesNobody() throws {
        let stack = try running()
        let events = [
            S3EventFixtures.event(try stack.upload(contentsOf: Project.clip("test_0"), as: "emf/test_0.mp4"),
                                  try stack.upload(contentsOf: Project.clip("test_8"), as: "emf/absent.mp4")),
            S3EventFixtures.event(try stack.upload(Array("not a video\n".utf8), as: "emf/notes.mp4")),
            S3EventFixtures.event(try S3EventFixtures.record(key: "emf/elsewhere.mp4", bucket: "another-classroom-input")),
        ]
        var lines: [[String: Any]] = []
        var raw = ""
        for event in events {
            let outcome = try stack.invoke(event)
            lines += outcome.logLines
            raw += outcome.rawLog
        }
        let aboutObjects = lines.filter { $0["key"] != nil }
        XCTAssertEqual(Set(aboutObjects.compactMap { $0["key"] as? String }),
                       ["emf/test_0.mp4", "emf/absent.mp4", "emf/notes.mp4", "emf/elsewhere.mp4"], raw)
        for line in aboutObjects {
            XCTAssertEqual(EmbeddedMetricFormat.problems(line), [], "\(line)")
        }
        let processed = try XCTUnwrap(aboutObjects.first { $0["key"] as? String == "emf/test_0.mp4" && $0["level"] as? String == "info" }, raw)
        let directive = try XCTUnwrap(((processed["_aws"] as? [String: Any])?["CloudWatchMetrics"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set((directive["Metrics"] as? [[String: Any]] ?? []).compactMap { $0["Name"] as? String }),
                       ["videoSeconds", "processingMs", "framesDecoded", "studentsRecognised", "unknownPeople"])
        XCTAssertEqual(directive["Dimensions"] as? [[String]], [["mode"]])
        XCTAssertEqual(processed["mode"] as? String, "first")
        XCTAssertEqual(processed["studentsRecognised"] as? Int, 1, raw)
        for name in try Self.enrolledNames() {
            XCTAssertFalse(raw.contains(name), "a log line names \(name):\n\(raw)")
        }
    }

    /// Everyone the course's encoding knows.
    static func enrolledNames() throws -> [String] {
        let table = try JSONSerialization.jsonObject(with: Data(contentsOf: Project.root.appendingPathComponent("student_data.json")))
        return ((table as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String } + ["denzel_washington", "bush", "travis_ragnar"]
    }

    func testObjectsRefusedOnPurposeSucceedWithALogLineSayingWhyAndNoRequest() throws {
        let stack = try running()
        let deleted = try stack.upload(contentsOf: Project.clip("test_1"), as: "deleted/test_1.mp4")
        let refused: [(record: String, key: String, level: String, reason: String)] = [
            (try stack.upload(Array("president_trump,physics,junior\n".utf8), as: "results/test_0.csv"),
             "results/test_0.csv", "warning", ".csv"),
            (try S3EventFixtures.record(key: "loop/test_0.mp4", bucket: stack.outputBucket), "loop/test_0.mp4", "warning", "output bucket"),
            (try S3EventFixtures.record(key: "elsewhere/test_0.mp4", bucket: "another-classroom-input"), "elsewhere/test_0.mp4",
             "warning", "not the input bucket \(stack.inputBucket)"),
            (deleted.replacingOccurrences(of: "ObjectCreated:Put", with: "ObjectRemoved:Delete"), "deleted/test_1.mp4",
             "info", "ObjectRemoved:Delete"),
        ]
        for (record, key, level, reason) in refused {
            let requestsBefore = try stack.motoRequests()
            let outcome = try stack.invoke(S3EventFixtures.event(record))

            XCTAssertNil(outcome.errorType, "\(key): \(outcome.errorMessage ?? "")")
            XCTAssertEqual((outcome.body["skipped"] as? [[String: Any]])?.compactMap { $0["key"] as? String }, [key], "\(outcome.body)")
            let lines = outcome.logLines.filter { $0["key"] as? String == key }
            XCTAssertEqual(lines.count, 1, "\(key): expected one log line about it:\n\(outcome.rawLog)")
            XCTAssertEqual(lines.first?["level"] as? String, level, outcome.rawLog)
            XCTAssertTrue((lines.first?["skipped"] as? String ?? "").contains(reason), "\(key): \(outcome.rawLog)")
            XCTAssertEqual(try stack.motoRequests(), requestsBefore, "\(key): the function sent requests for a refused object")
        }
        XCTAssertNil(try stack.output("results/test_0.csv"), "a .csv upload was answered with an output object")
        XCTAssertNil(try stack.output("loop/test_0.csv"), "an object of the output bucket was processed")
        XCTAssertNil(try stack.output("deleted/test_1.csv"), "a deletion was processed")

        let test = try stack.invoke(S3EventFixtures.testEvent)
        XCTAssertNil(test.errorType, test.errorMessage ?? "")
        XCTAssertEqual(test.logLines.filter { $0["level"] as? String == "info" && ($0["skipped"] as? String ?? "").contains("s3:TestEvent") }.count,
                       1, test.rawLog)
    }

    /// The function without an S3 endpoint override, as in AWS: a bucket name would become the host of
    /// a virtual-hosted URL, and `localhost:PORT#` would send the signed GET to PORT.
    func testABucketNameThatIsNotAnS3NameNeverReachesAURL() throws {
        let listener = try LoopbackListener()
        defer { listener.stop() }
        let stack = try running()
        let function = try FunctionEmulator(environment: [
            "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "not-a-secret",
            "INPUT_BUCKET": stack.inputBucket, "OUTPUT_BUCKET": stack.outputBucket, "STUDENTS_TABLE": "students",
            "MODELS_DIR": Project.models, "ENCODING_FILE": Project.root.path + "/encoding",
        ], runDirectory: stack.scratch + "/no-endpoint")
        defer { function.stop() }

        let bucket = "localhost:\(listener.port)#"
        let outcome = try function.invoke(S3EventFixtures.event(S3EventFixtures.record(key: "test_0.mp4", bucket: bucket)))

        XCTAssertNil(outcome.errorType, outcome.errorMessage ?? "")
        XCTAssertEqual(listener.connections, 0, "the function connected to the port named in the bucket name")
        let lines = outcome.logLines.filter { $0["bucket"] as? String == bucket }
        XCTAssertEqual(lines.count, 1, outcome.rawLog)
        XCTAssertEqual(lines.first?["level"] as? String, "warning", outcome.rawLog)
        XCTAssertTrue((lines.first?["skipped"] as? String ?? "").contains("':'"), outcome.rawLog)
    }

    func testAVersionedObjectIsReadAtTheEventsVersion() throws {
        let stack = try running()
        let versions = try stack.uploadVersions(of: "versioned/lecture.mp4", [Project.clip("test_2"), Project.clip("test_0")])
        XCTAssertEqual(versions.count, 2)
        let first = try S3EventFixtures.record(key: "versioned/lecture.mp4", bucket: stack.inputBucket, versionId: versions[0])

        let outcome = try stack.invoke(S3EventFixtures.event(first))

        XCTAssertNil(outcome.errorType, outcome.errorMessage ?? "")
        XCTAssertEqual(try stack.output("versioned/lecture.csv"), "mr_bean,lawyer,freshmen\n",
                       "the CSV is not about the first upload, the version the event names")
    }
}

/// moto provisioned by scripts/moto-env and aws-lambda-rie serving the built binary, started by the harness.
final class FunctionStack {
    let scratch: String
    let inputBucket: String
    let outputBucket: String
    private let servers: HarnessServers
    private let moto: HarnessServers.Moto
    private let functions: [FunctionEmulator]
    private let http: HTTPClient
    let s3: S3Client
    /// The operator's keys, region and endpoint, as the command line gets them (enroll, forget, load-students).
    let operatorKeys: [String: String]
    /// What scripts/moto-env exported.
    let exports: [String: String]
    /// The object moto-env filled from ./encoding, which the function reads (ENCODING_URI).
    let encodingURI: String
    /// The function's environment from the function role: its temporary keys, region, endpoint and names.
    let functionKeys: [String: String]

    /// `environment` adds to the function's settings (RECOGNITION_MODE, say); `emulators` of them
    /// serve it; `courses` gives it moto-env's rosters and attendance table.
    init(tableWithout absentStudent: String, environment: [String: String] = [:], emulators: Int = 1, courses: Bool = false) throws {
        scratch = try makeScratchDirectory()
        do {
            servers = try HarnessServers(moto: true, loadStudents: true, leavingOut: absentStudent, emulators: emulators,
                                         courses: courses, settings: environment, runDirectory: scratch)
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
        guard let moto = servers.moto else { throw TestSetupError("the harness started no moto") }
        self.moto = moto
        exports = moto.exports
        inputBucket = exports["INPUT_BUCKET"] ?? ""
        outputBucket = exports["OUTPUT_BUCKET"] ?? ""
        encodingURI = exports["ENCODING_URI"] ?? ""
        operatorKeys = moto.operatorEnvironment
        functionKeys = moto.functionEnvironment
        http = try HTTPClient()
        s3 = S3Client(configuration: try AWSConfiguration.fromEnvironment(operatorKeys), http: http)
        functions = try servers.emulators.map(FunctionEmulator.init)
    }

    func stop() {
        servers.stop()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// One invocation on emulator `emulator` (one thread per emulator at a time).
    func invoke(_ event: [UInt8], timeout: Double = 60, on emulator: Int = 0) throws -> FunctionEmulator.Outcome {
        guard functions.indices.contains(emulator) else { throw TestSetupError("the function's emulator \(emulator) did not start") }
        return try functions[emulator].invoke(event, timeout: timeout)
    }

    /// The function process's peak resident set size so far, in bytes.
    func functionPeakRSS() throws -> Int? { try functions.first?.functionPeakRSS() }

    /// The requests moto has logged so far (one line each).
    func motoRequests() throws -> [String] {
        try String(contentsOfFile: moto.log, encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("HTTP/1.1\"") }.map(String.init)
    }

    /// Turns versioning on for the input bucket and uploads each file in turn under `key` (with
    /// boto3, as the operator); returns the version IDs S3 gave them.
    func uploadVersions(of key: String, _ paths: [String]) throws -> [String] {
        let script = """
            import json, sys
            from harness.moto import LocalAWS
            s3 = LocalAWS.from_environment().operator_s3()
            bucket, key, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
            versions = []
            for path in paths:
                with open(path, "rb") as body:
                    versions.append(s3.put_object(Bucket=bucket, Key=key, Body=body.read())["VersionId"])
            print(json.dumps(versions))
            """
        let result = try operatorPython(script, [inputBucket, key] + paths)
        guard result.status == 0 else { throw TestSetupError("the versioned upload failed: \(result.stderr)") }
        return try JSONDecoder().decode([String].self, from: Data(result.stdout.utf8))
    }

    /// Every object of the output bucket, with the Cache-Control it was stored with (boto3, as the operator).
    func outputObjects() throws -> [(key: String, cacheControl: String?)] {
        let script = """
            import json, sys
            from harness.moto import LocalAWS
            s3 = LocalAWS.from_environment().operator_s3()
            objects = []
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1]):
                for item in page.get("Contents", []):
                    head = s3.head_object(Bucket=sys.argv[1], Key=item["Key"])
                    objects.append([item["Key"], head.get("CacheControl")])
            print(json.dumps(objects))
            """
        let result = try operatorPython(script, [outputBucket])
        guard result.status == 0 else { throw TestSetupError("listing the output bucket failed: \(result.stderr)") }
        let pairs = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[Any]] ?? []
        return pairs.map { (key: $0[0] as? String ?? "", cacheControl: $0[1] as? String) }
    }

    /// Runs a Python script that reaches moto through the harness's LocalAWS (moto-env's exports in its environment).
    private func operatorPython(_ script: String, _ arguments: [String]) throws -> CommandResult {
        try Command.run(Project.python, ["-c", script] + arguments, environment: exports.merging(Harness.environment) { $1 })
    }

    /// Uploads with the operator's keys; returns the notification record S3 would send for it.
    func upload(_ bytes: [UInt8], as key: String, eventTime: String = "2024-03-01T12:34:56.789Z") throws -> String {
        try s3.putObject(bucket: inputBucket, key: key, body: bytes, contentType: "video/mp4")
        return try S3EventFixtures.record(uploadedKey: key, bucket: inputBucket, size: bytes.count, versionId: nil,
                                          eventTime: eventTime)
    }

    func upload(contentsOf path: String, as key: String, eventTime: String = "2024-03-01T12:34:56.789Z") throws -> String {
        try upload(Array(Data(contentsOf: URL(fileURLWithPath: path))), as: key, eventTime: eventTime)
    }

    /// Writes a course's roster as the operator (a teacher) does.
    func putRoster(_ text: String, course: String) throws {
        let uri = exports["ROSTERS_URI"] ?? ""
        let bucket = uri.dropFirst("s3://".count).split(separator: "/").first.map(String.init) ?? ""
        try s3.putObject(bucket: bucket, key: course + ".csv", body: Array(text.utf8), contentType: "text/csv")
    }

    /// The output object's text, or nil when there is none.
    func output(_ key: String) throws -> String? {
        try outputBytes(key).map { String(decoding: $0, as: UTF8.self) }
    }

    func outputBytes(_ key: String) throws -> [UInt8]? {
        do {
            return try s3.getObject(bucket: outputBucket, key: key, maxBytes: 1 << 20).withBuffer { Array($0) }
        } catch let error as AWSError where error.code == "NoSuchKey" {
            return nil
        }
    }
}
