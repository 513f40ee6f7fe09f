/// The image sizes HOG tries on a frame in first-match mode: from the downscaled widths (cheap:
/// HOG's cost grows with pixels) to full resolution, then one upsampling, which is what the
/// original handler always does, so its recall is never below the original's. Only frames of up to
/// largestUpsampled pixels (1080p) are upsampled: larger ones already show faces big enough, and
/// doubling a 4K or 8K frame would take gigabytes. (Attendance looks for faces its own way: see
/// ClassroomTracker.)
public struct DetectionLadder: Sendable {
    public enum Pass: Equatable { case scaled(width: Int, height: Int), full, upsampled }

    public var downscaledWidths: [Int]

    public static let largestUpsampled = 1920 * 1080

    public init(downscaledWidths: [Int] = [480, 960]) {
        self.downscaledWidths = downscaledWidths
    }

    public func passes(width: Int, height: Int) -> [Pass] {
        let scaled = downscaledWidths.filter { $0 < width }.sorted().map { w in
            Pass.scaled(width: w, height: max(1, Int((Double(height) * Double(w) / Double(width)).rounded())))
        }
        return scaled + [.full] + (width * height <= Self.largestUpsampled ? [.upsampled] : [])
    }
}
