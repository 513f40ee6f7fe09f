import Deadline
import Dispatch
import EncodingFile
import FaceRecognition
import FoundationEssentials
import Imaging
import LogSink
import Media
import Synchronization

/// The whole job for one video, in the order it happens:
/// fetch (download or open) → decode sampled frames → detect faces → describe them → match
/// against the known encodings → look the students up → render the CSV → store it.
/// The Lambda and the command line differ only in the VideoInput, StudentDirectory and
/// CSVOutput they pass in.
public final class ClassroomPipeline {
    public private(set) var matcher: FaceMatcher
    public let options: RecognitionOptions
    private let workers: [any FaceFinder]
    /// Whether warnings name students (the command line's own terminal); off where lines are kept
    /// elsewhere (the function's CloudWatch log at its default level).
    public var namesInLog = true

    /// One pipeline per thread. It owns its face finders (one per chunk that attendance mode
    /// samples in parallel); the models behind them are shared.
    public init(models: FaceFinderSource, known: KnownFaces, options: RecognitionOptions = RecognitionOptions()) throws {
        self.workers = try (0..<max(1, options.parallelism)).map { _ in try models.makeFinder() }
        self.matcher = FaceMatcher(known: known, tolerance: options.tolerance)
        self.options = options
    }

    /// Recognises `known` from the next video on (a revalidated ENCODING_URI). Not while a video
    /// is being processed: the caller processes one at a time.
    public func replaceKnownFaces(_ known: KnownFaces) {
        matcher = FaceMatcher(known: known, tolerance: options.tolerance)
    }

    /// Once `deadline` passes, libav's reads fail, sampling stops before the next frame, and
    /// nothing is stored: a VideoDeadlineError says how far it got. `attendanceReport`, when given,
    /// gets the page and crops before the CSV is stored; `progress` hears how far sampling has got.
    public func process(_ input: VideoInput, directory: StudentDirectory, output: CSVOutput,
                        deadline: Deadline = .never, attendanceReport: AttendanceReportOutput? = nil, course: CourseContext = CourseContext(),
                        progress: ((VideoProgress) -> Void)? = nil, log: LogSink = .none) throws -> VideoReport {
        let started = (date: Date(), uptime: DispatchTime.now().uptimeNanoseconds)
        var report = VideoReport(video: input.name)

        // Fetch: an S3 object read by ranges where it is, or a file on disk.
        let source = try report.timing(.download) { try input.fetch() }

        // Decode → detect → describe → match, one sampled frame at a time.
        let attendance = try recognise(source, name: input.name, deadline: deadline, report: &report, progress: progress)
        return try deliver(attendance, for: input, report: report, started: started, directory: directory, output: output,
                           deadline: deadline, attendanceReport: attendanceReport, course: course, log: log)
    }

    /// Attendance mode, the merge step of a fanned-out video: the CSV (and report) that `process`
    /// writes, from the chunks of the video's AttendanceChunkGrid, all of them, in any order.
    public func process(_ input: VideoInput, chunks: [AttendanceChunk], durationSeconds: Double?, directory: StudentDirectory,
                        output: CSVOutput, deadline: Deadline = .never, attendanceReport: AttendanceReportOutput? = nil,
                        course: CourseContext = CourseContext(), log: LogSink = .none) throws -> VideoReport {
        let started = (date: Date(), uptime: DispatchTime.now().uptimeNanoseconds)
        var report = VideoReport(video: input.name)
        report.durationSeconds = durationSeconds
        report.framesDecoded = chunks.reduce(0) { $0 + $1.framesDecoded }
        let attendance = AttendanceChunk.merge(chunks, tolerance: options.tolerance, keepsStrangerFaces: options.unknownFaceCrops)
        return try deliver(attendance, for: input, report: report, started: started, directory: directory, output: output,
                           deadline: deadline, attendanceReport: attendanceReport, course: course, log: log)
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
                         attendanceReport: AttendanceReportOutput?, course: CourseContext, log: LogSink) throws -> VideoReport {
        var report = report
        // Look up each recognised student, keeping the ones the directory does not know.
        let students = try report.timing(.lookup) {
            try attendance.sightings.map { sighting -> (Sighting, StudentRecord?) in
                (sighting, try directory.record(named: sighting.name))
            }
        }
        for (sighting, record) in students where record == nil {
            let who = namesInLog ? "'\(sighting.name)'" : "a student"
            log("\(input.name): \(who) was recognised but has no row in \(directory.source); writing empty major and year")
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
                    known: matcher.known.names, course: course, directory: directory)
            }
            try checkBeforeStoring()
            try report.timing(.upload) { try attendanceReport.store(try AttendanceReportFiles(page, stem: input.stem), of: page) }
        }

        // CSV, then store it (S3 PutObject, or an atomic file write).
        let csv = students.map { CSVFormat.row(for: $0, record: $1, mode: options.mode) }.joined()
        try checkBeforeStoring()
        try report.timing(.upload) { try output.store(RenderedFile(path: output.csvPath(for: input), bytes: Array(csv.utf8), contentType: "text/csv")) }
        report.students = students.map { $0.0.name }
        report.missingFromDirectory = students.filter { $0.1 == nil }.map { $0.0.name }
        report.unknownPeople = attendance.unknownPeople
        if attendance.unknownPeople > 0 {
            let who = attendance.unknownPeople == 1 ? "1 person seen matches" : "\(attendance.unknownPeople) people seen match"
            log("\(input.name): \(who) no known face")
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
                return AttendanceChunk.merge(chunks, tolerance: options.tolerance, keepsStrangerFaces: options.unknownFaceCrops)
            }
            var attendance = Attendance(tolerance: options.tolerance, keepsStrangerFaces: options.unknownFaceCrops)
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

    /// Attendance mode: the chunks `indices` of `grid`, each tracked on its own. The workers take
    /// the chunks in turn, each with its own decoder (the first reuses `first`), which only moves
    /// forward; the chunks come back in order. After a chunk fails, the ones not yet begun are not.
    private func sampleChunks(_ indices: Range<Int>, of grid: AttendanceChunkGrid, first: VideoDecoder, source: VideoSource,
                              deadline: Deadline, report: inout VideoReport, progress: SampleProgress?) throws -> [AttendanceChunk] {
        let chunkWorkers = workers.indices.map { ChunkWorker(finder: workers[$0], decoder: $0 == 0 ? first : nil) }
        let failed = Atomic<Bool>(false)
        let name = report.video
        let results = ParallelWork.map(Array(indices), workers: chunkWorkers) { worker, k -> (Result<AttendanceChunk, Error>?, VideoReport) in
            var part = VideoReport(video: name)
            guard !failed.load(ordering: .relaxed) else { return (nil, part) }
            do {
                let video = try worker.decoder ?? open(source, deadline: deadline, report: &part)
                worker.decoder = video
                let chunk = try sampleChunk(k, of: grid, video, worker: worker.finder, deadline: deadline, report: &part, progress: progress)
                return (.success(chunk), part)
            } catch {
                failed.store(true, ordering: .relaxed)
                return (.failure(error), part)
            }
        }
        for (_, part) in results { report.add(part) }
        // A chunk that failed on its own says why; otherwise the deadline stopped them all.
        let failures = results.compactMap { result -> Error? in
            if case .failure(let error)? = result.0 { return error }
            return nil
        }
        if let failure = failures.first(where: { !($0 is SamplingStopped) }) { throw failure }
        let stops = failures.compactMap { $0 as? SamplingStopped }
        if !stops.isEmpty { throw SamplingStopped(secondsSampled: stops.reduce(0) { $0 + $1.secondsSampled }) }
        return results.compactMap { try? $0.0?.get() }
    }

    /// A worker of sampleChunks: its face finder and the decoder it keeps from chunk to chunk.
    private final class ChunkWorker {
        let finder: any FaceFinder
        var decoder: VideoDecoder?
        init(finder: any FaceFinder, decoder: VideoDecoder?) {
            self.finder = finder
            self.decoder = decoder
        }
    }

    /// One attendance chunk, tracked from its first frame.
    private func sampleChunk(_ index: Int, of grid: AttendanceChunkGrid, _ video: VideoDecoder, worker: any FaceFinder,
                             deadline: Deadline, report: inout VideoReport, progress: SampleProgress?) throws -> AttendanceChunk {
        let info = video.info
        let tracker = ClassroomTracker(
            worker: worker, matcher: matcher, margin: options.identityMargin, minFace: options.minFace,
            frameWidth: info.width, frameHeight: info.height, threads: options.detectionThreads)
        let framesBefore = report.framesDecoded
        // The last chunk takes whatever frames the video has left, as one invocation always did.
        var sampler = FrameSampler(samplesPerSecond: options.samplesPerSecond, samples: grid.samples(ofChunk: index),
                                   takesFramesPastRange: index + 1 == grid.count)
        try eachSampledFrame(video, sampler: &sampler, deadline: deadline, report: &report, progress: progress) { frameTime, stopped, report in
            let gray = try report.timing(.decode) { try video.currentFrame(width: info.width, height: info.height, format: .gray) }
            try report.timing(.detect) {
                try tracker.observe(time: frameTime, gray: gray, checkTime: { if deadline.hasPassed { throw stopped } }) {
                    try video.currentFrame(width: info.width, height: info.height)
                }
            }
            return true
        }
        let chunk = tracker.finish(chunk: index, framesDecoded: report.framesDecoded - framesBefore)
        return options.unknownFaceCrops ? chunk : chunk.droppingUnknownCrops()
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
    private func findFaces(in video: VideoDecoder, worker: any FaceFinder, trusting trusts: (RecognisedFace) -> Bool,
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
                guard pass == .upsampled else {
                    return try worker.detect(in: image, threads: options.detectionThreads).map { $0.scaled(by: scale) }
                }
                // A frame above 1080p is doubled a tile at a time; a face found in two tiles is one face.
                var found: [FaceBox] = []
                for tile in options.ladder.upsampledTiles(width: image.width, height: image.height) {
                    try checkTime()
                    let inTile = try worker.detect(in: image, region: tile, upsample: true, threads: options.detectionThreads)
                    let new = inTile.filter { box in !found.contains { $0.overlaps(box) } }
                    found += new
                }
                return found
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
    private func findFacesInLowLight(_ equalised: PixelImage, worker: any FaceFinder, report: inout VideoReport) throws -> [RecognisedFace] {
        let boxes = try report.timing(.detect) { try worker.detect(in: equalised, threads: options.detectionThreads) }
        if boxes.isEmpty { return [] }
        let descriptors = try report.timing(.describe) { try worker.describe(boxes, in: equalised) }
        return zip(boxes, descriptors).map { RecognisedFace(box: $0, descriptor: $1, matcher: matcher) }
    }
}
