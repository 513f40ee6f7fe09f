import RequestContext

/// Where a video's bytes are: a file, memory, or a reader of them where they are (an S3 object).
public enum VideoSource: Sendable {
    case file(path: String)
    case memory(VideoBytes, name: String)
    /// `open` makes a reader for each decoder (attendance decodes segments side by side).
    case reader(name: String, open: @Sendable () throws -> any VideoByteReader)

    /// Opens a decoder whose every libav call fails once `deadline` passes.
    public func open(deadline: Deadline = .never) throws -> VideoDecoder {
        switch self {
        case .file(let path): return try VideoDecoder(path: path, deadline: deadline)
        case .memory(let bytes, let name): return try VideoDecoder(reader: bytes, source: name, deadline: deadline)
        case .reader(let name, let open): return try VideoDecoder(reader: try open(), source: name, deadline: deadline)
        }
    }
}
