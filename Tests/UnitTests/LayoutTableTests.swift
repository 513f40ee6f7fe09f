import Foundation
import XCTest

/// The README's layout table names every target of Package.swift, and only targets, in its first
/// column: a target added, renamed or removed without its row fails here.
final class LayoutTableTests: XCTestCase {
    func testTheLayoutTableNamesExactlyThePackagesTargets() throws {
        let manifest = try String(contentsOf: EnvironmentTableTests.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declared = Set(Self.names(in: manifest, pattern: #"\.(?:target|executableTarget|testTarget|systemLibrary)\(\s*name: "([A-Za-z-]+)""#))
        let rows = try EnvironmentTableTests.readmeTable(under: "## Layout").dropFirst(2)
        let listed = rows.flatMap { row in Self.names(in: String(row.split(separator: "|").first ?? ""), pattern: "`([A-Za-z-]+)`") }
        XCTAssertFalse(declared.isEmpty)
        XCTAssertEqual(listed.count, Set(listed).count, "a target has two rows: \(listed)")
        XCTAssertEqual(declared.subtracting(listed).sorted(), [], "targets without a row in README.md's layout table")
        XCTAssertEqual(Set(listed).subtracting(declared).sorted(), [], "rows of README.md's layout table that are not targets")
    }

    private static func names(in text: String, pattern: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
