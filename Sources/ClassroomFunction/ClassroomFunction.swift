import AWSClients
import ClassroomCore
import EncodingFile
import RequestContext
import Dispatch
import FaceEngine
import FaceRecognition
import FoundationEssentials
import HTTPClient
import LambdaRuntime
import LogSink

/// The Lambda function: an S3 object-created event in, one CSV per uploaded video out.
/// Everything heavy (models, known faces, the HTTP handle) is made once per container in `init`;
/// each invocation then runs event → download → decode → detect → describe → match → look up →
/// CSV → upload through the same ClassroomPipeline the command line uses.
public final class ClassroomFunction {
    private let configuration: FunctionConfiguration
    private let pipeline: ClassroomPipeline
    private let s3: S3Client
    private let students: DynamoDBStudents
    private let output: S3OutputBucket
    private let attendanceReport: AttendanceReportOutput?
    private let rosters: CourseRosters?
    /// Attendance mode with a function name to invoke: long videos are fanned out.
    private let fanOut: FanOutRunner?
    /// ENCODING_URI's object and the ETag of the faces the pipeline knows; nil with ENCODING_FILE.
    private let encoding: S3EncodingStore?
    private var encodingETag: String?
    private let log: LogSink

    public init(configuration: FunctionConfiguration, aws: AWSConfiguration,
                log: LogSink = .standardError) throws {
        let http = try HTTPClient()
        let s3 = S3Client(configuration: aws, http: http, log: log)
        self.s3 = s3
        let known: KnownFaces
        if let object = configuration.encodingObject {
            let store = S3EncodingStore(object: object, s3: s3, log: log)
            let loaded = try store.load()
            (known, encodingETag, encoding) = (loaded.faces, loaded.etag, store)
        } else {
            (known, encodingETag, encoding) = (try EncodingFile.read(contentsOf: configuration.encodingFile), nil, nil)
        }
        let models = try FaceModels(paths: ModelPaths(directory: configuration.modelsDirectory), log: log)
        FaceModels.setDescriptorThreads(configuration.recognition.detectionThreads)
        self.configuration = configuration
        self.pipeline = try ClassroomPipeline(models: models, known: known, options: configuration.recognition)
        let dynamoDB = DynamoDBClient(configuration: aws, http: http, log: log)
        self.students = DynamoDBStudents(dynamoDB: dynamoDB, table: configuration.studentsTable, index: configuration.studentsIndex)
        self.output = S3OutputBucket(s3: s3, bucket: configuration.outputBucket, suffix: configuration.outputKeySuffix)
        let page = configuration.attendanceReport ? output : nil
        // A course's register is kept in attendance mode only: first-match mode does not look for everyone.
        if let table = configuration.attendanceTable, configuration.recognition.mode == .all {
            let attendance = AttendanceTable(dynamoDB: dynamoDB, table: table, retentionDays: configuration.reportRetentionDays)
            self.attendanceReport = CourseReportOutput(page: page, register: (attendance, S3Register(s3: s3, bucket: configuration.outputBucket, table: attendance)))
        } else {
            self.attendanceReport = page
        }
        self.rosters = configuration.rosters.map { CourseRosters(s3: s3, location: $0) }
        if let name = configuration.fanOut.functionName, configuration.recognition.mode == .all {
            self.fanOut = FanOutRunner(settings: configuration.fanOut, functionName: name, s3: s3,
                                       lambda: LambdaClient(configuration: aws, http: http, log: log),
                                       bucket: configuration.outputBucket)
        } else {
            self.fanOut = nil
        }
        self.log = log
        pipeline.namesInLog = configuration.logsNames
    }

    /// Handles one invocation, logging one line per object (or one for an event it cannot use).
    /// Objects the function leaves alone on purpose are skipped with success: a retry would refuse
    /// them again. Every other record is attempted; if any fails, the invocation fails with
    /// an error naming each failed object (S3 retries the event; finished outputs are rewritten
    /// with the same content), and a failed object never gets an output object.
    public func handle(_ invocation: Invocation) throws -> [UInt8] {
        let lines = InvocationLog(requestID: invocation.metadata.requestID, mode: configuration.recognition.mode.rawValue,
                                  names: configuration.logsNames)
        // Every stage stops early enough for the error to be reported before Lambda ends the invocation.
        let context = RequestContext(deadline: invocation.metadata.deadline.earlier(by: Self.reportingMargin), log: log)
        if let fanOut, let segment = FanOutSegmentEvent.from(invocation.payload) {
            try revalidateEncoding(lines: lines, context: context)
            return try handleSegment(segment, fanOut: fanOut, lines: lines, context: context,
                                     reporting: RequestContext(deadline: invocation.metadata.deadline.earlier(by: Self.reportingMargin / 2), log: log))
        }
        let event: S3Event
        do {
            event = try S3Event.notification(from: invocation.payload)
        } catch S3EventError.testEvent(let name) {
            let refusal = Refusal(level: .info, reason: S3EventError.testEvent(eventName: name).readableDescription)
            log(lines.skipped(object: nil, refusal))
            return try JSONLine.bytes(FunctionAnswer())
        } catch {
            log(lines.eventRejected(error: error))
            throw error
        }
        var answer = FunctionAnswer()
        var failures: [String] = []
        var revalidated = false
        for record in event.records {
            let object = (bucket: record.s3.bucket.name, key: record.s3.object.key)
            if let refusal = refusal(of: record) {
                log(lines.skipped(object: object, refusal))
                answer.skipped.append(.init(bucket: object.bucket, key: object.key, reason: refusal.reason))
                continue
            }
            // Once per invocation, before its first video (an event with none sends no request).
            if !revalidated {
                try revalidateEncoding(lines: lines, context: context)
                revalidated = true
            }
            let video = S3Video(s3: s3, bucket: object.bucket, key: object.key, versionId: record.s3.object.versionId)
            do {
                // Opened once: to read the duration, then to process it here unless it is fanned out.
                let session = try pipeline.open(video, context: context.logging { lines.warning(video: video, message: $0) })
                if let fanOut {
                    // A job records the ETag the opening read: every segment reads that object.
                    try DeclaredDuration.check(bytes: video.size ?? 0, durationSeconds: session.durationSeconds, video: video.name)
                    let pinned = FanOutObject(bucket: video.bucket, key: video.key, versionId: video.versionId, eTag: video.eTag)
                    if var job = fanOut.job(for: pinned, grid: session.grid, durationSeconds: session.durationSeconds) {
                        job.uploadedAt = record.eventTime
                        try fanOut.start(job, context: context)
                        log(lines.fannedOut(video: video, job: job))
                        answer.results.append(.init(bucket: video.bucket, key: video.key, fannedOut: job.folder,
                                                    segments: job.segments.count))
                        continue
                    }
                }
                let report = try pipeline.process(session, directory: students, output: output, attendanceReport: attendanceReport,
                                                  course: try courseContext(key: video.key, uploadedAt: record.eventTime, context: context))
                let outputKey = output.csvPath(for: video)
                log(lines.success(video: video, outputBucket: output.bucket, outputKey: outputKey, report: report))
                answer.results.append(.init(bucket: video.bucket, key: video.key, outputBucket: output.bucket,
                                            outputKey: outputKey, students: report.students))
            } catch {
                log(lines.failure(video: video, error: error))
                let text = error.readableDescription
                failures.append(text.contains(video.name) ? text : "\(video.name): \(text)")
            }
        }
        if !failures.isEmpty { throw FunctionError(failures: failures) }
        return try JSONLine.bytes(answer)
    }

    /// One segment of a fanned-out video; the segment that finds every partial of its run stored
    /// writes the CSV and deletes the job's folder. A segment of a finished or replaced run does nothing.
    private func handleSegment(_ event: FanOutSegmentEvent, fanOut: FanOutRunner, lines: InvocationLog, context: RequestContext,
                               reporting: RequestContext) throws -> [UInt8] {
        let job: FanOutJob
        do {
            switch try fanOut.readJob(event, inputBucket: configuration.inputBucket, context: context) {
            case .current(let current):
                job = current
            case .gone(let reason):
                log(lines.skipped(object: (event.object.bucket, event.object.key), Refusal(level: .info, reason: reason)))
                return try JSONLine.bytes(FunctionAnswer(skipped: [.init(key: event.object.key, segment: event.segment, reason: reason)]))
            }
        } catch {
            log(lines.eventRejected(error: error))
            throw error
        }
        let video = S3Video(s3: s3, bucket: job.bucket, key: job.key, versionId: job.versionId, eTag: job.eTag)
        do {
            try fanOut.runSegment(event.segment, of: job, pipeline: pipeline, video: video, context: context, reporting: reporting)
            guard let (chunks, segmentsMilliseconds) = try fanOut.partials(of: job, known: Set(pipeline.matcher.known.names), context: context) else {
                log(lines.segmentDone(video: video, job: job, segment: event.segment, merged: false))
                return try JSONLine.bytes(FunctionAnswer(results: [.init(key: job.key, segment: event.segment)]))
            }
            let report = try pipeline.process(video, chunks: chunks, durationSeconds: job.durationSeconds, directory: students,
                                              output: output, context: context.logging { lines.warning(video: video, message: $0) },
                                              attendanceReport: attendanceReport,
                                              course: try courseContext(key: job.key, uploadedAt: job.uploadedAt, context: context))
            try fanOut.delete(job, context: context)
            log(lines.segmentDone(video: video, job: job, segment: event.segment, merged: true))
            let outputKey = output.csvPath(for: video)
            log(lines.success(video: video, outputBucket: output.bucket, outputKey: outputKey, report: report,
                              segmentsMilliseconds: segmentsMilliseconds))
            return try JSONLine.bytes(FunctionAnswer(results: [.init(key: job.key, outputKey: outputKey, students: report.students,
                                                                     segment: event.segment)]))
        } catch {
            log(lines.failure(video: video, error: error))
            throw error
        }
    }

    /// With ENCODING_URI: one GetObject conditional on the ETag held. A 304 keeps the known faces;
    /// a new version, once parsed whole, replaces them for this video and later ones. An object
    /// that is missing or unreadable fails the invocation, naming it, and the faces stay as they were.
    private func revalidateEncoding(lines: InvocationLog, context: RequestContext) throws {
        guard let encoding else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        let fetched: (faces: KnownFaces, etag: String)?
        do {
            fetched = try encoding.fetch(ifNoneMatch: encodingETag, context: context)
        } catch {
            log(lines.eventRejected(error: error))
            throw error
        }
        if let fetched {
            pipeline.replaceKnownFaces(fetched.faces)
            encodingETag = fetched.etag
        }
        log(lines.encodingRevalidated(object: encoding.location, replaced: fetched != nil,
                                      knownFaces: pipeline.matcher.known.names.count,
                                      milliseconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6))
    }

    /// The course of a key's first folder, its session (the key's stem below the folder and the upload
    /// time) and its roster; nothing for a key with no folder, or when no page is written or courses
    /// are not set up (no ROSTERS_URI nor ATTENDANCE_TABLE): folders then mean nothing, as before.
    /// A folder that cannot be a course name is an error naming it, before anything is stored.
    private func courseContext(key: String, uploadedAt: String?, context: RequestContext) throws -> CourseContext {
        guard attendanceReport != nil, rosters != nil || configuration.attendanceTable != nil,
              let (course, rest) = try Course.of(key: key) else { return CourseContext() }
        return CourseContext(course: course, session: uploadedAt.map { CourseSession(stem: VideoStem.of(rest), uploadedAt: $0) },
                             roster: try rosters?.roster(of: course, context: context))
    }

    /// Seconds kept back from the invocation's deadline to log and report a failure.
    static let reportingMargin = 1.0

    /// Why the function leaves a record's object alone, or nil for a video to process. Only the
    /// configured input bucket is served: a bucket name from the event never reaches a URL otherwise,
    /// and a trigger wired to the output bucket (or to CSVs) would feed the function its own output.
    private func refusal(of record: S3Event.Record) -> Refusal? {
        let bucket = record.s3.bucket.name
        guard record.isObjectCreated else {
            return Refusal(level: .info, reason: "the event is \(record.eventName), not an ObjectCreated event")
        }
        if let problem = S3Event.Bucket.nameProblem(bucket) {
            return Refusal(level: .warning, reason: "the bucket name is not an S3 bucket name: \(problem)")
        }
        if bucket == configuration.outputBucket {
            return Refusal(level: .warning, reason: "it is in the output bucket: processing it would loop")
        }
        if bucket != configuration.inputBucket {
            return Refusal(level: .warning, reason: "it is in bucket \(bucket), not the input bucket \(configuration.inputBucket)")
        }
        if record.s3.object.key.lowercased().hasSuffix(".csv") {
            return Refusal(level: .warning, reason: "a .csv object is never a video: is the trigger wired to the output bucket?")
        }
        return nil
    }
}

/// An object (or event) the function leaves alone on purpose, and how loudly to log it: an event
/// S3 sends by design is news; one that should never arrive is a warning.
struct Refusal {
    enum Level: String { case info, warning }
    let level: Level
    let reason: String
}

/// Why an invocation failed: one line per object that produced no output.
public struct FunctionError: Error, LocalizedError {
    public let failures: [String]
    public var errorDescription: String? { failures.joined(separator: "; ") }
}
