import AtomicFile

/// Reads the course's `encoding` file, a Python pickle of `{'name': [str, ...], 'encoding': [numpy float64
/// array of 128, ...]}`, without ever executing it; and writes one.
public enum EncodingFile {
    /// Reads the file strictly (see `parse`); errors name the path.
    public static func read(contentsOf path: String) throws -> KnownFaces {
        try parse(try EncodingFileIO.readAll(path), source: path)
    }

    /// Reads pickle protocols 2 to 5 as written by numpy 1.x or 2.x, with float64 or float32 vectors of 128.
    /// Anything else (another global or opcode, a truncated file, a wrong shape, unequal counts) is an
    /// `EncodingFileError` naming `source`, the byte offset and the opcode or global; so is a file or a
    /// build over the limits of `EncodingFileLimits`.
    public static func parse(_ bytes: [UInt8], source: String) throws -> KnownFaces {
        try EncodingFileLimits.checkFileSize(bytes.count, of: source)
        var unpickler = PickleUnpickler(bytes: bytes, source: source)
        let (value, stopOffset) = try unpickler.run()
        do {
            return try EncodingFileContents.knownFaces(from: value)
        } catch {
            throw EncodingFileError(source: source, offset: stopOffset, opcode: PickleOpcode.STOP.label, reason: error.reason)
        }
    }

    /// The pickle Python's `pickle.dumps(..., protocol=3)` writes for these faces with numpy 1.x, which
    /// numpy 1.x and 2.x both load.
    public static func serialize(_ faces: KnownFaces) -> [UInt8] {
        var pickler = EncodingFilePickler()
        pickler.write(faces)
        return pickler.output
    }

    /// Writes the file atomically with `AtomicFile` (a temporary file in the same folder, then a rename), which
    /// refuses to replace an existing file unless `replaceExisting` (`FileWriteError`). Faces the reader would
    /// reject are refused first (`EncodingFileError`).
    public static func write(_ faces: KnownFaces, to path: String, replaceExisting: Bool) throws {
        try checkWritable(faces, to: path)
        try AtomicFile.write(serialize(faces), to: path, replaceExisting: replaceExisting)
    }

    /// Refuses faces the reader would reject, before they are written to `path`.
    public static func checkWritable(_ faces: KnownFaces, to path: String) throws(EncodingFileError) {
        if let problem = unreadableShape(faces) {
            throw EncodingFileError(source: path, offset: nil, opcode: nil, reason: "not written: \(problem)")
        }
    }

    /// What would make `read` reject the written file, if anything.
    private static func unreadableShape(_ faces: KnownFaces) -> String? {
        if faces.names.isEmpty { return "no names and no encodings" }
        if faces.names.count != faces.encodings.count { return "\(faces.names.count) names but \(faces.encodings.count) encodings" }
        guard let wrong = faces.encodings.firstIndex(where: { $0.count != KnownFaces.encodingDimension }) else { return nil }
        return "encoding \(wrong) has \(faces.encodings[wrong].count) values, expected \(KnownFaces.encodingDimension)"
    }
}
