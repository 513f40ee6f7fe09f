import FoundationEssentials
import Glibc
import Imaging
import LibAVShim

public struct JPEGEncodingError: Error, LocalizedError, Sendable {
    public let image: String
    public let reason: String
    public var errorDescription: String? { "\(image): cannot encode as JPEG: \(reason)" }
}

/// RGB images to JPEG files, through libavcodec's mjpeg encoder.
public enum JPEGEncoder {
    /// The encoder's quantiser scale: small face crops stay sharp at a few kilobytes each.
    static let qscale: Int32 = 3

    /// `name` is what an error calls the image.
    public static func encode(_ image: PixelImage, name: String) throws -> [UInt8] {
        guard image.format == .rgb else {
            throw JPEGEncodingError(image: name, reason: "a \(image.format) image; the encoder takes RGB")
        }
        var bytes: UnsafeMutablePointer<UInt8>?
        var count = 0
        var error = [CChar](repeating: 0, count: 256)
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            jpeg_encode_rgb(pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(image.stride), qscale,
                            &bytes, &count, &error, error.count)
        }
        guard status == JPEG_OK, let bytes else { throw JPEGEncodingError(image: name, reason: String(cString: error)) }
        defer { free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: count))
    }
}
