import AWSClients
import Foundation
import HTTPClient
import TestSupport
import XCTest

/// Enrolling and forgetting while the function is warm: moto-env's encoding object (ENCODING_URI)
/// edited by `enroll --add` and `forget` as the operator, and read by the function under the real
/// emulator, which revalidates it with one conditional GET per invocation. One stack for the class.
final class EnrolmentEndToEndTests: FunctionStackTestCase {
    private func operatorS3(_ stack: FunctionStack) throws -> S3Client {
        S3Client(configuration: try AWSConfiguration.fromEnvironment(stack.operatorKeys), http: try HTTPClient())
    }

    private func encodingObject(_ stack: FunctionStack) -> (bucket: String, key: String) {
        let parts = stack.encodingURI.dropFirst("s3://".count).split(separator: "/", maxSplits: 1).map(String.init)
        return (parts[0], parts[1])
    }

    private func cli(_ stack: FunctionStack, _ arguments: [String]) throws -> CommandResult {
        try Command.classroomAssistant(arguments, environment: stack.operatorKeys)
    }

    private func frames(of clip: String, at times: [Double], into folder: String) throws -> [String] {
        try times.enumerated().map { index, time in
            let path = "\(folder)/\(clip)-\(index).jpg"
            try Command.ffmpeg(["-ss", String(time), "-i", Project.clip(clip), "-frames:v", "1", path])
            return path
        }
    }

    /// The one encoding line this invocation logged.
    private func encodingLine(_ outcome: FunctionEmulator.Outcome) -> [String: Any]? {
        let lines = outcome.logLines.filter { $0["encoding"] != nil }
        XCTAssertEqual(lines.count, 1, outcome.rawLog)
        return lines.first
    }

    private func successLine(_ outcome: FunctionEmulator.Outcome, key: String) -> [String: Any]? {
        outcome.logLines.first { $0["key"] as? String == key && $0["level"] as? String == "info" }
    }

    func testAStudentEnrolledWhileTheFunctionIsWarmIsNamedInTheNextVideoAndUnknownOnceForgotten() throws {
        let stack = try running()
        // mr_bean is not enrolled: forgotten before the function first reads the object.
        let forgot = try cli(stack, ["forget", "mr_bean", "--encoding", stack.encodingURI, "--output-bucket", stack.outputBucket])
        XCTAssertEqual(forgot.status, 0, forgot.stderr)
        XCTAssertTrue(forgot.stdout.contains("deleted 1 encoding of 'mr_bean' in \(stack.encodingURI)"), forgot.stdout)
        let event = S3EventFixtures.event(try stack.upload(contentsOf: Project.clip("test_2"), as: "late/bean.mp4"))

        let before = try stack.invoke(event)
        XCTAssertNil(before.errorType, before.errorMessage ?? "")
        XCTAssertEqual(try stack.output("late/bean.csv"), "", "a student who is not enrolled was named")

        let photos = try frames(of: "test_2", at: [0.25, 1.0], into: stack.scratch)
        let added = try cli(stack, ["enroll", "--add", "mr_bean"] + photos + ["--encoding", stack.encodingURI, "--table", "students"])
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stdout.contains("added 2 encodings of mr_bean"), added.stdout)

        let after = try stack.invoke(event)
        XCTAssertNil(after.errorType, after.errorMessage ?? "")
        XCTAssertEqual(try stack.output("late/bean.csv"), "mr_bean,lawyer,freshmen\n", "the enrolled student was not named")
        let reloaded = encodingLine(after)
        XCTAssertEqual(reloaded?["encoding"] as? String, stack.encodingURI)
        XCTAssertEqual(reloaded?["encodingReplaced"] as? Bool, true, after.rawLog)
        XCTAssertEqual(reloaded?["encodingRequests"] as? Int, 1)
        XCTAssertNotNil(reloaded?["encodingMs"] as? Double, after.rawLog)

        // Unchanged since: a 304, the same answer.
        let again = try stack.invoke(event)
        XCTAssertEqual(encodingLine(again)?["encodingReplaced"] as? Bool, false, again.rawLog)
        XCTAssertEqual(try stack.output("late/bean.csv"), "mr_bean,lawyer,freshmen\n")

        // Forgotten again: the next video of them names nobody and counts them as unknown.
        let erased = try cli(stack, ["forget", "mr_bean", "--encoding", stack.encodingURI])
        XCTAssertTrue(erased.stdout.contains("deleted 2 encodings of 'mr_bean'"), erased.stdout)
        let forgotten = try stack.invoke(event)
        XCTAssertNil(forgotten.errorType, forgotten.errorMessage ?? "")
        XCTAssertEqual(try stack.output("late/bean.csv"), "")
        XCTAssertEqual(successLine(forgotten, key: "late/bean.mp4")?["unknownPeople"] as? Int, 1, forgotten.rawLog)
    }

    func testEightTeachersEnrollingEightPeopleAtOnceAllGetTheirsIn() throws {
        let stack = try running()
        let clips = ["test_0", "test_1", "test_2", "test_4", "test_5", "test_6", "test_7", "test_8"]
        let photos = try clips.map { try frames(of: $0, at: [0.5], into: stack.scratch)[0] }
        let names = clips.indices.map { "late_student_\($0 + 1)" }
        var results = [CommandResult?](repeating: nil, count: names.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            let result = try? cli(stack, ["enroll", "--add", names[index], photos[index], "--encoding", stack.encodingURI])
            lock.withLock { results[index] = result }
        }
        for (name, result) in zip(names, results) {
            XCTAssertEqual(result?.status, 0, "\(name): \(result?.stderr ?? "did not run")")
        }

        let (bucket, key) = encodingObject(stack)
        let path = stack.scratch + "/after-eight.pkl"
        try Data(try operatorS3(stack).getObject(bucket: bucket, key: key, maxBytes: 1 << 24).withBuffer { Array($0) })
            .write(to: URL(fileURLWithPath: path))
        let check = "import pickle, sys; d = pickle.load(open(sys.argv[1], 'rb')); print(' '.join(sorted(n for n in d['name'] if n.startswith('late_student_'))))"
        let python = try Command.run(Project.python, ["-c", check, path])
        XCTAssertEqual(python.status, 0, "python3 with numpy: \(python.stderr)")
        XCTAssertEqual(python.stdout.trimmingCharacters(in: .whitespacesAndNewlines), names.sorted().joined(separator: " "),
                       "each of the 8 once; conflicts retried: \(results.map { $0?.stderr ?? "" }.joined())")
    }

    func testAnEncodingObjectThatIsNoLongerAPickleFailsTheInvocationNamingItAndTheFacesStay() throws {
        let stack = try running()
        let (bucket, key) = encodingObject(stack)
        let s3 = try operatorS3(stack)
        let original = try s3.getObject(bucket: bucket, key: key, maxBytes: 1 << 24).withBuffer { Array($0) }
        let event = S3EventFixtures.event(try stack.upload(contentsOf: Project.clip("test_0"), as: "broken/encoding.mp4"))
        XCTAssertNil(try stack.invoke(event).errorType, "the function does not work to begin with")

        try s3.putObject(bucket: bucket, key: key, body: Array("name,encoding\nnot a pickle\n".utf8), contentType: "text/csv")
        let broken = try stack.invoke(event)
        XCTAssertNotNil(broken.errorType, "an unreadable encoding object did not fail the invocation")
        XCTAssertTrue(broken.errorMessage?.contains(stack.encodingURI) ?? false, broken.errorMessage ?? "no message")

        // enroll --add refuses to edit it, naming it, and leaves it as it is.
        let photo = try frames(of: "test_0", at: [0.5], into: stack.scratch)[0]
        let refused = try cli(stack, ["enroll", "--add", "someone_new", photo, "--encoding", stack.encodingURI])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains(stack.encodingURI), refused.stderr)
        XCTAssertEqual(try s3.getObject(bucket: bucket, key: key, maxBytes: 1 << 24).withBuffer { Array($0) },
                       Array("name,encoding\nnot a pickle\n".utf8), "enroll --add wrote over an object it could not read")

        try s3.putObject(bucket: bucket, key: key, body: original, contentType: "application/octet-stream")
        let restored = try stack.invoke(event)
        XCTAssertNil(restored.errorType, restored.errorMessage ?? "")
        XCTAssertEqual(try stack.output("broken/encoding.csv")?.hasPrefix("president_trump,"), true)
    }

    func testForgetDeletesTheFanOutPartialsThatNameThemAndNoOthers() throws {
        let stack = try running()
        let functionS3 = S3Client(configuration: try AWSConfiguration.fromEnvironment(stack.functionKeys), http: try HTTPClient())
        // Partials as a segment stores them (FanOutPartial): the run's nonce, the segment, its chunks.
        let nonce = String(repeating: "ab", count: 16)
        func partial(_ name: String, segment: Int) -> [UInt8] {
            let descriptor = (0..<128).map { _ in "0.01" }.joined(separator: ",")
            return Array("""
                {"nonce":"\(nonce)","segment":\(segment),"milliseconds":1,"chunks":[{"framesDecoded":1,"index":\(segment),"sampledTimes":[0],\
                "tracks":[{"identity":{"bestDistance":0.3,"distance":0.35,"name":"\(name)"},"meanDescriptor":[\(descriptor)],"times":[0]}]}]}
                """.utf8)
        }
        let naming = "fanout/aaaa/segment-\(nonce)-00001.json", other = "fanout/bbbb/segment-\(nonce)-00000.json"
        try functionS3.putObject(bucket: stack.outputBucket, key: naming, body: partial("floki", segment: 1), contentType: "application/json")
        try functionS3.putObject(bucket: stack.outputBucket, key: other, body: partial("vin_diesel", segment: 0), contentType: "application/json")
        try functionS3.putObject(bucket: stack.outputBucket, key: "fanout/aaaa/job.json", body: Array("{}".utf8), contentType: "application/json")

        // The encoding is a local copy here: this test is about the partials.
        let encoding = stack.scratch + "/encoding-copy"
        try FileManager.default.copyItem(atPath: Project.root.appendingPathComponent("encoding").path, toPath: encoding)
        let first = try cli(stack, ["forget", "floki", "--encoding", encoding, "--output-bucket", stack.outputBucket])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("deleted s3://\(stack.outputBucket)/\(naming)"), first.stdout)
        XCTAssertFalse(first.stdout.contains(other), first.stdout)
        XCTAssertNil(try stack.output(naming))
        XCTAssertNotNil(try stack.output(other))

        let second = try cli(stack, ["forget", "floki", "--encoding", encoding, "--output-bucket", stack.outputBucket])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("nothing left to delete"), second.stdout)
    }
}
