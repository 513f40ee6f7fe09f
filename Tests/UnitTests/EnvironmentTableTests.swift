import Foundation
import Settings
import XCTest

/// `Setting.all` is the one list of the environment variables the binary reads: the README's table
/// is it, row for row, and no source file reads a variable by a name of its own.
final class EnvironmentTableTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testTheReadmeTableIsTheSettingsTable() throws {
        let rows = ["| variable | default | read by | meaning |", "| --- | --- | --- | --- |"] + Setting.all.map {
            "| `\($0.variable)` | \($0.defaultValue.map { "`\($0)`" } ?? "") | \($0.readBy) | \($0.meaning) |"
        }
        XCTAssertEqual(try Self.readmeTable(), rows)
    }

    func testEachVariableIsListedOnceAndNumericDefaultsAreNumbers() {
        XCTAssertEqual(Set(Setting.all.map(\.variable)).count, Setting.all.count)
        for setting in [Setting.tolerance, .minFace, .fanOutAfterSeconds, .fanOutMaxSegments, .reportRetentionDays] {
            XCTAssertFalse(setting.defaultNumber.isNaN, setting.variable)
        }
        XCTAssertEqual(Setting.tolerance.defaultNumber, 0.6)
        XCTAssertEqual(Setting.minFace.defaultNumber, 40)
    }

    func testSourcesReadTheEnvironmentOnlyThroughSettings() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(atPath: sources.path) else { throw CocoaError(.fileNoSuchFile) }
        for case let path as String in walker where path.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            XCTAssertNil(text.range(of: #"environment\["[A-Z]"#, options: .regularExpression), "\(path) reads a variable by name, not through Setting")
        }
    }

    /// The lines of the first table under `section` (a heading line of README.md).
    static func readmeTable(under section: String = "## Environment variables") throws -> [String] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        guard let heading = lines.firstIndex(where: { $0 == section }) else {
            throw ReadmeError(description: "README.md has no '\(section)' section")
        }
        return lines[(heading + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.map(String.init)
    }

    struct ReadmeError: Error, CustomStringConvertible { let description: String }
}
