import TextEncoding

/// Query-string signing (a presigned URL): the same stages as `SigV4Signer`, with the credential,
/// date, lifetime and signed headers carried in the query instead of headers, `host` the only
/// signed header and the payload `UNSIGNED-PAYLOAD`, as S3 documents it.
public struct SigV4Presigner: Sendable {
    /// SigV4 refuses a presigned URL that claims to live longer than seven days.
    public static let maximumLifetimeSeconds = 7 * 24 * 3600

    public let signer: SigV4Signer

    public init(signer: SigV4Signer) {
        self.signer = signer
    }

    /// `url` with the signing parameters appended to its query; the URL stays valid for
    /// `expiresInSeconds` from `time`.
    public func presign(method: String = "GET", url: String, expiresInSeconds: Int,
                        time: SigningTime = .now()) throws -> String {
        guard (1...Self.maximumLifetimeSeconds).contains(expiresInSeconds) else {
            throw SigningError(url: url, reason: "a presigned URL lives 1 to \(Self.maximumLifetimeSeconds) seconds (7 days), not \(expiresInSeconds)")
        }
        let target = try RequestTarget(url: url)
        var parameters = [
            ("X-Amz-Algorithm", SigV4Signer.algorithm),
            ("X-Amz-Credential", "\(signer.credentials.accessKeyID)/\(signer.credentialScope(time))"),
            ("X-Amz-Date", time.amzDate),
            ("X-Amz-Expires", String(expiresInSeconds)),
        ]
        if let token = signer.credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        parameters.append(("X-Amz-SignedHeaders", "host"))
        let signing = parameters.map { "\($0.0)=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
        let query = target.query.isEmpty ? signing : target.query + "&" + signing
        let canonical = signer.canonicalRequest(method: method, path: target.path, query: query,
                                                headers: [("host", target.authority)], payloadHash: "UNSIGNED-PAYLOAD")
        let signature = signer.signature(stringToSign: signer.stringToSign(canonical, time: time), time: time)
        let base = url.prefix { $0 != "?" && $0 != "#" }
        return "\(base)?\(query)&X-Amz-Signature=\(signature)"
    }
}
