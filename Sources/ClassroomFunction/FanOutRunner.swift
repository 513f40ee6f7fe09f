import AWSClients
import ClassroomCore
import Dispatch
import FaceRecognition
import FoundationEssentials
import HTTPClient
import LogSink
import RequestContext

/// Attendance on a long video, with Lambda as the engine: the S3-event invocation writes the job
/// description and invokes this function asynchronously once per segment; each segment samples
/// its chunks, stores them, and, once every segment's partial is stored, merges them all into the
/// CSV, then deletes the job's folder. Two segments finishing together both merge and write the
/// same bytes; a segment that fails records why beside the partials and fails its invocation, so
/// that Lambda retries it (and, once out of retries, sends it to the on-failure destination);
/// without its partial no CSV is written.
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

    /// The job for `object` of `durationSeconds` cut into `grid`, or nil when it is short enough for
    /// one invocation. At most `maxSegments` segments: more chunks make longer segments, not more of them.
    func job(for object: FanOutObject, grid: AttendanceChunkGrid, durationSeconds: Double?) -> FanOutJob? {
        guard settings.afterSeconds > 0, let durationSeconds, durationSeconds > settings.afterSeconds,
              grid.count > settings.chunksPerSegment else { return nil }
        let perSegment = max(settings.chunksPerSegment, (grid.count + settings.maxSegments - 1) / settings.maxSegments)
        return FanOutJob(object: object, durationSeconds: durationSeconds, grid: grid, chunksPerSegment: perSegment,
                         prefix: settings.prefix)
    }

    /// Stores the job's description, then invokes one segment per chunk range.
    func start(_ job: FanOutJob, context: RequestContext) throws {
        try s3.putObject(bucket: bucket, key: job.descriptionKey, body: try job.encoded(), contentType: "application/json", context: context)
        for segment in job.segments.indices {
            let event = FanOutSegmentEvent(object: job.object, nonce: job.nonce, segment: segment)
            try lambda.invokeAsynchronously(function: functionName, payload: try event.payload(), context: context)
        }
    }

    /// What a segment event finds: its run's job, or why it has nothing to do.
    enum Lookup {
        case current(FanOutJob)
        /// The job is finished (its folder deleted) or another run of the object replaced it.
        case gone(String)
    }

    /// The job of a segment event, read from the folder derived from the event's object, which must be
    /// in `inputBucket`.
    func readJob(_ event: FanOutSegmentEvent, inputBucket: String, context: RequestContext) throws -> Lookup {
        guard event.object.bucket == inputBucket else {
            throw FanOutError(job: event.object.name, segment: event.segment,
                              reason: "the segment names bucket \(event.object.bucket), not the input bucket \(inputBucket)")
        }
        let folder = event.object.folder(prefix: settings.prefix)
        let job: FanOutJob
        do {
            let bytes = try s3.getObject(bucket: bucket, key: FanOutJob.descriptionKey(in: folder), maxBytes: 1 << 20, context: context)
            job = try JSONDecoder().decode(FanOutJob.self, from: Data(bytes.withBuffer { Array($0) })).stored(in: folder)
        } catch let error as AWSError where error.code == "NoSuchKey" {
            return .gone("its job is finished: s3://\(bucket)/\(folder) holds no job.json")
        } catch {
            throw FanOutError(job: event.object.name, segment: event.segment,
                              reason: "the job description in s3://\(bucket)/\(folder) cannot be read: \(error.readableDescription)")
        }
        guard job.object == event.object, job.nonce == event.nonce else {
            return .gone("a later run of the object (nonce \(job.nonce)) replaced run \(event.nonce)")
        }
        guard job.segments.indices.contains(event.segment) else {
            throw FanOutError(job: job.name, segment: event.segment, reason: "the job has \(job.segments.count) segments")
        }
        return .current(job)
    }

    /// Samples the segment's chunks and stores them; on failure, records why (by `reporting`'s
    /// deadline, later than `context`'s: the failure may be that deadline) and rethrows.
    func runSegment(_ segment: Int, of job: FanOutJob, pipeline: ClassroomPipeline, video: S3Video, context: RequestContext, reporting: RequestContext) throws {
        do {
            let range = job.segments[segment]
            let started = DispatchTime.now().uptimeNanoseconds
            // Without REPORT_UNKNOWN_FACES=crops the pipeline keeps no crop of an unknown track.
            let chunks = try pipeline.open(video, context: context).analyse(chunks: range[0]..<range[1])
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
            let partial = FanOutPartial(nonce: job.nonce, segment: segment, chunks: chunks, milliseconds: milliseconds)
            try s3.putObject(bucket: bucket, key: job.partialKey(segment), body: try partial.encoded(), contentType: "application/json", context: context)
        } catch {
            let failure = FanOutError(job: job.name, segment: segment, reason: error.readableDescription)
            let marker = try? JSONLine.bytes(["error": failure.readableDescription])
            try? s3.putObject(bucket: bucket, key: job.failureKey(segment), body: marker ?? [], contentType: "application/json", context: reporting)
            throw failure
        }
    }

    /// Every segment's chunks, in order, and the milliseconds the segments took to sample them, once
    /// all of this run's are stored; nil while some segment has not stored its partial yet (still
    /// running, being retried, or failed for good: see its marker), or when another segment's merge
    /// has already deleted them. Only this run's partials are read
    /// (other keys in the folder are ignored); each must hold its own segment's chunks, and name only
    /// people of `known` (the current encoding), or the job fails. A segment that ran again (a retry,
    /// a duplicate event) after another's merge deleted the job's description finds only what it
    /// stored itself since: it deletes that, so that a finished job leaves nothing behind.
    func partials(of job: FanOutJob, known: Set<String>, context: RequestContext) throws -> (chunks: [AttendanceChunk], milliseconds: Double)? {
        let stored = Set(try s3.listKeys(bucket: bucket, prefix: job.folder, context: context))
        guard stored.contains(job.descriptionKey) else {
            for key in stored.sorted() { try s3.deleteObject(bucket: bucket, key: key, context: context) }
            return nil
        }
        guard job.segments.indices.allSatisfy({ stored.contains(job.partialKey($0)) }) else { return nil }
        var chunks: [AttendanceChunk] = []
        var milliseconds = 0.0
        for segment in job.segments.indices {
            let key = "s3://\(bucket)/\(job.partialKey(segment))"
            let partial: FanOutPartial
            do {
                let bytes = try s3.getObject(bucket: bucket, key: job.partialKey(segment), maxBytes: Self.maxPartialBytes, context: context)
                partial = try FanOutPartial.decode(bytes.withBuffer { Array($0) })
            } catch let error as AWSError where error.code == "NoSuchKey" {
                return nil
            } catch {
                throw FanOutError(job: job.name, segment: segment, reason: "its partial \(key) cannot be read: \(error.readableDescription)")
            }
            let range = job.segments[segment]
            guard partial.nonce == job.nonce, partial.segment == segment, partial.chunks.map(\.index) == Array(range[0]..<range[1]) else {
                throw FanOutError(job: job.name, segment: segment,
                                  reason: "its partial \(key) is not this run's: it must hold chunks \(range[0]) to \(range[1] - 1) of run \(job.nonce)")
            }
            let strangers = partial.chunks.reduce(into: Set<String>()) { $0.formUnion($1.names) }.subtracting(known)
            guard strangers.isEmpty else {
                throw FanOutError(job: job.name, segment: segment,
                                  reason: "its partial \(key) names someone who is not in the encoding")
            }
            chunks += partial.chunks
            milliseconds += partial.milliseconds ?? 0
        }
        return (chunks, milliseconds)
    }

    /// Deletes the job's folder, its description first (a late segment then finds the job finished).
    func delete(_ job: FanOutJob, context: RequestContext) throws {
        let keys = try s3.listKeys(bucket: bucket, prefix: job.folder, context: context)
        for key in [job.descriptionKey] + keys.filter({ $0 != job.descriptionKey }) {
            try s3.deleteObject(bucket: bucket, key: key, context: context)
        }
    }
}
