import AWSClients
import ClassroomCore
import RequestContext
import FoundationEssentials
import EncodingFile
import Glibc
import HTTPClient
import LogSink

/// An encoding kept as an S3 object (ENCODING_URI). Reads go through `fetch` (one GetObject,
/// conditional on the ETag already held); edits (`update`) are conditional writes on the ETag
/// read, retried on a conflict, so that writers at the same moment all get their change in.
public struct S3EncodingStore: EncodingStore {
    public let object: S3Location
    private let s3: S3Client
    private let log: LogSink
    /// Conditional writes tried before giving up on an object other writers keep changing.
    static let maxWriteAttempts = 12

    public init(object: S3Location, s3: S3Client, log: LogSink = .standardError) {
        self.object = object
        self.s3 = s3
        self.log = log
    }

    public var location: String { object.description }

    /// The faces and their ETag, or `nil` when the object still has `etag` (a 304: nothing
    /// transferred or parsed). Throws, naming the object, when it is missing, unreadable or not
    /// an encoding the reader accepts: the caller keeps what it had.
    public func fetch(ifNoneMatch etag: String?, context: RequestContext) throws -> (faces: KnownFaces, etag: String)? {
        switch try read(ifNoneMatch: etag, context: context) {
        case .missing(let error): throw S3EncodingError(object: location, reason: error.readableDescription)
        case .unchanged: return nil
        case .faces(let faces, let etag): return (faces, etag)
        }
    }

    /// The faces and their ETag, by an unconditional GetObject (the function's init).
    public func load() throws -> (faces: KnownFaces, etag: String) {
        switch try read(ifNoneMatch: nil) {
        case .missing(let error): throw S3EncodingError(object: location, reason: error.readableDescription)
        case .unchanged: throw S3EncodingError(object: location, reason: "S3 answered Not Modified to a GetObject without a condition")
        case .faces(let faces, let etag): return (faces, etag)
        }
    }

    private enum Read {
        case missing(AWSError)
        case unchanged
        case faces(KnownFaces, etag: String)
    }

    private func read(ifNoneMatch etag: String?, context: RequestContext = .unbounded) throws -> Read {
        let answer: ConditionalGet
        do {
            answer = try s3.getObject(bucket: object.bucket, key: object.key, ifNoneMatch: etag, maxBytes: EncodingFileLimits.fileBytes, context: context)
        } catch let error as AWSError where error.code == "NoSuchKey" {
            return .missing(error)
        } catch let error as AWSError {
            throw S3EncodingError(object: location, reason: error.readableDescription)
        }
        guard case .object(let bytes, let newTag) = answer else { return .unchanged }
        guard let newTag else { throw S3EncodingError(object: location, reason: "S3 sent no ETag with it") }
        return .faces(try EncodingFile.parse(bytes.withBuffer { Array($0) }, source: location), etag: newTag)
    }

    public func update(_ edit: (KnownFaces?) throws -> KnownFaces?) throws -> Bool {
        for attempt in 1...Self.maxWriteAttempts {
            var current: (faces: KnownFaces, etag: String)?
            if case .faces(let faces, let etag) = try read(ifNoneMatch: nil) { current = (faces, etag) }
            guard let edited = try edit(current?.faces) else { return false }
            try EncodingFile.checkWritable(edited, to: location)
            let condition: PutCondition = current.map { .matches(etag: $0.etag) } ?? .absent
            let outcome = try s3.putObject(bucket: object.bucket, key: object.key, body: EncodingFile.serialize(edited),
                                           contentType: "application/octet-stream", condition: condition)
            if case .stored = outcome { return true }
            guard attempt < Self.maxWriteAttempts else { break }
            // Another writer got in first: read their version and edit it, after a short random
            // pause so that writers who collided do not collide again in step.
            log("\(location) was changed by another writer since it was read; reading it again (attempt \(attempt + 1) of \(Self.maxWriteAttempts))")
            usleep(useconds_t(UInt32.random(in: 20_000...(50_000 * UInt32(min(attempt, 8))))))
        }
        throw S3EncodingError(object: location, reason: "other writers changed it before each of \(Self.maxWriteAttempts) conditional writes; nothing was written")
    }
}

/// The encoding object could not be read or written; names it.
public struct S3EncodingError: Error, LocalizedError, Equatable {
    public let object: String
    public let reason: String
    public var errorDescription: String? { "encoding object \(object): \(reason)" }
}
