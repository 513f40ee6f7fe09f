import ClassroomCore
import Foundation
import TestSupport
import XCTest

/// CSVFormat's rows as an independent reader (python3's csv module) sees them.
final class CSVFormatTests: ScratchTestCase {
    /// The fields python3's csv reader finds in `text`, one array per row.
    private func pythonRows(_ text: String) throws -> [[String]] {
        let path = scratch + "/rows.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let script = "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
            + "    print(json.dumps(list(csv.reader(f))))"
        let result = try Command.run(Project.python, ["-c", script, path])
        guard result.status == 0 else { throw TestSetupError("Python's csv reader failed: \(result.stderr)") }
        return try JSONDecoder().decode([[String]].self, from: Data(result.stdout.utf8))
    }

    func testOrdinaryRowsAreWrittenAsTheyAre() {
        XCTAssertEqual(CSVFormat.row(["president_obama", "physics", "junior"]), "president_obama,physics,junior\n")
        XCTAssertEqual(CSVFormat.row(["mr_bean", "lawyer", "freshmen", "0.00", "12.50", "7", "0.3412"]),
                       "mr_bean,lawyer,freshmen,0.00,12.50,7,0.3412\n")
        XCTAssertEqual(CSVFormat.row(["o'neil", "computer science", ""]), "o'neil,computer science,\n")
    }

    func testALineBreakOfCarriageReturnAndLineFeedIsQuotedAndStaysInItsField() throws {
        let row = CSVFormat.row(["two\r\nlines", "history", "senior"])
        XCTAssertEqual(row, "\"two\r\nlines\",history,senior\n")
        XCTAssertEqual(try pythonRows(row), [["two\r\nlines", "history", "senior"]])
    }

    func testAQuoteCarryingACombiningMarkIsDoubled() throws {
        let field = "say \"\u{301}hi\""
        XCTAssertEqual(try pythonRows(CSVFormat.row([field, "art"])), [[field, "art"]])
    }

    func testFormulaLookingFieldsGetALeadingQuoteAndAreQuoted() throws {
        let formulas = ["=HYPERLINK(\"http://example.com\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]
        for field in formulas {
            let row = CSVFormat.row([field, "major", "year"])
            XCTAssertTrue(row.hasPrefix("\"'"), "\(field.debugDescription) was written as \(row.debugDescription)")
            XCTAssertEqual(try pythonRows(row), [["'" + field, "major", "year"]], field.debugDescription)
        }
        // Only the first character counts: the same characters inside a field change nothing.
        XCTAssertEqual(CSVFormat.row(["a=b", "c-d", "e@f"]), "a=b,c-d,e@f\n")
    }

    func testEveryFieldOfSeveralRowsReadsBack() throws {
        let rows = [["=cmd|' /C calc'!A0", "x,y", "\"quoted\""], ["plain", "\r\n", "é\r\n\u{301}"], ["", "\n", "\r"]]
        let expected = [["'=cmd|' /C calc'!A0", "x,y", "\"quoted\""], ["plain", "'\r\n", "é\r\n\u{301}"], ["", "\n", "'\r"]]
        XCTAssertEqual(try pythonRows(rows.map(CSVFormat.row).joined()), expected)
    }
}
