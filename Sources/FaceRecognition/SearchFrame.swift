import Imaging
import RequestContext

/// The sampled frame a FaceSearch looks at, decoded at whatever size and format a step asks for,
/// and where the search's steps count their time.
public protocol SearchFrame {
    var width: Int { get }
    var height: Int { get }
    /// The frame scaled to `width` x `height`, luma only when `format` is gray.
    func image(width: Int, height: Int, format: PixelImage.Format) throws -> PixelImage
    var timings: StageTimings { get }
}
