import AtomicFile

extension EncodingFile {
    /// Writes the file atomically with `AtomicFile` (a temporary file in the same folder, then a rename), which
    /// refuses to replace an existing file unless `replaceExisting` (`FileWriteError`). Faces the reader would
    /// reject are refused first (`EncodingFileError`).
    public static func write(_ faces: KnownFaces, to path: String, replaceExisting: Bool) throws {
        try checkWritable(faces, to: path)
        try AtomicFile.write(serialize(faces), to: path, replaceExisting: replaceExisting)
    }
}
