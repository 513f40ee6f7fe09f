import FoundationEssentials
import Glibc
import Imaging
import LibAVShim
import LogSink
import RequestContext

/// One video opened through libav: frames sampled by time, decoded only as far as asked.
/// Whoever uploads a video controls its bytes, so what libav may do with them is limited: the
/// containers below only, recognised from the bytes (never the name); nothing inside a video may
/// open another input (a playlist's segments, a file it refers to, a network stream); pictures up
/// to maxPixels; a declared duration up to longestDuration; and an optional deadline.
public final class VideoDecoder {
    /// The containers a classroom video or photo comes in, as libavformat names its demuxers:
    /// MP4/MOV, Matroska/WebM, AVI, MPEG-TS, and still photos through the demuxers that read
    /// pictures from the bytes (PNG, JPEG, WebP, BMP). Not image2, whose file-name patterns read
    /// other files, nor HLS, DASH, SDP, concat and the like, which open other inputs.
    public static let containers = ["mov", "matroska", "avi", "mpegts", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe"]
    /// The largest picture read: 8K UHD (7680x4320). A larger one is refused before any frame is
    /// decoded, and libav's decoders are held to it, so a small file cannot make them allocate a
    /// picture that fills memory (a 1-bit PNG of 16000x16000 pixels compresses to 31 KB).
    public static let maxPixels = 7680 * 4320
    /// The longest duration a video's header may declare: a day. A longer one is refused as corrupt
    /// (it can only be a broken or hostile header), and no frame after it is sampled.
    public static let longestDuration: Double = 24 * 3600

    public let source: String
    public let info: VideoInfo
    private let handle: OpaquePointer
    private let input: ReaderContext?                   // the reader libav calls back; nil for a file
    private var currentTime: Double?                    // time of the frame libav holds now
    private var lastJump: Double?                       // the key frame the last seek went to
    private var afterKeyframeOnlyDecode = false
    private var ended = false

    /// Opens a file on disk.
    public convenience init(path: String, deadline: Deadline = .never) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw VideoError(source: path, kind: .unreadable, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw VideoError(source: path, kind: .unreadable, reason: "not a regular file")
        }
        guard status.st_size > 0 else {
            throw VideoError(source: path, kind: .unreadable, reason: "the file is empty (0 bytes)")
        }
        try self.init(source: path, input: nil, deadline: deadline) { limits, handle, error in
            lav_open_file(path, limits, &handle, error, errorSize)
        }
    }

    /// Opens a video held in memory, touching no file.
    public convenience init(bytes: [UInt8], source: String, deadline: Deadline = .never) throws {
        try self.init(reader: VideoBytes(bytes), source: source, deadline: deadline)
    }

    /// Opens a video that libav reads through `reader`; a read that fails is reported as the
    /// reader's error.
    public convenience init(reader: any VideoByteReader, source: String, deadline: Deadline = .never) throws {
        let input = ReaderContext(reader)
        try self.init(source: source, input: input, deadline: deadline) { limits, handle, error in
            var callbacks = lav_reader(read: readThroughContext, context: Unmanaged.passUnretained(input).toOpaque(),
                                       size: Int64(reader.size))
            return lav_open_reader(&callbacks, limits, &handle, error, errorSize)
        }
    }

    private init(source: String, input: ReaderContext?, deadline: Deadline,
                 open: (UnsafePointer<lav_limits>, inout OpaquePointer?, UnsafeMutablePointer<CChar>) -> Int32) throws {
        var handle: OpaquePointer?
        var error = [CChar](repeating: 0, count: errorSize)
        let status = Self.containers.joined(separator: ",").withCString { containers in
            var limits = lav_limits(containers: containers, max_pixels: Int64(Self.maxPixels),
                                    deadline: deadline.monotonicNanoseconds)
            return open(&limits, &handle, &error)
        }
        guard status == LAV_OK, let handle else {
            throw input?.takeFailure(source: source) ?? VideoError(source: source, kind: Self.kind(of: status), reason: String(cString: error))
        }
        var raw = lav_info()
        lav_get_info(handle, &raw)
        // Checked before self holds the handle: a throw after that would run deinit, closing it twice.
        let refusal: (VideoError.Kind, String)? =
            raw.width <= 0 || raw.height <= 0 ? (.noVideo, "the video stream has no picture size")
            : raw.duration_seconds > Self.longestDuration || raw.duration_seconds.isNaN
            ? (.corrupt, "the header declares a duration of \(raw.duration_seconds) s, more than the "
               + "\(Int(Self.longestDuration)) s a video may last")
            : nil
        if let (kind, reason) = refusal {
            lav_close(handle)
            throw VideoError(source: source, kind: kind, reason: reason)
        }
        let quarterTurn = raw.rotation == 90 || raw.rotation == 270
        self.source = source
        self.handle = handle
        self.input = input
        self.info = VideoInfo(
            width: Int(quarterTurn ? raw.height : raw.width),
            height: Int(quarterTurn ? raw.width : raw.height),
            rotation: Int(raw.rotation),
            durationSeconds: raw.duration_seconds >= 0 ? raw.duration_seconds : nil,
            frameRate: raw.frame_rate,
            container: raw.container_name.map { String(cString: $0) } ?? "unknown")
    }

    deinit { lav_close(handle) }

    /// Positions on the first frame at or after `seconds` and returns its time, or nil when the
    /// video ends first. Times must not decrease between calls.
    public func seek(toFrameAt seconds: Double) throws -> Double? {
        if ended { return nil }
        if currentTime == nil && seconds == 0 {
            // The first frame is a key frame: skip decoding everything else to reach it fast.
            lav_set_frames_decoded(handle, Int32(LAV_DECODE_KEYFRAMES))
            defer { lav_set_frames_decoded(handle, Int32(LAV_DECODE_ALL)) }
            afterKeyframeOnlyDecode = true
            return try decodeNext()
        }
        if let now = currentTime, now >= seconds - Self.timeRounding { return now }
        // The key-frame-only decode left the decoder without the frames that follow: start over.
        if afterKeyframeOnlyDecode { try jump(to: max(lav_keyframe_before(handle, seconds), 0)) }
        return try decodeForward(to: seconds)
    }

    /// How far a frame's time, rounded to its stream's units, may fall short of the time asked for
    /// and still count as at it.
    static let timeRounding = 1e-4

    /// How far decoding has got: the current frame, or the key frame a seek just went to.
    private var position: Double { currentTime ?? lastJump ?? -1 }

    /// Decodes on to the first frame at or after `seconds`, seeking first when a key frame lies
    /// between here and there (decoding the frames in between would be wasted). Frames before it
    /// that nothing refers to are not decoded at all.
    private func decodeForward(to seconds: Double) throws -> Double? {
        let keyframe = lav_keyframe_before(handle, seconds)
        if keyframe >= 0 && keyframe > position + Self.timeRounding { try jump(to: keyframe) }
        lav_skip_unreferenced_before(handle, seconds - Self.timeRounding)
        while let time = try decodeNext() {
            if time >= seconds - Self.timeRounding { return time }
        }
        return nil
    }

    private func jump(to seconds: Double) throws {
        var error = [CChar](repeating: 0, count: errorSize)
        guard lav_seek(handle, seconds, &error, errorSize) == LAV_OK else {
            throw input?.takeFailure(source: source) ?? VideoError(source: source, kind: .corrupt, reason: String(cString: error))
        }
        afterKeyframeOnlyDecode = false
        currentTime = nil
        lastJump = seconds
    }

    /// The current frame, upright, scaled so that its upright size is `width` x `height`.
    public func currentFrame(width: Int, height: Int, format: PixelImage.Format = .rgb) throws -> PixelImage {
        let quarterTurn = info.rotation == 90 || info.rotation == 270
        let (codedWidth, codedHeight) = quarterTurn ? (height, width) : (width, height)
        var error = [CChar](repeating: 0, count: errorSize)
        var status: Int32 = 0
        let image = PixelImage(width: codedWidth, height: codedHeight, format: format, slack: Int(LAV_OUTPUT_SLACK)) { buffer in
            status = lav_current_frame(handle, format == .gray ? Int32(LAV_PIXELS_GRAY8) : Int32(LAV_PIXELS_RGB24),
                                       buffer.baseAddress, Int32(codedWidth), Int32(codedHeight),
                                       Int32(codedWidth * format.rawValue), &error, errorSize)
        }
        guard status == LAV_OK else {
            throw VideoError(source: source, kind: .corrupt, reason: String(cString: error))
        }
        return image.rotated(clockwise: info.rotation)
    }

    private func decodeNext() throws -> Double? {
        var seconds = 0.0
        var error = [CChar](repeating: 0, count: errorSize)
        switch lav_decode_next(handle, &seconds, &error, errorSize) {
        case Int32(LAV_OK):
            currentTime = seconds
            return seconds
        case Int32(LAV_END):
            // A demuxer may take a failed read for the end of the file: the video did not end there.
            if let failure = input?.takeFailure(source: source) { throw failure }
            ended = true
            return nil
        case let status:
            throw input?.takeFailure(source: source) ?? VideoError(source: source, kind: Self.kind(of: status), reason: String(cString: error))
        }
    }

    private static func kind(of status: Int32) -> VideoError.Kind {
        switch status {
        case Int32(LAV_ERR_NO_VIDEO): return .noVideo
        case Int32(LAV_ERR_OPEN): return .unreadable
        case Int32(LAV_ERR_CONTAINER): return .containerNotAllowed
        case Int32(LAV_ERR_TOO_LARGE): return .tooLarge
        case Int32(LAV_ERR_DEADLINE): return .deadlinePassed
        default: return .corrupt
        }
    }
}

private let errorSize = 512

/// The reader of a decoder's input, and why its last read failed: libav only hears that it did.
private final class ReaderContext {
    let reader: any VideoByteReader
    private var failure: Error?

    init(_ reader: any VideoByteReader) { self.reader = reader }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int32 {
        do {
            return Int32(try reader.read(at: offset, into: buffer))
        } catch {
            failure = error
            return -1
        }
    }

    /// The failed read's error (a VideoError as the reader threw it), once.
    func takeFailure(source: String) -> VideoError? {
        defer { failure = nil }
        guard let failure else { return nil }
        return failure as? VideoError ?? VideoError(source: source, kind: .unreadable, reason: failure.readableDescription)
    }
}

private let readThroughContext: @convention(c) (UnsafeMutableRawPointer?, Int64, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = {
    context, offset, buffer, size in
    guard let context else { return -1 }
    return Unmanaged<ReaderContext>.fromOpaque(context).takeUnretainedValue()
        .read(at: Int(offset), into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(size)))
}
