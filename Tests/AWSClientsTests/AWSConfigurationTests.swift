import AWSClients
import HTTPClient
import SigV4
import XCTest

/// Configuration from the SDKs' environment variables, and the endpoints and addressing it leads to.
final class AWSConfigurationTests: XCTestCase {
    private let minimal = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret/value+x", "AWS_REGION": "eu-west-1"]

    func testReadsCredentialsTokenRegionAndAttempts() throws {
        var environment = minimal
        environment["AWS_SESSION_TOKEN"] = "token-value"
        environment["AWS_MAX_ATTEMPTS"] = "7"
        let configuration = try AWSConfiguration.fromEnvironment(environment)
        XCTAssertEqual(configuration.credentials.accessKeyID, "AKIDEXAMPLE")
        XCTAssertEqual(configuration.credentials.secretAccessKey, "secret/value+x")
        XCTAssertEqual(configuration.credentials.sessionToken, "token-value")
        XCTAssertEqual(configuration.region, "eu-west-1")
        XCTAssertEqual(configuration.retryPolicy.maxAttempts, 7)
        XCTAssertNil(configuration.endpointURL)

        let printed = String(describing: configuration) + String(reflecting: configuration)
        XCTAssertFalse(printed.contains("secret/value+x") || printed.contains("token-value"), printed)
    }

    func testRegionFallsBackToAWSDefaultRegionAndEmptyTokenMeansNone() throws {
        var environment = minimal
        environment["AWS_REGION"] = nil
        environment["AWS_DEFAULT_REGION"] = "ap-south-1"
        environment["AWS_SESSION_TOKEN"] = ""
        let configuration = try AWSConfiguration.fromEnvironment(environment)
        XCTAssertEqual(configuration.region, "ap-south-1")
        XCTAssertNil(configuration.credentials.sessionToken)
    }

    func testErrorsNameTheMissingOrWrongVariable() {
        let cases: [(String, String?, String)] = [
            ("AWS_ACCESS_KEY_ID", nil, "AWS_ACCESS_KEY_ID is not set"),
            ("AWS_SECRET_ACCESS_KEY", "", "AWS_SECRET_ACCESS_KEY is not set"),
            ("AWS_REGION", nil, "AWS_REGION is not set"),
            ("AWS_ENDPOINT_URL", "localhost:5000", "AWS_ENDPOINT_URL must be an http:// or https:// URL"),
            ("AWS_MAX_ATTEMPTS", "0", "AWS_MAX_ATTEMPTS must be a whole number"),
        ]
        for (variable, value, expected) in cases {
            var environment = minimal
            environment[variable] = value
            XCTAssertThrowsError(try AWSConfiguration.fromEnvironment(environment), variable) {
                XCTAssertEqual(($0 as? ConfigurationError)?.variable, variable)
                XCTAssertTrue("\($0)".contains(expected), "\($0)")
                XCTAssertFalse("\($0)".contains("secret/value+x"))
            }
        }
    }

    func testS3AddressingVirtualHostedByDefaultPathStyleWithAnOverride() throws {
        let http = try HTTPClient()
        let real = S3Client(configuration: try AWSConfiguration.fromEnvironment(minimal), http: http)
        XCTAssertEqual(real.objectURL(bucket: "classroom-input", key: "videos/test 0+ሴ.mp4"),
                       "https://classroom-input.s3.eu-west-1.amazonaws.com/videos/test%200%2B%E1%88%B4.mp4")
        XCTAssertEqual(real.objectURL(bucket: "my.dotted.bucket", key: "k"), "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/k",
                       "a dotted bucket would not match the TLS certificate as a host name")

        var china = minimal
        china["AWS_REGION"] = "cn-north-1"
        XCTAssertEqual(S3Client(configuration: try AWSConfiguration.fromEnvironment(china), http: http).objectURL(bucket: "b-1", key: "k"),
                       "https://b-1.s3.cn-north-1.amazonaws.com.cn/k")

        var local = minimal
        local["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000/"
        XCTAssertEqual(S3Client(configuration: try AWSConfiguration.fromEnvironment(local), http: http).objectURL(bucket: "in", key: "a b"),
                       "http://127.0.0.1:5000/in/a%20b")
        local["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000"
        XCTAssertEqual(S3Client(configuration: try AWSConfiguration.fromEnvironment(local), http: http).objectURL(bucket: "in", key: "k"),
                       "http://127.0.0.1:9000/in/k", "the per-service variable wins")
    }

    func testRetryDelaysAreJitteredAndBounded() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.1, maxDelay: 1.0)
        for retry in 1...9 {
            let ceiling = min(1.0, 0.1 * Double(1 << (retry - 1)))
            let delays = (0..<50).map { _ in policy.delay(beforeRetry: retry) }
            XCTAssertTrue(delays.allSatisfy { $0 >= 0 && $0 <= ceiling }, "retry \(retry): \(delays.max() ?? 0) > \(ceiling)")
            XCTAssertGreaterThan(Set(delays).count, 1, "jittered")
        }
    }
}
