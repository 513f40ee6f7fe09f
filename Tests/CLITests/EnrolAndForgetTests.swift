import Foundation
import TestSupport
import XCTest

/// `enroll --add` and `forget` on a local encoding file: one person at a time, in place, and
/// every refusal leaving the file as it was.
final class EnrolAndForgetTests: ScratchTestCase {
    private var encoding: String { scratch + "/encoding" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try FileManager.default.copyItem(atPath: Project.root.appendingPathComponent("encoding").path, toPath: encoding)
    }

    /// `count` encodings named `name` (and how many in all), as Python's pickle reads the file.
    private func pythonCount(_ name: String, in path: String) throws -> (person: Int, all: Int) {
        let script = "import pickle, sys; d = pickle.load(open(sys.argv[1], 'rb')); print(d['name'].count(sys.argv[2]), len(d['encoding']))"
        let result = try Command.run(Project.python, ["-c", script, path, name])
        XCTAssertEqual(result.status, 0, "python3 with numpy: \(result.stderr)")
        let numbers = result.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (numbers.first ?? -1, numbers.last ?? -1)
    }

    private func frames(of clip: String, at times: [Double]) throws -> [String] {
        try times.enumerated().map { index, time in
            let path = "\(scratch)/\(clip)-\(index).jpg"
            try Command.ffmpeg(["-ss", String(time), "-i", Project.clip(clip), "-frames:v", "1", path])
            return path
        }
    }

    private func firstMatch(_ clip: String) throws -> String {
        let result = try Command.classroomAssistant(["process", Project.clip(clip), "--out", scratch + "/out", "--encoding", encoding])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try String(contentsOfFile: "\(scratch)/out/\(clip).csv", encoding: .utf8)
    }

    func testForgetThenAddThenReplaceOnePersonInPlace() throws {
        let before = try pythonCount("mr_bean", in: encoding)
        XCTAssertEqual(before.person, 1)

        let forgot = try Command.classroomAssistant(["forget", "mr_bean", "--encoding", encoding])
        XCTAssertEqual(forgot.status, 0, forgot.stderr)
        XCTAssertTrue(forgot.stdout.contains("deleted 1 encoding of 'mr_bean' in \(encoding)"), forgot.stdout)
        let again = try Command.classroomAssistant(["forget", "mr_bean", "--encoding", encoding])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("nothing left to delete"), again.stdout)
        XCTAssertEqual(try pythonCount("mr_bean", in: encoding).all, before.all - 1)
        XCTAssertEqual(try firstMatch("test_2"), "", "a forgotten student is named")

        let photos = try frames(of: "test_2", at: [0.2, 1.0])
        let added = try Command.classroomAssistant(["enroll", "--add", "mr_bean"] + photos + ["--encoding", encoding, "--students", "student_data.json"])
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertFalse(added.stderr.contains("warning"), added.stderr)
        XCTAssertEqual(try pythonCount("mr_bean", in: encoding).person, 2)
        XCTAssertEqual(try firstMatch("test_2"), "mr_bean,lawyer,freshmen\n")

        let unchanged = try Data(contentsOf: URL(fileURLWithPath: encoding))
        let refused = try Command.classroomAssistant(["enroll", "--add", "mr_bean", photos[0], "--encoding", encoding])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("'mr_bean' is already enrolled (2 encodings)") && refused.stderr.contains(encoding), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: encoding)), unchanged, "a refusal wrote the file")

        let replaced = try Command.classroomAssistant(["enroll", "--add", "mr_bean", photos[0], "--replace", "--encoding", encoding])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertEqual(try pythonCount("mr_bean", in: encoding).person, 1)

        let stranger = try Command.classroomAssistant(["enroll", "--add", "new_student", photos[1], "--encoding", encoding,
                                                       "--students", "student_data.json"])
        XCTAssertEqual(stranger.status, 0, stranger.stderr)
        XCTAssertTrue(stranger.stderr.contains("warning: 'new_student' has no row in student_data.json"), stranger.stderr)
    }

    func testPhotosWithoutExactlyOneFaceAndDuplicateStudentsAreRefusedNamingThemAndNothingIsWritten() throws {
        let nobody = scratch + "/nobody.png", twoPeople = scratch + "/two_people.jpg"
        try Command.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=320x240", "-frames:v", "1", nobody])
        try Command.ffmpeg(["-i", Project.clip("test_4"), "-i", Project.clip("test_8"), "-filter_complex",
                            "[0:v]scale=640:360,setsar=1[a];[1:v]scale=640:360,setsar=1[b];[a][b]hstack", "-frames:v", "1", twoPeople])
        let good = try frames(of: "test_2", at: [0.5])[0]
        let students = scratch + "/students.json"
        try Data("""
            [{"id": 1, "name": "mr_bean", "major": "lawyer", "year": "freshmen"},
             {"id": 17, "name": "new_student", "major": "art", "year": "junior"},
             {"id": 42, "name": "new_student", "major": "law", "year": "senior"}]
            """.utf8).write(to: URL(fileURLWithPath: students))
        let unchanged = try Data(contentsOf: URL(fileURLWithPath: encoding))

        let cases: [(arguments: [String], expected: [String])] = [
            (["enroll", "--add", "new_student", good, twoPeople, "--encoding", encoding], [twoPeople, "2 faces found"]),
            (["enroll", "--add", "new_student", nobody, good, "--encoding", encoding], [nobody, "no face found"]),
            (["enroll", "--add", "new_student", good, "--encoding", encoding, "--students", students],
             ["students 17 and 42 are both named 'new_student'", students]),
            (["load-students", students, "--table", "students"], ["students 17 and 42 are both named 'new_student'", students]),
            (["enroll", "--add", "new_student", good, "--encoding", "s3://Bad_Bucket/encoding"], ["s3://Bad_Bucket/encoding", "not an S3 bucket name"]),
            (["enroll", "--add", "new_student", good, "--encoding", "s3://classroom-encodings"], ["s3://classroom-encodings", "no key"]),
        ]
        for (arguments, expected) in cases {
            let result = try Command.classroomAssistant(arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments) succeeded")
            for text in expected { XCTAssertTrue(result.stderr.contains(text), "\(arguments): expected '\(text)' in \(result.stderr)") }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: encoding)), unchanged, "\(arguments) wrote the encoding")
        }
    }

    func testForgetWithRecordDeletesTheirRowOnceAndReportsNothingTheSecondTime() throws {
        let students = scratch + "/students.json"
        try FileManager.default.copyItem(atPath: Project.root.appendingPathComponent("student_data.json").path, toPath: students)
        let first = try Command.classroomAssistant(["forget", "president_biden", "--encoding", encoding, "--record", "--students", students])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("deleted 1 encoding of 'president_biden'"), first.stdout)
        XCTAssertTrue(first.stdout.contains("deleted student 2 ('president_biden') in \(students)"), first.stdout)
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: students))) as? [[String: Any]] ?? []
        XCTAssertFalse(rows.contains { $0["name"] as? String == "president_biden" })
        XCTAssertTrue(rows.contains { $0["name"] as? String == "mr_bean" && $0["id"] as? Int == 1 })

        let second = try Command.classroomAssistant(["forget", "president_biden", "--encoding", encoding, "--record", "--students", students])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertFalse(second.stdout.contains("deleted "), second.stdout)
        XCTAssertTrue(second.stdout.contains("nothing left to delete"), second.stdout)
        XCTAssertEqual(try pythonCount("president_biden", in: encoding).person, 0)
    }
}
