import FoundationEssentials
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

/// A crop travels in a fanned-out chunk as its size and its RGB bytes.
extension FaceCrop: Codable {
    private enum CodingKeys: String, CodingKey { case width, height, rgb }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let width = try container.decode(Int.self, forKey: .width), height = try container.decode(Int.self, forKey: .height)
        let rgb = [UInt8](try container.decode(Data.self, forKey: .rgb))
        guard width > 0, height > 0, width <= Self.longestSide, height <= Self.longestSide, rgb.count == width * height * 3 else {
            throw DecodingError.dataCorruptedError(forKey: .rgb, in: container,
                                                   debugDescription: "\(rgb.count) bytes are not a \(width)x\(height) RGB crop")
        }
        self.init(image: PixelImage(width: width, height: height, format: .rgb, pixels: rgb))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(image.width, forKey: .width)
        try container.encode(image.height, forKey: .height)
        try container.encode(Data(image.pixels), forKey: .rgb)
    }
}
