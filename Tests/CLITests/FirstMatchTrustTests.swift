import Foundation
import TestSupport
import XCTest

/// First-match mode never names a wrong student. The clips are made at test time from the 8 course
/// clips by `scripts/margin-report --make-cases-only` (2 s each: 360p, the face at half size on a
/// canvas twice as large, dark, dim, low bitrate, blur, noise, 5 fps, and side-by-side pairs) and
/// processed in one `process` run, as a user would.
final class FirstMatchTrustTests: XCTestCase {
    /// Clips the original handler (../shared/reference) names nobody on: run once on these very
    /// clips, it found no face within its tolerance. Here nobody is allowed too, never someone else.
    private static let originalNamesNobody: Set<String> = [
        "test_0.dim", "test_1.bitrate", "test_1.dim", "test_2.dim", "test_4.blur", "test_4.dark", "test_4.dim",
        "test_4.noise", "test_5.bitrate", "test_5.dim", "test_6.dark", "test_6.dim", "test_6.noise", "test_7.dim",
    ]

    private static var scratch: String?
    /// Each made clip's CSV, by clip stem ("test_5.lowres"); made and processed once for the class.
    private static var csvs: [String: String]?

    override class func tearDown() {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
    }

    private func madeClipCSVs() throws -> [String: String] {
        if let csvs = Self.csvs { return csvs }
        let scratch = try makeScratchDirectory()
        Self.scratch = scratch
        let made = try Command.run(Project.root.appendingPathComponent("scripts/margin-report").path,
                                   ["--cases", scratch + "/cases", "--make-cases-only"],
                                   environment: ["SHARED_DIR": Project.shared.path])
        guard made.status == 0 else { throw TestSetupError("scripts/margin-report could not make the clips: \(made.stderr)") }
        let clips = try FileManager.default.contentsOfDirectory(atPath: scratch + "/cases").filter { $0.hasSuffix(".mp4") }.sorted()
        XCTAssertEqual(clips.count, 8 * 8 + 5, "made clips: \(clips)")
        let result = try Command.classroomAssistant(["process"] + clips.map { "\(scratch)/cases/\($0)" } + ["--out", scratch + "/out", "--jobs", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        var csvs: [String: String] = [:]
        for clip in clips {
            let stem = String(clip.dropLast(4))
            csvs[stem] = try String(contentsOfFile: "\(scratch)/out/\(stem).csv", encoding: .utf8)
        }
        Self.csvs = csvs
        return csvs
    }

    /// The made clip's CSV file.
    private func csvPath(_ stem: String) -> String { "\(Self.scratch ?? "")/out/\(stem).csv" }

    /// Every degraded clip names the student of the course clip it was made from, or nobody where
    /// the original handler names nobody too.
    func testDegradedClipsNameTheRightStudentOrNobody() throws {
        let degraded = try madeClipCSVs().filter { $0.key.hasPrefix("test_") }
        XCTAssertEqual(degraded.count, 8 * 8)
        var named: [(video: String, csv: String)] = []
        for (stem, csv) in degraded.sorted(by: { $0.key < $1.key }) {
            let course = String(stem.prefix { $0 != "." }) + ".mp4"
            let rows = csv.split(separator: "\n")
            if rows.isEmpty {
                XCTAssertTrue(Self.originalNamesNobody.contains(stem), "\(stem): nobody named, but the original handler names someone")
                continue
            }
            XCTAssertEqual(rows.count, 1, "\(stem): \(csv)")
            named.append((course, csvPath(stem)))
        }
        for graded in try CourseGrading.grade(named) {
            XCTAssertNil(graded.problem, "\(graded.csv) names the wrong student")
        }
    }

    /// Two course clips side by side: one row, the student of one of the two.
    func testSideBySidePairsNameOneOfTheTwo() throws {
        let pairs = try madeClipCSVs().filter { $0.key.hasPrefix("pair.") }
        XCTAssertEqual(pairs.count, 5)
        for (stem, csv) in pairs {
            let both = stem.dropFirst("pair.".count).split(separator: "+").map { (video: String($0) + ".mp4", csv: csvPath(stem)) }
            let rows = csv.split(separator: "\n")
            XCTAssertEqual(rows.count, 1, "\(stem): \(csv)")
            XCTAssertTrue(try CourseGrading.grade(both).contains { $0.problem == nil }, "\(stem) names neither student: \(csv)")
        }
    }
}
