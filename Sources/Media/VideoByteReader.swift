/// A video's bytes as libav reads them through the caller, by offset: in memory, or an S3 object
/// read by ranges where it is. One decoder reads through one reader, one call at a time.
public protocol VideoByteReader: AnyObject {
    /// The bytes in all, known before the first read.
    var size: Int { get }
    /// Copies up to `buffer.count` bytes from `offset` into `buffer` and returns how many (0 only
    /// at the end). What it throws is what the decoder reports: a VideoError as it is (one of kind
    /// `deadlinePassed` stops sampling as the deadline does), anything else as unreadable.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
