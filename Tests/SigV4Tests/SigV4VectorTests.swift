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
        var checked = 0
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
            checked += 1
        }
        XCTAssertEqual(checked, try cases().count - cases().filter { $0.has("url") }.count)
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

    func testPresignedURL() throws {
        let presigned = try cases().filter { $0.has("url") }
        XCTAssertFalse(presigned.isEmpty)
        for vector in presigned {
            let expectedURL = try vector.expected("url")
            let expires = try XCTUnwrap(expectedURL.split(separator: "&").first { $0.hasPrefix("X-Amz-Expires=") }?.split(separator: "=").last)
            let url = try vector.signer().presignedURL(
                method: vector.method, url: "https://\(try XCTUnwrap(vector.header("host")))\(vector.path)",
                expires: try XCTUnwrap(Int(expires)), time: try vector.signingTime())
            XCTAssertEqual(url, expectedURL, vector.name)

            // The query the signature covers is the URL's query without the signature itself.
            let query = String(url.split(separator: "?")[1]).components(separatedBy: "&X-Amz-Signature=")[0]
            let canonical = try vector.signer().canonicalRequest(method: vector.method, path: vector.path, query: query,
                                                                 headers: [("host", try XCTUnwrap(vector.header("host")))],
                                                                 payloadHash: "UNSIGNED-PAYLOAD")
            XCTAssertEqual(canonical.text, try vector.expected("creq"), vector.name)
            XCTAssertEqual(try vector.signer().stringToSign(canonical, time: vector.signingTime()), try vector.expected("sts"), vector.name)
        }
    }

    /// The aws-chunked upload: each chunk's string to sign and signature chain from the seed
    /// signature, checked against the `.chunk*.sts` files, the chunk framing of `.sreq` and
    /// `.chunk-signatures`.
    func testChunkSignaturesOfTheChunkedUpload() throws {
        let vector = try XCTUnwrap(try cases().first { $0.has("chunk-signatures") })
        let signer = try vector.signer()
        let time = try vector.signingTime()
        let seedCanonical = signer.canonicalRequest(method: vector.method, path: vector.path, query: vector.query,
                                                    headers: vector.headers, payloadHash: try XCTUnwrap(vector.header("x-amz-content-sha256")))
        var previous = try XCTUnwrap(signer.authorization(seedCanonical, time: time).components(separatedBy: "Signature=").last)

        let chunks = try Self.chunks(ofSignedRequest: Data(contentsOf: vector.file("sreq")))
        let stsFiles = try FileManager.default.contentsOfDirectory(atPath: vector.folder.path)
            .filter { $0.hasPrefix("\(vector.name).chunk") && $0.hasSuffix(".sts") }.sorted()
        let published = try vector.expected("chunk-signatures").split(separator: "\n").map(String.init)
        XCTAssertEqual(chunks.count, stsFiles.count)
        XCTAssertEqual(chunks.count, published.count)
        XCTAssertEqual(chunks.last?.data.count, 0, "the last chunk is empty")

        for (index, chunk) in chunks.enumerated() {
            let stringToSign = signer.chunkStringToSign(chunk: chunk.data, previousSignature: previous, time: time)
            let expectedSTS = String(decoding: try Data(contentsOf: vector.folder.appendingPathComponent(stsFiles[index])), as: UTF8.self)
            XCTAssertEqual(stringToSign, expectedSTS, stsFiles[index])
            let signature = signer.signature(stringToSign: stringToSign, time: time)
            XCTAssertEqual(signature, chunk.signature, "chunk \(index + 1) framing")
            XCTAssertEqual(signature, published[index], "chunk \(index + 1) published signature")
            previous = signature
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

    /// Splits an aws-chunked body (`HEXSIZE;chunk-signature=SIG\r\n DATA \r\n`...).
    private static func chunks(ofSignedRequest request: Data) throws -> [(data: [UInt8], signature: String)] {
        let bytes = [UInt8](request)
        guard let headerEnd = request.range(of: Data("\n\n".utf8))?.upperBound else { throw VectorError("no body in the chunked .sreq") }
        var index = headerEnd
        var chunks: [(data: [UInt8], signature: String)] = []
        while index < bytes.count {
            guard let lineEnd = (index..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else { break }
            let line = String(decoding: bytes[index..<lineEnd], as: UTF8.self)
            let parts = line.components(separatedBy: ";chunk-signature=")
            guard parts.count == 2, let size = Int(parts[0], radix: 16) else { throw VectorError("bad chunk header \(line)") }
            let dataStart = lineEnd + 2
            chunks.append((Array(bytes[dataStart..<dataStart + size]), parts[1]))
            index = dataStart + size + 2
        }
        return chunks
    }
}
