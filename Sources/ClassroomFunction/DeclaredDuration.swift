import FoundationEssentials
import TextEncoding

/// A video's declared duration, checked against its size before it may be fanned out: a header
/// claiming hours over a few kilobytes would otherwise start dozens of segment invocations.
enum DeclaredDuration {
    /// The fewest bytes per second of declared duration a video may hold. Well below any real
    /// recording: a black 64x64 picture at 1 frame per second, encoded by x264 at its worst quality
    /// (CRF 51), still takes about 24 bytes per second in MP4 or Matroska (each frame carries a slice
    /// header and an index entry), and a classroom camera writes thousands of times more. A crafted
    /// header claiming a day over 100 KB gives about 1 byte per second.
    static let minBytesPerSecond = 16.0

    /// Refuses a video of `bytes` whose `durationSeconds` is implausible for its size.
    static func check(bytes: Int, durationSeconds: Double?, video: String) throws {
        guard let durationSeconds, durationSeconds > 0 else { return }
        let rate = Double(bytes) / durationSeconds
        guard rate >= minBytesPerSecond else {
            throw ImplausibleDurationError(video: video, bytes: bytes, durationSeconds: durationSeconds, bytesPerSecond: rate)
        }
    }
}

/// A video whose header declares far more time than its bytes can hold.
struct ImplausibleDurationError: Error, LocalizedError {
    let video: String
    let bytes: Int
    let durationSeconds: Double
    let bytesPerSecond: Double
    var errorDescription: String? {
        "\(video): its header declares \(Printf.string("%.0f", durationSeconds)) s of video in \(bytes) bytes "
            + "(\(Printf.string("%.2f", bytesPerSecond)) bytes per second, fewer than the "
            + "\(Printf.string("%.0f", DeclaredDuration.minBytesPerSecond)) any real video holds): refused before fanning it out"
    }
}
