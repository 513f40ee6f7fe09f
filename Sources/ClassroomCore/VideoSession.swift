import Dispatch
import FaceRecognition
import FoundationEssentials
import Imaging
import Media
import RequestContext
import Synchronization

/// One video, opened once (ClassroomPipeline.open): its source, the decoder that read its header,
/// its duration and its AttendanceChunkGrid. Attendance mode samples any range of the grid's chunks
/// (the whole grid in one invocation, a segment's range in a fanned-out one); first match searches
/// it until its rule settles. `report` gathers the frames and stage times, the opening's included.
public final class VideoSession {
    public let input: VideoInput
    public let context: RequestContext
    public let grid: AttendanceChunkGrid
    public private(set) var report: VideoReport
    /// When the work on the video began: what the attendance report's processing time counts from.
    let started = (date: Date(), uptime: DispatchTime.now().uptimeNanoseconds)
    private let source: VideoSource
    private let info: VideoInfo
    /// The decoder that opened the video, until the first sampling worker takes it.
    private var opened: VideoDecoder?
    private let workers: [any FaceFinder]
    private let matcher: FaceMatcher
    private let options: RecognitionOptions

    init(_ input: VideoInput, workers: [any FaceFinder], matcher: FaceMatcher, options: RecognitionOptions, context: RequestContext) throws {
        var report = VideoReport(video: input.name)
        let source = try report.timing(.download) { try input.fetch(context: context) }
        let video: VideoDecoder
        do {
            video = try Self.open(source, deadline: context.deadline, report: &report)
        } catch let stop as SamplingStopped {
            throw VideoDeadlineError(video: input.name, framesDone: 0, stage: .sampling(secondsSampled: stop.secondsSampled, durationSeconds: nil))
        }
        report.durationSeconds = video.info.durationSeconds
        (self.input, self.context, self.source, info, opened) = (input, context, source, video.info, video)
        (self.workers, self.matcher, self.options, self.report) = (workers, matcher, options, report)
        grid = AttendanceChunkGrid(durationSeconds: video.info.durationSeconds, samplesPerSecond: options.samplesPerSecond)
    }

    /// The video's length, from its container (nil when it does not say).
    public var durationSeconds: Double? { info.durationSeconds }

    /// The whole video's attendance: every chunk merged in order, or the strangers seen and the one
    /// student first-match mode chose. No sample lies after VideoDecoder.longestDuration.
    public func recognise(progress: ((VideoProgress) -> Void)? = nil) throws -> Attendance {
        let counter = progress.map { SampleProgress(interval: 1 / options.samplesPerSecond, durationSeconds: info.durationSeconds, callback: $0) }
        let attendance = try options.mode == .firstMatch ? firstMatch(progress: counter)
            : AttendanceChunk.merge(analyse(chunks: 0..<grid.count, progress: counter), tolerance: options.tolerance,
                                    keepsStrangerFaces: options.unknownFaceCrops)
        if report.framesDecoded == 0 { throw VideoError(source: input.name, kind: .corrupt, reason: "no frame could be decoded") }
        return attendance
    }

    /// Attendance mode: the chunks `chunks` of the grid, each tracked on its own. The workers take
    /// the chunks in turn, each with its own decoder (the first takes the one that opened the
    /// video), which only moves forward; the chunks come back in order. After a chunk fails, the ones
    /// not yet begun are not.
    public func analyse(chunks: Range<Int>, progress: SampleProgress? = nil) throws -> [AttendanceChunk] {
        let chunkWorkers = workers.indices.map { ChunkWorker(finder: workers[$0], decoder: $0 == 0 ? opened : nil) }
        opened = nil
        let failed = Atomic<Bool>(false)
        let results = ParallelWork.map(Array(chunks.clamped(to: 0..<grid.count)), workers: chunkWorkers) {
            worker, k -> (Result<AttendanceChunk, Error>?, VideoReport) in
            var part = VideoReport(video: input.name)
            guard !failed.load(ordering: .relaxed) else { return (nil, part) }
            do {
                let video = try worker.decoder ?? Self.open(source, deadline: context.deadline, report: &part)
                worker.decoder = video
                let chunk = try sampleChunk(k, video, worker: worker.finder, report: &part, progress: progress)
                return (.success(chunk), part)
            } catch {
                failed.store(true, ordering: .relaxed)
                return (.failure(error), part)
            }
        }
        for (_, part) in results {
            report.framesDecoded += part.framesDecoded
            report.milliseconds.merge(part.milliseconds, uniquingKeysWith: +)
        }
        // A chunk that failed on its own says why; otherwise the deadline stopped them all.
        let failures = results.compactMap { result -> Error? in if case .failure(let error)? = result.0 { error } else { nil } }
        if let failure = failures.first(where: { !($0 is SamplingStopped) }) { throw failure }
        let stops = failures.compactMap { $0 as? SamplingStopped }
        if !stops.isEmpty { throw deadlineError(SamplingStopped(secondsSampled: stops.reduce(0) { $0 + $1.secondsSampled })) }
        return results.compactMap { try? $0.0?.get() }
    }

    /// A worker of `analyse`: its face finder and the decoder it keeps from chunk to chunk.
    private final class ChunkWorker {
        let finder: any FaceFinder
        var decoder: VideoDecoder?
        init(finder: any FaceFinder, decoder: VideoDecoder?) { (self.finder, self.decoder) = (finder, decoder) }
    }

    /// One attendance chunk, tracked from its first frame.
    private func sampleChunk(_ index: Int, _ video: VideoDecoder, worker: any FaceFinder, report: inout VideoReport,
                             progress: SampleProgress?) throws -> AttendanceChunk {
        let tracker = ClassroomTracker(
            worker: worker, matcher: matcher, margin: options.identityMargin, minFace: options.minFace,
            frameWidth: info.width, frameHeight: info.height, threads: options.detectionThreads)
        let framesBefore = report.framesDecoded
        // The last chunk takes whatever frames the video has left, as one invocation does.
        var sampler = FrameSampler(samplesPerSecond: options.samplesPerSecond, samples: grid.samples(ofChunk: index),
                                   takesFramesPastRange: index + 1 == grid.count)
        try search(video, with: tracker, sampler: &sampler, report: &report, progress: progress)
        let chunk = tracker.finish(chunk: index, framesDecoded: report.framesDecoded - framesBefore)
        return options.unknownFaceCrops ? chunk : chunk.droppingUnknownCrops()
    }

    /// First-match mode, from the video's first frame until its rule settles.
    private func firstMatch(progress: SampleProgress?) throws -> Attendance {
        let search = FirstMatchSearch(worker: workers[0], matcher: matcher, ladder: options.ladder, rule: options.firstMatchRule,
                                      keepsStrangerFaces: options.unknownFaceCrops, threads: options.detectionThreads)
        let samples = 0..<(FrameSampler.index(atOrAfter: VideoDecoder.longestDuration, samplesPerSecond: options.samplesPerSecond) + 1)
        var sampler = FrameSampler(samplesPerSecond: options.samplesPerSecond, samples: samples)
        do {
            let video = try opened ?? Self.open(source, deadline: context.deadline, report: &report)
            opened = nil
            try self.search(video, with: search, sampler: &sampler, report: &report, progress: progress)
        } catch let stop as SamplingStopped {
            throw deadlineError(stop)
        }
        let (attendance, chosen) = search.finish()
        report.firstMatch = chosen
        return attendance
    }

    /// Positions `video` on each frame `sampler` schedules and shows it to `search`, until the
    /// samples or the video run out or the search needs no more; stops at the deadline between
    /// frames, and between the search's steps.
    private func search(_ video: VideoDecoder, with search: any FaceSearch, sampler: inout FrameSampler, report: inout VideoReport,
                        progress: SampleProgress?) throws {
        let deadline = context.deadline
        while true {
            if deadline.hasPassed { throw Self.stopped(sampler) }
            let frameTime: Double?
            do {
                frameTime = try report.timing(.decode) { try sampler.nextFrame(of: video) }
            } catch let error as VideoError where error.kind == .deadlinePassed {
                throw Self.stopped(sampler)
            }
            guard let frameTime else { return }
            defer { progress?.sampled() }
            report.framesDecoded += 1
            let stopped = Self.stopped(sampler)
            let frame = DecodedFrame(video, report: report)
            defer { report = frame.report }
            if try !search.search(frame, at: frameTime, checkTime: { if deadline.hasPassed { throw stopped } }) { return }
        }
    }

    /// The decoder's current frame as a FaceSearch reads it; the search's steps are timed in `report`.
    private final class DecodedFrame: SearchFrame {
        private let video: VideoDecoder
        var report: VideoReport
        init(_ video: VideoDecoder, report: VideoReport) { (self.video, self.report) = (video, report) }
        var width: Int { video.info.width }
        var height: Int { video.info.height }
        func image(width: Int, height: Int, format: PixelImage.Format) throws -> PixelImage {
            try video.currentFrame(width: width, height: height, format: format)
        }
        func timing<T>(_ step: SearchStep, _ work: () throws -> T) rethrows -> T {
            try report.timing(VideoReport.Stage(rawValue: step.rawValue)!, work)
        }
    }

    /// The deadline stopped sampling; `secondsSampled` is the video time its frames covered.
    private struct SamplingStopped: Error {
        let secondsSampled: Double
    }

    /// How far `sampler` got when the deadline stopped it.
    private static func stopped(_ sampler: FrameSampler) -> SamplingStopped {
        SamplingStopped(secondsSampled: max(0, (sampler.lastFrameTime ?? sampler.startTime) - sampler.startTime))
    }

    /// What the caller hears of a deadline that stopped sampling: how far it got.
    private func deadlineError(_ stop: SamplingStopped) -> VideoDeadlineError {
        VideoDeadlineError(video: input.name, framesDone: report.framesDecoded,
                           stage: .sampling(secondsSampled: stop.secondsSampled, durationSeconds: report.durationSeconds))
    }

    private static func open(_ source: VideoSource, deadline: Deadline, report: inout VideoReport) throws -> VideoDecoder {
        do {
            return try report.timing(.decode) { try source.open(deadline: deadline) }
        } catch let error as VideoError where error.kind == .deadlinePassed {
            throw SamplingStopped(secondsSampled: 0)
        }
    }
}
