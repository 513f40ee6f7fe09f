import AWSClients
import Foundation
import HTTPClient
import TestSupport
import XCTest

/// The function as Lambda runs it, through the same real parts as scripts/workload: moto with
/// signature checks and IAM (scripts/moto-env), the real aws-lambda-rie running the built binary
/// with the function role's credentials, objects uploaded with the operator's keys, and S3 events
/// shaped like AWS's. One stack for the whole class.
final class FunctionEndToEndTests: XCTestCase {
    /// Left out of the students table; test_8.mp4 shows him.
    static let absentStudent = "president_obama"
    private static var stack: Result<FunctionStack, Error>?

    override class func setUp() {
        super.setUp()
        stack = Result { try FunctionStack(tableWithout: absentStudent) }
    }

    override class func tearDown() {
        if case .success(let running) = stack { running.stop() }
        stack = nil
        super.tearDown()
    }

    private func running() throws -> FunctionStack {
        guard let stack = Self.stack else { throw TestSetupError("the class's setUp did not run") }
        return try stack.get()
    }

    func testCourseClipsAndAnAwkwardKeyEachWriteTheirOneLine() throws {
        let stack = try running()
        let mapping = try Project.expectedRecords()
        let awkward = "lectures/2024 spring/Ünïcode + plus (1).v2.mp4"
        let plain = try stack.upload(contentsOf: Project.clip("test_0"), as: "test_0.mp4")
        let tricky = try stack.upload(contentsOf: Project.clip("test_1"), as: awkward)

        let outcome = try stack.invoke(S3EventFixtures.event(plain, tricky))

        XCTAssertNil(outcome.errorType, "the function failed: \(outcome.errorMessage ?? "")")
        let results = outcome.body["results"] as? [[String: Any]] ?? []
        XCTAssertEqual(results.compactMap { $0["outputKey"] as? String },
                       ["test_0.csv", "lectures/2024 spring/Ünïcode + plus (1).v2.csv"])
        for (key, clip) in [("test_0.csv", "test_0.mp4"), ("lectures/2024 spring/Ünïcode + plus (1).v2.csv", "test_1.mp4")] {
            let line = try XCTUnwrap(stack.output(key), "no output object \(key)")
            let fields = line.split(separator: "\n").first?.split(separator: ",", omittingEmptySubsequences: false) ?? []
            XCTAssertEqual(line.split(separator: "\n").count, 1, "\(key): \(line)")
            XCTAssertEqual(fields.count, 3, "\(key): \(line)")
            XCTAssertEqual(fields.dropFirst().joined(separator: ",").replacingOccurrences(of: "freshmen", with: "freshman"),
                           mapping[clip], "\(key): \(line)")
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
        XCTAssertTrue((warnings.first?["message"] as? String ?? "").contains(Self.absentStudent), outcome.rawLog)
    }

    func testACSVObjectAndAnObjectInTheOutputBucketAreRefused() throws {
        let stack = try running()
        let csv = try stack.upload(Array("president_trump,physics,junior\n".utf8), as: "results/test_0.csv")
        let loop = S3EventFixtures.record(key: "loop/test_0.mp4", bucket: stack.outputBucket)

        for event in [S3EventFixtures.event(csv), S3EventFixtures.event(loop)] {
            let outcome = try stack.invoke(event)
            XCTAssertEqual(outcome.errorType, "FunctionError", "\(outcome.body)")
            XCTAssertTrue(outcome.errorMessage?.contains("refused") ?? false, outcome.errorMessage ?? "no errorMessage")
        }
        XCTAssertNil(try stack.output("results/test_0.csv"), "a .csv upload was answered with an output object")
        XCTAssertNil(try stack.output("loop/test_0.csv"), "an object of the output bucket was processed")
    }
}

/// moto provisioned by scripts/moto-env and one aws-lambda-rie serving the built binary.
final class FunctionStack {
    let scratch: String
    let inputBucket: String
    let outputBucket: String
    private let motoPID: pid_t
    private let emulator: Process
    private let invocationURL: String
    private let logPath: String
    private var logOffset = 0
    private let http: HTTPClient
    private let s3: S3Client

    /// `environment` adds to (or overrides) the function's variables.
    init(tableWithout absentStudent: String, environment extra: [String: String] = [:]) throws {
        try Self.checkPrerequisites()
        scratch = try makeScratchDirectory()
        let ports = try (0..<3).map { _ in try freeLoopbackPort() }
        let started = try Command.run(Project.root.path + "/scripts/moto-env",
                                      ["start", "--port", String(ports[0]), "--log", scratch + "/moto.log"])
        guard started.status == 0 else {
            throw TestSetupError("scripts/moto-env start failed (scripts/setup installs moto and boto3): \(started.stderr)")
        }
        let exports = Self.parseExports(started.stdout)
        guard let pid = exports["MOTO_PID"].flatMap({ pid_t($0) }) else {
            throw TestSetupError("scripts/moto-env start printed no MOTO_PID")
        }
        motoPID = pid
        inputBucket = exports["INPUT_BUCKET"] ?? ""
        outputBucket = exports["OUTPUT_BUCKET"] ?? ""
        let aws = ["AWS_REGION": exports["AWS_REGION"] ?? "", "AWS_ENDPOINT_URL": exports["AWS_ENDPOINT_URL"] ?? ""]
        let operatorKeys = aws.merging(["AWS_ACCESS_KEY_ID": exports["OPERATOR_ACCESS_KEY_ID"] ?? "",
                                        "AWS_SECRET_ACCESS_KEY": exports["OPERATOR_SECRET_ACCESS_KEY"] ?? "",
                                        "AWS_SESSION_TOKEN": ""]) { $1 }
        let functionKeys = aws.merging(["AWS_ACCESS_KEY_ID": exports["FUNCTION_ROLE_ACCESS_KEY_ID"] ?? "",
                                        "AWS_SECRET_ACCESS_KEY": exports["FUNCTION_ROLE_SECRET_ACCESS_KEY"] ?? "",
                                        "AWS_SESSION_TOKEN": exports["FUNCTION_ROLE_SESSION_TOKEN"] ?? ""]) { $1 }
        http = try HTTPClient()
        s3 = S3Client(configuration: try AWSConfiguration.fromEnvironment(operatorKeys), http: http)

        logPath = scratch + "/emulator.log"
        invocationURL = "http://127.0.0.1:\(ports[1])/2015-03-31/functions/function/invocations"
        emulator = Process()
        do {
            try Self.loadStudents(without: absentStudent, table: exports["STUDENTS_TABLE"] ?? "", keys: operatorKeys, scratch: scratch)
            try startEmulator(ports: (ports[1], ports[2]), environment: functionKeys.merging([
                "OUTPUT_BUCKET": outputBucket, "STUDENTS_TABLE": exports["STUDENTS_TABLE"] ?? "",
                "MODELS_DIR": Project.models, "ENCODING_FILE": Project.root.path + "/encoding",
            ].merging(extra) { $1 }) { $1 })
        } catch {
            stop()
            throw error
        }
    }

    func stop() {
        if emulator.isRunning {
            emulator.terminate()  // the emulator SIGKILLs the function it runs
            emulator.waitUntilExit()
        }
        kill(motoPID, SIGTERM)
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// Uploads with the operator's keys; returns the notification record S3 would send for it.
    func upload(_ bytes: [UInt8], as key: String) throws -> String {
        try s3.putObject(bucket: inputBucket, key: key, body: bytes, contentType: "video/mp4")
        return S3EventFixtures.record(key: Self.formURLEncoded(key), bucket: inputBucket, size: bytes.count)
    }

    func upload(contentsOf path: String, as key: String) throws -> String {
        try upload(Array(Data(contentsOf: URL(fileURLWithPath: path))), as: key)
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

    struct Outcome {
        /// The emulator's response: the function's result, or errorType/errorMessage.
        let body: [String: Any]
        /// The JSON lines the function logged during this invocation.
        let logLines: [[String: Any]]
        let rawLog: String
        var errorType: String? { body["errorType"] as? String }
        var errorMessage: String? { body["errorMessage"] as? String }
    }

    /// One invocation through the emulator, and what the function logged meanwhile.
    func invoke(_ event: [UInt8]) throws -> Outcome {
        let response = try http.send(HTTPRequest(method: "POST", url: invocationURL, headers: [("Content-Type", "application/json")],
                                                 body: event, timeout: 60))
        guard response.status == 200, let body = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw TestSetupError("the emulator answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        let log = try logOfThisInvocation()
        let lines = log.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return Outcome(body: body, logLines: lines, rawLog: log)
    }

    /// The emulator's output since the last invocation, once it has written that invocation's END line.
    private func logOfThisInvocation() throws -> String {
        let deadline = Date().addingTimeInterval(5)
        var text = ""
        repeat {
            let all = try Data(contentsOf: URL(fileURLWithPath: logPath))
            text = String(decoding: all.dropFirst(logOffset), as: UTF8.self)
            if text.contains("\nEND RequestId") || text.hasPrefix("END RequestId") {
                logOffset = all.count
                return text
            }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        throw TestSetupError("the emulator logged no END line within 5 s: \(text)")
    }

    private func startEmulator(ports: (api: Int, runtime: Int), environment: [String: String]) throws {
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        emulator.executableURL = Project.root.appendingPathComponent("vendor/aws-lambda-rie")
        emulator.arguments = ["--runtime-interface-emulator-address", "127.0.0.1:\(ports.api)",
                              "--runtime-api-address", "127.0.0.1:\(ports.runtime)", Project.binary]
        emulator.environment = inherited.merging(environment) { $1 }
        emulator.currentDirectoryURL = Project.root
        emulator.standardOutput = FileHandle(forWritingAtPath: logPath)
        emulator.standardError = emulator.standardOutput
        emulator.standardInput = FileHandle.nullDevice
        try emulator.run()
        // Any HTTP answer means it listens; the function itself starts on the first invocation.
        let deadline = Date().addingTimeInterval(20)
        while (try? http.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(ports.api)/", timeout: 1))) == nil {
            guard emulator.isRunning, Date() < deadline else {
                throw TestSetupError("aws-lambda-rie did not listen on port \(ports.api): \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// student_data.json without one student, loaded by `classroom-assistant load-students` as the operator.
    private static func loadStudents(without absentStudent: String, table: String, keys: [String: String], scratch: String) throws {
        let all = try JSONSerialization.jsonObject(with: Data(contentsOf: Project.root.appendingPathComponent("student_data.json")))
        let kept = (all as? [[String: Any]] ?? []).filter { $0["name"] as? String != absentStudent }
        let path = scratch + "/students.json"
        try JSONSerialization.data(withJSONObject: kept).write(to: URL(fileURLWithPath: path))
        let loaded = try Command.run(Project.binary, ["load-students", path, "--table", table], environment: keys)
        guard loaded.status == 0 else { throw TestSetupError("load-students failed: \(loaded.stderr)") }
    }

    private static func checkPrerequisites() throws {
        let needs = [(Project.binary, "swift build -c release --build-tests"),
                     (Project.root.path + "/vendor/aws-lambda-rie", "scripts/fetch-rie"),
                     (Project.models + "/dlib_face_recognition_resnet_model_v1.dat", "scripts/fetch-models")]
        for (path, remedy) in needs where !FileManager.default.fileExists(atPath: path) {
            throw TestSetupError("\(path) is missing: run \(remedy)")
        }
    }

    /// moto-env's `export NAME=value` lines (values shell-quoted with single quotes).
    private static func parseExports(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let parts = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            values[String(parts[0])] = String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        return values
    }

    /// How S3 notifications carry keys: UTF-8 percent-encoded, a space as `+`, slashes kept.
    static func formURLEncoded(_ key: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/ ")
        let encoded = key.addingPercentEncoding(withAllowedCharacters: unreserved) ?? key
        return encoded.replacingOccurrences(of: " ", with: "+")
    }
}
