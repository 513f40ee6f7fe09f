import AWSClients
import ClassroomCore
import Deadline
import FaceRecognition
import FoundationEssentials
import HTTPClient
import LogSink
import Media

/// Attendance on a long video, with Lambda as the engine: the S3-event invocation writes the job
/// description and invokes this function asynchronously once per segment; each segment samples
/// its chunks, stores them, and, once every segment's partial is stored, merges them all into the
/// CSV. Two segments finishing together both merge and write the same bytes; a segment that fails
/// records why beside the partials and fails its invocation, so that Lambda retries it (and, once
/// out of retries, sends it to the on-failure destination); without its partial no CSV is written.
final class FanOutRunner {
    private let settings: FanOutSettings
    private let functionName: String
    private let s3: S3Client
    private let lambda: LambdaClient
    private let bucket: String

    /// The largest partial a segment may store and the merge read back.
    static let maxPartialBytes = 256 << 20

    init(settings: FanOutSettings, functionName: String, s3: S3Client, lambda: LambdaClient, bucket: String) {
        self.settings = settings
        self.functionName = functionName
        self.s3 = s3
        self.lambda = lambda
        self.bucket = bucket
    }

    var deadline: Deadline {
        get { lambda.deadline }
        set { lambda.deadline = newValue }
    }

    /// The job for a video of `durationSeconds` cut into `grid`, or nil when it is short enough for one invocation.
    func job(for video: S3Video, eTag: String?, grid: AttendanceChunkGrid, durationSeconds: Double?) -> FanOutJob? {
        guard settings.afterSeconds > 0, let durationSeconds, durationSeconds > settings.afterSeconds,
              grid.count > settings.chunksPerSegment else { return nil }
        return FanOutJob(bucket: video.bucket, key: video.key, versionId: video.versionId, eTag: eTag,
                         durationSeconds: durationSeconds, grid: grid, chunksPerSegment: settings.chunksPerSegment,
                         prefix: settings.prefix)
    }

    /// Stores the job's description, then invokes one segment per chunk range.
    func start(_ job: FanOutJob) throws {
        try s3.putObject(bucket: bucket, key: job.descriptionKey, body: try job.encoded(), contentType: "application/json")
        for segment in job.segments.indices {
            let event = FanOutSegmentEvent(job: job.descriptionKey, segment: segment)
            try lambda.invokeAsynchronously(function: functionName, payload: try event.payload())
        }
    }

    func readJob(_ event: FanOutSegmentEvent) throws -> FanOutJob {
        let job: FanOutJob
        do {
            let bytes = try s3.getObject(bucket: bucket, key: event.job, maxBytes: 1 << 20)
            job = try JSONDecoder().decode(FanOutJob.self, from: Data(bytes.withBuffer { Array($0) }))
        } catch {
            throw FanOutError(job: "s3://\(bucket)/\(event.job)", segment: event.segment,
                              reason: "the job description cannot be read: \(error.readableDescription)")
        }
        guard job.segments.indices.contains(event.segment) else {
            throw FanOutError(job: job.name, segment: event.segment, reason: "the job has \(job.segments.count) segments")
        }
        return job
    }

    /// Samples the segment's chunks and stores them; on failure, records why (by `reportingDeadline`,
    /// later than `deadline`: the failure may be that deadline) and rethrows.
    func runSegment(_ segment: Int, of job: FanOutJob, pipeline: ClassroomPipeline, video: S3Video, deadline: Deadline,
                    reportingDeadline: Deadline) throws {
        do {
            let range = job.segments[segment]
            let chunks = try pipeline.attendanceChunks(of: video, indices: range[0]..<range[1], deadline: deadline)
            try s3.putObject(bucket: bucket, key: job.partialKey(segment), body: try chunks.encoded(), contentType: "application/json")
        } catch {
            let failure = FanOutError(job: job.name, segment: segment, reason: error.readableDescription)
            let marker = try? JSONLine.bytes(["error": failure.readableDescription])
            let working = s3.deadline
            s3.deadline = reportingDeadline
            defer { s3.deadline = working }
            try? s3.putObject(bucket: bucket, key: job.failureKey(segment), body: marker ?? [], contentType: "application/json")
            throw failure
        }
    }

    /// Every segment's chunks, in order, once all are stored; nil while some segment has not
    /// stored its partial yet (still running, being retried, or failed for good: see its marker).
    func partials(of job: FanOutJob) throws -> [AttendanceChunk]? {
        let stored = Set(try s3.listKeys(bucket: bucket, prefix: job.folder))
        guard job.segments.indices.allSatisfy({ stored.contains(job.partialKey($0)) }) else { return nil }
        var chunks: [AttendanceChunk] = []
        for segment in job.segments.indices {
            let bytes = try s3.getObject(bucket: bucket, key: job.partialKey(segment), maxBytes: Self.maxPartialBytes)
            do {
                chunks += try [AttendanceChunk].decode(bytes.withBuffer { Array($0) })
            } catch {
                throw FanOutError(job: job.name, segment: segment, reason: "its partial cannot be read: \(error)")
            }
        }
        guard chunks.map(\.index) == Array(0..<job.chunks) else {
            throw FanOutError(job: job.name, segment: nil, reason: "the partials do not hold chunks 0 to \(job.chunks - 1) once each")
        }
        return chunks
    }
}

/// A video already fetched (its size and version read, its duration read to decide on fanning out),
/// so that processing it does not ask S3 for them again.
struct FetchedVideo: VideoInput {
    let video: S3Video
    let source: VideoSource
    var name: String { video.name }
    var stem: String { video.stem }
    func fetch() throws -> VideoSource { source }
}
