import EncodingFile
import Foundation
import XCTest

/// The reader and writer on the course's own `encoding` file.
final class EncodingFileCourseTests: XCTestCase {
    func testReadsTheCourseFile() throws {
        let faces = try EncodingFile.read(contentsOf: CourseEncoding.path)
        XCTAssertEqual(faces.names, ["vin_diesel", "morgan_freeman", "denzel_washington", "president_biden", "johnny_dep", "bush",
                                     "floki", "mr_bean", "travis_ragnar", "president_obama", "president_trump"])
        XCTAssertEqual(faces.encodings.count, 11)
        XCTAssertTrue(faces.encodings.allSatisfy { $0.count == 128 })
        // Values python3 prints for the same file.
        XCTAssertEqual(faces.encodings[0][0], -0.03614499419927597)
        XCTAssertEqual(faces.encodings[10][127], 0.05841318145394325)
        XCTAssertEqual(faces.encodings.joined().reduce(0, +), -7.954594397568144, accuracy: 1e-12)
    }

    func testSerializeReproducesTheCourseFileByteForByte() throws {
        let bytes = try CourseEncoding.bytes()
        let faces = try EncodingFile.parse(bytes, source: CourseEncoding.path)
        let serialized = EncodingFile.serialize(faces)
        XCTAssertEqual(serialized.count, bytes.count)
        let common = min(serialized.count, bytes.count)
        XCTAssertTrue(serialized == bytes, "first difference at byte \((0..<common).first { serialized[$0] != bytes[$0] } ?? common)")
    }
}
