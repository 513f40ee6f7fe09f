import COpenSSL
import TextEncoding

/// SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto.
enum Crypto {
    static func sha256(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        data.withUnsafeBufferPointer { _ = SHA256($0.baseAddress, $0.count, &digest) }
        return digest
    }

    static func hmacSHA256(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBytes in
            data.withUnsafeBufferPointer { dataBytes in
                _ = HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                         dataBytes.baseAddress, dataBytes.count, &digest, &length)
            }
        }
        return Array(digest.prefix(Int(length)))
    }
}

/// The lowercase hex SHA-256 of a payload, as SigV4 wants it (`x-amz-content-sha256`, canonical request).
public func sha256Hex(_ data: [UInt8]) -> String { Hex.encode(Crypto.sha256(data)) }
