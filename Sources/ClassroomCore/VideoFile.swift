import Media
import RequestContext

/// A video file on disk, decoded in place.
public struct VideoFile: VideoInput {
    public let path: String
    public var name: String { path }
    /// The file's own name without its extension: outputs go flat into one folder.
    public var stem: String { VideoStem.of(path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path) }
    public init(path: String) { self.path = path }
    public func fetch(context: RequestContext) throws -> VideoSource { .file(path: path) }
}
