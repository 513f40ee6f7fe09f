import Deadline
import Dispatch
import EncodingFile
import FaceRecognition
import FoundationEssentials
import Imaging
import LogSink
import Media

/// The whole job for one video, in the order it happens:
/// fetch (download or open) → decode sampled frames → detect faces → describe them → match
/// against the known encodings → look the students up → render the CSV → store it.
/// The Lambda and the command line differ only in the VideoInput, StudentDirectory and
/// CSVOutput they pass in.
public final class ClassroomPipeline {
    public let matcher: FaceMatcher
    public let options: RecognitionOptions
    private let workers: [any FaceFinder]

    /// One pipeline per thread. It owns its face finders (one per segment that attendance mode
    /// samples in parallel); the models behind them are shared.
    public init(models: FaceFinderSource, known: KnownFaces, options: RecognitionOptions = RecognitionOptions()) throws {
        self.workers = try (0..<max(1, options.parallelism)).map { _ in try models.makeFinder() }
        self.matcher = FaceMatcher(known: known, tolerance: options.tolerance)
        self.options = options
    }

    /// Once `deadline` passes, libav's reads fail, sampling stops before the next frame, and
    /// nothing is stored: a VideoDeadlineError says how far it got. `attendanceReport`, when given,
    /// gets the page and crops before the CSV is stored; `progress` hears how far sampling has got.
    public func process(_ input: VideoInput, directory: StudentDirectory, output: CSVOutput,
                        deadline: Deadline = .never, attendanceReport: AttendanceReportOutput? = nil,
                        progress: ((VideoProgress) -> Void)? = nil, log: LogSink = .none) throws -> VideoReport {
        let started = (date: Date(), uptime: DispatchTime.now().uptimeNanoseconds)
        var report = VideoReport(video: input.name)

        // Fetch: S3 GetObject into memory, or a file on disk.
        let source = try report.timing(.download) { try input.fetch() }

        // Decode → detect → describe → match, one sampled frame at a time.
        let attendance = try recognise(source, name: input.name, deadline: deadline, report: &report, progress: progress)

        // Look up each recognised student, keeping the ones the directory does not know.
        let students = try report.timing(.lookup) {
            try attendance.sightings.map { sighting -> (Sighting, StudentRecord?) in
                (sighting, try directory.record(named: sighting.name))
            }
        }
        for (sighting, record) in students where record == nil {
            log("\(input.name): '\(sighting.name)' was recognised but has no row in \(directory.source); writing empty major and year")
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
        let csv = students.map { CSVFormat.row(for: $0, record: $1, mode: options.mode) }.joined()
        try checkBeforeStoring()
        try report.timing(.upload) { try output.store(Array(csv.utf8), for: input) }
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
    /// mode stops when its rule has settled on one student (see FirstMatchDecision). Attendance mode samples every
    /// second, splitting the video into one time segment per worker, decoded side by side.
    /// No sample lies after VideoDecoder.longestDuration.
    func recognise(_ source: VideoSource, name: String, deadline: Deadline,
                   report: inout VideoReport, progress: ((VideoProgress) -> Void)?) throws -> Attendance {
        var attendance = Attendance(tolerance: options.tolerance)
        var duration: Double?
        do {
            let video = try open(source, deadline: deadline, report: &report)
            duration = video.info.durationSeconds
            report.durationSeconds = duration
            let counter = progress.map {
                SampleProgress(interval: 1 / options.samplesPerSecond, durationSeconds: duration, callback: $0)
            }
            if options.mode == .firstMatch || workers.count == 1 || duration == nil {
                let samples = 0..<(FrameSampler.index(atOrAfter: VideoDecoder.longestDuration, samplesPerSecond: options.samplesPerSecond) + 1)
                try sample(video, samples: samples, deadline: deadline, worker: workers[0], into: &attendance,
                           report: &report, progress: counter)
            } else {
                try sampleInSegments(video, of: source, deadline: deadline, into: &attendance, report: &report, progress: counter)
            }
        } catch let stop as SamplingStopped {
            throw VideoDeadlineError(video: name, framesDone: report.framesDecoded,
                                     stage: .sampling(secondsSampled: stop.secondsSampled, durationSeconds: duration))
        }
        if report.framesDecoded == 0 {
            throw VideoError(source: name, kind: .corrupt, reason: "no frame could be decoded")
        }
        return attendance
    }

    /// Attendance mode on a video of known duration: one time segment per worker, each with its own
    /// decoder (the first reuses `video`).
    private func sampleInSegments(_ video: VideoDecoder, of source: VideoSource, deadline: Deadline,
                                  into attendance: inout Attendance, report: inout VideoReport, progress: SampleProgress?) throws {
        let sampleCount = FrameSampler.index(atOrAfter: video.info.durationSeconds ?? 0, samplesPerSecond: options.samplesPerSecond)
        let segments = workers.count
        // The last segment runs to the video's end, wherever the header says that is.
        let bounds = (0..<segments).map { $0 * sampleCount / segments } + [Int.max]
        let parts = ParallelWork.map(Array(0..<segments), workers: workers) { worker, k -> (Attendance, VideoReport, Error?) in
            var part = Attendance(tolerance: options.tolerance)
            var partReport = VideoReport(video: report.video)
            var failure: Error?
            do {
                let decoder = k == 0 ? video : try open(source, deadline: deadline, report: &partReport)
                try sample(decoder, samples: bounds[k]..<bounds[k + 1], deadline: deadline, worker: worker,
                           into: &part, report: &partReport, progress: progress)
            } catch {
                failure = error
            }
            return (part, partReport, failure)
        }
        for (part, partReport, _) in parts {
            attendance.merge(part)
            report.add(partReport)
        }
        // A segment that failed on its own says why; otherwise the deadline stopped them all.
        let failures = parts.compactMap { $0.2 }
        if let failure = failures.first(where: { !($0 is SamplingStopped) }) { throw failure }
        let stops = failures.compactMap { $0 as? SamplingStopped }
        if !stops.isEmpty { throw SamplingStopped(secondsSampled: stops.reduce(0) { $0 + $1.secondsSampled }) }
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

    /// Recognises the faces of sample indices `samples` (see FrameSampler).
    private func sample(_ video: VideoDecoder, samples: Range<Int>, deadline: Deadline, worker: any FaceFinder,
                        into attendance: inout Attendance, report: inout VideoReport, progress: SampleProgress?) throws {
        var sampler = FrameSampler(samplesPerSecond: options.samplesPerSecond, samples: samples)
        var stopped: SamplingStopped {
            SamplingStopped(secondsSampled: max(0, (sampler.lastFrameTime ?? sampler.startTime) - sampler.startTime))
        }
        let tracker = options.mode == .all ? ClassroomTracker(
            worker: worker, matcher: matcher, margin: options.identityMargin, minFace: options.minFace,
            frameWidth: video.info.width, frameHeight: video.info.height, threads: options.detectionThreads) : nil
        defer { if let tracker { attendance.merge(tracker.finish(tolerance: options.tolerance)) } }
        var decision = FirstMatchDecision(rule: options.firstMatchRule, tolerance: options.tolerance)
        frames: while true {
            if deadline.hasPassed { throw stopped }
            let frameTime: Double?
            do {
                frameTime = try report.timing(.decode) { try sampler.nextFrame(of: video) }
            } catch let error as VideoError where error.kind == .deadlinePassed {
                throw stopped
            }
            guard let frameTime else { break }
            defer { progress?.sampled() }
            report.framesDecoded += 1
            if let tracker {
                let info = video.info
                let gray = try report.timing(.decode) { try video.currentFrame(width: info.width, height: info.height, format: .gray) }
                try report.timing(.detect) {
                    try tracker.observe(time: frameTime, gray: gray) { try video.currentFrame(width: info.width, height: info.height) }
                }
                continue
            }
            let (faces, frame) = try findFaces(in: video, worker: worker, trusting: decision.trusts, report: &report) {
                if deadline.hasPassed { throw stopped }
            }
            // Strangers are counted as they are seen; of the known faces, only the one chosen.
            attendance.record(faces.filter { $0.match == nil }, in: frame, at: frameTime)
            decision.record(faces, in: frame, at: frameTime)
            if decision.isSettled { break frames }
        }
        if let chosen = decision.chosen {
            attendance.record(chosen.candidate.name, at: [chosen.frameTime], bestDistance: chosen.candidate.distance, face: chosen.crop)
            report.firstMatch = chosen
        }
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
    private func findFacesInLowLight(_ equalised: PixelImage, worker: any FaceFinder, report: inout VideoReport) throws -> [RecognisedFace] {
        let boxes = try report.timing(.detect) { try worker.detect(in: equalised, threads: options.detectionThreads) }
        if boxes.isEmpty { return [] }
        let descriptors = try report.timing(.describe) { try worker.describe(boxes, in: equalised) }
        return zip(boxes, descriptors).map { RecognisedFace(box: $0, descriptor: $1, matcher: matcher) }
    }
}
