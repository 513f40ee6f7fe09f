import Foundation

/// Uploads crafted to make the function reach out, blow up, crash or burn CPU (issue 11), written
/// at test time by scripts/harness/hostile_inputs.py (and ffmpeg for a tiny MJPEG AVI). Every file
/// is named like a video.
public enum HostileInputs {
    /// Files that make libavformat open other inputs: an HLS master playlist and a DASH manifest
    /// whose media are on the listener, an HLS playlist naming a local file, an SDP session (it
    /// binds a UDP port and waits), a concat list.
    public static let nestedOpens = ["hls.mp4", "hls-local-file.mp4", "dash.mp4", "sdp.mp4", "concat.mp4"]
    /// 1-bit PNGs (8 KB and 31 KB) of 8000x8000 and 16000x16000 pixels.
    public static let pictureBombs = ["bomb-8000.mp4", "bomb-16000.mp4"]
    /// A two-frame AVI whose header declares dwScale=0x7FFFFFFF, dwLength=0xFFFFFFFF: 9.2e18 s.
    public static let absurdDuration = "duration-9e18.avi"
    /// A two-frame AVI whose second frame is at 2.1e9 s, declaring 4.2e9 s.
    public static let longDeclaredDuration = "duration-4e9.avi"
    /// The same two frames, the second at 2.1e9 s, with no duration declared.
    public static let farFrame = "frame-at-2e9s.avi"

    /// Writes them all into `directory`: network references point at `listener` (a base URL), the
    /// local-file playlist at `localVideo`.
    public static func write(to directory: String, listener: String, localVideo: String) throws {
        let result = try Command.run(Project.python, ["-m", "harness.hostile_inputs", directory, listener, localVideo],
                                     environment: Harness.environment)
        guard result.status == 0 else {
            throw TestSetupError("crafting the hostile inputs failed (the project's Python and ffmpeg, scripts/setup): \(result.stderr)")
        }
    }
}
