import Foundation
import TestSupport
import XCTest

/// The built function under the real emulator, set up wrongly: the invoker gets the real error
/// type and a message that says what is wrong and where, never "The operation could not be completed".
final class FunctionInitErrorTests: ScratchTestCase {
    private static let working = [
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
        "INPUT_BUCKET": "classroom-input", "OUTPUT_BUCKET": "classroom-output", "STUDENTS_TABLE": "students",
        "MODELS_DIR": Project.models, "ENCODING_FILE": Project.root.path + "/encoding",
    ]

    private func initError(_ changes: [String: String]) throws -> (type: String, message: String) {
        let function = try FunctionEmulator(environment: Self.working.merging(changes) { $1 }, runDirectory: scratch + "/" + UUID().uuidString)
        defer { function.stop() }
        let outcome = try function.invoke(Array("{}".utf8))
        let message = outcome.errorMessage ?? ""
        XCTAssertFalse(message.contains("could not be completed"), message)
        XCTAssertTrue(outcome.rawLog.contains(message), "the message is not in the function's log: \(outcome.rawLog)")
        return (outcome.errorType ?? "", message)
    }

    func testModelsMissing() throws {
        let (type, message) = try initError(["MODELS_DIR": "/nonexistent/models"])
        XCTAssertEqual(type, "FaceModelError")
        XCTAssertTrue(message.contains("/nonexistent/models/") && message.contains("MODELS_DIR"), message)
    }

    func testEncodingFileMissing() throws {
        let (type, message) = try initError(["ENCODING_FILE": "/nonexistent/encoding"])
        XCTAssertEqual(type, "EncodingFileError")
        XCTAssertTrue(message.contains("/nonexistent/encoding"), message)
    }

    func testEncodingURIMalformed() throws {
        let (type, message) = try initError(["ENCODING_URI": "s3://classroom-encodings"])
        XCTAssertEqual(type, "FunctionConfigurationError")
        XCTAssertTrue(message.contains("ENCODING_URI") && message.contains("s3://classroom-encodings") && message.contains("no key"), message)
    }

    func testConfigurationVariableWrong() throws {
        let (type, message) = try initError(["TOLERANCE": "lots"])
        XCTAssertEqual(type, "FunctionConfigurationError")
        XCTAssertTrue(message.contains("TOLERANCE") && message.contains("lots"), message)
    }
}
