/// The sampling schedule, in one place: sample k of a video is its first frame at or after
/// k / samplesPerSecond seconds (k = 0, 1, 2 ...), the last partial second included. A frame
/// found past its sample's time stands for every sample up to its own time, so a gap of a billion
/// seconds costs one step, not a billion. The decoder only seeks and decodes; which frames it
/// reaches, and which it may skip on the way, is decided here.
public struct FrameSampler {
    public let samplesPerSecond: Double
    /// The sample indices to visit (the upper bound may be Int.max: to the end of the video).
    public let samples: Range<Int>
    /// Whether a frame found at or past the time of `samples.upperBound` still counts (first-match
    /// mode), or belongs to the next range (an attendance chunk: no frame is in two chunks).
    public let takesFramesPastRange: Bool
    private var next: Int
    public private(set) var lastFrameTime: Double?

    public init(samplesPerSecond: Double, samples: Range<Int>, takesFramesPastRange: Bool = true) {
        self.samplesPerSecond = samplesPerSecond
        self.samples = samples
        self.takesFramesPastRange = takesFramesPastRange
        next = samples.lowerBound
    }

    /// The time sample `index` asks for.
    public func time(of index: Int) -> Double { Double(index) / samplesPerSecond }

    /// Where this schedule starts in the video.
    public var startTime: Double { time(of: samples.lowerBound) }

    /// Positions `video` on the next sample's frame and returns its time, or nil once the samples
    /// or the video run out.
    public mutating func nextFrame(of video: VideoDecoder) throws -> Double? {
        while next < samples.upperBound {
            guard let frameTime = try video.seek(toFrameAt: time(of: next)) else { return nil }
            if !takesFramesPastRange && frameTime >= time(of: samples.upperBound) - VideoDecoder.timeRounding { return nil }
            next = max(next + 1, Self.index(atOrAfter: frameTime, samplesPerSecond: samplesPerSecond))
            // Two samples closer than a frame find the same frame: it is recognised once.
            if frameTime == lastFrameTime { continue }
            lastFrameTime = frameTime
            return frameTime
        }
        return nil
    }

    /// The first sample index at or after `seconds`, at most Int32.max: a time from a hostile
    /// header converts without trapping.
    public static func index(atOrAfter seconds: Double, samplesPerSecond: Double) -> Int {
        let index = (seconds * samplesPerSecond).rounded(.up)
        return index > 0 ? Int(min(index, Double(Int32.max))) : 0
    }
}
