/// RFC 3986 percent-encoding, the one copy: every byte of the UTF-8 form except the unreserved
/// characters (A-Z a-z 0-9 - _ . ~) becomes %XX with uppercase hex. SigV4's URI encoding, the
/// Runtime API's path segments and the report's links all use it; S3 notifications carry keys
/// form-URL-encoded (`formDecode`).
public enum PercentEncoding {
    /// Encodes a whole string; `keepSlash` leaves `/` as it is (paths), otherwise it becomes %2F.
    public static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out += Hex.encode([byte], uppercase: true).utf8
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes %XX escapes; a `%` not followed by two hex digits stays as it is. `+` is not a space.
    public static func decode(_ text: String) -> String {
        String(decoding: decodedBytes(text, plusIsSpace: false, strict: false)!, as: UTF8.self)
    }

    /// Form-URL decoding, as S3 notifications encode object keys: `+` stands for a space and `%XX`
    /// for a byte of the UTF-8 (a real `+` is `%2B`). nil when a `%` is not followed by two hex
    /// digits or the bytes are not UTF-8.
    public static func formDecode(_ text: String) -> String? {
        decodedBytes(text, plusIsSpace: true, strict: true).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// nil only when `strict` and a `%` is not followed by two hex digits.
    private static func decodedBytes(_ text: String, plusIsSpace: Bool, strict: Bool) -> [UInt8]? {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                if index + 2 < bytes.count, let high = Hex.value(of: bytes[index + 1]), let low = Hex.value(of: bytes[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
                if strict { return nil }
            }
            out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return out
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
