import Foundation
import XCTest

/// The README's table of environment variables names exactly the variables `Sources` reads: a name
/// in `environment["…"]`, or passed to a reading helper (`value("…")`, `number("…", …)`) in a file
/// that reads the environment.
final class EnvironmentTableTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testTheReadmeTableListsEveryVariableTheSourcesRead() throws {
        let read = try Self.variablesReadBySources()
        XCTAssertGreaterThan(read.count, 10, "too few variables found under \(Self.root.path)/Sources: is the pattern still right?")
        let documented = try Self.variablesInReadmeTable()
        XCTAssertEqual(documented.subtracting(read).sorted(), [], "in the README's table, read nowhere in Sources")
        XCTAssertEqual(read.subtracting(documented).sorted(), [], "read in Sources, missing from the README's table")
    }

    /// The backquoted names in the first column of the table under `## Environment variables`.
    static func variablesInReadmeTable() throws -> Set<String> {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        guard let heading = lines.firstIndex(of: "## Environment variables") else {
            throw ReadmeError(description: "README.md has no '## Environment variables' section")
        }
        let table = lines[(heading + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.dropFirst(2)
        var names: Set<String> = []
        for row in table {
            let firstCell = row.split(separator: "|", omittingEmptySubsequences: false)[1]
            names.formUnion(matches(of: #"`([A-Z][A-Z0-9_]*)`"#, in: String(firstCell)))
        }
        return names
    }

    static func variablesReadBySources() throws -> Set<String> {
        let sources = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(atPath: sources.path) else { throw CocoaError(.fileNoSuchFile) }
        var names: Set<String> = []
        for case let path as String in walker where path.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            guard text.contains("environment[") else { continue }
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            names.formUnion(matches(of: #"(?:environment\[|\w\()"([A-Z][A-Z0-9_]{2,})""#, in: code))
        }
        return names
    }

    struct ReadmeError: Error, CustomStringConvertible { let description: String }

    private static func matches(of pattern: String, in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: pattern)
        return Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        })
    }
}
