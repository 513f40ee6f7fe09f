import EncodingFile
import Foundation
import TestSupport
import XCTest

/// The course's own `encoding` file at the project root.
enum CourseEncoding {
    static let path = Project.root.appendingPathComponent("encoding").path

    static func bytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// Why the Python side of a test could not run, with what installs the missing piece.
struct PythonFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs the Python side of these tests: the project's Python with numpy writes and loads pickles.
enum EncodingFilePython {
    /// Runs a script with arguments and returns its stdout; a missing venv or numpy fails saying what installs it.
    static func run(_ script: String, _ arguments: [String]) throws -> String {
        let result = try Command.run(Project.python, ["-c", script] + arguments)
        if result.stderr.contains("No module named 'numpy'") {
            throw PythonFailure(description: "the project venv has no numpy: run scripts/setup (it installs requirements.txt)")
        }
        guard result.status == 0 else { throw PythonFailure(description: "\(Project.python) failed (\(result.status)): \(result.stderr)") }
        return result.stdout
    }
}

/// Parses bytes that must be rejected and returns the error, failing the test if they are accepted or
/// if the error is not an `EncodingFileError` with the expected offset, opcode and words.
@discardableResult
func assertRejected(_ bytes: [UInt8], offset: Int?, opcode: String?, saying words: String,
                    file: StaticString = #filePath, line: UInt = #line) -> EncodingFileError? {
    let source = "fixture-\(words.prefix(20))"
    do {
        let faces = try EncodingFile.parse(bytes, source: source)
        XCTFail("accepted (\(faces.names.count) names), expected an error saying \(words)", file: file, line: line)
        return nil
    } catch let error as EncodingFileError {
        let description = error.errorDescription ?? ""
        XCTAssertEqual(error.source, source, file: file, line: line)
        XCTAssertTrue(description.contains(source), "\(description) does not name its source", file: file, line: line)
        if let offset {
            XCTAssertEqual(error.offset, offset, description, file: file, line: line)
            XCTAssertTrue(description.contains("byte \(offset)"), description, file: file, line: line)
        }
        if let opcode {
            XCTAssertEqual(error.opcode, opcode, description, file: file, line: line)
            XCTAssertTrue(description.contains(opcode), description, file: file, line: line)
        }
        XCTAssertTrue(error.reason.contains(words), "\(description) does not say \(words)", file: file, line: line)
        return error
    } catch {
        XCTFail("threw \(type(of: error)) \(error), expected EncodingFileError", file: file, line: line)
        return nil
    }
}
