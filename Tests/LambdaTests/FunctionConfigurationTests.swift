import ClassroomFunction
import XCTest

final class FunctionConfigurationTests: XCTestCase {
    private let complete = ["INPUT_BUCKET": "classroom-input", "OUTPUT_BUCKET": "classroom-output", "STUDENTS_TABLE": "students"]

    private func error(_ environment: [String: String]) -> String? {
        do {
            _ = try FunctionConfiguration.fromEnvironment(environment)
            return nil
        } catch {
            return error.localizedDescription
        }
    }

    func testTheInputBucketIsRequired() throws {
        XCTAssertEqual(try FunctionConfiguration.fromEnvironment(complete).inputBucket, "classroom-input")
        var missing = complete
        missing["INPUT_BUCKET"] = nil
        XCTAssertEqual(error(missing), "configuration: INPUT_BUCKET is not set (the bucket whose uploaded videos the function serves)")
        missing["INPUT_BUCKET"] = ""
        XCTAssertEqual(error(missing)?.hasPrefix("configuration: INPUT_BUCKET is not set"), true)
    }

    func testBucketVariablesMustBeS3BucketNames() {
        for (variable, value, reason) in [("INPUT_BUCKET", "localhost:8765#", "':'"), ("INPUT_BUCKET", "Classroom-Input", "'C'"),
                                          ("OUTPUT_BUCKET", "ab", "2 bytes"), ("OUTPUT_BUCKET", "10.0.0.1", "IP address")] {
            var environment = complete
            environment[variable] = value
            let text = error(environment) ?? "accepted"
            XCTAssertTrue(text.hasPrefix("configuration: \(variable) is '\(value)', not an S3 bucket name: "), text)
            XCTAssertTrue(text.contains(reason), text)
        }
    }

    func testRostersAndTheAttendanceTableAreOptionalAndRostersURIIsChecked() throws {
        let plain = try FunctionConfiguration.fromEnvironment(complete)
        XCTAssertNil(plain.rosters)
        XCTAssertNil(plain.attendanceTable)
        let courses = try FunctionConfiguration.fromEnvironment(complete.merging(["ROSTERS_URI": "s3://classroom-rosters/term1",
                                                                                 "ATTENDANCE_TABLE": "attendance"]) { $1 })
        XCTAssertEqual(courses.rosters?.bucket, "classroom-rosters")
        XCTAssertEqual(courses.rosters?.folder, "term1/")
        XCTAssertEqual(courses.attendanceTable, "attendance")
        XCTAssertEqual(try FunctionConfiguration.fromEnvironment(complete.merging(["ROSTERS_URI": "s3://r-bucket"]) { $1 }).rosters?.folder, "")
        for (value, reason) in [("classroom-rosters/", "expected s3://BUCKET/PREFIX/"), ("s3://Rosters/", "not an S3 bucket name")] {
            let text = error(complete.merging(["ROSTERS_URI": value]) { $1 }) ?? "accepted"
            XCTAssertTrue(text.hasPrefix("configuration: ROSTERS_URI is '\(value)'; ") && text.contains(reason), text)
        }
    }

    /// Issues 21 and 25: names reach the log only at LOG_LEVEL=debug; a video fans out over at most
    /// FANOUT_MAX_SEGMENTS segments; unknown people's crops are kept only with REPORT_UNKNOWN_FACES=crops.
    func testLogLevelSegmentCeilingAndUnknownCrops() throws {
        let defaults = try FunctionConfiguration.fromEnvironment(complete)
        XCTAssertFalse(defaults.logsNames)
        XCTAssertEqual(defaults.fanOut.maxSegments, 32)
        XCTAssertFalse(defaults.recognition.unknownFaceCrops)
        let chosen = try FunctionConfiguration.fromEnvironment(complete.merging(
            ["LOG_LEVEL": "debug", "FANOUT_MAX_SEGMENTS": "8", "REPORT_UNKNOWN_FACES": "crops"]) { $1 })
        XCTAssertTrue(chosen.logsNames)
        XCTAssertEqual(chosen.fanOut.maxSegments, 8)
        XCTAssertTrue(chosen.recognition.unknownFaceCrops)
        for (variable, value) in [("LOG_LEVEL", "verbose"), ("FANOUT_MAX_SEGMENTS", "0"), ("REPORT_UNKNOWN_FACES", "all")] {
            let text = error(complete.merging([variable: value]) { $1 }) ?? "accepted"
            XCTAssertTrue(text.hasPrefix("configuration: \(variable) is '\(value)'"), text)
        }
    }
}
