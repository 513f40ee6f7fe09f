import Foundation
import HTTPClient
import TestSupport
import XCTest

/// The function under the real emulator with a short timeout: whatever hangs, it answers with an
/// error naming the object before Lambda's deadline, and serves the next event.
final class DeadlineTests: XCTestCase {
    func testAnS3EndpointThatNeverAnswersGivesAnErrorBeforeTheDeadline() throws {
        let silentS3 = try SilentListener()
        defer { silentS3.stop() }
        let timeout = 4.0
        let emulator = try RuntimeEmulator(environment: [
            "AWS_LAMBDA_FUNCTION_TIMEOUT": String(Int(timeout)),
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "",
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": silentS3.url,
            "INPUT_BUCKET": "classroom-input", "OUTPUT_BUCKET": "classroom-output", "STUDENTS_TABLE": "students",
            "MODELS_DIR": Project.models, "ENCODING_FILE": Project.root.path + "/encoding",
        ], function: Project.binary)
        defer { emulator.stop() }

        let event = S3EventFixtures.event(S3EventFixtures.record(key: "hangs.mp4", bucket: "classroom-input"))
        let started = Date()
        let response = try emulator.invoke(event)
        let took = Date().timeIntervalSince(started)

        let answer = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                                   String(decoding: response.body, as: UTF8.self))
        let message = answer["errorMessage"] as? String ?? ""
        XCTAssertTrue(message.contains("s3://classroom-input/hangs.mp4") && message.contains("deadline"), message)
        XCTAssertNotEqual(answer["errorType"] as? String, "Runtime.ExitError", emulator.log)
        XCTAssertFalse(emulator.log.contains("Task timed out"), emulator.log)
        XCTAssertGreaterThan(silentS3.connections, 0, "the function never tried S3")
        // Function init (models) comes before the deadline's clock starts in the emulator.
        XCTAssertLessThan(took, timeout + 3, "answered after \(took) s")
    }
}
