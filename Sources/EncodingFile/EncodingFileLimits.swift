/// What reading an `encoding` file may cost, so that a hostile or broken file is refused before it costs
/// much. A face takes about a kilobyte of file (its 128 float64 and its name), so a class of thousands of
/// students is a few megabytes; the README gives the figures.
public enum EncodingFileLimits {
    /// The largest file read, refused before reading anything else (`EncodingFile.read`) or parsing.
    public static let fileBytes = 32 << 20

    /// The bytes the reader's values may take per byte of file. A real file builds three to five (each vector's
    /// bytes, then its doubles, float32 ones widened, with the stack, memo and list slots); a hostile one can
    /// build far more, as a REDUCE of `_codecs.encode` on a memoised str builds the whole str again from five bytes.
    public static let builtBytesPerFileByte = 8

    /// Allowed on top of `builtBytesPerFileByte`, so that a small file is never refused for its bookkeeping.
    public static let builtBytesAllowance = 16 << 20

    /// The most the values built from a file of `fileSize` bytes may take.
    static func builtBytes(forFileOf fileSize: Int) -> Int {
        builtBytesAllowance + builtBytesPerFileByte * fileSize
    }
}

extension EncodingFileLimits {
    /// Refuses a file of `size` bytes, or of at least that many when it is still being read, over `fileBytes`.
    static func checkFileSize(_ size: Int, of source: String) throws(EncodingFileError) {
        guard size > fileBytes else { return }
        throw EncodingFileError(source: source, offset: nil, opcode: nil,
                                reason: "\(size) bytes or more, over the file-size limit of \(fileBytes) bytes")
    }
}
