/// A frame as packed 8-bit rows, upright (the video's rotation already applied): RGB for
/// describing faces, gray for finding them (HOG needs no colour, and gray is a third of the work).
public struct PixelImage: Sendable, Equatable {
    public enum Format: Int, Sendable {
        case gray = 1
        case rgb = 3
    }

    public let width: Int
    public let height: Int
    public let format: Format
    public var pixels: [UInt8]

    public var stride: Int { width * format.rawValue }

    public init(width: Int, height: Int, format: Format = .rgb, pixels: [UInt8]) {
        precondition(pixels.count == width * height * format.rawValue, "PixelImage: \(pixels.count) bytes for \(width)x\(height) \(format)")
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// An image whose pixels `fill` writes; `slack` more bytes of capacity follow them, for
    /// writers (libswscale's SIMD code) that overrun the last row.
    public init(width: Int, height: Int, format: Format, slack: Int = 0,
         fill: (UnsafeMutableBufferPointer<UInt8>) throws -> Void) rethrows {
        self.width = width
        self.height = height
        self.format = format
        let size = width * height * format.rawValue
        self.pixels = try [UInt8](unsafeUninitializedCapacity: size + slack) { buffer, count in
            try fill(buffer)
            count = size
        }
    }

    /// The image with its luma histogram equalised (spread evenly over 0...255) and its chroma
    /// kept: each pixel's R, G and B move by its luma's change. A dark or flat frame gets back the
    /// contrast that face detection and description need.
    public func equalisingLuma() -> PixelImage {
        let channels = format.rawValue, count = width * height
        // BT.601 luma in 8 bits, as libswscale makes the gray frames.
        let luma: [UInt8] = format == .gray ? pixels : (0..<count).map { i in
            let r = Int(pixels[i * 3]), g = Int(pixels[i * 3 + 1]), b = Int(pixels[i * 3 + 2])
            return UInt8((77 * r + 150 * g + 29 * b + 128) >> 8)
        }
        var histogram = [Int](repeating: 0, count: 256)
        for y in luma { histogram[Int(y)] += 1 }
        var cumulative = 0
        let darkest = histogram.first { $0 > 0 } ?? 0
        guard count > darkest else { return self }   // one luma value only: nothing to spread
        let mapped: [Int] = histogram.map { n in
            cumulative += n
            return max(0, (cumulative - darkest) * 255 / (count - darkest))
        }
        var result = self
        for i in 0..<count {
            let shift = mapped[Int(luma[i])] - Int(luma[i])
            for c in 0..<channels {
                result.pixels[i * channels + c] = UInt8(clamping: Int(pixels[i * channels + c]) + shift)
            }
        }
        return result
    }

    /// The image turned clockwise by 0, 90, 180 or 270 degrees.
    public func rotated(clockwise degrees: Int) -> PixelImage {
        let quarter = ((degrees / 90) % 4 + 4) % 4
        if quarter == 0 { return self }
        let (w, h, size) = (width, height, format.rawValue)
        let (outWidth, outHeight) = quarter == 2 ? (w, h) : (h, w)
        return pixels.withUnsafeBufferPointer { source in
            PixelImage(width: outWidth, height: outHeight, format: format) { target in
                for y in 0..<h {
                    for x in 0..<w {
                        // Where source pixel (x, y) lands once the picture is turned.
                        let (tx, ty): (Int, Int)
                        switch quarter {
                        case 1: (tx, ty) = (h - 1 - y, x)
                        case 2: (tx, ty) = (w - 1 - x, h - 1 - y)
                        default: (tx, ty) = (y, w - 1 - x)
                        }
                        let s = (y * w + x) * size, t = (ty * outWidth + tx) * size
                        for c in 0..<size { target[t + c] = source[s + c] }
                    }
                }
            }
        }
    }
}
