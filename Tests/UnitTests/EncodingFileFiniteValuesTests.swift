import ClassroomCore
import EncodingFile
import XCTest

/// An encoding with a NaN component could never match anyone: the reader refuses it.
final class EncodingFileFiniteValuesTests: XCTestCase {
    func testNonFiniteEncodingIsRejected() {
        var vector = [Double](repeating: 0.1, count: 128)
        vector[7] = .nan
        let bytes = EncodingFile.serialize(KnownFaces(names: ["floki"], encodings: [vector]))
        XCTAssertThrowsError(try EncodingFile.parse(bytes, source: "nan.pkl")) { error in
            XCTAssertTrue("\(error.localizedDescription)".contains("non-finite"), "\(error.localizedDescription)")
            XCTAssertTrue("\(error.localizedDescription)".contains("position 7"), "\(error.localizedDescription)")
        }
    }
}
