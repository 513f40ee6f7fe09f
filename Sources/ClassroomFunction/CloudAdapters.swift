import AWSClients
import ClassroomCore
import Media
import RequestContext

/// A video in the input bucket, read where it is by ranged GETs (RangedObject): never whole in
/// memory, never to /tmp. Once fetched, it knows the object's size and ETag.
final class S3Video: VideoInput {
    let s3: S3Client
    let bucket: String
    let key: String
    /// The version the event names; nil in a bucket without versioning.
    let versionId: String?
    /// When given, and once fetched, every read is of the object with this ETag: one replaced since
    /// fails the read. The size is known once fetched.
    private(set) var eTag: String?, size: Int?

    init(s3: S3Client, bucket: String, key: String, versionId: String?, eTag: String? = nil) {
        (self.s3, self.bucket, self.key, self.versionId, self.eTag) = (s3, bucket, key, versionId, eTag)
    }

    var name: String { "s3://\(bucket)/\(key)" }

    /// Folders kept: `2024/lecture 1.mp4` answers as `2024/lecture 1`.
    var stem: String { VideoStem.of(key) }

    func fetch(context: RequestContext) throws -> VideoSource {
        let object: RangedObject
        do {
            object = try RangedObject(s3: s3, bucket: bucket, key: key, versionId: versionId, ifMatch: eTag, context: context)
        } catch let error as AWSError where error.code == "InvalidRange" {
            throw VideoError(source: name, kind: .unreadable, reason: "the object is empty (0 bytes)")
        } catch let error as AWSError where error.code == "PreconditionFailed" {
            throw VideoError(source: name, kind: .unreadable,
                             reason: "the object was replaced: its ETag is no longer \(eTag ?? "the one read first")")
        }
        (size, eTag) = (object.size, eTag ?? object.firstETag)
        let name = self.name
        return .reader(name: name) { S3VideoReader(reader: try object.reader(), name: name) }
    }
}

/// A RangedObjectReader as the decoder reads it: a failed GET is a VideoError naming the object,
/// of kind deadlinePassed when the deadline stopped it (sampling then stops as at the deadline).
final class S3VideoReader: VideoByteReader {
    let reader: RangedObjectReader
    let name: String

    init(reader: RangedObjectReader, name: String) {
        self.reader = reader
        self.name = name
    }

    var size: Int { reader.size }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try reader.read(at: offset, into: buffer)
        } catch let error as AWSError {
            let kind: VideoError.Kind = error.code == AWSError.deadlineExceeded ? .deadlinePassed : .unreadable
            let replaced = error.code == "PreconditionFailed" ? "the object was replaced while it was read: " : ""
            throw VideoError(source: name, kind: kind, reason: replaced + (error.errorDescription ?? error.code))
        }
    }
}

/// The DynamoDB table of students, queried on its name index.
struct DynamoDBStudents: StudentDirectory {
    let dynamoDB: DynamoDBClient
    let table: String
    let index: String

    var source: String { "DynamoDB table \(table)" }

    func record(named name: String, context: RequestContext) throws -> StudentRecord? {
        guard let item = try dynamoDB.queryByName(table: table, index: index, name: name, context: context).first else { return nil }
        return StudentRecord(id: Int(item["id"]?.numberValue ?? "") ?? 0, name: item["name"]?.stringValue ?? name,
                             major: item["major"]?.stringValue ?? "", year: item["year"]?.stringValue ?? "")
    }
}
