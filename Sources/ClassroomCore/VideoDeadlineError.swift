import FoundationEssentials
import TextEncoding

/// The deadline passed before a video was done; nothing was stored for it.
public struct VideoDeadlineError: Error, LocalizedError, Sendable {
    public enum Stage: Sendable {
        /// While sampling: the seconds of video the sampled frames covered (summed over the
        /// segments sampled side by side), and the video's duration when known.
        case sampling(secondsSampled: Double, durationSeconds: Double?)
        /// Every sample was done; storing the CSV was left.
        case storing
    }

    /// The file path or object key.
    public let video: String
    /// Sampled frames recognised before it stopped.
    public let framesDone: Int
    public let stage: Stage

    public var errorDescription: String? {
        let frames = framesDone == 1 ? "1 sampled frame" : "\(framesDone) sampled frames"
        switch stage {
        case .sampling(let seconds, let duration):
            let length = duration.map { "the \(Printf.string("%.1f", $0)) s video" } ?? "the video (length unknown)"
            return "\(video): the deadline passed after \(frames), \(Printf.string("%.1f", seconds)) s into \(length); no CSV was written"
        case .storing:
            return "\(video): the deadline passed before the CSV was stored (after all \(frames)); no CSV was written"
        }
    }
}
