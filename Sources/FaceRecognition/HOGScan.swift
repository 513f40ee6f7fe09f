/// What one HOG scan (dlib's frontal face detector) finds and covers: the detection constants the
/// first-match ladder and the classroom tracker share.
public enum HOGScan {
    /// The face height HOG's sliding window finds.
    public static let windowSize = 80.0
    /// The most pixels one scan takes at once: a 1080p frame. A larger image is scanned in
    /// overlapping tiles, so that a 4K or 8K frame costs the memory of a 1080p one.
    public static let maxPixels = 1920 * 1080
}
