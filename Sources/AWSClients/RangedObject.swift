import Dispatch
import HTTPClient

/// An S3 object read where it is, by ranged GETs of `blockSize` bytes, so that memory does not grow
/// with the object: a reader holds a few blocks at most. Every read is of the version read first:
/// `versionId` when given, else the first answer's ETag (If-Match), so that an object replaced
/// meanwhile fails the read instead of mixing two uploads. Each GET is signed, retried and bounded
/// by the client's deadline, as every S3 call is.
public final class RangedObject: @unchecked Sendable {
    /// Big enough that a GET's round trip and signature are small beside its transfer, small enough
    /// that a few per reader cost little memory (measured: docs/lambda.md).
    public static let standardBlockSize = 4 << 20

    public let bucket: String
    public let key: String
    public let size: Int
    let blockSize: Int
    private let s3: S3Client
    private let versionId: String?
    private let etag: String?
    /// The first block (a container's header), which every reader starts with.
    private let firstBlock: ResponseBytes

    /// GETs the first block, whose answer says the object's size and ETag. An empty object fails
    /// with S3's `InvalidRange`.
    public init(s3: S3Client, bucket: String, key: String, versionId: String? = nil, blockSize: Int = standardBlockSize) throws {
        self.s3 = s3
        self.bucket = bucket
        self.key = key
        self.versionId = versionId
        self.blockSize = blockSize
        let first = try s3.getObjectRange(bucket: bucket, key: key, versionId: versionId, offset: 0, length: blockSize)
        size = first.objectSize
        etag = versionId == nil ? first.etag : nil
        firstBlock = first.bytes
        try check(first.bytes, offset: 0)
    }

    /// A reader of its own (one per thread), on connections of its own.
    public func reader() throws -> RangedObjectReader {
        RangedObjectReader(object: self, s3: try s3.sibling(), readAhead: try s3.sibling(), firstBlock: firstBlock)
    }

    var blockCount: Int { (size + blockSize - 1) / blockSize }

    fileprivate func fetch(block index: Int, with client: S3Client) throws -> ResponseBytes {
        let offset = index * blockSize
        let range = try client.getObjectRange(bucket: bucket, key: key, versionId: versionId, ifMatch: etag,
                                              offset: offset, length: min(blockSize, size - offset))
        try check(range.bytes, offset: offset)
        return range.bytes
    }

    private func check(_ block: ResponseBytes, offset: Int) throws {
        let expected = min(blockSize, size - offset)
        guard block.count != expected else { return }
        throw AWSError(service: "S3", operation: "GetObject", resource: "s3://\(bucket)/\(key)", code: "InvalidResponse",
                       message: "S3 sent \(block.count) bytes from byte \(offset), not the \(expected) asked for")
    }
}

/// One reader of a RangedObject (a decoder's): the blocks it read last, most recent last, so that
/// both an index (an MP4's is often at the end) and the position being read stay at hand; and the
/// block after the one it fetched last, fetched meanwhile on a connection of its own, so that
/// decoding rarely waits for S3.
public final class RangedObjectReader {
    static let blocksKept = 2

    public let size: Int
    private let object: RangedObject
    private let s3: S3Client
    private let readAheadClient: S3Client
    /// One read-ahead GET at a time, in order.
    private let readAheadQueue = DispatchQueue(label: "RangedObjectReader.readAhead")
    private var blocks: [(index: Int, bytes: ResponseBytes)]
    private var next: BlockReadAhead?

    fileprivate init(object: RangedObject, s3: S3Client, readAhead: S3Client, firstBlock: ResponseBytes) {
        self.object = object
        self.s3 = s3
        readAheadClient = readAhead
        size = object.size
        blocks = [(0, firstBlock)]
    }

    /// Copies up to `buffer.count` bytes from `offset` into `buffer`; returns how many (0 at the end).
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
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
        // The oldest block is freed before the next arrives: never more than blocksKept at once.
        if blocks.count >= Self.blocksKept { blocks.removeFirst() }
        let bytes: ResponseBytes
        if let next, next.index == index {
            self.next = nil
            bytes = try next.wait()
        } else {
            bytes = try object.fetch(block: index, with: s3)
        }
        blocks.append((index, bytes))
        // A read-ahead that was not wanted is dropped when its GET ends.
        if index + 1 < object.blockCount {
            next = BlockReadAhead(index: index + 1, of: object, with: readAheadClient, on: readAheadQueue)
        }
        return bytes
    }
}

/// One block fetched in the background; `wait` gives it, or the error that fetching it threw.
private final class BlockReadAhead: @unchecked Sendable {
    let index: Int
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<ResponseBytes, Error>?

    init(index: Int, of object: RangedObject, with client: S3Client, on queue: DispatchQueue) {
        self.index = index
        queue.async {
            self.result = Result { try object.fetch(block: index, with: client) }
            self.done.signal()
        }
    }

    func wait() throws -> ResponseBytes {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
