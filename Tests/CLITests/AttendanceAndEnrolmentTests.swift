import Foundation
import TestSupport
import XCTest

/// Attendance mode (`process --mode all`) and `enroll`, as a teacher or a school would use them.
final class AttendanceAndEnrolmentTests: ScratchTestCase {


    /// Two students side by side, the second appearing two seconds in: both listed, with when.
    func testAttendanceListsBothStudentsOfASideBySideVideo() throws {
        let video = scratch + "/side-by-side.mp4"
        try Command.ffmpeg([
            "-i", Project.clip("test_4"), "-i", Project.clip("test_7"), "-filter_complex",
            "[0:v]scale=960:540,setsar=1,fps=24,tpad=stop_mode=clone:stop_duration=3[l];"
                + "[1:v]scale=960:540,setsar=1,fps=24,tpad=start_duration=2:color=gray[r];"
                + "[l][r]hstack=inputs=2:shortest=1[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", video])
        let result = try Command.classroomAssistant(["process", video, "--out", scratch + "/out", "--mode", "all"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try String(contentsOfFile: scratch + "/out/side-by-side.csv", encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0) })
        XCTAssertEqual(Set(byName.keys), ["johnny_dep", "morgan_freeman"], "\(rows)")
        for row in rows { XCTAssertEqual(row.count, 7, "name,major,year,first_seen_s,last_seen_s,frames_seen,best_distance: \(row)") }
        guard let depp = byName["johnny_dep"], let freeman = byName["morgan_freeman"] else { return }
        XCTAssertEqual(Array(depp[1...2]), ["computer_science", "senior"])
        XCTAssertEqual(Double(depp[3]) ?? -1, 0, accuracy: 0.51, "johnny_dep is there from the start")
        XCTAssertEqual(Double(freeman[3]) ?? -1, 2.5, accuracy: 0.6, "morgan_freeman appears after 2 s")
        XCTAssertGreaterThanOrEqual(Double(freeman[4]) ?? -1, Double(freeman[3]) ?? 99)
        XCTAssertGreaterThanOrEqual(Int(depp[5]) ?? 0, 2)
        XCTAssertLessThan(Double(freeman[6]) ?? 1, 0.6)
    }

    /// Faces that match nobody are counted once per person, on stderr/stdout, never as rows.
    func testAttendanceCountsStrangersWithoutRows() throws {
        let known = scratch + "/known.pkl"
        // Enrol only johnny_dep: everyone else becomes a stranger.
        let photos = scratch + "/photos/johnny_dep"
        try FileManager.default.createDirectory(atPath: photos, withIntermediateDirectories: true)
        try Command.ffmpeg(["-i", Project.clip("test_4"), "-frames:v", "1", photos + "/0.jpg"])
        XCTAssertEqual(try Command.classroomAssistant(["enroll", scratch + "/photos", "--out", known]).status, 0)
        let result = try Command.classroomAssistant(["process", Project.clip("test_7"), Project.clip("test_4"), "--out", scratch + "/out",
                              "--mode", "all", "--encoding", known, "--jobs", "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try String(contentsOfFile: scratch + "/out/test_7.csv", encoding: .utf8), "")
        XCTAssertTrue(result.stdout.contains("test_7.mp4: nobody recognised (+1 unknown)"), result.stdout)
        XCTAssertTrue(result.stderr.contains("test_7.mp4: 1 person seen matches no known face"), result.stderr)
        XCTAssertTrue(try String(contentsOfFile: scratch + "/out/test_4.csv", encoding: .utf8).hasPrefix("johnny_dep,"))
    }

    /// An encoding built by `enroll` from frames of one clip per person recognises all 108 course
    /// videos, and Python's pickle with numpy loads it.
    func testEnrolledEncodingRecognisesTheCourseAndLoadsInPython() throws {
        let photos = scratch + "/photos"
        let names = try CourseGrading.namesByClip()
        for (clip, name) in names {
            try FileManager.default.createDirectory(atPath: "\(photos)/\(name)", withIntermediateDirectories: true)
            try Command.ffmpeg(["-i", Project.clip(clip), "-vf", "fps=1", "-frames:v", "2", "\(photos)/\(name)/\(clip)-%d.jpg"])
        }
        // Photos that must be skipped: nobody in it, and two people in it.
        try Command.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=320x240", "-frames:v", "1", photos + "/nobody.png"])
        try Command.ffmpeg(["-i", Project.clip("test_4"), "-i", Project.clip("test_8"), "-filter_complex",
                            "[0:v]scale=640:360,setsar=1[a];[1:v]scale=640:360,setsar=1[b];[a][b]hstack",
                            "-frames:v", "1", photos + "/two_people.jpg"])
        let encoding = scratch + "/encoding"
        let enrolled = try Command.classroomAssistant(["enroll", photos, "--out", encoding])
        XCTAssertEqual(enrolled.status, 0, enrolled.stderr)
        XCTAssertTrue(enrolled.stderr.contains("nobody.png") && enrolled.stderr.contains("two_people.jpg"), enrolled.stderr)
        XCTAssertEqual(enrolled.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }.count, 2, enrolled.stderr)

        // An existing file is replaced only with --force.
        let again = try Command.classroomAssistant(["enroll", photos, "--out", encoding])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try Command.classroomAssistant(["enroll", photos, "--out", encoding, "--force"]).status, 0)

        // Python loads it: one entry per usable photo (up to 2 per clip: test_7 lasts 1 s), numpy
        // float64 vectors of 128, each close to the course's own encoding of the same person.
        let usable = try names.values.reduce(0) { $0 + (try FileManager.default.contentsOfDirectory(atPath: "\(photos)/\($1)").count) }
        let check = """
            import pickle, sys, numpy as np
            mine = pickle.load(open(sys.argv[1], 'rb')); course = pickle.load(open(sys.argv[2], 'rb'))
            assert sorted(mine) == ['encoding', 'name'], sorted(mine)
            assert len(mine['name']) == len(mine['encoding']) == int(sys.argv[3]), len(mine['name'])
            for name, vector in zip(mine['name'], mine['encoding']):
                assert isinstance(vector, np.ndarray) and vector.dtype == np.float64 and vector.shape == (128,)
                reference = course['encoding'][course['name'].index(name)]
                assert np.linalg.norm(vector - reference) < 0.6, (name, np.linalg.norm(vector - reference))
            print(' '.join(sorted(set(mine['name']))))
            """
        let python = try Command.run(Project.python, ["-c", check, encoding, Project.root.appendingPathComponent("encoding").path, String(usable)])
        XCTAssertEqual(python.status, 0, "the project's Python with numpy (scripts/setup installs it): \(python.stderr)")
        XCTAssertEqual(python.stdout.trimmingCharacters(in: .whitespacesAndNewlines), names.values.sorted().joined(separator: " "))

        // Recognise all 108 course runs with the enrolled file. The two test cases share file names,
        // so each gets its own output folder, and what is counted is the CSVs found there.
        var correct = 0
        for (testCase, clipCount) in [(1, 8), (2, 100)] {
            let out = "\(scratch)/out/test_case_\(testCase)"
            let result = try Command.classroomAssistant(["process"] + (try Project.courseVideos(testCase)) + ["--out", out, "--encoding", encoding])
            XCTAssertEqual(result.status, 0, result.stderr)
            let csvs = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".csv") }
            XCTAssertEqual(csvs.count, clipCount, "CSVs in \(out)")
            for graded in try CourseGrading.grade(csvs.map { ($0.dropLast(4) + ".mp4", "\(out)/\($0)") }) {
                if graded.problem == nil { correct += 1 } else { XCTFail("test_case_\(testCase)/\(graded.video): \(graded.problem ?? "")") }
            }
        }
        XCTAssertEqual(correct, 108)
    }
}
