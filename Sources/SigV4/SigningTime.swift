import Glibc

/// The two forms of the signing time SigV4 uses, in UTC.
public struct SigningTime: Sendable, Equatable {
    /// `20150830T123600Z`, the `x-amz-date` value.
    public let amzDate: String
    /// `20150830`, the credential scope's date.
    public var day: String { String(amzDate.prefix(8)) }

    public init(secondsSince1970: Double) {
        var seconds = time_t(secondsSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        amzDate = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    /// Parses an `x-amz-date` value; nil unless it has the form `YYYYMMDDTHHMMSSZ`.
    public init?(amzDate: String) {
        let bytes = Array(amzDate.utf8)
        let digits = bytes.enumerated().allSatisfy { index, byte in
            index == 8 ? byte == UInt8(ascii: "T") : index == 15 ? byte == UInt8(ascii: "Z") : (48...57).contains(byte)
        }
        guard bytes.count == 16, digits else { return nil }
        self.amzDate = amzDate
    }

    public static func now() -> SigningTime {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return SigningTime(secondsSince1970: Double(now.tv_sec))
    }
}
