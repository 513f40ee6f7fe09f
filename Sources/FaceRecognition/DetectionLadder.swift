import Imaging

/// The image sizes HOG tries on a frame in first-match mode (FirstMatchSearch): from the downscaled
/// widths (cheap: HOG's cost grows with pixels) to full resolution, then one upsampling, so that
/// its recall is never below a search that always upsamples. A frame larger than HOGScan.maxPixels
/// (1080p) is upsampled a tile at a time (upsampledTiles), so that a 4K or 8K frame costs the
/// memory of a doubled 1080p one, not gigabytes. (Attendance looks for faces its own way: see
/// ClassroomTracker.)
public struct DetectionLadder: Sendable {
    public enum Pass: Equatable { case scaled(width: Int, height: Int), full, upsampled }

    public var downscaledWidths: [Int]

    public init(downscaledWidths: [Int] = [480, 960]) {
        self.downscaledWidths = downscaledWidths
    }

    public func passes(width: Int, height: Int) -> [Pass] {
        let scaled = downscaledWidths.filter { $0 < width }.sorted().map { w in
            Pass.scaled(width: w, height: max(1, Int((Double(height) * Double(w) / Double(width)).rounded())))
        }
        return scaled + [.full, .upsampled]
    }

    /// The parts of a `width` x `height` frame the upsampled pass doubles one at a time: the whole
    /// frame up to HOGScan.maxPixels, else tiles of at most that many, overlapping by twice HOG's
    /// window: the upsampled pass is for faces smaller than the window (the full-size pass finds the
    /// rest), so each lies whole in a tile.
    public func upsampledTiles(width: Int, height: Int) -> [PixelRect] {
        PixelRect(x: 0, y: 0, width: width, height: height).tiles(maxArea: Double(HOGScan.maxPixels), overlap: Int(2 * HOGScan.windowSize))
    }
}
