import Foundation
import SigV4
import XCTest

/// Every case of ../shared/aws-sigv4-testsuite, read from its files: the canonicalizer on the
/// request as given, then the whole signer (which adds the default headers itself).
final class SigV4VectorTests: XCTestCase {
    private func cases() throws -> [VectorCase] {
        let cases = try VectorCase.all()
        XCTAssertFalse(cases.filter { $0.group == .official }.isEmpty, "official cases in \(VectorCase.suiteRoot.path)")
        XCTAssertFalse(cases.filter { $0.group == .s3DocsExamples }.isEmpty, "s3-docs-examples cases")
        XCTAssertFalse(cases.filter { $0.group == .s3Generated }.isEmpty, "s3-generated cases")
        return cases
    }

    func testCanonicalRequestStringToSignAndAuthorizationOfEveryHeaderSignedCase() throws {
        var checked: Set<String> = []
        for vector in try cases() where !vector.has("url") {
            let signer = try vector.signer()
            let time = try vector.signingTime()
            var headers = vector.headers
            if let token = try vector.sessionToken(), signer.signsSessionToken, vector.header("x-amz-security-token") == nil {
                headers.append(("X-Amz-Security-Token", token))
            }
            let canonical = signer.canonicalRequest(method: vector.method, path: vector.path, query: vector.query, headers: headers,
                                                    payloadHash: vector.header("x-amz-content-sha256") ?? sha256Hex(vector.body))
            XCTAssertEqual(canonical.text, try vector.expected("creq"), "\(vector.name): canonical request")
            XCTAssertEqual(signer.stringToSign(canonical, time: time), try vector.expected("sts"), "\(vector.name): string to sign")
            XCTAssertEqual(Self.comparable(signer.authorization(canonical, time: time)), Self.comparable(try vector.expected("authz")),
                           "\(vector.name): Authorization")
            checked.insert(vector.file("authz").path)
        }
        // Every `.authz` file on disk, found by a walk of its own, is one that was checked.
        let authzFiles = FileManager.default.enumerator(atPath: VectorCase.suiteRoot.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".authz") }.map { VectorCase.suiteRoot.appendingPathComponent($0).path } ?? []
        XCTAssertFalse(authzFiles.isEmpty, "no .authz files under \(VectorCase.suiteRoot.path)")
        XCTAssertEqual(checked, Set(authzFiles))
    }

    /// `sign` gets the request without Host, X-Amz-Date, the token or a body hash and must
    /// produce every header of the signed request (`.sreq`).
    func testSignAddsDefaultHeadersAndReproducesEverySignedRequest() throws {
        for vector in try cases() where !vector.has("url") {
            let addedBySigner: Set<String> = ["host", "x-amz-date", "x-amz-security-token"]
            let input = vector.headers.filter {
                !addedBySigner.contains($0.name.lowercased())
                    && !($0.name.lowercased() == "x-amz-content-sha256" && $0.value == sha256Hex(vector.body))
            }
            let url = "https://\(try XCTUnwrap(vector.header("host")))\(vector.path)\(vector.query.isEmpty ? "" : "?" + vector.query)"
            let signed = try vector.signer().sign(method: vector.method, url: url, headers: input, body: vector.body,
                                                  time: try vector.signingTime())

            // Authorization is checked against `.authz`: the `.sreq` of get-vanilla-with-session-token
            // carries a signature that matches neither its own `.authz` nor its `.creq` (upstream quirk).
            let isAuthorization = { (header: (name: String, value: String)) in header.name.lowercased() == "authorization" }
            let authorization = try XCTUnwrap(signed.first(where: isAuthorization)?.value)
            XCTAssertEqual(Self.comparable(authorization), Self.comparable(try vector.expected("authz")), "\(vector.name): Authorization")
            let expected = try VectorCase(requestFile: vector.file("sreq")).headers.filter { !isAuthorization($0) }
            XCTAssertEqual(Self.comparable(signed.filter { !isAuthorization($0) }), Self.comparable(expected),
                           "\(vector.name): signed request headers")
        }
    }

    /// The query-signed cases (a `.url` file: S3's presigned GET example): the presigner must give
    /// that URL exactly, from the request, the lifetime in its canonical request and the signing time.
    func testPresignerReproducesEveryPresignedURL() throws {
        let presigned = try cases().filter { $0.has("url") }
        XCTAssertFalse(presigned.isEmpty, "the suite has S3's presigned-URL example")
        for vector in presigned {
            let expires = try XCTUnwrap(try vector.expected("creq").split(separator: "&")
                .first { $0.hasPrefix("X-Amz-Expires=") }.flatMap { Int($0.dropFirst("X-Amz-Expires=".count)) },
                "\(vector.name): X-Amz-Expires in the canonical request")
            let url = "https://\(try XCTUnwrap(vector.header("host")))\(vector.path)"
            let made = try SigV4Presigner(signer: try vector.signer())
                .presign(method: vector.method, url: url, expiresInSeconds: expires, time: try vector.signingTime())
            XCTAssertEqual(made, try vector.expected("url").trimmingCharacters(in: .whitespacesAndNewlines), "\(vector.name): URL")
        }
    }

    func testPresignerRefusesALifetimeBeyondSevenDays() throws {
        let signer = SigV4Signer(credentials: Credentials(accessKeyID: "AKID", secretAccessKey: "secret"), region: "us-east-1", service: "s3")
        let presigner = SigV4Presigner(signer: signer)
        XCTAssertNoThrow(try presigner.presign(url: "https://b.s3.amazonaws.com/k", expiresInSeconds: 7 * 24 * 3600))
        XCTAssertThrowsError(try presigner.presign(url: "https://b.s3.amazonaws.com/k", expiresInSeconds: 7 * 24 * 3600 + 1)) {
            XCTAssertTrue("\($0)".contains("7 days"), "\($0)")
        }
    }

    // MARK: Helpers

    /// Header lists compared as sorted (lowercase name, value with whitespace runs collapsed),
    /// with `, ` and `,` in Authorization treated alike (the S3 documentation prints no spaces).
    private static func comparable(_ headers: [(name: String, value: String)]) -> [String] {
        headers.map { "\($0.name.lowercased()):\(comparable($0.value))" }.sorted()
    }

    private static func comparable(_ value: String) -> String {
        value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").replacingOccurrences(of: ", ", with: ",")
    }
}
