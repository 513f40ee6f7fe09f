/// A file rendered in Core, ready to store: its path relative to the folder or bucket it goes to,
/// its bytes, and the content type an object store serves it with. Outputs only store it.
public struct RenderedFile: Sendable, Equatable {
    public let path: String
    public let bytes: [UInt8]
    public let contentType: String

    public init(path: String, bytes: [UInt8], contentType: String) {
        (self.path, self.bytes, self.contentType) = (path, bytes, contentType)
    }
}
