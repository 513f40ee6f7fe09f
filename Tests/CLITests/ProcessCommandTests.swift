import Foundation
import TestSupport
import XCTest

/// `classroom-assistant process` as a user runs it: real course videos, real models, files out.
final class ProcessCommandTests: ScratchTestCase {
    private func process(_ videos: [String], _ extra: [String] = []) throws -> CommandResult {
        try Command.classroomAssistant(["process"] + videos + ["--out", scratch + "/out", "--jobs", "2"] + extra)
    }

    private func csv(_ stem: String) -> String? {
        try? String(contentsOfFile: "\(scratch)/out/\(stem).csv", encoding: .utf8)
    }

    /// All 108 course runs (test_case_1 then test_case_2) give the row `mapping` expects.
    func testEveryCourseVideoGivesTheExpectedRecord() throws {
        for testCase in [1, 2] {
            let videos = try Project.courseVideos(testCase)
            XCTAssertEqual(videos.count, testCase == 1 ? 8 : 100, "course videos missing under \(Project.shared.path)")
            try? FileManager.default.removeItem(atPath: scratch + "/out")
            let result = try process(videos)
            XCTAssertEqual(result.status, 0, result.stderr)
            let names = videos.map { URL(fileURLWithPath: $0).lastPathComponent }
            let graded = try CourseGrading.grade(names.map { ($0, "\(scratch)/out/\($0.dropLast(4)).csv") })
            for wrong in graded where wrong.problem != nil {
                XCTFail("\(wrong.video): \(wrong.problem ?? "")")
            }
            XCTAssertEqual(graded.filter { $0.problem == nil }.count, videos.count, "test_case_\(testCase)")
        }
    }

    /// Undecodable files: exit status 1, one line naming each file, no CSV; good videos still done.
    func testBadInputsFailClearlyAndOthersStillRun() throws {
        let good = Project.clip("test_0")
        let bad = scratch + "/bad"
        try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: true)
        let course = try Data(contentsOf: URL(fileURLWithPath: good))
        var random = SystemRandomNumberGenerator()
        let files: [String: Data] = [
            "empty.mp4": Data(),
            "truncated.mp4": course.prefix(course.count / 3),
            "random.mp4": Data((0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }),
            "text.mp4": Data("This is a lesson plan, not a video.\n".utf8),
        ]
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: "\(bad)/\(name)")) }
        try Command.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "\(bad)/audio.m4a"])
        let inputs = files.keys.sorted().map { "\(bad)/\($0)" } + ["\(bad)/audio.m4a", good, "\(bad)/missing.mp4"]

        let result = try process(inputs)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(csv("test_0"), "president_trump,physics,junior\n")
        let errors = result.stderr.split(separator: "\n")
        XCTAssertEqual(errors.count, 6, result.stderr)
        for input in inputs where input != good {
            let stem = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
            XCTAssertNil(csv(stem), "\(stem) must get no CSV")
            XCTAssertEqual(errors.filter { $0.hasPrefix("error: \(input): ") }.count, 1, "one line naming \(input):\n\(result.stderr)")
        }
        XCTAssertTrue(result.stderr.contains("truncated"), result.stderr)
        XCTAssertTrue(result.stderr.contains("empty"), result.stderr)
        XCTAssertTrue(result.stderr.contains("no video stream"), result.stderr)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch + "/out").filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "temporary files left behind")
    }

    /// A phone video stores its pixels sideways and a display matrix that turns them upright.
    func testRotatedVideoIsRecognisedUpright() throws {
        let sideways = scratch + "/sideways.mp4", phone = scratch + "/phone.mp4"
        // Turn the pixels a quarter counter-clockwise; the display matrix (ffmpeg's rotate=270) turns them back.
        try Command.ffmpeg(["-i", Project.clip("test_7"), "-vf", "transpose=2", "-c:v", "libx264", "-preset", "ultrafast", sideways])
        try Command.ffmpeg(["-i", sideways, "-c", "copy", "-metadata:s:v:0", "rotate=270", phone])
        let result = try process([sideways, phone])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(csv("phone"), "morgan_freeman,math,senior\n")
        // Control: without the display matrix the face lies on its side and HOG finds no one.
        XCTAssertEqual(csv("sideways"), "")
    }

    /// Sampling goes on past faceless seconds (1 frame/s) until someone known appears.
    func testFaceThatAppearsAfterAFewSecondsIsFound() throws {
        let late = scratch + "/late.mp4"
        try Command.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=854x480:r=24:d=3", "-i", Project.clip("test_4"),
                            "-filter_complex", "[1:v]scale=854:480,setsar=1[c];[0:v][c]concat=n=2:v=1[v]",
                            "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", late])
        let result = try process([late])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(csv("late"), "johnny_dep,computer_science,senior\n")
        XCTAssertTrue(result.stdout.contains("[4 frames, ") || result.stdout.contains("[5 frames, "), result.stdout)
    }

    /// A face about 45 px tall in a 4K frame, which the original handler finds by doubling the frame:
    /// the upsampled pass finds it too, doubling a frame that large a tile at a time.
    func testASmallFaceInA4KFrameIsFound() throws {
        let video = scratch + "/small-in-4k.mp4"
        try Command.ffmpeg(["-i", Project.clip("test_0"), "-t", "2",
                            "-vf", "scale=480:270:force_original_aspect_ratio=decrease,pad=3840:2160:1500:900:black",
                            "-c:v", "libx264", "-preset", "ultrafast", video])
        let result = try process([video])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(csv("small-in-4k"), "president_trump,physics,junior\n")
    }

    /// Nobody known in the video: an empty CSV, exit status 0.
    func testVideoWithNoKnownFaceGivesAnEmptyCSV() throws {
        let empty = scratch + "/blank.webm"
        try Command.ffmpeg(["-f", "lavfi", "-i", "testsrc=s=640x360:r=10:d=2", "-c:v", "libvpx-vp9", "-deadline", "realtime", empty])
        let result = try process([empty])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(csv("blank"), "")
    }

    /// A recognised name missing from the table keeps its row, with empty major and year.
    func testNameMissingFromTheTableKeepsARowAndWarns() throws {
        let table = scratch + "/partial.json"
        try Data(#"[{"id": 1, "name": "mr_bean", "major": "lawyer", "year": "freshmen"}]"#.utf8)
            .write(to: URL(fileURLWithPath: table))
        let result = try process([Project.clip("test_7")], ["--students", table])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(csv("test_7"), "morgan_freeman,,\n")
        XCTAssertTrue(result.stderr.contains("warning: ") && result.stderr.contains("morgan_freeman"), result.stderr)
    }

    /// Other containers and codecs libavformat opens: HEVC in MOV, VP9 in WebM.
    func testOtherCodecsAndContainers() throws {
        let hevc = scratch + "/hevc.mov", vp9 = scratch + "/vp9.webm"
        try Command.ffmpeg(["-i", Project.clip("test_2"), "-t", "1", "-c:v", "libx265", "-preset", "ultrafast", "-an", hevc])
        try Command.ffmpeg(["-i", Project.clip("test_6"), "-t", "1", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-an", vp9])
        let result = try process([hevc, vp9])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(csv("hevc"), "mr_bean,lawyer,freshmen\n")
        XCTAssertEqual(csv("vp9"), "floki,history,junior\n")
    }

    /// save-detector writes the detector beside the models; process then gives the same records
    /// without a word, and with a damaged file it warns, naming it, and still gives them.
    func testSavedDetectorGivesTheSameRecords() throws {
        let models = try makeModelsFolder(at: scratch + "/models")
        let videos = try Project.courseVideos(1)
        func records() throws -> ([String], String) {
            try? FileManager.default.removeItem(atPath: scratch + "/out")
            let result = try process(videos, ["--models", models])
            XCTAssertEqual(result.status, 0, result.stderr)
            return (videos.map { csv(URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent) ?? "none" }, result.stderr)
        }
        let (builtIn, _) = try records()
        let saved = try Command.classroomAssistant(["save-detector", "--models", models])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        XCTAssertTrue(saved.stdout.contains("\(models)/frontal_face_detector.dat"), saved.stdout)
        let (withSaved, quiet) = try records()
        XCTAssertEqual(withSaved, builtIn)
        XCTAssertFalse(quiet.contains("warning"), quiet)
        try "damaged".write(toFile: "\(models)/frontal_face_detector.dat", atomically: true, encoding: .utf8)
        let (withDamaged, warned) = try records()
        XCTAssertEqual(withDamaged, builtIn)
        XCTAssertTrue(warned.contains("warning: ignoring the saved face detector: \(models)/frontal_face_detector.dat"), warned)
    }

    func testHelpExplainsTheCommand() throws {
        let result = try Command.classroomAssistant(["process", "--help"])
        XCTAssertEqual(result.status, 0)
        for word in ["--out", "--jobs", "--mode", "--encoding", "--models", "--students", "MODELS_DIR"] {
            XCTAssertTrue(result.stdout.contains(word), "help lacks \(word):\n\(result.stdout)")
        }
    }
}
