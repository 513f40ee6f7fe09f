import TextEncoding

/// The two S3-only uses of SigV4: query-string authentication (presigned URLs) and the
/// per-chunk signatures of an `aws-chunked` upload.
extension SigV4Signer {
    /// A URL anyone can use until `expires` seconds after `time`. Only `host` is signed and the
    /// payload is `UNSIGNED-PAYLOAD`.
    public func presignedURL(method: String = "GET", url: String, expires: Int, time: SigningTime = .now()) throws -> String {
        let target = try RequestTarget(url: url)
        var parameters = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(credentialScope(time))"),
            ("X-Amz-Date", time.amzDate),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        let added = parameters.map { "\($0.0)=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
        let query = target.query.isEmpty ? added : target.query + "&" + added
        let canonical = canonicalRequest(method: method, path: target.path, query: query,
                                         headers: [("host", target.authority)], payloadHash: "UNSIGNED-PAYLOAD")
        let signature = signature(stringToSign: stringToSign(canonical, time: time), time: time)
        let base = url.prefix { $0 != "?" && $0 != "#" }
        return "\(base)?\(query)&X-Amz-Signature=\(signature)"
    }

    /// The string to sign for one chunk of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` upload; the
    /// first chunk chains from the request's own signature (the seed), the last chunk is empty.
    public func chunkStringToSign(chunk: [UInt8], previousSignature: String, time: SigningTime) -> String {
        ["AWS4-HMAC-SHA256-PAYLOAD", time.amzDate, credentialScope(time), previousSignature, sha256Hex([]), sha256Hex(chunk)]
            .joined(separator: "\n")
    }
}
