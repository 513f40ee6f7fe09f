import Dispatch
import EncodingFile
import FaceRecognition
import FoundationEssentials
import Media
import RequestContext

/// The whole job for one video, in the order it happens: fetch (download or open) → decode sampled
/// frames → detect faces → describe them → match against the known encodings (a VideoSession) →
/// look the students up → render the CSV → store it. The Lambda and the command line differ only
/// in the VideoInput, StudentDirectory and CSVOutput they pass in.
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

    /// Opens `input` once for this pipeline's models and known faces, within `context`'s request:
    /// once its deadline passes, libav's reads fail and a VideoDeadlineError says so.
    public func open(_ input: VideoInput, context: RequestContext = .unbounded) throws -> VideoSession {
        try VideoSession(input, workers: workers, matcher: matcher, options: options, context: context)
    }

    /// The whole video in this run. Once the session's deadline passes, nothing is stored: a
    /// VideoDeadlineError says how far it got. `attendanceReport`, when given, gets the page and
    /// crops before the CSV is stored; `progress` hears how far sampling has got.
    public func process(_ video: VideoSession, directory: StudentDirectory, output: CSVOutput,
                        attendanceReport: AttendanceReportOutput? = nil, course: CourseContext = CourseContext(),
                        progress: ((VideoProgress) -> Void)? = nil) throws -> VideoReport {
        let attendance = try video.recognise(progress: progress)
        return try deliver(attendance, for: video.input, report: video.report, started: video.started, directory: directory,
                           output: output, context: video.context, attendanceReport: attendanceReport, course: course)
    }

    /// Attendance mode, the merge step of a fanned-out video: the CSV (and report) that `process`
    /// writes, from the chunks of the video's AttendanceChunkGrid, all of them, in any order.
    public func process(_ input: VideoInput, chunks: [AttendanceChunk], durationSeconds: Double?, directory: StudentDirectory,
                        output: CSVOutput, context: RequestContext = .unbounded, attendanceReport: AttendanceReportOutput? = nil,
                        course: CourseContext = CourseContext()) throws -> VideoReport {
        let started = (date: Date(), uptime: DispatchTime.now().uptimeNanoseconds)
        var report = VideoReport(video: input.name)
        report.durationSeconds = durationSeconds
        report.framesDecoded = chunks.reduce(0) { $0 + $1.framesDecoded }
        let attendance = AttendanceChunk.merge(chunks, tolerance: options.tolerance, keepsStrangerFaces: options.unknownFaceCrops)
        return try deliver(attendance, for: input, report: report, started: started, directory: directory, output: output,
                           context: context, attendanceReport: attendanceReport, course: course)
    }

    /// Looks each recognised student up, then stores the report (when asked for) and the CSV.
    private func deliver(_ attendance: Attendance, for input: VideoInput, report: VideoReport, started: (date: Date, uptime: UInt64),
                         directory: StudentDirectory, output: CSVOutput, context: RequestContext,
                         attendanceReport: AttendanceReportOutput?, course: CourseContext) throws -> VideoReport {
        var report = report
        // Look up each recognised student, keeping the ones the directory does not know.
        let students = try report.timing(.lookup) {
            try attendance.sightings.map { sighting -> (Sighting, StudentRecord?) in
                (sighting, try directory.record(named: sighting.name, context: context))
            }
        }
        for (sighting, record) in students where record == nil {
            let who = namesInLog ? "'\(sighting.name)'" : "a student"
            context.log("\(input.name): \(who) was recognised but has no row in \(directory.source); writing empty major and year")
        }

        // Nothing is stored once the deadline has passed.
        func checkBeforeStoring() throws {
            if context.deadline.hasPassed { throw VideoDeadlineError(video: input.name, framesDone: report.framesDecoded, stage: .storing) }
        }

        // The attendance report (page and crops) goes first: a CSV that exists always has its report.
        if let attendanceReport {
            let duration = report.durationSeconds
            let page = try report.timing(.lookup) {
                try AttendanceReport(
                    video: input.name, durationSeconds: duration, processedAt: started.date,
                    processingSeconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptime) / 1e9,
                    wholeVideoSampled: options.mode == .all, attendance: attendance, present: students,
                    known: matcher.known.names, course: course, directory: directory, context: context)
            }
            try checkBeforeStoring()
            try report.timing(.upload) { try attendanceReport.store(try AttendanceReportFiles(page, stem: input.stem), of: page, context: context) }
        }

        // CSV, then store it (S3 PutObject, or an atomic file write).
        let csv = students.map { CSVFormat.row(for: $0, record: $1, mode: options.mode) }.joined()
        try checkBeforeStoring()
        try report.timing(.upload) { try output.store(RenderedFile(path: output.csvPath(for: input), bytes: Array(csv.utf8), contentType: "text/csv"), context: context) }
        report.students = students.map { $0.0.name }
        report.missingFromDirectory = students.filter { $0.1 == nil }.map { $0.0.name }
        report.unknownPeople = attendance.unknownPeople
        if attendance.unknownPeople > 0 {
            let who = attendance.unknownPeople == 1 ? "1 person seen matches" : "\(attendance.unknownPeople) people seen match"
            context.log("\(input.name): \(who) no known face")
        }
        return report
    }
}
