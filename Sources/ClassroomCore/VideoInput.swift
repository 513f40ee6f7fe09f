import Media
import RequestContext

/// Where a video comes from.
public protocol VideoInput {
    /// The file path or object key, as errors and logs name it.
    var name: String { get }
    /// The name its CSV and report answer under, relative to where they are stored (see VideoStem).
    var stem: String { get }
    /// Where the bytes are (an S3 object read by ranges, memory, or a file); reads stop by `context.deadline`.
    func fetch(context: RequestContext) throws -> VideoSource
}
