import FoundationEssentials

/// How the function writes JSON it sends out (its answers, its log lines, the files of a fan-out
/// job): one line, keys sorted, slashes unescaped.
enum JSONLine {
    static func bytes(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
