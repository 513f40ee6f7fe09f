/// A frame as packed 8-bit RGB rows, upright (the video's rotation already applied).
public struct RGBImage: Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public var stride: Int { width * 3 }

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGBImage: \(pixels.count) bytes for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    init(width: Int, height: Int, fill: (UnsafeMutableBufferPointer<UInt8>) throws -> Void) rethrows {
        self.width = width
        self.height = height
        self.pixels = try [UInt8](unsafeUninitializedCapacity: width * height * 3) { buffer, count in
            try fill(buffer)
            count = width * height * 3
        }
    }

    /// The image turned clockwise by 0, 90, 180 or 270 degrees.
    public func rotated(clockwise degrees: Int) -> RGBImage {
        let quarter = ((degrees / 90) % 4 + 4) % 4
        if quarter == 0 { return self }
        let (w, h) = (width, height)
        let (outWidth, outHeight) = quarter == 2 ? (w, h) : (h, w)
        return pixels.withUnsafeBufferPointer { source in
            RGBImage(width: outWidth, height: outHeight) { target in
                for y in 0..<h {
                    for x in 0..<w {
                        // Where source pixel (x, y) lands once the picture is turned.
                        let (tx, ty): (Int, Int)
                        switch quarter {
                        case 1: (tx, ty) = (h - 1 - y, x)
                        case 2: (tx, ty) = (w - 1 - x, h - 1 - y)
                        default: (tx, ty) = (y, w - 1 - x)
                        }
                        let s = (y * w + x) * 3, t = (ty * outWidth + tx) * 3
                        target[t] = source[s]
                        target[t + 1] = source[s + 1]
                        target[t + 2] = source[s + 2]
                    }
                }
            }
        }
    }
}
