import Imaging

/// A face as the attendance report shows it: the detected box with a margin around it (hair,
/// chin and ears help a teacher recognise someone), cut from the upright RGB frame and shrunk to
/// at most `longestSide` pixels.
public struct FaceCrop: Sendable, Equatable {
    public static let longestSide = 160
    /// The margin added on each side, as a fraction of the box's width or height.
    public static let margin = 0.25

    public let image: PixelImage

    public init(image: PixelImage) { self.image = image }

    /// The crop of `box` from `frame` (nil when no frame was kept): the report's one capture step.
    public static func capture(_ box: FaceBox, in frame: PixelImage?) -> FaceCrop? {
        frame.map { FaceCrop(frame: $0, box: box) }
    }

    public init(frame: PixelImage, box: FaceBox) {
        let width = box.right - box.left + 1, height = box.bottom - box.top + 1
        let dx = Int((Double(width) * Self.margin).rounded()), dy = Int((Double(height) * Self.margin).rounded())
        image = frame.cropped(left: box.left - dx, top: box.top - dy, width: width + 2 * dx, height: height + 2 * dy)
            .downscaled(toFit: Self.longestSide)
    }
}
