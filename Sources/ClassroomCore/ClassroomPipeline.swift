import Deadline
import EncodingFile
import Foundation

/// The whole job for one video, in the order it happens:
/// fetch (download or open) → decode sampled frames → detect faces → describe them → match
/// against the known encodings → look the students up → render the CSV → store it.
/// The Lambda and the command line differ only in the VideoInput, StudentDirectory and
/// CSVOutput they pass in.
public final class ClassroomPipeline {
    public let matcher: FaceMatcher
    public let options: RecognitionOptions
    private let workers: [FaceWorker]

    /// One pipeline per thread. It owns its FaceWorkers (one per segment that attendance mode
    /// samples in parallel); the models behind them are shared.
    public init(models: FaceModels, known: KnownFaces, options: RecognitionOptions = RecognitionOptions()) throws {
        self.workers = try (0..<max(1, options.parallelism)).map { _ in try FaceWorker(models: models) }
        self.matcher = FaceMatcher(known: known, tolerance: options.tolerance)
        self.options = options
    }

    /// Once `deadline` passes, libav's reads fail, sampling stops before the next frame, and
    /// nothing is stored: a VideoDeadlineError says how far it got. `attendanceReport`, when given,
    /// gets the page and crops before the CSV is stored; `progress` hears how far sampling has got.
    public func process(_ input: VideoInput, directory: StudentDirectory, output: CSVOutput,
                        deadline: Deadline = .never, attendanceReport: AttendanceReportOutput? = nil,
                        progress: ((VideoProgress) -> Void)? = nil, warn: (String) -> Void = { _ in }) throws -> VideoReport {
        let started = (date: Date(), uptime: DispatchTime.now().uptimeNanoseconds)
        var report = VideoReport(video: input.name)

        // Fetch: S3 GetObject into memory, or a file on disk.
        let source = try report.timing(.download) { try input.fetch() }

        // Decode → detect → describe → match, one sampled frame at a time.
        let attendance = try recognise(source, name: input.name, deadline: deadline, report: &report, progress: progress)
        return try deliver(attendance, for: input, report: report, started: started, directory: directory, output: output,
                           deadline: deadline, attendanceReport: attendanceReport, warn: warn)
    }

    /// Attendance mode, the merge step of a fanned-out video: the CSV (and report) that `process`
    /// writes, from the chunks of the video's AttendanceChunkGrid, all of them, in any order.
    public func process(_ input: VideoInput, chunks: [AttendanceChunk], durationSeconds: Double?, directory: StudentDirectory,
                        output: CSVOutput, deadline: Deadline = .never, attendanceReport: AttendanceReportOutput? = nil,
                        warn: (String) -> Void = { _ in }) throws -> VideoReport {
        let started = (date: Date(), uptime: DispatchTime.now().uptimeNanoseconds)
        var report = VideoReport(video: input.name)
        report.durationSeconds = durationSeconds
        report.framesDecoded = chunks.reduce(0) { $0 + $1.framesDecoded }
        let attendance = AttendanceChunk.merge(chunks, tolerance: options.tolerance)
        return try deliver(attendance, for: input, report: report, started: started, directory: directory, output: output,
                           deadline: deadline, attendanceReport: attendanceReport, warn: warn)
    }

    /// Attendance mode: opens the video to read its chunk grid (and duration).
    public func chunkGrid(of input: VideoInput, deadline: Deadline = .never) throws -> (grid: AttendanceChunkGrid, durationSeconds: Double?) {
        var report = VideoReport(video: input.name)
        let video = try recognitionStep(name: input.name, report: &report) { report in
            try open(try input.fetch(), deadline: deadline, report: &report)
        }
        let duration = video.info.durationSeconds
        return (AttendanceChunkGrid(durationSeconds: duration, samplesPerSecond: options.samplesPerSecond), duration)
    }

    /// Attendance mode, one run of a fanned-out video: the chunks `indices` of its grid, sampled on
    /// this pipeline's workers.
    public func attendanceChunks(of input: VideoInput, indices: Range<Int>, deadline: Deadline = .never) throws -> [AttendanceChunk] {
        var report = VideoReport(video: input.name)
        let source = try input.fetch()
        return try recognitionStep(name: input.name, report: &report) { report in
            let video = try open(source, deadline: deadline, report: &report)
            let grid = AttendanceChunkGrid(durationSeconds: video.info.durationSeconds, samplesPerSecond: options.samplesPerSecond)
            return try sampleChunks(indices.clamped(to: 0..<grid.count), of: grid, first: video, source: source,
                                    deadline: deadline, report: &report, progress: nil)
        }
    }

    /// Looks each recognised student up, then stores the report (when asked for) and the CSV.
    private func deliver(_ attendance: Attendance, for input: VideoInput, report: VideoReport, started: (date: Date, uptime: UInt64),
                         directory: StudentDirectory, output: CSVOutput, deadline: Deadline,
                         attendanceReport: AttendanceReportOutput?, warn: (String) -> Void) throws -> VideoReport {
        var report = report
        // Look up each recognised student, keeping the ones the directory does not know.
        let students = try report.timing(.lookup) {
            try attendance.sightings.map { sighting -> (Sighting, StudentRecord?) in
                (sighting, try directory.record(named: sighting.name))
            }
        }
        for (sighting, record) in students where record == nil {
            warn("\(input.name): '\(sighting.name)' was recognised but has no row in \(directory.source); writing empty major and year")
        }

        // Nothing is stored once the deadline has passed.
        func checkBeforeStoring() throws {
            if deadline.hasPassed { throw VideoDeadlineError(video: input.name, framesDone: report.framesDecoded, stage: .storing) }
        }

        // The attendance report (page and crops) goes first: a CSV that exists always has its report.
        if let attendanceReport {
            let duration = report.durationSeconds
            let page = try report.timing(.lookup) {
                try AttendanceReport(
                    video: input.name, durationSeconds: duration, processedAt: started.date,
                    processingSeconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptime) / 1e9,
                    wholeVideoSampled: options.mode == .all, attendance: attendance, present: students,
                    enrolled: matcher.known.names, directory: directory)
            }
            try checkBeforeStoring()
            try report.timing(.upload) { try attendanceReport.store(page, for: input) }
        }

        // CSV, then store it (S3 PutObject, or an atomic file write).
        let csv = students.map { sighting, record in CSVFormat.row(options.mode.fields(sighting, record)) }.joined()
        try checkBeforeStoring()
        try report.timing(.upload) { try output.store(Array(csv.utf8), for: input) }
        report.students = students.map { $0.0.name }
        report.missingFromDirectory = students.filter { $0.1 == nil }.map { $0.0.name }
        report.unknownPeople = attendance.unknownPeople
        if attendance.unknownPeople > 0 {
            let who = attendance.unknownPeople == 1 ? "1 person seen matches" : "\(attendance.unknownPeople) people seen match"
            warn("\(input.name): \(who) no known face")
        }
        return report
    }

    /// Samples the video at options.samplesPerSecond (t = 0, 1, 2 ... s by default). First-match
    /// mode stops when its rule has settled on one student (see FirstMatchDecision). Attendance mode
    /// samples every second, in the chunks of the video's AttendanceChunkGrid, shared out among the
    /// workers, and merges them in order. No sample lies after VideoDecoder.longestDuration.
    func recognise(_ source: VideoSource, name: String, deadline: Deadline,
                   report: inout VideoReport, progress: ((VideoProgress) -> Void)?) throws -> Attendance {
        let attendance = try recognitionStep(name: name, report: &report) { (report: inout VideoReport) throws -> Attendance in
            let video = try open(source, deadline: deadline, report: &report)
            let duration = video.info.durationSeconds
            report.durationSeconds = duration
            let counter = progress.map {
                SampleProgress(interval: 1 / options.samplesPerSecond, durationSeconds: duration, callback: $0)
            }
            guard options.mode == .firstMatch else {
                let grid = AttendanceChunkGrid(durationSeconds: duration, samplesPerSecond: options.samplesPerSecond)
                let chunks = try sampleChunks(0..<grid.count, of: grid, first: video, source: source, deadline: deadline,
                                              report: &report, progress: counter)
                return AttendanceChunk.merge(chunks, tolerance: options.tolerance)
            }
            var attendance = Attendance(tolerance: options.tolerance)
            let samples = 0..<(FrameSampler.index(atOrAfter: VideoDecoder.longestDuration, samplesPerSecond: options.samplesPerSecond) + 1)
            try firstMatch(video, samples: samples, deadline: deadline, into: &attendance, report: &report, progress: counter)
            return attendance
        }
        if report.framesDecoded == 0 {
            throw VideoError(source: name, kind: .corrupt, reason: "no frame could be decoded")
        }
        return attendance
    }

    /// Runs a step of recognition, turning a deadline that stopped sampling into the error that says
    /// how far it got.
    private func recognitionStep<T>(name: String, report: inout VideoReport, _ step: (inout VideoReport) throws -> T) throws -> T {
        do {
            return try step(&report)
        } catch let stop as SamplingStopped {
            throw VideoDeadlineError(video: name, framesDone: report.framesDecoded,
                                     stage: .sampling(secondsSampled: stop.secondsSampled, durationSeconds: report.durationSeconds))
        }
    }

    /// Attendance mode: the chunks `indices` of `grid`, each tracked on its own. Each worker takes
    /// the next chunk not yet taken, with its own decoder (the first reuses `first`), which only
    /// moves forward; the chunks come back in order.
    private func sampleChunks(_ indices: Range<Int>, of grid: AttendanceChunkGrid, first: VideoDecoder, source: VideoSource,
                              deadline: Deadline, report: inout VideoReport, progress: SampleProgress?) throws -> [AttendanceChunk] {
        let lock = NSLock()
        var next = indices.lowerBound
        var failed = false
        var chunks: [AttendanceChunk] = [], failures: [Error] = []
        var parts: [VideoReport] = []
        let name = report.video
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers.count, indices.count))) { w in
            var decoder: VideoDecoder? = w == 0 ? first : nil
            var part = VideoReport(video: name)
            defer { lock.withLock { parts.append(part) } }
            while let k = lock.withLock({ () -> Int? in
                guard !failed, next < indices.upperBound else { return nil }
                defer { next += 1 }
                return next
            }) {
                do {
                    let video = try decoder ?? open(source, deadline: deadline, report: &part)
                    decoder = video
                    let chunk = try sampleChunk(k, of: grid, video, worker: workers[w], deadline: deadline, report: &part, progress: progress)
                    lock.withLock { chunks.append(chunk) }
                } catch {
                    lock.withLock {
                        failures.append(error)
                        failed = true
                    }
                }
            }
        }
        for part in parts { report.add(part) }
        // A chunk that failed on its own says why; otherwise the deadline stopped them all.
        if let failure = failures.first(where: { !($0 is SamplingStopped) }) { throw failure }
        let stops = failures.compactMap { $0 as? SamplingStopped }
        if !stops.isEmpty { throw SamplingStopped(secondsSampled: stops.reduce(0) { $0 + $1.secondsSampled }) }
        return chunks.sorted { $0.index < $1.index }
    }

    /// One attendance chunk, tracked from its first frame.
    private func sampleChunk(_ index: Int, of grid: AttendanceChunkGrid, _ video: VideoDecoder, worker: FaceWorker,
                             deadline: Deadline, report: inout VideoReport, progress: SampleProgress?) throws -> AttendanceChunk {
        let info = video.info
        let tracker = ClassroomTracker(
            worker: worker, matcher: matcher, margin: options.identityMargin, minFace: options.minFace,
            frameWidth: info.width, frameHeight: info.height, threads: options.detectionThreads)
        let framesBefore = report.framesDecoded
        // The last chunk takes whatever frames the video has left, as one invocation always did.
        var sampler = FrameSampler(samplesPerSecond: options.samplesPerSecond, samples: grid.samples(ofChunk: index),
                                   takesFramesPastRange: index + 1 == grid.count)
        try eachSampledFrame(video, sampler: &sampler, deadline: deadline, report: &report, progress: progress) { frameTime, _, report in
            let gray = try report.timing(.decode) { try video.currentFrame(width: info.width, height: info.height, format: .gray) }
            try report.timing(.detect) {
                try tracker.observe(time: frameTime, gray: gray) { try video.currentFrame(width: info.width, height: info.height) }
            }
            return true
        }
        return tracker.finish(chunk: index, framesDecoded: report.framesDecoded - framesBefore)
    }

    /// The deadline stopped sampling; `secondsSampled` is the video time its frames covered.
    private struct SamplingStopped: Error {
        let secondsSampled: Double
    }

    private func open(_ source: VideoSource, deadline: Deadline, report: inout VideoReport) throws -> VideoDecoder {
        do {
            return try report.timing(.decode) { try source.open(deadline: deadline) }
        } catch let error as VideoError where error.kind == .deadlinePassed {
            throw SamplingStopped(secondsSampled: 0)
        }
    }

    /// First-match mode on sample indices `samples` (see FrameSampler), until its rule settles.
    private func firstMatch(_ video: VideoDecoder, samples: Range<Int>, deadline: Deadline, into attendance: inout Attendance,
                            report: inout VideoReport, progress: SampleProgress?) throws {
        var sampler = FrameSampler(samplesPerSecond: options.samplesPerSecond, samples: samples)
        var decision = FirstMatchDecision(rule: options.firstMatchRule, tolerance: options.tolerance)
        try eachSampledFrame(video, sampler: &sampler, deadline: deadline, report: &report, progress: progress) { frameTime, stopped, report in
            let (faces, frame) = try findFaces(in: video, worker: workers[0], trusting: decision.trusts, report: &report) {
                if deadline.hasPassed { throw stopped }
            }
            // Strangers are counted as they are seen; of the known faces, only the one chosen.
            attendance.record(faces.filter { $0.match == nil }, in: frame, at: frameTime)
            decision.record(faces, in: frame, at: frameTime)
            return !decision.isSettled
        }
        if let chosen = decision.chosen {
            attendance.record(chosen.candidate.name, at: [chosen.frameTime], bestDistance: chosen.candidate.distance, face: chosen.crop)
            report.firstMatch = chosen
        }
    }

    /// Positions `video` on each frame `sampler` schedules and runs `body` on it, until the samples
    /// or the video run out or `body` returns false; stops at the deadline between frames. `body`
    /// gets the frame's time, what to throw to stop at the deadline, and the report.
    private func eachSampledFrame(_ video: VideoDecoder, sampler: inout FrameSampler, deadline: Deadline, report: inout VideoReport,
                                  progress: SampleProgress?, body: (Double, SamplingStopped, inout VideoReport) throws -> Bool) throws {
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
            if try !body(frameTime, Self.stopped(sampler), &report) { return }
        }
    }

    /// How far `sampler` got when the deadline stopped it.
    private static func stopped(_ sampler: FrameSampler) -> SamplingStopped {
        SamplingStopped(secondsSampled: max(0, (sampler.lastFrameTime ?? sampler.startTime) - sampler.startTime))
    }

    /// First-match mode: runs HOG on the current frame at each size of the detection ladder,
    /// cheapest first, describes every face found on the full-resolution frame, climbs until a face
    /// it trusts turns up, and tries a frame with no face at all once more with its contrast
    /// normalised. `checkTime` runs before each pass and throws to stop. Returns the full RGB frame
    /// too when faces were described on it (the report crops them from it).
    private func findFaces(in video: VideoDecoder, worker: FaceWorker, trusting trusts: (RecognisedFace) -> Bool,
                           report: inout VideoReport, checkTime: () throws -> Void) throws -> (faces: [RecognisedFace], frame: PixelImage?) {
        let info = video.info
        var full: PixelImage?
        func fullFrame() throws -> PixelImage {
            if let full { return full }
            full = try report.timing(.decode) { try video.currentFrame(width: info.width, height: info.height) }
            return full!
        }
        var described: [RecognisedFace] = []
        for pass in options.ladder.passes(width: info.width, height: info.height) {
            // Upsampling finds faces too small to describe surely: not worth its cost (the ladder's
            // dearest pass) in a frame that already shows a match, trusted or borderline.
            if pass == .upsampled && described.contains(where: { $0.match != nil }) { break }
            try checkTime()
            let image: PixelImage
            switch pass {
            case .scaled(let width, let height):
                // HOG needs no colour: downscaled passes read the gray (luma) plane only.
                image = try report.timing(.decode) { try video.currentFrame(width: width, height: height, format: .gray) }
            case .full, .upsampled:
                image = try fullFrame()
            }
            let scale = Double(info.width) / Double(image.width)
            let boxes = try report.timing(.detect) {
                try worker.detect(in: image, upsample: pass == .upsampled, threads: options.detectionThreads)
                    .map { $0.scaled(by: scale) }
            }
            // A face a cheaper pass already described needs no second descriptor.
            let fresh = boxes.filter { box in !described.contains { $0.box.overlaps(box) } }
            if fresh.isEmpty { continue }
            let frame = try fullFrame()
            let descriptors = try report.timing(.describe) { try worker.describe(fresh, in: frame) }
            described += zip(fresh, descriptors).map { RecognisedFace(box: $0, descriptor: $1, matcher: matcher) }
            if described.contains(where: trusts) { break }
        }
        if described.isEmpty {
            try checkTime()
            let frame = try fullFrame()
            let equalised = report.timing(.equalise) { frame.equalisingLuma() }
            described = try findFacesInLowLight(equalised, worker: worker, report: &report)
            if !described.isEmpty { return (described, equalised) }
        }
        return (described, full)
    }

    /// A frame too dark or too flat for HOG at every size: once more with its luma histogram
    /// equalised, the faces found described on that same frame.
    private func findFacesInLowLight(_ equalised: PixelImage, worker: FaceWorker, report: inout VideoReport) throws -> [RecognisedFace] {
        let boxes = try report.timing(.detect) { try worker.detect(in: equalised, threads: options.detectionThreads) }
        if boxes.isEmpty { return [] }
        let descriptors = try report.timing(.describe) { try worker.describe(boxes, in: equalised) }
        return zip(boxes, descriptors).map { RecognisedFace(box: $0, descriptor: $1, matcher: matcher) }
    }
}

/// How the pipeline samples and matches.
public struct RecognitionOptions: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Name one student: the first one matched surely enough (see FirstMatchRule).
        case firstMatch = "first"
        /// Sample the whole video and list everyone seen (attendance).
        case all

        func fields(_ sighting: Sighting, _ record: StudentRecord?) -> [String] {
            let base = [sighting.name, record?.major ?? "", record?.year ?? ""]
            switch self {
            case .firstMatch: return base
            case .all:
                return base + [String(format: "%.2f", sighting.firstSeen), String(format: "%.2f", sighting.lastSeen),
                               String(sighting.frames), String(format: "%.4f", sighting.bestDistance)]
            }
        }
    }

    public var mode: Mode
    public var tolerance: Double
    public var samplesPerSecond: Double
    public var ladder: DetectionLadder
    public var firstMatchRule: FirstMatchRule
    /// Time segments of one video sampled side by side in attendance mode.
    public var parallelism: Int
    /// Threads one face detection may use (see FaceModels.threadsPerWorker).
    public var detectionThreads: Int
    /// Attendance: the smallest face, in pixels tall in the frame as displayed, to find.
    public var minFace: Int
    /// Attendance: how much nearer a face must be to the person it is named as than to anyone else
    /// (see TrackIdentity).
    public var identityMargin: Double

    public init(mode: Mode = .firstMatch, tolerance: Double = 0.6, samplesPerSecond: Double = 1,
                ladder: DetectionLadder = DetectionLadder(), firstMatchRule: FirstMatchRule = FirstMatchRule(),
                parallelism: Int = 1, detectionThreads: Int = 1, minFace: Int = 40, identityMargin: Double = 0.05) {
        self.mode = mode
        self.tolerance = tolerance
        self.samplesPerSecond = samplesPerSecond
        self.ladder = ladder
        self.firstMatchRule = firstMatchRule
        self.parallelism = parallelism
        self.detectionThreads = detectionThreads
        self.minFace = minFace
        self.identityMargin = identityMargin
    }
}

extension RecognitionOptions {
    /// The tolerances either front end accepts.
    public static let toleranceRange = 0.01...1.99
    /// The smallest faces, in pixels tall, either front end accepts.
    public static let minFaceRange = 20...2000

    /// How `cores` are shared, the one plan both front ends use: attendance samples each video in
    /// one time segment per core; first-match runs `videosAtOnce` videos side by side, one worker
    /// each. The cores left over for each worker speed up its face detection and descriptors.
    public mutating func share(cores: Int, videosAtOnce: Int) {
        parallelism = mode == .all ? max(1, cores) : 1
        let workersAtOnce = mode == .all ? parallelism : max(1, min(cores, videosAtOnce))
        detectionThreads = FaceModels.threadsPerWorker(workersRunningAtOnce: workersAtOnce)
    }
}

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

    func passes(width: Int, height: Int) -> [Pass] {
        let scaled = downscaledWidths.filter { $0 < width }.sorted().map { w in
            Pass.scaled(width: w, height: max(1, Int((Double(height) * Double(w) / Double(width)).rounded())))
        }
        return scaled + [.full] + (width * height <= Self.largestUpsampled ? [.upsampled] : [])
    }
}

/// One face found on a frame: where, its descriptor, the nearest known people, and whom it
/// matches if anyone.
struct RecognisedFace {
    let box: FaceBox
    let descriptor: [Double]
    let candidate: FaceCandidate?
    let match: FaceMatch?

    init(box: FaceBox, descriptor: [Double], matcher: FaceMatcher) {
        self.box = box
        self.descriptor = descriptor
        candidate = matcher.nearest(descriptor)
        match = candidate.flatMap(matcher.match)
    }
}

/// Where a video comes from.
public protocol VideoInput {
    /// The file path or object key, as errors and logs name it.
    var name: String { get }
    /// The name of the CSV that answers for it: the base name without its extension.
    var stem: String { get }
    /// Where the bytes are once fetched (downloaded into memory, or a file on disk).
    func fetch() throws -> VideoSource
}

extension VideoInput {
    public var stem: String {
        let base = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }
}

/// A video file on disk, decoded in place.
public struct VideoFile: VideoInput {
    public let path: String
    public var name: String { path }
    public init(path: String) { self.path = path }
    public func fetch() throws -> VideoSource { .file(path: path) }
}

/// Where the CSV goes.
public protocol CSVOutput {
    func store(_ csv: [UInt8], for input: VideoInput) throws
}

/// `DIR/<video stem>.csv`, written atomically.
public struct CSVDirectory: CSVOutput {
    public let path: String
    public init(path: String) { self.path = path }
    public func store(_ csv: [UInt8], for input: VideoInput) throws {
        try AtomicFile.write(csv, to: "\(path)/\(input.stem).csv")
    }
}

/// What happened to one video: who, how many frames, and where the time went.
public struct VideoReport: Sendable {
    public enum Stage: String, Sendable, CaseIterable { case download, decode, equalise, detect, describe, lookup, upload }

    public let video: String
    public var students: [String] = []
    public var missingFromDirectory: [String] = []
    public var unknownPeople = 0
    public var framesDecoded = 0
    /// First-match mode's answer and the evidence for it (nil when nobody was recognised).
    public var firstMatch: FirstMatchEvidence?
    /// The video's length, from its container (nil when it does not say).
    public var durationSeconds: Double?
    public var milliseconds: [Stage: Double] = [:]

    public init(video: String) { self.video = video }

    /// Adds the frames and stage times of a segment sampled in parallel.
    mutating func add(_ part: VideoReport) {
        framesDecoded += part.framesDecoded
        milliseconds.merge(part.milliseconds, uniquingKeysWith: +)
    }

    mutating func timing<T>(_ stage: Stage, _ work: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { milliseconds[stage, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }
        return try work()
    }
}
