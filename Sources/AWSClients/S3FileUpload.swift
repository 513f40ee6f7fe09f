import Dispatch
import FoundationEssentials
import Glibc
import LogSink
import Synchronization

/// A file uploaded to S3: one PutObject up to `multipartThreshold`, a multipart upload above it
/// (parts read from the file as they are sent, several at once, each on its own connection and
/// retried by the client's retry policy). A multipart upload that fails or is cancelled is aborted,
/// so S3 keeps no parts of it.
public struct S3FileUpload {
    /// Larger files are sent in parts.
    public static let multipartThreshold = 64 << 20
    /// 16 MiB: a 5 TB object fits in S3's 10,000 parts at most at 512 MiB, so the part size grows for huge files.
    public static let minimumPartSize = 16 << 20
    public static let maximumParts = 10_000

    public let s3: S3Client
    public let bucket: String
    public let key: String
    public let path: String
    public let contentType: String
    /// Parts sent at once.
    public var parallelism = 4

    public init(s3: S3Client, bucket: String, key: String, path: String, contentType: String) {
        self.s3 = s3
        self.bucket = bucket
        self.key = key
        self.path = path
        self.contentType = contentType
    }

    /// Uploads the file. `progress` hears the bytes sent so far (from any thread); `isCancelled`
    /// is asked before each part, and a true answer stops the upload with `UploadCancelled` after
    /// the parts in flight, the upload aborted. Returns the object's ETag.
    @discardableResult
    public func run(progress: @escaping @Sendable (Int64) -> Void = { _ in }, isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> String? {
        let file = try OpenFile(path: path)
        let size = file.size
        guard size > Self.multipartThreshold else {
            let etag = try s3.putObject(bucket: bucket, key: key, body: try file.read(at: 0, count: Int(size)), contentType: contentType)
            progress(size)
            return etag
        }
        let partSize = max(Self.minimumPartSize, Int((size + Int64(Self.maximumParts) - 1) / Int64(Self.maximumParts)))
        let parts = Int((size + Int64(partSize) - 1) / Int64(partSize))
        let uploadId = try s3.createMultipartUpload(bucket: bucket, key: key, contentType: contentType)
        do {
            let etags = try sendParts(parts, partSize: partSize, of: file, uploadId: uploadId, progress: progress, isCancelled: isCancelled)
            if isCancelled() { throw UploadCancelled(object: "s3://\(bucket)/\(key)") }
            return try s3.completeMultipartUpload(bucket: bucket, key: key, uploadId: uploadId,
                                                  parts: etags.enumerated().map { (number: $0.offset + 1, etag: $0.element) })
        } catch {
            do {
                try s3.abortMultipartUpload(bucket: bucket, key: key, uploadId: uploadId)
            } catch let abort {
                throw UploadAbortFailed(upload: error, abort: abort, uploadId: uploadId)
            }
            throw error
        }
    }

    /// The parts' ETags in order; the first failure stops the parts not yet begun.
    private func sendParts(_ count: Int, partSize: Int, of file: OpenFile, uploadId: String,
                           progress: @escaping @Sendable (Int64) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> [String] {
        let clients = try (0..<min(parallelism, count)).map { _ in try s3.sibling() }
        let next = Atomic<Int>(0)
        let sent = Atomic<Int64>(0)
        let results = Mutex([String?](repeating: nil, count: count))
        let failure = Mutex<Error?>(nil)
        let (bucket, key) = (bucket, key)
        DispatchQueue.concurrentPerform(iterations: clients.count) { worker in
            let client = clients[worker]
            while true {
                if failure.withLock({ $0 != nil }) || isCancelled() { return }
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                do {
                    let offset = Int64(index) * Int64(partSize)
                    let bytes = try file.read(at: offset, count: Int(min(Int64(partSize), file.size - offset)))
                    let etag = try client.uploadPart(bucket: bucket, key: key, uploadId: uploadId, number: index + 1, body: bytes)
                    results.withLock { $0[index] = etag }
                    progress(sent.add(Int64(bytes.count), ordering: .relaxed).newValue)
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    return
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        if isCancelled() { throw UploadCancelled(object: "s3://\(bucket)/\(key)") }
        return results.withLock { $0.compactMap { $0 } }
    }
}

/// The upload was stopped on request; its multipart upload was aborted.
public struct UploadCancelled: Error, LocalizedError {
    public let object: String
    public var errorDescription: String? { "\(object): the upload was interrupted and aborted; nothing was stored" }
}

/// The upload failed and so did its abort: S3 keeps the parts until a lifecycle rule or an abort removes them.
public struct UploadAbortFailed: Error, LocalizedError {
    public let upload: Error
    public let abort: Error
    public let uploadId: String
    public var errorDescription: String? {
        "\(upload.readableDescription); and aborting multipart upload \(uploadId) failed too, so its parts remain: \(abort.readableDescription)"
    }
}

/// A file open for reading at offsets from several threads (pread).
private final class OpenFile: @unchecked Sendable {
    let path: String
    let descriptor: Int32
    let size: Int64

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileReadError(path: path, reason: String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw FileReadError(path: path, reason: "not a regular file")
        }
        size = Int64(status.st_size)
    }

    deinit { close(descriptor) }

    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    throw FileReadError(path: path, reason: got == 0 ? "the file got shorter while it was uploaded" : String(cString: strerror(errno)))
                }
                done += got
            }
        }
        return bytes
    }
}

public struct FileReadError: Error, LocalizedError {
    public let path: String
    public let reason: String
    public var errorDescription: String? { "\(path): \(reason)" }
}
