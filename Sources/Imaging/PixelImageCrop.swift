/// Cutting a region out of a frame and shrinking it, for the face crops of the attendance report.
extension PixelImage {
    /// The pixels of the rectangle `left..<left+width`, `top..<top+height`, clamped to the image.
    public func cropped(left: Int, top: Int, width: Int, height: Int) -> PixelImage {
        let x0 = min(max(left, 0), self.width - 1), y0 = min(max(top, 0), self.height - 1)
        let x1 = min(max(left + width, x0 + 1), self.width), y1 = min(max(top + height, y0 + 1), self.height)
        let size = format.rawValue, rowBytes = (x1 - x0) * size
        return pixels.withUnsafeBufferPointer { source in
            PixelImage(width: x1 - x0, height: y1 - y0, format: format) { target in
                for y in y0..<y1 {
                    let from = (y * self.width + x0) * size, to = (y - y0) * rowBytes
                    for i in 0..<rowBytes { target[to + i] = source[from + i] }
                }
            }
        }
    }

    /// The image shrunk so that its longer side is at most `longestSide` pixels, each output pixel
    /// the mean of the source pixels it covers (no aliasing); an image already that small is kept.
    public func downscaled(toFit longestSide: Int) -> PixelImage {
        let longest = max(width, height)
        guard longest > longestSide, longestSide > 0 else { return self }
        let outWidth = max(1, width * longestSide / longest), outHeight = max(1, height * longestSide / longest)
        let size = format.rawValue
        return pixels.withUnsafeBufferPointer { source in
            PixelImage(width: outWidth, height: outHeight, format: format) { target in
                for oy in 0..<outHeight {
                    let sy0 = oy * height / outHeight, sy1 = max(sy0 + 1, (oy + 1) * height / outHeight)
                    for ox in 0..<outWidth {
                        let sx0 = ox * width / outWidth, sx1 = max(sx0 + 1, (ox + 1) * width / outWidth)
                        let count = (sy1 - sy0) * (sx1 - sx0)
                        for c in 0..<size {
                            var sum = 0
                            for sy in sy0..<sy1 {
                                for sx in sx0..<sx1 { sum += Int(source[(sy * width + sx) * size + c]) }
                            }
                            target[(oy * outWidth + ox) * size + c] = UInt8((sum + count / 2) / count)
                        }
                    }
                }
            }
        }
    }
}
