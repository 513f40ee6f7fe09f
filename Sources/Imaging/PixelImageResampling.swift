/// Gray-image operations the classroom scan needs: a region resampled to the scale HOG should
/// see it at, and a small thumbnail for finding what changed between sampled frames.
extension PixelImage {
    /// `region` of this gray image resampled by `scale` (bilinear; a box average first when it
    /// shrinks by half or more, so that fine texture does not alias into false edges).
    public func resampled(region: PixelRect, scale: Double) -> PixelImage {
        precondition(format == .gray, "resampled(region:scale:) works on gray images")
        var source = self
        var area = region
        var factor = scale
        while factor <= 0.5 && area.width >= 4 && area.height >= 4 {
            source = source.halved(region: area)
            area = PixelRect(x: 0, y: 0, width: source.width, height: source.height)
            factor *= 2
        }
        // Halving alone reached the scale (or it was 1 and the region is the whole image).
        if abs(factor - 1) < 1e-9 && area == PixelRect(x: 0, y: 0, width: source.width, height: source.height) { return source }
        let outWidth = max(1, Int((Double(area.width) * factor).rounded()))
        let outHeight = max(1, Int((Double(area.height) * factor).rounded()))
        let stepX = Double(area.width) / Double(outWidth), stepY = Double(area.height) / Double(outHeight)
        let (sourceWidth, sourceStride) = (area.width, source.stride)
        return source.pixels.withUnsafeBufferPointer { src in
            PixelImage(width: outWidth, height: outHeight, format: .gray) { out in
                // Horizontal sample positions are the same for every row: work them out once.
                var x0 = [Int](repeating: 0, count: outWidth), weight = [Int32](repeating: 0, count: outWidth)
                for ox in 0..<outWidth {
                    let sx = min(max((Double(ox) + 0.5) * stepX - 0.5, 0), Double(sourceWidth - 1))
                    x0[ox] = min(Int(sx), sourceWidth - 2 < 0 ? 0 : sourceWidth - 2)
                    weight[ox] = Int32(((sx - Double(x0[ox])) * 256).rounded())
                }
                let lastColumn = sourceWidth - 1
                for oy in 0..<outHeight {
                    let sy = min(max((Double(oy) + 0.5) * stepY - 0.5, 0), Double(area.height - 1))
                    let y0 = min(Int(sy), max(area.height - 2, 0))
                    let wy = Int32(((sy - Double(y0)) * 256).rounded())
                    let row0 = (area.y + y0) * sourceStride + area.x
                    let row1 = area.height > 1 ? row0 + sourceStride : row0
                    let outRow = oy * outWidth
                    for ox in 0..<outWidth {
                        let a = x0[ox], wx = weight[ox]
                        let b = a < lastColumn ? a + 1 : a
                        let top = Int32(src[row0 + a]) * (256 - wx) + Int32(src[row0 + b]) * wx
                        let bottom = Int32(src[row1 + a]) * (256 - wx) + Int32(src[row1 + b]) * wx
                        out[outRow + ox] = UInt8(truncatingIfNeeded: (top * (256 - wy) + bottom * wy + 32768) >> 16)
                    }
                }
            }
        }
    }

    /// `region` at half size, each pixel the mean of a 2x2 block.
    private func halved(region: PixelRect) -> PixelImage {
        let outWidth = region.width / 2, outHeight = region.height / 2
        let sourceStride = stride
        return pixels.withUnsafeBufferPointer { src in
            PixelImage(width: outWidth, height: outHeight, format: .gray) { out in
                for oy in 0..<outHeight {
                    let row = (region.y + 2 * oy) * sourceStride + region.x
                    for ox in 0..<outWidth {
                        let i = row + 2 * ox
                        let sum = Int(src[i]) + Int(src[i + 1]) + Int(src[i + sourceStride]) + Int(src[i + sourceStride + 1])
                        out[oy * outWidth + ox] = UInt8((sum + 2) / 4)
                    }
                }
            }
        }
    }

    /// One pixel per `cell` x `cell` block: the block's mean (a partial block at the edges too).
    public func thumbnail(cell: Int) -> PixelImage {
        precondition(format == .gray, "thumbnail(cell:) works on gray images")
        let outWidth = (width + cell - 1) / cell, outHeight = (height + cell - 1) / cell
        var sums = [Int](repeating: 0, count: outWidth * outHeight)
        var counts = [Int](repeating: 0, count: outWidth * outHeight)
        pixels.withUnsafeBufferPointer { src in
            for y in 0..<height {
                let row = y * width, outRow = (y / cell) * outWidth
                for ox in 0..<outWidth {
                    let start = ox * cell, end = min(start + cell, width)
                    var sum = 0
                    for x in start..<end { sum += Int(src[row + x]) }
                    sums[outRow + ox] += sum
                    counts[outRow + ox] += end - start
                }
            }
        }
        return PixelImage(width: outWidth, height: outHeight, format: .gray,
                          pixels: zip(sums, counts).map { UInt8(($0 + $1 / 2) / max($1, 1)) })
    }
}
