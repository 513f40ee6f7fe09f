import EncodingFile
import Foundation
import TestSupport
import XCTest

/// `EncodingFile.write`: atomic, never replacing a file unless asked, and writing nothing the reader would reject.
final class EncodingFileWritingTests: ScratchTestCase {
    private let vector = (0..<128).map { Double($0) / -1000.0 }

    func testRefusesToReplaceAnExistingFileUnlessAsked() throws {
        let path = scratch + "/encoding"
        let two = KnownFaces(names: ["floki", "bush"], encodings: [vector, vector.reversed()])
        let one = KnownFaces(names: ["floki"], encodings: [vector])
        try EncodingFile.write(two, to: path, replaceExisting: false)
        XCTAssertThrowsError(try EncodingFile.write(one, to: path, replaceExisting: false)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
        XCTAssertEqual(try EncodingFile.read(contentsOf: path), two)
        try EncodingFile.write(one, to: path, replaceExisting: true)
        XCTAssertEqual(try EncodingFile.read(contentsOf: path), one)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), ["encoding"], "a temporary file was left behind")
    }

    func testWritesNothingTheReaderWouldReject() {
        let path = scratch + "/encoding"
        XCTAssertThrowsError(try EncodingFile.write(KnownFaces(names: ["a", "b"], encodings: [vector]), to: path, replaceExisting: true)) { error in
            let description = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            XCTAssertTrue(description.contains(path) && description.contains("2 names but 1 encodings"), description)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }
}
