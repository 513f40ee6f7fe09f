import AWSClients
import ClassroomCore
import HTTPClient

/// An S3 object read where it is, by ranged GETs of `blockSize` bytes, so that memory does not grow
/// with the object: the function never holds more than a few blocks per decoder. Every read is of
/// the version read first: the event's versionId when it has one, else the first answer's ETag
/// (If-Match), so an object replaced meanwhile fails the read instead of mixing two uploads.
/// Each GET is signed, retried and bounded by the deadline as every S3 call is.
final class RangedObject: @unchecked Sendable {
    /// Big enough that a GET's round trip and signature are small beside its transfer, small
    /// enough that a few per decoder cost little memory (measured: docs/lambda.md).
    static let blockSize = 8 << 20

    let name: String
    let size: Int
    private let s3: S3Client
    private let bucket: String
    private let key: String
    private let versionId: String?
    private let etag: String?
    /// The first block (the container's header), which every reader starts with.
    private let firstBlock: ResponseBytes
    let blockSize: Int

    /// GETs the first block, which says the object's size and ETag.
    init(s3: S3Client, bucket: String, key: String, versionId: String?, blockSize: Int = RangedObject.blockSize) throws {
        self.s3 = s3
        self.bucket = bucket
        self.key = key
        self.versionId = versionId
        self.blockSize = blockSize
        name = "s3://\(bucket)/\(key)"
        let first: ObjectRange
        do {
            first = try s3.getObjectRange(bucket: bucket, key: key, versionId: versionId, offset: 0, length: blockSize)
        } catch let error as AWSError where error.code == "InvalidRange" {
            throw VideoError(source: name, kind: .unreadable, reason: "the object is empty (0 bytes)")
        }
        size = first.objectSize
        etag = versionId == nil ? first.etag : nil
        firstBlock = first.bytes
    }

    /// A reader of its own (a decoder's), on a connection of its own.
    func reader() throws -> RangedObjectReader {
        try RangedObjectReader(object: self, s3: s3.sibling(), firstBlock: firstBlock)
    }

    /// Block `index`, as GetObject answers it, or the VideoError that names the object and why.
    fileprivate func fetch(block index: Int, with client: S3Client) throws -> ResponseBytes {
        let offset = index * blockSize
        let length = min(blockSize, size - offset)
        do {
            let range = try client.getObjectRange(bucket: bucket, key: key, versionId: versionId, ifMatch: etag,
                                                  offset: offset, length: length)
            guard range.bytes.count == length else {
                throw VideoError(source: name, kind: .unreadable,
                                 reason: "S3 sent \(range.bytes.count) bytes from byte \(offset), not the \(length) asked for")
            }
            return range.bytes
        } catch let error as AWSError {
            let kind: VideoError.Kind = error.code == AWSError.deadlineExceeded ? .deadlinePassed : .unreadable
            let replaced = error.code == "PreconditionFailed" ? "the object was replaced while it was read: " : ""
            throw VideoError(source: name, kind: kind, reason: replaced + (error.errorDescription ?? error.code))
        }
    }
}

/// One decoder's reader of a RangedObject: the blocks it read last, most recent last, so that both
/// the index (an MP4's is often at the end) and the position being decoded stay at hand.
final class RangedObjectReader: VideoByteReader {
    static let blocksKept = 3

    let size: Int
    private let object: RangedObject
    private let s3: S3Client
    private var blocks: [(index: Int, bytes: ResponseBytes)]

    fileprivate init(object: RangedObject, s3: S3Client, firstBlock: ResponseBytes) {
        self.object = object
        self.s3 = s3
        size = object.size
        blocks = [(0, firstBlock)]
    }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset >= 0, offset < size, buffer.count > 0 else { return 0 }
        let index = offset / object.blockSize
        let block = try self.block(index)
        let start = offset - index * object.blockSize
        let count = min(buffer.count, block.count - start)
        block.withBuffer { buffer.copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[start..<start + count]))) }
        return count
    }

    private func block(_ index: Int) throws -> ResponseBytes {
        if let kept = blocks.firstIndex(where: { $0.index == index }) {
            let block = blocks.remove(at: kept)
            blocks.append(block)
            return block.bytes
        }
        // The evicted block is freed before the next is fetched: at most blocksKept at a time.
        if blocks.count >= Self.blocksKept { blocks.removeFirst() }
        let bytes = try object.fetch(block: index, with: s3)
        blocks.append((index, bytes))
        return bytes
    }
}
