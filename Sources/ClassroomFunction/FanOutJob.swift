import ClassroomCore
import FaceRecognition
import FoundationEssentials
import SigV4
import TextEncoding

/// The object a fan-out job is about, exactly: bucket, key, version and ETag. Its folder in the
/// output bucket is derived from these alone, so that no payload or stored file can point a
/// segment at another folder.
struct FanOutObject: Codable, Equatable {
    let bucket: String
    let key: String
    let versionId: String?
    let eTag: String?

    var name: String { "s3://\(bucket)/\(key)" }

    /// `<prefix><hash of bucket, key, version and ETag>/`: a redelivered event finds the same
    /// folder, a new upload under the same key another.
    func folder(prefix: String) -> String {
        let identity = [bucket, key, versionId ?? "", eTag ?? ""].joined(separator: "\n")
        return prefix + String(sha256Hex(Array(identity.utf8)).prefix(32)) + "/"
    }
}

/// One run of a fanned-out video: what it is, how its chunks are split into segments, and where its
/// files live in the output bucket, under its object's folder:
/// - `job.json`: this description, written before any segment is invoked (a later run of the same
///   object overwrites it: the earlier run's segments then find another nonce and stop);
/// - `segment-<nonce>-NNNNN.json`: a segment's chunks (FanOutPartial), written once it has them all;
/// - `failed-<nonce>-NNNNN.json`: why a segment's latest attempt failed (a stale one beside its
///   partial means a retry succeeded).
/// The nonce is new for every run, so a failed run's partials are never merged into a later run's.
/// The merge deletes the folder once the CSV is written.
struct FanOutJob: Codable, Equatable {
    let bucket: String
    let key: String
    let versionId: String?
    let eTag: String?
    let nonce: String
    let durationSeconds: Double?
    let chunks: Int
    /// The chunk indices of each segment, as [start, end).
    let segments: [[Int]]
    /// Derived from the object (never read from the description).
    private(set) var folder = ""
    /// The upload's time (the S3 event's eventTime): the session a course video's register records.
    var uploadedAt: String?

    private enum CodingKeys: String, CodingKey { case bucket, key, versionId, eTag, nonce, durationSeconds, chunks, segments, uploadedAt }

    init(object: FanOutObject, durationSeconds: Double?, grid: AttendanceChunkGrid, chunksPerSegment: Int, prefix: String) {
        bucket = object.bucket
        key = object.key
        versionId = object.versionId
        eTag = object.eTag
        nonce = Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
        self.durationSeconds = durationSeconds
        chunks = grid.count
        segments = stride(from: 0, to: grid.count, by: chunksPerSegment).map { [$0, min($0 + chunksPerSegment, grid.count)] }
        folder = object.folder(prefix: prefix)
    }

    var object: FanOutObject { FanOutObject(bucket: bucket, key: key, versionId: versionId, eTag: eTag) }

    /// Whether `key` is some job's partial (`partialKey`), wherever the job is.
    static func isPartialKey(_ key: String) -> Bool {
        let name = key.split(separator: "/").last ?? ""
        return name.hasPrefix("segment-") && name.hasSuffix(".json")
    }


    /// The job as stored in `folder`, the folder of its own object (see FanOutRunner.readJob).
    func stored(in folder: String) -> FanOutJob {
        var job = self
        job.folder = folder
        return job
    }

    static func descriptionKey(in folder: String) -> String { folder + "job.json" }
    var descriptionKey: String { Self.descriptionKey(in: folder) }
    func partialKey(_ segment: Int) -> String { folder + "segment-\(nonce)-" + Printf.string("%05d.json", segment) }
    func failureKey(_ segment: Int) -> String { folder + "failed-\(nonce)-" + Printf.string("%05d.json", segment) }

    var name: String { object.name }

    func encoded() throws -> [UInt8] { try JSONLine.bytes(self) }
}

/// What a segment stores: its run's nonce, its number, its chunks, and the milliseconds it took to
/// sample them (for the merged video's log line).
struct FanOutPartial: Codable {
    let nonce: String
    let segment: Int
    let chunks: [AttendanceChunk]
    let milliseconds: Double?

    func encoded() throws -> [UInt8] { Array(try AttendanceChunk.encoder.encode(self)) }

    static func decode(_ bytes: [UInt8]) throws -> FanOutPartial {
        try AttendanceChunk.decoder.decode(FanOutPartial.self, from: Data(bytes))
    }
}

/// The event a segment invocation gets: `{"classroomSegment": {"object": {...}, "nonce": N, "segment": S}}`.
/// The job's folder is derived from the object; the object's bucket must be the input bucket.
struct FanOutSegmentEvent: Codable, Equatable {
    let object: FanOutObject
    let nonce: String
    let segment: Int

    private struct Envelope: Codable { let classroomSegment: FanOutSegmentEvent }

    /// The segment event in `payload`, or nil when it is some other event (an S3 notification).
    static func from(_ payload: [UInt8]) -> FanOutSegmentEvent? {
        try? JSONDecoder().decode(Envelope.self, from: Data(payload)).classroomSegment
    }

    func payload() throws -> [UInt8] {
        Array(try JSONEncoder().encode(Envelope(classroomSegment: self)))
    }
}

/// A segment of a fanned-out video failed, or its job cannot be read.
struct FanOutError: Error, LocalizedError {
    let job: String
    let segment: Int?
    let reason: String
    var errorDescription: String? {
        "\(job)\(segment.map { ", segment \($0)" } ?? ""): \(reason)"
    }
}
