import TextEncoding

/// AWS Signature Version 4, staged like the AWS documentation: canonical request -> string to
/// sign -> signing key -> signature -> Authorization header. `sign` adds the headers SigV4
/// expects before canonicalizing; the stages themselves add nothing.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"

    public let credentials: Credentials
    public let region: String
    public let service: String
    /// S3 signs the path as sent; every other service normalizes it and encodes it again.
    public var pathCanonicalization: PathCanonicalization
    /// S3 requires an `x-amz-content-sha256` header; other services take the hash without it.
    public var sendsContentSHA256: Bool
    /// Whether `x-amz-security-token` is part of the signature (the norm) or only added afterwards.
    public var signsSessionToken = true

    public init(credentials: Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
        pathCanonicalization = service == "s3" ? .s3 : .normalizedAndEncodedTwice
        sendsContentSHA256 = service == "s3"
    }

    // MARK: Stages

    public func canonicalRequest(method: String, path: String, query: String, headers: [(name: String, value: String)],
                                 payloadHash: String) -> CanonicalRequest {
        CanonicalRequest(method: method, path: path, query: query, headers: headers, payloadHash: payloadHash,
                         pathCanonicalization: pathCanonicalization)
    }

    /// `20150830/us-east-1/service/aws4_request`
    public func credentialScope(_ time: SigningTime) -> String { "\(time.day)/\(region)/\(service)/aws4_request" }

    public func stringToSign(_ canonical: CanonicalRequest, time: SigningTime) -> String {
        [Self.algorithm, time.amzDate, credentialScope(time), sha256Hex(Array(canonical.text.utf8))].joined(separator: "\n")
    }

    /// HMAC chain: "AWS4" + secret -> day -> region -> service -> "aws4_request".
    public func signingKey(_ time: SigningTime) -> [UInt8] {
        [time.day, region, service, "aws4_request"].reduce(Array("AWS4\(credentials.secretAccessKey)".utf8)) {
            Crypto.hmacSHA256(key: $0, Array($1.utf8))
        }
    }

    public func signature(stringToSign: String, time: SigningTime) -> String {
        Hex.encode(Crypto.hmacSHA256(key: signingKey(time), Array(stringToSign.utf8)))
    }

    public func authorization(_ canonical: CanonicalRequest, time: SigningTime) -> String {
        let signature = signature(stringToSign: stringToSign(canonical, time: time), time: time)
        return "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(credentialScope(time)), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
    }

    // MARK: Whole requests

    /// The headers to send: the given ones plus `Host` (from the URL, unless given),
    /// `X-Amz-Date`, `X-Amz-Content-Sha256` (S3, unless given: `UNSIGNED-PAYLOAD` stays),
    /// `X-Amz-Security-Token` (temporary credentials) and `Authorization`.
    public func sign(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8],
                     time: SigningTime = .now()) throws -> [(name: String, value: String)] {
        let target = try RequestTarget(url: url)
        var signed = headers
        if !signed.contains(where: { $0.name.lowercased() == "host" }) { signed.insert(("Host", target.authority), at: 0) }
        signed.append(("X-Amz-Date", time.amzDate))
        let givenHash = signed.first { $0.name.lowercased() == "x-amz-content-sha256" }?.value
        let payloadHash = givenHash ?? sha256Hex(body)
        if sendsContentSHA256 && givenHash == nil { signed.append(("X-Amz-Content-Sha256", payloadHash)) }
        let token = credentials.sessionToken.map { (name: "X-Amz-Security-Token", value: $0) }
        if let token, signsSessionToken { signed.append(token) }

        let canonical = canonicalRequest(method: method, path: target.path, query: target.query, headers: signed,
                                         payloadHash: payloadHash)
        if let token, !signsSessionToken { signed.append(token) }
        signed.append(("Authorization", authorization(canonical, time: time)))
        return signed
    }
}
