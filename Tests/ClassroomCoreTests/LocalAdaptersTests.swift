import AtomicFile
import ClassroomCore
import Foundation
import TestSupport
import XCTest

/// The command line's adapters on disk: the student table and atomic writes.
final class LocalAdaptersTests: ScratchTestCase {
    func testStudentTableErrorsNameTheFileAndThePlace() throws {
        let path = scratch + "/students.json"
        try Data(#"[{"id": 1, "name": "a", "major": "m"}]"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try StudentTable(contentsOf: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ": "), "\(error)")
            XCTAssertTrue("\(error)".contains("year"), "\(error)")
        }
        try Data(#"[{"id": 1, "name": "a", "major": "m", "year": "y"}, {"id": 2, "name": "a", "major": "m", "year": "y"}]"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try StudentTable(contentsOf: path)) { XCTAssertTrue("\($0)".contains("students 1 and 2 are both named 'a'"), "\($0)") }
    }

    func testAtomicWriteRefusesToReplaceUnlessAsked() throws {
        let path = scratch + "/out.csv"
        try AtomicFile.write(Array("one\n".utf8), to: path)
        XCTAssertThrowsError(try AtomicFile.write(Array("two\n".utf8), to: path, replaceExisting: false))
        try AtomicFile.write(Array("two\n".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), ["out.csv"])
    }
}
