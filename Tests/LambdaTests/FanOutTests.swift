import Foundation
import TestSupport
import XCTest

/// Issue 15: a long attendance video fanned out over asynchronous invocations of the function
/// (scripts/lambda-dispatcher standing in for Lambda, real emulators, moto with signatures and
/// IAM enforced) writes the CSV, row for row, that one invocation writes for the whole video.
/// Faces from 160 px (MIN_FACE_PX) on a 720p video keep the CPU modest: the point is the
/// splitting and merging, which does not depend on the smallest face.
final class FanOutTests: XCTestCase {
    private static var moto: [String: String] = [:]
    private static var single: String?

    override class func setUp() {
        super.setUp()
        guard let started = try? Command.run(Project.root.appendingPathComponent("scripts/moto-env").path,
                                             ["start", "--port", String((try? freeLoopbackPort()) ?? 5099)]),
              started.status == 0 else { return }
        for line in started.stdout.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { moto[pair[0]] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
        }
    }

    override class func tearDown() {
        if let pid = moto["MOTO_PID"].flatMap(Int32.init) { kill(pid, SIGTERM) }
        super.tearDown()
    }

    /// A 20-minute 720p recording looping the course clips of test case 1, made once.
    private static func lecture() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("classroom-fanout-tests").path
        let video = folder + "/lecture20.mp4"
        if FileManager.default.fileExists(atPath: video) { return video }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let clips = Project.courseVideos(1)
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

    private func run(key: String, emulators: Int, _ flags: [String] = []) throws -> [String: Any] {
        guard !Self.moto.isEmpty else { throw TestSetupError("scripts/moto-env start failed (run scripts/setup)") }
        let runDir = try makeScratchDirectory()
        let result = try Command.run(Project.python, [Project.root.appendingPathComponent("scripts/harness/fanout_run.py").path,
                                                 "--video", try Self.lecture(), "--key", key, "--emulators", String(emulators),
                                                 "--run-dir", runDir] + flags,
                                     environment: Self.moto.merging(["SHARED_DIR": Project.shared.path]) { $1 })
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last,
              let outcome = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestSetupError("fanout_run.py failed: \(result.stderr.suffix(2000))")
        }
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

    private func assertFannedOutCSV(_ outcome: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try singleInvocationCSV()
        let keys = outcome["fanout_keys"] as? [String] ?? []
        XCTAssertTrue(keys.contains { $0.hasSuffix("/job.json") }, "no fan-out job: \(outcome)", file: file, line: line)
        XCTAssertGreaterThan(keys.filter { $0.contains("/segment-") }.count, 1, file: file, line: line)
        XCTAssertEqual((outcome["csv"] as? String)?.split(separator: "\n"), expected.split(separator: "\n"),
                       "the fanned-out CSV differs from one invocation's", file: file, line: line)
        XCTAssertGreaterThanOrEqual(expected.split(separator: "\n").count, 4, file: file, line: line)
    }

    func testOneEmulatorGivesTheSingleInvocationCSV() throws {
        try assertFannedOutCSV(try run(key: "n1/lecture.mp4", emulators: 1))
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
}
