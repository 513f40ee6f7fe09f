import SigV4
import TextEncoding
import XCTest

/// What the vectors do not cover: time formatting, encoding edge cases, redaction, bad URLs.
final class SigV4SignerTests: XCTestCase {
    private let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                          sessionToken: "TOKEN-VALUE")

    func testSigningTimeFormatsUTC() {
        XCTAssertEqual(SigningTime(secondsSince1970: 1_440_938_160).amzDate, "20150830T123600Z")
        XCTAssertEqual(SigningTime(secondsSince1970: 0).day, "19700101")
        XCTAssertNil(SigningTime(amzDate: "2015-08-30T12:36:00Z"))
        XCTAssertEqual(SigningTime(amzDate: "20150830T123600Z")?.day, "20150830")
    }

    func testPercentEncodingKeepsOnlyUnreservedAndOptionallySlash() {
        XCTAssertEqual(PercentEncoding.encode("photos/my file+ሴ.txt", keepSlash: true), "photos/my%20file%2B%E1%88%B4.txt")
        XCTAssertEqual(PercentEncoding.encode("a/b~c_d-e.f"), "a%2Fb~c_d-e.f")
        XCTAssertEqual(PercentEncoding.decode("my%20file%2b%E1%88%B4+%zz%"), "my file+ሴ+%zz%")
    }

    func testS3PathIsEncodedOnceOtherServicesTwice() throws {
        for (service, expectedPath) in [("s3", "/bucket/my%20key"), ("dynamodb", "/bucket/my%2520key")] {
            let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: service)
            let canonical = signer.canonicalRequest(method: "GET", path: "/bucket/my%20key", query: "", headers: [("host", "h")],
                                                    payloadHash: sha256Hex([]))
            XCTAssertEqual(canonical.text.split(separator: "\n")[1], Substring(expectedPath), service)
        }
    }

    func testSignAddsSessionTokenAndContentHashForS3AndKeepsAGivenHash() throws {
        let signer = SigV4Signer(credentials: credentials, region: "eu-west-1", service: "s3")
        let time = SigningTime(secondsSince1970: 1_440_938_160)
        let signed = try signer.sign(method: "PUT", url: "http://127.0.0.1:5000/b/k", headers: [("Content-Type", "text/csv")],
                                     body: Array("x".utf8), time: time)
        let names = signed.map { $0.name.lowercased() }
        XCTAssertEqual(Set(names), ["host", "content-type", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization"])
        XCTAssertEqual(signed.first { $0.name == "Host" }?.value, "127.0.0.1:5000", "the port is part of the signed host")
        XCTAssertEqual(signed.first { $0.name == "X-Amz-Content-Sha256" }?.value, sha256Hex(Array("x".utf8)))
        let authorization = try XCTUnwrap(signed.first { $0.name == "Authorization" }?.value)
        XCTAssertTrue(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/s3/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="), authorization)

        let unsigned = try signer.sign(method: "GET", url: "https://b.s3.amazonaws.com/k", headers: [("x-amz-content-sha256", "UNSIGNED-PAYLOAD")],
                                       body: [], time: time)
        XCTAssertEqual(unsigned.filter { $0.name.lowercased() == "x-amz-content-sha256" }.map(\.value), ["UNSIGNED-PAYLOAD"])
    }

    func testDynamoDBSigningSendsNoContentHashHeader() throws {
        let signer = SigV4Signer(credentials: Credentials(accessKeyID: "AKID", secretAccessKey: "secret"), region: "us-east-1", service: "dynamodb")
        let signed = try signer.sign(method: "POST", url: "https://dynamodb.us-east-1.amazonaws.com/", headers: [], body: Array("{}".utf8))
        XCTAssertFalse(signed.contains { $0.name.lowercased() == "x-amz-content-sha256" || $0.name.lowercased() == "x-amz-security-token" })
    }

    func testSecretsNeverAppearInDescriptions() {
        for text in [String(describing: credentials), String(reflecting: credentials), "\(credentials)"] {
            XCTAssertFalse(text.contains(credentials.secretAccessKey), text)
            XCTAssertFalse(text.contains("TOKEN-VALUE"), text)
            XCTAssertTrue(text.contains("AKIDEXAMPLE"), text)
        }
    }

    func testRelativeURLIsASigningError() {
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3")
        XCTAssertThrowsError(try signer.sign(method: "GET", url: "/bucket/key", headers: [], body: [])) {
            XCTAssertTrue(($0 as? SigningError)?.errorDescription?.contains("/bucket/key") ?? false, "\($0)")
        }
    }
}
