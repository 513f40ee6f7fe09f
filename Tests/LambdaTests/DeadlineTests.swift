import ClassroomFunction
import Foundation
import HTTPClient
import TestSupport
import XCTest

/// The function under the real emulator with a short timeout: whatever hangs, it answers with an
/// error naming the object before Lambda's deadline, and serves the next event. The emulator
/// enforces the timeout, so an answer that is not "Task timed out" came in time.
final class DeadlineTests: ScratchTestCase {
    func testAnS3EndpointThatNeverAnswersGivesAnErrorBeforeTheDeadline() throws {
        let silentS3 = try LoopbackListener(.neverAnswer)
        defer { silentS3.stop() }
        let timeout = 4.0
        let function = try FunctionEmulator(environment: [
            "AWS_LAMBDA_FUNCTION_TIMEOUT": String(Int(timeout)),
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "not-a-secret",
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": silentS3.url,
            "INPUT_BUCKET": "classroom-input", "OUTPUT_BUCKET": "classroom-output", "STUDENTS_TABLE": "students",
            "MODELS_DIR": Project.models, "ENCODING_FILE": Project.root.path + "/encoding",
        ], runDirectory: scratch)
        defer { function.stop() }

        let event = S3EventFixtures.event(try S3EventFixtures.record(key: "hangs.mp4", bucket: "classroom-input"))
        let outcome = try function.invoke(event)

        let message = outcome.errorMessage ?? ""
        XCTAssertTrue(message.contains("s3://classroom-input/hangs.mp4") && message.contains("deadline"), message)
        XCTAssertFalse(outcome.rawLog.contains("Task timed out"), outcome.rawLog)
        XCTAssertGreaterThan(silentS3.connections, 0, "the function never tried S3: \(outcome.rawLog)")
    }

    func testAVideoThatTakesLongerThanTheInvocationStopsWithAnErrorSayingHowFarItGot() throws {
        // A minute of 1080p with no face: first-match mode tries every second at every ladder size.
        let video = scratch + "/nobody.mp4"
        let made = try Command.run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=1", "-t", "60",
                                              "-c:v", "libx264", "-pix_fmt", "yuv420p", video])
        XCTAssertEqual(made.status, 0, made.stderr)
        let timeout = 5.0
        let stack = try FunctionStack(tableWithout: "", environment: ["AWS_LAMBDA_FUNCTION_TIMEOUT": String(Int(timeout))])
        defer { stack.stop() }
        let record = try stack.upload(contentsOf: video, as: "long/nobody.mp4")

        let outcome = try stack.invoke(S3EventFixtures.event(record))

        let message = outcome.errorMessage ?? ""
        XCTAssertTrue(message.contains("long/nobody.mp4") && message.contains("deadline") && message.contains("60.0 s video"), message)
        XCTAssertFalse(outcome.rawLog.contains("Task timed out"), outcome.rawLog)
        XCTAssertNil(try stack.output("long/nobody.csv"), "a CSV was written for a video cut short")
    }
}
