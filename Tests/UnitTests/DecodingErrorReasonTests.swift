import ClassroomCore
import Foundation
import XCTest

/// A JSON input's problem, said as a path a person can follow.
final class DecodingErrorReasonTests: XCTestCase {
    private struct Person: Decodable { let name: String; let year: Int }

    private func reason(_ json: String) -> String {
        do {
            _ = try JSONDecoder().decode([Person].self, from: Data(json.utf8))
            return "decoded"
        } catch let error as DecodingError {
            return error.reason
        } catch {
            return "\(error)"
        }
    }

    func testAMissingFieldIsNamedByItsPath() {
        XCTAssertEqual(reason(#"[{"name": "ada"}]"#), "[0].year is missing")
    }

    func testAMistypedFieldIsNamedByItsPath() {
        XCTAssertTrue(reason(#"[{"name": "ada", "year": 1}, {"name": "bob", "year": "two"}]"#).hasPrefix("[1].year is not a"))
    }

    func testAWrongWholeSaysSo() {
        XCTAssertTrue(reason(#"{"name": "ada"}"#).hasPrefix("the whole is not a"))
    }
}
