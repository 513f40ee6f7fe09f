import FoundationEssentials

/// Why an `encoding` file could not be read or written. The description names the file, and for content
/// problems the byte offset and the opcode at fault, e.g.
/// `encoding file /x/encoding, byte 243, GLOBAL (0x63): global posix.system is not allowed (...)`.
public struct EncodingFileError: Error, LocalizedError, Equatable {
    /// The file path, or the source name given to `EncodingFile.parse`.
    public let source: String
    /// Where in the file the problem is (the offset of the opcode at fault); nil for I/O problems.
    public let offset: Int?
    /// The opcode at fault, as pickletools names it with its byte: "GLOBAL (0x63)"; nil when none is.
    public let opcode: String?
    /// What is wrong, in words.
    public let reason: String

    init(source: String, offset: Int?, opcode: String?, reason: String) {
        self.source = source
        self.offset = offset
        self.opcode = opcode
        self.reason = reason
    }

    public var errorDescription: String? {
        var text = "encoding file \(source)"
        if let offset { text += ", byte \(offset)" }
        if let opcode { text += ", \(opcode)" }
        return text + ": " + reason
    }
}
