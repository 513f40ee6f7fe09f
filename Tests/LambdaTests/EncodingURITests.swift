import AWSClients
import ClassroomFunction
import XCTest

/// ENCODING_URI and `--encoding s3://...`: an S3 object URI, refused clearly when malformed.
final class EncodingURITests: XCTestCase {
    private let complete = ["INPUT_BUCKET": "classroom-input", "OUTPUT_BUCKET": "classroom-output", "STUDENTS_TABLE": "students"]

    func testAWellFormedURINamesItsBucketAndKey() throws {
        let uri = try S3Location(objectURI: "s3://classroom-encodings/schools/north/encoding")
        XCTAssertEqual(uri.bucket, "classroom-encodings")
        XCTAssertEqual(uri.key, "schools/north/encoding")
        XCTAssertEqual(uri.description, "s3://classroom-encodings/schools/north/encoding")
        var environment = complete
        environment["ENCODING_URI"] = uri.description
        XCTAssertEqual(try FunctionConfiguration.fromEnvironment(environment).encodingObject, uri)
        XCTAssertNil(try FunctionConfiguration.fromEnvironment(complete).encodingObject, "unset: ENCODING_FILE is used")
    }

    func testAMalformedURIIsAConfigurationErrorNamingTheVariableAndValue() {
        for (value, reason) in [("classroom-encodings/encoding", "does not start with s3://"),
                                ("s3://classroom-encodings", "no key"), ("s3://classroom-encodings/", "no key"),
                                ("s3://Classroom_Encodings/encoding", "not an S3 bucket name"),
                                ("https://classroom-encodings.s3.amazonaws.com/encoding", "does not start with s3://")] {
            var environment = complete
            environment["ENCODING_URI"] = value
            XCTAssertThrowsError(try FunctionConfiguration.fromEnvironment(environment), value) {
                let text = $0.localizedDescription
                XCTAssertTrue(text.hasPrefix("configuration: ENCODING_URI is '\(value)', not an S3 object URI"), text)
                XCTAssertTrue(text.contains(reason), text)
            }
        }
    }
}
