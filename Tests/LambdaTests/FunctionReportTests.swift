import ClassroomFunction
import Foundation
import TestSupport
import XCTest

/// The function in attendance mode under the real emulator and moto: beside each CSV, the
/// attendance page and its crops in the output bucket under the CSV's stem, the CSV put last.
final class FunctionReportTests: FunctionStackTestCase {
    override class var functionEnvironment: [String: String] { ["RECOGNITION_MODE": "all"] }

    func testEachVideoGetsItsPageAndCropsBeforeItsCSV() throws {
        let stack = try running()
        let folder = "lectures/week 1 & 2"
        let outcome = try stack.invoke(S3EventFixtures.event(
            try stack.upload(contentsOf: Project.clip("test_4"), as: "\(folder)/test_4.mp4"),
            try stack.upload(contentsOf: Project.clip("test_8"), as: "absent.mp4")))
        XCTAssertNil(outcome.errorType, outcome.errorMessage ?? "")

        for (stem, student, record) in [("\(folder)/test_4", "johnny_dep", "computer_science, senior"),
                                        ("absent", Self.absentStudent, "no row in the student table")] {
            XCTAssertTrue(try stack.output(stem + ".csv")?.hasPrefix(student + ",") ?? false, "\(stem).csv")
            let page = try XCTUnwrap(try stack.output(stem + ".html"), "no \(stem).html")
            XCTAssertTrue(page.contains("data-name=\"\(student)\""), page)
            XCTAssertTrue(page.contains(record), page)
            // Every crop the page names is an object, relative to the page's folder.
            let sources = page.components(separatedBy: "src=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            XCTAssertEqual(sources.count, 1, page)
            let base = (stem as NSString).deletingLastPathComponent
            for source in sources {
                let key = (base.isEmpty ? "" : base + "/") + (source.removingPercentEncoding ?? source)
                XCTAssertTrue(key.hasPrefix(stem + "/faces/"), key)
                let jpeg = try XCTUnwrap(try stack.outputBytes(key), "the page names \(key), which is not in the bucket")
                XCTAssertEqual(Array(jpeg.prefix(3)), [0xFF, 0xD8, 0xFF], key)
            }
        }
        // moto logs each request: the crops, then the page, then the CSV.
        let puts = try String(contentsOfFile: stack.scratch + "/moto.log", encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("\"PUT /\(stack.outputBucket)/absent") }
        XCTAssertEqual(puts.count, 3, puts.joined(separator: "\n"))
        XCTAssertTrue(puts.first?.contains("/absent/faces/present-1-") ?? false, puts.joined(separator: "\n"))
        XCTAssertTrue(puts.dropFirst().first?.contains("/absent.html") ?? false, puts.joined(separator: "\n"))
        XCTAssertTrue(puts.last?.contains("/absent.csv") ?? false, puts.joined(separator: "\n"))
    }
}

/// REPORT switches the report; unset, it follows the mode.
final class FunctionReportConfigurationTests: XCTestCase {
    private func configuration(_ extra: [String: String]) throws -> FunctionConfiguration {
        try FunctionConfiguration.fromEnvironment(["INPUT_BUCKET": "classroom-input", "OUTPUT_BUCKET": "classroom-output", "STUDENTS_TABLE": "students"].merging(extra) { $1 })
    }

    func testReportFollowsTheModeUnlessREPORTSaysOtherwise() throws {
        XCTAssertFalse(try configuration([:]).attendanceReport, "first-match buckets hold only the CSVs")
        XCTAssertTrue(try configuration(["RECOGNITION_MODE": "all"]).attendanceReport)
        XCTAssertFalse(try configuration(["RECOGNITION_MODE": "all", "REPORT": "off"]).attendanceReport)
        XCTAssertTrue(try configuration(["REPORT": "on"]).attendanceReport)
        XCTAssertThrowsError(try configuration(["REPORT": "yes"])) { error in
            XCTAssertTrue(error.localizedDescription.contains("REPORT"), error.localizedDescription)
        }
    }
}
