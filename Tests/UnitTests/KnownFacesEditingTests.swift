import EncodingFile
import XCTest

/// One person's encodings added, replaced and removed, as `enroll --add` and `forget` edit an encoding.
final class KnownFacesEditingTests: XCTestCase {
    private func vector(_ seed: Double) -> [Double] { (0..<128).map { Double($0) * seed / 1000 } }
    private lazy var faces = KnownFaces(names: ["ada", "bob", "ada"], encodings: [vector(1), vector(2), vector(3)])

    func testAddingANewPersonAppendsOneEncodingPerPhoto() throws {
        let edited = try faces.adding("cy", encodings: [vector(4), vector(5)], replacing: false, source: "enc")
        XCTAssertEqual(edited.names, ["ada", "bob", "ada", "cy", "cy"])
        XCTAssertEqual(edited.encodings.suffix(2), [vector(4), vector(5)])
        XCTAssertEqual(edited.count(of: "cy"), 2)
    }

    func testAnEnrolledNameIsRefusedUnlessReplacing() throws {
        XCTAssertThrowsError(try faces.adding("ada", encodings: [vector(6)], replacing: false, source: "s3://b/encoding")) {
            let text = $0.localizedDescription
            XCTAssertTrue(text.contains("s3://b/encoding") && text.contains("'ada' is already enrolled (2 encodings)") && text.contains("--replace"), text)
        }
        let replaced = try faces.adding("ada", encodings: [vector(6)], replacing: true, source: "enc")
        XCTAssertEqual(replaced.names, ["bob", "ada"])
        XCTAssertEqual(replaced.encodings, [vector(2), vector(6)])
    }

    func testWrongShapesAndEmptyNamesAreRefused() {
        XCTAssertThrowsError(try faces.adding("", encodings: [vector(1)], replacing: false, source: "enc"))
        XCTAssertThrowsError(try faces.adding("cy", encodings: [], replacing: false, source: "enc"))
        XCTAssertThrowsError(try faces.adding("cy", encodings: [[1, 2, 3]], replacing: false, source: "enc")) {
            XCTAssertTrue($0.localizedDescription.contains("3 values, expected 128"), $0.localizedDescription)
        }
    }

    func testRemovingDropsEveryEncodingOfThePersonAndNothingElse() {
        let edited = faces.removing("ada")
        XCTAssertEqual(edited.names, ["bob"])
        XCTAssertEqual(edited.encodings, [vector(2)])
        XCTAssertEqual(faces.removing("nobody"), faces)
    }
}
