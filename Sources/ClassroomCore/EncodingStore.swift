import EncodingFile
import FoundationEssentials

/// An encoding edited in place, one person at a time (`enroll --add`, `forget`): a local file
/// (`EncodingFileStore`) or an S3 object (ClassroomFunction's `S3EncodingStore`).
public protocol EncodingStore {
    /// The file's path or the object's `s3://` URI, as messages name it.
    var location: String { get }

    /// Reads the faces (nil when there is no file or object yet), gives them to `edit` and stores
    /// what it returns, unless it returns nil (nothing to change). Faces the reader would reject
    /// are never stored. An object store may call `edit` again on a newer version when another
    /// writer got in first, so `edit` must only compute. Returns whether anything was stored.
    @discardableResult
    func update(_ edit: (KnownFaces?) throws -> KnownFaces?) throws -> Bool
}

/// A local encoding file, replaced atomically (see `EncodingFile.write`). One writer at a time:
/// unlike an S3 object, a file has no conditional write to detect another.
public struct EncodingFileStore: EncodingStore {
    public let location: String

    public init(path: String) {
        location = path
    }

    public func update(_ edit: (KnownFaces?) throws -> KnownFaces?) throws -> Bool {
        let current = FileManager.default.fileExists(atPath: location) ? try EncodingFile.read(contentsOf: location) : nil
        guard let edited = try edit(current) else { return false }
        try EncodingFile.write(edited, to: location, replaceExisting: true)
        return true
    }
}
