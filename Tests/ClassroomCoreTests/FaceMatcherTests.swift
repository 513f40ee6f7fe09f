import ClassroomCore
import EncodingFile
import FaceRecognition
import XCTest

/// The nearest person and the runner-up, by name: a person with several encodings is one person.
final class FaceMatcherTests: XCTestCase {
    private func encoding(_ values: [Double]) -> [Double] { values + [Double](repeating: 0, count: 128 - values.count) }

    func testTheRunnerUpIsAnotherPersonNotAnotherEncodingOfTheSame() throws {
        let known = KnownFaces(names: ["ada", "ada", "bob"],
                               encodings: [encoding([0.1]), encoding([0.2]), encoding([0.5])])
        let candidate = try XCTUnwrap(FaceMatcher(known: known, tolerance: 0.6).nearest(encoding([0])))
        XCTAssertEqual(candidate.name, "ada")
        XCTAssertEqual(candidate.distance, 0.1, accuracy: 1e-12)
        XCTAssertEqual(candidate.other, "bob")
        XCTAssertEqual(try XCTUnwrap(candidate.otherDistance), 0.5, accuracy: 1e-12)
        XCTAssertEqual(candidate.margin, 0.4, accuracy: 1e-12)
    }

    func testOnePersonKnownHasNoRunnerUpAndAnUnboundedMargin() throws {
        let known = KnownFaces(names: ["ada", "ada"], encodings: [encoding([0.3]), encoding([0.2])])
        let candidate = try XCTUnwrap(FaceMatcher(known: known, tolerance: 0.6).nearest(encoding([0])))
        XCTAssertEqual(candidate.distance, 0.2, accuracy: 1e-12)
        XCTAssertNil(candidate.other)
        XCTAssertEqual(candidate.margin, .infinity)
        XCTAssertNil(FaceMatcher(known: KnownFaces(names: [], encodings: []), tolerance: 0.6).nearest(encoding([0])))
    }

    func testAMatchIsTheNearestPersonWithinTheTolerance() throws {
        let known = KnownFaces(names: ["ada", "bob"], encodings: [encoding([0.7]), encoding([0.55])])
        let match = try XCTUnwrap(FaceMatcher(known: known, tolerance: 0.6).match(encoding([0])))
        XCTAssertEqual(match.name, "bob")
        XCTAssertEqual(match.distance, 0.55, accuracy: 1e-12)
        XCTAssertNil(FaceMatcher(known: known, tolerance: 0.5).match(encoding([0])))
    }
}
