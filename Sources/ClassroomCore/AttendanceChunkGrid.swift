import Media

/// How attendance mode cuts a video's samples into chunks: from the video's duration alone, never
/// from the cores or invocations that process them, so that who processes which chunk cannot
/// change the CSV. Each chunk is tracked on its own (ClassroomTracker) and yields an
/// AttendanceChunk; merging the chunks in order gives the video's attendance.
public struct AttendanceChunkGrid: Sendable, Equatable {
    /// The most video time one chunk covers: short enough that an hour is many chunks to share out,
    /// long enough that the first frame of each (scanned whole, its faces described anew) is rare.
    public static let maxChunkSeconds = 60.0
    /// Even a short video is cut in two, so that two cores still share it; and the count is a
    /// multiple of two, so that two cores (the fewest a Lambda segment has at the template's memory
    /// size) each have the same number of chunks to the end, not one idling through the last.
    public static let minChunks = 2

    /// Samples the duration asks for (see FrameSampler); 0 when the container does not say.
    public let sampleCount: Int
    public let count: Int
    /// Where the last chunk ends: no sample lies after VideoDecoder.longestDuration.
    let lastSample: Int

    public init(durationSeconds: Double?, samplesPerSecond: Double) {
        lastSample = FrameSampler.index(atOrAfter: VideoDecoder.longestDuration, samplesPerSecond: samplesPerSecond) + 1
        sampleCount = FrameSampler.index(atOrAfter: durationSeconds ?? 0, samplesPerSecond: samplesPerSecond)
        let perChunk = max(1, Int(Self.maxChunkSeconds * samplesPerSecond))
        let needed = (sampleCount + perChunk - 1) / perChunk
        let wanted = max(Self.minChunks, (needed + Self.minChunks - 1) / Self.minChunks * Self.minChunks)
        count = max(1, min(wanted, sampleCount))
    }

    /// The sample indices of chunk `index`; the last runs to the video's end, wherever its frames
    /// say that is.
    public func samples(ofChunk index: Int) -> Range<Int> {
        let start = index * sampleCount / count
        return start..<(index + 1 == count ? max(start, lastSample) : (index + 1) * sampleCount / count)
    }
}
