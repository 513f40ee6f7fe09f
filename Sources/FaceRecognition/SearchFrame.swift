import Imaging

/// The sampled frame a FaceSearch looks at, decoded at whatever size and format a step asks for,
/// and the clock that times the search's steps.
public protocol SearchFrame {
    var width: Int { get }
    var height: Int { get }
    /// The frame scaled to `width` x `height`, luma only when `format` is gray.
    func image(width: Int, height: Int, format: PixelImage.Format) throws -> PixelImage
    /// Runs `work`, counting its time as `step`'s.
    func timing<T>(_ step: SearchStep, _ work: () throws -> T) rethrows -> T
}

/// The steps of a face search that a video's report times.
public enum SearchStep: String, Sendable { case decode, equalise, detect, describe }
