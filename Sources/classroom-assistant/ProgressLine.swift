import ClassroomCore
import FoundationEssentials
import Glibc
import Media
import RequestContext
import TextEncoding

/// How far each video is, as one line on a terminal's stderr redrawn in place: the video that
/// reported last is shown; when a video ends, its line gives way to the next one still running (or
/// to nothing). Exists only when stderr is a terminal, so logs and pipes get nothing extra.
final class ProgressLine: @unchecked Sendable {
    static let onTerminal: ProgressLine? = isatty(STDERR_FILENO) != 0 ? ProgressLine() : nil

    /// Redraws closer together than this only when another video takes the line.
    private static let redrawInterval = 0.1
    private var lines: [String: String] = [:]   // video -> its latest line
    private var shown: String?                   // the video whose line is on screen
    private var lastDraw = 0.0
    private let clock = Stopwatch()

    private init() {}

    /// A progress callback for `video`, whose processing starts now.
    func reporter(for video: String) -> (VideoProgress) -> Void {
        let start = clock.seconds
        return { [self] progress in
            let elapsed = clock.seconds - start
            let total = progress.durationSeconds.map { Printf.string(" of %.1f", $0) } ?? ""
            let rate = elapsed > 0 ? Printf.string(", %.1fx real time", progress.secondsDone / elapsed) : ""
            let line = "\(video): " + Printf.string("%.1f", progress.secondsDone) + "\(total) s of video\(rate)"
            Log.withStatusLine {
                lines[video] = line
                let now = clock.seconds
                guard shown != video || now - lastDraw >= Self.redrawInterval else { return nil }
                shown = video
                lastDraw = now
                return line
            }
        }
    }

    /// Takes `video`'s line off the screen, showing another running video's instead.
    func finished(_ video: String) {
        Log.withStatusLine {
            lines[video] = nil
            guard shown == video else { return nil }
            shown = lines.keys.sorted().first
            return shown.flatMap { lines[$0] } ?? ""
        }
    }
}
