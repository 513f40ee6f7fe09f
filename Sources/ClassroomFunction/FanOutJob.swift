import ClassroomCore
import FoundationEssentials
import SigV4
import TextEncoding

/// One fanned-out video: what it is, how its chunks are split into segments, and where its files
/// live in the output bucket, under `<FANOUT_PREFIX><id>/`:
/// - `job.json`: this description, written before any segment is invoked;
/// - `segment-NNNNN.json`: a segment's chunks (AttendanceChunk), written once it has them all;
/// - `failed-NNNNN.json`: why a segment's latest attempt failed (a stale one beside its partial
///   means a retry succeeded).
/// The id is a hash of the object's bucket, key, version and ETag: a redelivered event finds the
/// same job, a new upload under the same key a new one.
struct FanOutJob: Codable, Equatable {
    let bucket: String
    let key: String
    let versionId: String?
    let durationSeconds: Double?
    let chunks: Int
    /// The chunk indices of each segment, as [start, end).
    let segments: [[Int]]
    let folder: String
    /// The upload's time (the S3 event's eventTime): the session a course video's register records.
    var uploadedAt: String?

    init(bucket: String, key: String, versionId: String?, eTag: String?, durationSeconds: Double?,
         grid: AttendanceChunkGrid, chunksPerSegment: Int, prefix: String) {
        self.bucket = bucket
        self.key = key
        self.versionId = versionId
        self.durationSeconds = durationSeconds
        chunks = grid.count
        segments = stride(from: 0, to: grid.count, by: chunksPerSegment).map { [$0, min($0 + chunksPerSegment, grid.count)] }
        let identity = [bucket, key, versionId ?? "", eTag ?? ""].joined(separator: "\n")
        folder = prefix + String(sha256Hex(Array(identity.utf8)).prefix(32)) + "/"
    }

    var descriptionKey: String { folder + "job.json" }
    func partialKey(_ segment: Int) -> String { folder + Printf.string("segment-%05d.json", segment) }
    func failureKey(_ segment: Int) -> String { folder + Printf.string("failed-%05d.json", segment) }

    /// Whether `key` is some job's partial (`partialKey`), wherever the job is.
    static func isPartialKey(_ key: String) -> Bool {
        let name = key.split(separator: "/").last ?? ""
        return name.hasPrefix("segment-") && name.hasSuffix(".json")
    }

    var name: String { "s3://\(bucket)/\(key)" }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}

/// The event a segment invocation gets: `{"classroomSegment": {"job": KEY, "segment": N}}`, KEY
/// the job description's key in the output bucket.
struct FanOutSegmentEvent: Codable, Equatable {
    let job: String
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
