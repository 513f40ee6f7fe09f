import Dispatch
import RequestContext

/// An S3 object read where it is, by ranged GETs of `blockSize` bytes, so that memory does not grow
/// with the object: a reader owns a few blocks of memory, allocated once and reused for every GET.
/// Every read is of the version read first: `versionId` when given, else the first answer's ETag
/// (If-Match), so that an object replaced meanwhile fails the read instead of mixing two uploads;
/// with `ifMatch`, every read (the first included) is of the object whose ETag that is.
/// Each GET is signed, retried and bounded by the deadline of the request that opened it, as every S3 call is.
public final class RangedObject: @unchecked Sendable {
    /// Big enough that a GET's round trip and signature are small beside its transfer (and hidden by
    /// the read-ahead), small enough that the blocks of each reader cost little memory (docs/lambda.md).
    public static let standardBlockSize = 4 << 20

    public let bucket: String
    public let key: String
    public let size: Int
    let blockSize: Int
    private let s3: S3Client
    private let versionId: String?
    /// The ETag S3 gave with the first byte: the object every read is of.
    public let firstETag: String?
    private let etag: String?
    private let context: RequestContext

    /// GETs the object's first byte, whose answer says its size and ETag. An empty object fails with
    /// S3's `InvalidRange`; one whose ETag is no longer `ifMatch` with `PreconditionFailed`.
    public init(s3: S3Client, bucket: String, key: String, versionId: String? = nil, ifMatch: String? = nil,
                blockSize: Int = standardBlockSize, context: RequestContext = .unbounded) throws {
        self.s3 = s3
        self.context = context
        self.bucket = bucket
        self.key = key
        self.versionId = versionId
        self.blockSize = blockSize
        let first = try withUnsafeTemporaryAllocation(byteCount: 1, alignment: 1) {
            try s3.getObjectRange(bucket: bucket, key: key, versionId: versionId, ifMatch: ifMatch, offset: 0, into: $0, context: context)
        }
        size = first.objectSize
        firstETag = first.etag
        etag = ifMatch ?? (versionId == nil ? first.etag : nil)
    }

    /// A reader of its own (one per thread), on connections of its own.
    public func reader() throws -> RangedObjectReader {
        RangedObjectReader(object: self, s3: try s3.sibling(), readAhead: try s3.sibling())
    }

    var blockCount: Int { (size + blockSize - 1) / blockSize }

    /// Fetches block `index` into `block`'s memory.
    fileprivate func fetch(_ index: Int, into block: Block, with client: S3Client) throws {
        let offset = index * blockSize
        let expected = min(blockSize, size - offset)
        block.index = nil
        let range = try client.getObjectRange(bucket: bucket, key: key, versionId: versionId, ifMatch: etag, offset: offset,
                                              into: UnsafeMutableRawBufferPointer(rebasing: block.memory[0..<expected]), context: context)
        guard range.count == expected else {
            throw AWSError(service: "S3", operation: "GetObject", resource: "s3://\(bucket)/\(key)", code: "InvalidResponse",
                           message: "S3 sent \(range.count) bytes from byte \(offset), not the \(expected) asked for")
        }
        block.index = index
        block.count = expected
    }
}

/// One reader of a RangedObject (a decoder's). It keeps the blocks it read last, most recent last,
/// so that both an index (an MP4's is often at the end) and the position being read stay at hand,
/// and fetches the block after the one it fetched last in the background, on a connection of its
/// own, so that decoding rarely waits for S3. Its blocksKept + 1 blocks of memory are reused.
public final class RangedObjectReader {
    static let blocksKept = 2

    public let size: Int
    private let object: RangedObject
    private let s3: S3Client
    private let readAheadClient: S3Client
    private let readAheadQueue = DispatchQueue(label: "RangedObjectReader.readAhead")
    private var kept: [Block] = []
    private var spare: [Block] = []
    private var allocated = 0
    private var readAhead: BlockReadAhead?

    fileprivate init(object: RangedObject, s3: S3Client, readAhead: S3Client) {
        self.object = object
        self.s3 = s3
        readAheadClient = readAhead
        size = object.size
    }

    /// Copies up to `buffer.count` bytes from `offset` into `buffer`; returns how many (0 at the end).
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset >= 0, offset < size, buffer.count > 0 else { return 0 }
        let index = offset / object.blockSize
        let block = try self.block(index)
        let start = offset - index * object.blockSize
        let count = min(buffer.count, block.count - start)
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: block.memory[start..<start + count]))
        return count
    }

    private func block(_ index: Int) throws -> Block {
        if let hit = kept.firstIndex(where: { $0.index == index }) {
            let block = kept.remove(at: hit)
            kept.append(block)
            return block
        }
        var found: Block?
        // The read-ahead's GET writes into its block: it ends before that block is used or reused.
        if let ahead = readAhead {
            readAhead = nil
            let failure = ahead.wait()
            if ahead.index == index, failure == nil {
                found = ahead.block
            } else {
                spare.append(ahead.block)
            }
        }
        if found == nil {
            let block = freeBlock()
            do {
                try object.fetch(index, into: block, with: s3)
            } catch {
                spare.append(block)
                throw error
            }
            found = block
        }
        let block = found!
        kept.append(block)
        if kept.count > Self.blocksKept { spare.append(kept.removeFirst()) }
        if index + 1 < object.blockCount, !kept.contains(where: { $0.index == index + 1 }) {
            readAhead = BlockReadAhead(index + 1, into: freeBlock(), of: object, with: readAheadClient, on: readAheadQueue)
        }
        return block
    }

    /// A block no one is reading: a spare, a new one while fewer than blocksKept + 1 exist, else the oldest kept.
    private func freeBlock() -> Block {
        if let block = spare.popLast() { return block }
        if allocated <= Self.blocksKept {
            allocated += 1
            return Block(size: object.blockSize)
        }
        return kept.removeFirst()
    }
}

/// One block's memory, allocated once, and which block of the object it holds now.
final class Block: @unchecked Sendable {
    let memory: UnsafeMutableRawBufferPointer
    var index: Int?
    var count = 0

    init(size: Int) { memory = .allocate(byteCount: size, alignment: 16) }

    deinit { memory.deallocate() }
}

/// One block fetched in the background; `wait` says how it went.
private final class BlockReadAhead: @unchecked Sendable {
    let index: Int
    let block: Block
    private let done = DispatchSemaphore(value: 0)
    private var failure: Error?

    init(_ index: Int, into block: Block, of object: RangedObject, with client: S3Client, on queue: DispatchQueue) {
        self.index = index
        self.block = block
        queue.async {
            do { try object.fetch(index, into: block, with: client) } catch { self.failure = error }
            self.done.signal()
        }
    }

    /// Waits for the GET; nil when the block holds block `index`, else why not.
    func wait() -> Error? {
        done.wait()
        done.signal()
        return failure
    }
}
