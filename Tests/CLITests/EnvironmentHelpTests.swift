import Settings
import TestSupport
import XCTest

/// `classroom-assistant --help` lists every environment variable the binary reads, with its default.
final class EnvironmentHelpTests: XCTestCase {
    func testHelpListsEverySetting() throws {
        let result = try Command.classroomAssistant(["--help"])
        XCTAssertEqual(result.status, 0)
        let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for setting in Setting.all {
            let listed = setting.variable + (setting.defaultValue.map { " (default \($0))" } ?? "") + ":"
            XCTAssertTrue(help.contains(listed), "help lacks \(listed):\n\(result.stdout)")
        }
    }
}
