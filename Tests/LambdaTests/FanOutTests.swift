import Foundation
import TestSupport
import XCTest

/// Issue 15: a long attendance video fanned out over asynchronous invocations of the function
/// (scripts/lambda-dispatcher standing in for Lambda, real emulators, moto with signatures and
/// IAM enforced) writes the CSV, row for row, that one invocation writes for the whole video.
/// Faces from 160 px (MIN_FACE_PX) on a 720p video keep the CPU modest: the point is the
/// splitting and merging, which does not depend on the smallest face.
final class FanOutTests: ScratchTestCase {
    private static var servers: HarnessServers?
    private static var moto: [String: String] = [:]
    private static var single: String?

    override class func setUp() {
        super.setUp()
        guard let scratch = try? makeScratchDirectory(),
              let started = try? HarnessServers(moto: true, runDirectory: scratch) else { return }
        servers = started
        moto = started.moto?.exports ?? [:]
    }

    override class func tearDown() {
        servers?.stop()
        if let folder = servers?.runDirectory { try? FileManager.default.removeItem(atPath: folder) }
        super.tearDown()
    }

    /// A 20-minute 720p recording looping the course clips of test case 1, made once.
    private static func lecture() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("classroom-fanout-tests").path
        let video = folder + "/lecture20.mp4"
        if FileManager.default.fileExists(atPath: video) { return video }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let clips = try Project.courseVideos(1)
        let chains = clips.indices.map { "[\($0):v]scale=1280:720,fps=4,setsar=1[v\($0)]" }
        let graph = chains.joined(separator: ";") + ";" + clips.indices.map { "[v\($0)]" }.joined() + "concat=n=\(clips.count):v=1[out]"
        try Command.ffmpeg(clips.flatMap { ["-i", $0] } + ["-filter_complex", graph, "-map", "[out]", "-c:v", "libx264",
                                                            "-preset", "veryfast", "-crf", "34", "-g", "8", "-pix_fmt", "yuv420p",
                                                            folder + "/block.mp4"])
        try String(repeating: "file '\(folder)/block.mp4'\n", count: 78).write(toFile: folder + "/blocks.txt", atomically: true, encoding: .utf8)
        try Command.ffmpeg(["-f", "concat", "-safe", "0", "-i", folder + "/blocks.txt", "-c", "copy", folder + "/partial.mp4"])
        try FileManager.default.moveItem(atPath: folder + "/partial.mp4", toPath: video)
        return video
    }

    private func run(key: String, emulators: Int, _ flags: [String] = [], video: String? = nil) throws -> [String: Any] {
        guard !Self.moto.isEmpty else { throw TestSetupError("the harness could not start moto (run scripts/setup)") }
        let runDir = scratch + "/run-" + UUID().uuidString
        let result = try Command.run(Project.python, [Project.root.appendingPathComponent("scripts/harness/fanout_run.py").path,
                                                 "--video", try video ?? Self.lecture(), "--key", key, "--emulators", String(emulators),
                                                 "--run-dir", runDir] + flags,
                                     environment: Self.moto.merging(["SHARED_DIR": Project.shared.path]) { $1 })
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last,
              let outcome = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestSetupError("fanout_run.py failed: \(result.stderr.suffix(2000))")
        }
        try assertLogLines(of: runDir)
        return outcome
    }

    /// The CSV one invocation writes for the whole video (fan-out off), made once.
    private func singleInvocationCSV() throws -> String {
        if let single = Self.single { return single }
        let outcome = try run(key: "single/lecture.mp4", emulators: 1, ["--no-fanout"])
        let csv = try XCTUnwrap(outcome["csv"] as? String, "one invocation wrote no CSV: \(outcome)")
        XCTAssertTrue((outcome["fanout_keys"] as? [String])?.isEmpty ?? false, "one invocation fanned out: \(outcome)")
        Self.single = csv
        return csv
    }

    /// The same CSV as one invocation, a job that ran (a description and partials seen meanwhile), and
    /// nothing left under fanout/ once the CSV is written (issue 21).
    private func assertFannedOutCSV(_ outcome: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try singleInvocationCSV()
        let seen = outcome["fanout_seen"] as? [String] ?? []
        XCTAssertTrue(seen.contains { $0.hasSuffix("/job.json") }, "no fan-out job: \(outcome)", file: file, line: line)
        XCTAssertGreaterThan(seen.filter { $0.contains("/segment-") }.count, 1, file: file, line: line)
        XCTAssertEqual((outcome["csv"] as? String)?.split(separator: "\n"), expected.split(separator: "\n"),
                       "the fanned-out CSV differs from one invocation's", file: file, line: line)
        XCTAssertGreaterThanOrEqual(expected.split(separator: "\n").count, 4, file: file, line: line)
        XCTAssertEqual(outcome["fanout_keys"] as? [String], [], "the job left objects under fanout/", file: file, line: line)
        // Issue 21: without REPORT_UNKNOWN_FACES=crops no partial holds a crop of someone nobody enrolled.
        XCTAssertGreaterThan(outcome["partials_read"] as? Int ?? 0, 0, "no partial was read: \(outcome)", file: file, line: line)
        XCTAssertEqual(outcome["unknown_crops"] as? Int, 0, "partials hold unknown people's crops", file: file, line: line)
    }

    /// Every log line about a video of the run is valid EMF, and no line names anyone the encoding knows.
    private func assertLogLines(of runDir: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let logs = try FileManager.default.contentsOfDirectory(atPath: runDir).filter { $0.hasPrefix("emulator-") }
        var lines = 0
        for log in logs {
            let text = try String(contentsOfFile: runDir + "/" + log, encoding: .utf8)
            for name in try FunctionEndToEndTests.enrolledNames() {
                XCTAssertFalse(text.contains(name), "\(log) names \(name)", file: file, line: line)
            }
            for raw in text.split(separator: "\n") where raw.hasPrefix("{") {
                guard let parsed = try? JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any],
                      parsed["key"] != nil else { continue }
                lines += 1
                XCTAssertEqual(EmbeddedMetricFormat.problems(parsed), [], String(raw), file: file, line: line)
            }
        }
        XCTAssertGreaterThan(lines, 0, "no log line about the video in \(logs)", file: file, line: line)
    }

    /// With FANOUT_MAX_SEGMENTS=4 (issue 25's ceiling), the 22 chunks go to 4 longer segments.
    func testOneEmulatorAndFourSegmentsAtMostGiveTheSingleInvocationCSV() throws {
        let outcome = try run(key: "n1/lecture.mp4", emulators: 1, ["--max-segments", "4"])
        try assertFannedOutCSV(outcome)
        XCTAssertEqual((outcome["state"] as? [String: Any])?["segments"] as? Int, 4, "\(outcome["state"] ?? "")")
    }

    func testFourEmulatorsGiveTheSingleInvocationCSV() throws {
        try assertFannedOutCSV(try run(key: "n4/lecture.mp4", emulators: 4))
    }

    func testAnEmulatorKilledMidSegmentStillGivesTheSameCSV() throws {
        let outcome = try run(key: "killed/lecture.mp4", emulators: 2, ["--kill-one"])
        XCTAssertEqual(outcome["killed"] as? Bool, true, "no emulator was killed mid-segment: \(outcome)")
        try assertFannedOutCSV(outcome)
    }

    func testSegmentsThatAlwaysFailEndWithNoCSVAndAClearError() throws {
        // Three seconds are enough to read the duration and invoke the segments, too few for a segment.
        let outcome = try run(key: "failing/lecture.mp4", emulators: 2, ["--timeout", "3"])
        XCTAssertNil(outcome["csv"] as? String, "a CSV was written although every segment failed")
        let failed = try XCTUnwrap(outcome["failed"] as? [[String: Any]])
        XCTAssertFalse(failed.isEmpty, "no event reached the on-failure stand-in: \(outcome)")
        for event in failed {
            XCTAssertEqual(event["attempts"] as? Int, 3, "Lambda's two retries")
            let error = event["error"] as? String ?? ""
            XCTAssertTrue(error.contains("s3://classroom-input/failing/lecture.mp4, segment ") && error.contains("deadline"), error)
        }
        let keys = outcome["fanout_keys"] as? [String] ?? []
        XCTAssertTrue(keys.contains { $0.contains("/failed-") }, "no failure marker: \(keys)")
    }

    // Issue 25: a job trusts only itself.

    /// Partials planted in the job's folder (an earlier run's, the older layout, an extra segment of
    /// this run), each naming a student who is not in the video, and a segment event naming another
    /// bucket change nothing: the CSV is one invocation's, the foreign event fails with an error naming
    /// its bucket, and the planted objects go with the job's folder.
    func testPlantedPartialsAndAForeignSegmentChangeNothing() throws {
        let stranger = "denzel_washington"
        XCTAssertFalse(try singleInvocationCSV().contains(stranger), "pick a student who is not in the video")
        let outcome = try run(key: "planted/lecture.mp4", emulators: 2, ["--plant", stranger, "--foreign-segment"])
        XCTAssertEqual((outcome["planted"] as? [String])?.count, 3, "nothing was planted: \(outcome)")
        try assertFannedOutCSV(outcome)
        XCTAssertFalse((outcome["csv"] as? String ?? "").contains(stranger))
        let failed = outcome["failed"] as? [[String: Any]] ?? []
        XCTAssertEqual(failed.count, 1, "only the foreign segment fails: \(failed)")
        let error = failed.first?["error"] as? String ?? ""
        XCTAssertTrue(error.contains("another-classroom-input, not the input bucket classroom-input"), error)
    }

    /// A partial of this run rewritten to name someone the encoding does not know fails the job with
    /// an error naming the partial: no CSV.
    func testATamperedPartialFailsTheJobWithNoCSV() throws {
        let outcome = try run(key: "tampered/lecture.mp4", emulators: 2, ["--tamper", "mallory"])
        let tampered = try XCTUnwrap((outcome["planted"] as? [String])?.first, "nothing was tampered with: \(outcome)")
        XCTAssertNil(outcome["csv"] as? String, "a CSV was written from a tampered partial")
        let errors = (outcome["failed"] as? [[String: Any]] ?? []).compactMap { $0["error"] as? String }
        XCTAssertTrue(errors.contains { $0.contains(tampered) && $0.contains("not in the encoding") }, "\(errors)")
        XCTAssertFalse(errors.joined().contains("mallory"), "the error names the person: \(errors)")
    }

    /// The video replaced under its key while its job runs: the segments read only the object the job
    /// recorded, so they fail with an error naming it, and no CSV mixes two videos.
    func testAVideoReplacedWhileItsJobRunsEndsWithNoCSVAndAnErrorNamingIt() throws {
        let outcome = try run(key: "replaced/lecture.mp4", emulators: 2, ["--replace-with", Project.clip("test_0")])
        XCTAssertNil(outcome["csv"] as? String, "a CSV was written although the video was replaced")
        let errors = (outcome["failed"] as? [[String: Any]] ?? []).compactMap { $0["error"] as? String }
        XCTAssertFalse(errors.isEmpty, "no segment failed: \(outcome)")
        for error in errors {
            XCTAssertTrue(error.contains("s3://classroom-input/replaced/lecture.mp4") && error.contains("replaced"), error)
        }
    }

    /// A Matroska file of about 100 KB whose Duration element claims almost a day is refused by the
    /// S3-event invocation with both numbers, before any segment is invoked.
    func testASmallVideoClaimingADayIsRefusedBeforeAnySegment() throws {
        let folder = scratch
        try Command.ffmpeg(["-stream_loop", "4", "-i", Project.clip("test_0"), "-vf", "scale=640:-2", "-an", "-c:v", "libx264",
                            "-crf", "26", folder + "/small.mkv"])
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/small.mkv")))
        // The Segment Info's Duration (ID 0x4489), in milliseconds at the default TimecodeScale.
        let at = try XCTUnwrap((0..<(bytes.count - 11)).first { bytes[$0] == 0x44 && bytes[$0 + 1] == 0x89 })
        let claimed = 86_000.0
        switch bytes[at + 2] {
        case 0x88: bytes.replaceSubrange(at + 3..<at + 11, with: withUnsafeBytes(of: (claimed * 1000).bitPattern.bigEndian, Array.init))
        case 0x84: bytes.replaceSubrange(at + 3..<at + 7, with: withUnsafeBytes(of: Float(claimed * 1000).bitPattern.bigEndian, Array.init))
        default: XCTFail("unexpected Duration size byte \(bytes[at + 2])")
        }
        XCTAssertTrue((50_000...150_000).contains(bytes.count), "\(bytes.count) bytes")
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/day.mkv"))

        let outcome = try run(key: "claims/day.mkv", emulators: 1, video: folder + "/day.mkv")
        XCTAssertEqual((outcome["state"] as? [String: Any])?["segments"] as? Int, 0, "a segment was invoked: \(outcome)")
        XCTAssertNil(outcome["csv"] as? String)
        XCTAssertEqual(outcome["fanout_seen"] as? [String], [], "a job was started: \(outcome)")
        let error = (outcome["failed"] as? [[String: Any]])?.first?["error"] as? String ?? ""
        XCTAssertTrue(error.contains("86000 s") && error.contains("\(bytes.count) bytes") && error.contains("claims/day.mkv"), error)
    }
}
