import Foundation
import TestSupport
import XCTest

/// `classroom-assistant upload` against moto (scripts/moto-env: signatures and IAM enforced) with
/// the operator's keys: a 600 MB multipart upload whose object has the file's bytes, its progress
/// bar on a terminal and nothing extra through a pipe, Ctrl-C leaving no multipart upload, files
/// refused before any byte is sent, and --wait.
final class UploadCommandTests: ScratchTestCase {
    private var servers: HarnessServers?
    private var exports: [String: String] = [:]
    /// What the command line gets: the operator's keys, the region, the endpoint, the buckets.
    private var operatorEnvironment: [String: String] = [:]

    override func setUpWithError() throws {
        try super.setUpWithError()
        let servers = try HarnessServers(moto: true, runDirectory: scratch)
        self.servers = servers
        exports = servers.moto?.exports ?? [:]
        operatorEnvironment = (servers.moto?.operatorEnvironment ?? [:]).merging(
            ["INPUT_BUCKET": exports["INPUT_BUCKET"] ?? "", "OUTPUT_BUCKET": exports["OUTPUT_BUCKET"] ?? ""]) { $1 }
    }

    override func tearDownWithError() throws {
        servers?.stop()
        try super.tearDownWithError()
    }

    /// boto3 as `who` ("operator" or the function's user, who may read the input bucket); prints JSON.
    private func boto(_ script: String, as who: String = "operator", _ arguments: [String] = []) throws -> Any {
        let keys = who == "operator" ? (exports["OPERATOR_ACCESS_KEY_ID"], exports["OPERATOR_SECRET_ACCESS_KEY"])
                                     : (exports["AWS_ACCESS_KEY_ID"], exports["AWS_SECRET_ACCESS_KEY"])
        let prelude = """
            import boto3, hashlib, json, os, sys
            s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"],
                              aws_access_key_id=sys.argv[1], aws_secret_access_key=sys.argv[2], aws_session_token=None)
            def head(bucket, key):
                try:
                    return s3.head_object(Bucket=bucket, Key=key)
                except s3.exceptions.ClientError as error:
                    if error.response["Error"]["Code"] in ("404", "NoSuchKey"):
                        return None
                    raise

            """
        let result = try Command.run(Project.python, ["-c", prelude + script, keys.0 ?? "", keys.1 ?? ""] + arguments,
                                     environment: operatorEnvironment.filter { $0.key != "AWS_SESSION_TOKEN" })
        guard result.status == 0 else { throw TestSetupError("python3 with boto3 failed: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: .fragmentsAllowed)
    }

    private func objectSize(_ key: String) throws -> Int? {
        try boto("h = head(os.environ['INPUT_BUCKET'], sys.argv[3]); print(json.dumps(h and h['ContentLength']))", as: "function", [key]) as? Int
    }

    private func multipartUploads() throws -> [String] {
        try boto("print(json.dumps([u['Key'] for u in s3.list_multipart_uploads(Bucket=os.environ['INPUT_BUCKET']).get('Uploads', [])]))") as? [String] ?? []
    }

    func testA600MBVideoIsUploadedInPartsWithABarAndCtrlCLeavesNothing() throws {
        // A real clip followed by random bytes: a video the check accepts, 600 MB that do not compress.
        let lecture = scratch + "/lecture.mp4"
        let size = 600_000_000
        let clipSize = try FileManager.default.attributesOfItem(atPath: Project.clip("test_0"))[.size] as? Int ?? 0
        let made = try Command.run("sh", ["-c", "cat \"$1\" > \"$2\" && head -c \"$3\" /dev/urandom >> \"$2\"", "sh",
                                          Project.clip("test_0"), lecture, String(size - clipSize)])
        XCTAssertEqual(made.status, 0, made.stderr)

        // On a pseudo-terminal (stderr only; stdout stays a pipe): the bar, redrawn in place.
        let (tty, screen) = try Command.runOnTerminal(Project.binary, ["upload", lecture, "--course", "cs101"],
                                                      environment: operatorEnvironment)
        XCTAssertEqual(tty.status, 0, tty.stderr)
        XCTAssertEqual(tty.stdout, "uploaded \(lecture) to s3://classroom-input/cs101/lecture.mp4\n")
        let bars = screen.components(separatedBy: "\r\u{1B}[K").filter { $0.hasPrefix("lecture.mp4 [") }
        XCTAssertGreaterThanOrEqual(bars.count, 2, "the bar is redrawn: \(screen.debugDescription)")
        XCTAssertTrue(bars.allSatisfy { $0.contains(" of 572.2 MiB, ") && $0.contains(" MiB/s") }, screen.debugDescription)
        XCTAssertTrue(bars.last?.contains("[########################] 572.2 of 572.2 MiB") ?? false, screen.debugDescription)
        XCTAssertTrue(bars.contains { $0.hasSuffix(" s left") }, screen.debugDescription)
        XCTAssertTrue(screen.hasSuffix("\r\u{1B}[K"), "the bar is cleared at the end: \(screen.debugDescription)")

        // The object is the file: same size, and the ETag S3 gives a multipart upload of 16 MiB parts of these bytes.
        let check = """
            h = head(os.environ["INPUT_BUCKET"], "cs101/lecture.mp4")
            digests = []
            with open(sys.argv[3], "rb") as f:
                while True:
                    part = f.read(16 << 20)
                    if not part:
                        break
                    digests.append(hashlib.md5(part).digest())
            expected = '"%s-%d"' % (hashlib.md5(b"".join(digests)).hexdigest(), len(digests))
            print(json.dumps([h["ContentLength"], h["ETag"], expected]))
            """
        let object = try boto(check, as: "function", [lecture]) as? [Any] ?? []
        XCTAssertEqual(object.first as? Int, size)
        XCTAssertEqual(object.dropFirst().first as? String, object.last as? String, "the multipart ETag of the file's bytes")
        XCTAssertTrue((object.last as? String ?? "").hasSuffix("-36\""), "\(object)")

        // Through a pipe: one line on stdout, nothing on stderr.
        let piped = try Command.classroomAssistant(["upload", Project.clip("test_1"), "--course", "cs101"], environment: operatorEnvironment)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stderr, "", "nothing extra when stderr is not a terminal")
        XCTAssertEqual(piped.stdout, "uploaded \(Project.clip("test_1")) to s3://classroom-input/cs101/test_1.mp4\n")

        // Ctrl-C once parts are on their way: the upload is aborted, no object and no multipart upload remain.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Project.binary)
        process.arguments = ["upload", lecture, "--course", "cs102"]
        process.environment = ProcessInfo.processInfo.environment.merging(operatorEnvironment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let log = (try? String(contentsOfFile: scratch + "/moto.log", encoding: .utf8)) ?? ""
            if log.contains("PUT /classroom-input/cs102/lecture.mp4?partNumber=") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.interrupt()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("interrupted; the upload to s3://classroom-input/cs102/lecture.mp4 was aborted"), stderr)
        XCTAssertEqual(try multipartUploads(), [], "ListMultipartUploads is empty")
        XCTAssertNil(try objectSize("cs102/lecture.mp4"))
        try FileManager.default.removeItem(atPath: lecture)
    }

    func testFilesThatAreNotVideosAndBadCoursesAreRefusedBeforeAnyByte() throws {
        let notes = scratch + "/notes.mp4"
        try Data("lecture notes, not a video\n".utf8).write(to: URL(fileURLWithPath: notes))
        let refused = try Command.classroomAssistant(["upload", Project.clip("test_0"), notes, "--course", "cs103"], environment: operatorEnvironment)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("\(notes): not a video the function can read: ") && refused.stderr.contains("nothing was uploaded"), refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        for (course, reason) in [("../x", "contains a slash"), ("a/b", "contains a slash"), ("a..b", "contains '..'")] {
            let result = try Command.classroomAssistant(["upload", Project.clip("test_0"), "--course", course], environment: operatorEnvironment)
            XCTAssertEqual(result.status, 1, course)
            XCTAssertTrue(result.stderr.contains("course name '\(course)' is not allowed: it \(reason)"), result.stderr)
        }
        XCTAssertNil(try objectSize("cs103/test_0.mp4"), "the video beside the refused file was not sent either")
        XCTAssertFalse(try String(contentsOfFile: scratch + "/moto.log", encoding: .utf8).contains("PUT /classroom-input/"), "no byte sent")
    }

    func testWaitPrintsTheCSVRowsOrSaysItGaveUp() throws {
        let timedOut = try Command.classroomAssistant(["upload", Project.clip("test_2"), "--course", "cs104", "--wait", "--wait-timeout", "1"],
                                                      environment: operatorEnvironment)
        XCTAssertEqual(timedOut.status, 1)
        XCTAssertTrue(timedOut.stderr.contains("no s3://classroom-output/cs104/test_2.csv written within 1 s of the upload"), timedOut.stderr)

        // The function's part, played by its user: the CSV appears a moment after the upload.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Project.binary)
        process.arguments = ["upload", Project.clip("test_2"), "--course", "cs104", "--wait", "--wait-timeout", "60"]
        process.environment = ProcessInfo.processInfo.environment.merging(operatorEnvironment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = try boto("""
            import time
            time.sleep(1.5)
            s3.put_object(Bucket=os.environ["OUTPUT_BUCKET"], Key="cs104/test_2.csv", Body=b"mr_bean,lawyer,freshmen,0.00,1.00,2,0.4000\\n")
            print("null")
            """, as: "function")
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, printed)
        XCTAssertEqual(printed, """
            uploaded \(Project.clip("test_2")) to s3://classroom-input/cs104/test_2.mp4
            s3://classroom-output/cs104/test_2.csv:
            mr_bean,lawyer,freshmen,0.00,1.00,2,0.4000

            """)
    }
}
