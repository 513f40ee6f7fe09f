import EncodingFile
import Foundation
import TestSupport
import XCTest

/// The writer: files numpy loads with the exact values, byte-identical to what numpy 1.x's pickle writes; faces
/// the reader would reject are refused. (`EncodingFile.write` puts the bytes in place: EncodingFileWritingTests.)
final class EncodingFileWriteTests: ScratchTestCase {
    func testCourseFacesWrittenLoadInNumpyAsNumpy1WouldWriteThem() throws {
        let faces = try EncodingFile.read(contentsOf: CourseEncoding.path)
        try assertNumpyLoadsExactly(faces)
    }

    /// One face takes APPEND instead of MARK...APPENDS; 1001 faces take two batches and memo ids past 255.
    func testOneFaceAndAThousandAndOneFacesLoadInNumpyAsNumpy1WouldWriteThem() throws {
        for count in [1, 1001] {
            let faces = KnownFaces(names: (0..<count).map { "student_\($0)_é" },
                                   encodings: (0..<count).map { row in (0..<128).map { Double(row * 128 + $0).squareRoot() / -1000.0 } })
            try assertNumpyLoadsExactly(faces)
        }
    }

    func testRefusesFacesTheReaderWouldReject() {
        let vector = [Double](repeating: 0.5, count: 128)
        let cases: [(KnownFaces, String)] = [
            (KnownFaces(names: [], encodings: []), "no names and no encodings"),
            (KnownFaces(names: ["a", "b"], encodings: [vector]), "2 names but 1 encodings"),
            (KnownFaces(names: ["a", "b"], encodings: [vector, Array(vector.dropLast())]), "encoding 1 has 127 values, expected 128"),
        ]
        for (faces, words) in cases {
            XCTAssertThrowsError(try EncodingFile.checkWritable(faces, to: "/x/encoding")) { error in
                let description = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                XCTAssertTrue(description.contains("/x/encoding") && description.contains(words), description)
            }
        }
    }

    func testReadingAMissingFileNamesThePathAndTheReason() {
        let path = scratch + "/missing/encoding"
        XCTAssertThrowsError(try EncodingFile.read(contentsOf: path)) { error in
            let description = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            XCTAssertTrue(description.contains(path) && description.contains("No such file or directory"), description)
        }
    }

    /// Writes the faces, has numpy load them (with warnings as errors) and compare every value and the bytes
    /// numpy 1.x would write, then reads them back.
    private func assertNumpyLoadsExactly(_ faces: KnownFaces, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = scratch + "/encoding", expected = scratch + "/expected.json"
        try EncodingFile.checkWritable(faces, to: path)
        try Data(EncodingFile.serialize(faces)).write(to: URL(fileURLWithPath: path))
        let json = try JSONSerialization.data(withJSONObject: ["names": faces.names, "encodings": faces.encodings])
        try json.write(to: URL(fileURLWithPath: expected))
        let verdict = try EncodingFilePython.run(EncodingFilePythonScripts.checkWritten, [path, expected])
        XCTAssertEqual(verdict.trimmingCharacters(in: .whitespacesAndNewlines), "identical", "\(faces.names.count) faces", file: file, line: line)
        XCTAssertEqual(try EncodingFile.read(contentsOf: path), faces, file: file, line: line)
    }
}
