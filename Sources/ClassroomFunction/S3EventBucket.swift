extension S3Event {
    public struct Bucket: Decodable, Equatable {
        public let name: String
        public let arn: String?

        /// Why `name` is not a general purpose bucket name by S3's naming rules, or nil when it is one.
        /// A name from an event goes into a URL: `localhost:8765#` would become a host of its own.
        /// (Buckets made in us-east-1 before March 2018 could break these rules; the function does not serve them.)
        public static func nameProblem(_ name: String) -> String? {
            let bytes = Array(name.utf8)
            guard (3...63).contains(bytes.count) else { return "it is \(bytes.count) bytes long, not 3 to 63" }
            if let other = name.unicodeScalars.first(where: { !isLowerCaseLetterOrDigit($0) && $0 != "." && $0 != "-" }) {
                return "it holds '\(other.escaped(asASCII: true))', and only lower-case letters, digits, '.' and '-' are allowed"
            }
            guard let first = name.unicodeScalars.first, let last = name.unicodeScalars.last,
                  isLowerCaseLetterOrDigit(first), isLowerCaseLetterOrDigit(last) else {
                return "it must begin and end with a letter or digit"
            }
            if name.contains("..") { return "it has two adjacent periods" }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return "it is formatted as an IP address" }
            if let prefix = reservedPrefixes.first(where: name.hasPrefix) { return "the prefix \"\(prefix)\" is reserved" }
            if let suffix = reservedSuffixes.first(where: name.hasSuffix) { return "the suffix \"\(suffix)\" is reserved" }
            return nil
        }

        private static let reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"]
        /// Access point, Object Lambda, Multi-Region Access Point, directory bucket and table bucket names.
        private static let reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]

        private static func isLowerCaseLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
    }
}
