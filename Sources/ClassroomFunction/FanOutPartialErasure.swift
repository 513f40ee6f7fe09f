import AWSClients
import FaceRecognition
import LogSink

/// `forget`'s step for fanned-out videos: every segment partial under the fan-out prefix of the
/// output bucket that names the person (see FanOutJob for the layout) is deleted. A job whose
/// partial is gone writes no CSV until that segment runs again, by then without their encodings.
public struct FanOutPartialErasure {
    private let s3: S3Client
    private let bucket: String
    private let prefix: String
    private let log: LogSink

    public init(s3: S3Client, bucket: String, prefix: String, log: LogSink = .standardError) {
        self.s3 = s3
        self.bucket = bucket
        self.prefix = prefix
        self.log = log
    }

    /// The `s3://` URIs of the partials it deleted. A partial it cannot read is named in the log
    /// and left alone.
    public func erase(_ name: String) throws -> [String] {
        var deleted: [String] = []
        for key in try s3.listKeys(bucket: bucket, prefix: prefix) where FanOutJob.isPartialKey(key) {
            let bytes = try s3.getObject(bucket: bucket, key: key, maxBytes: FanOutRunner.maxPartialBytes)
            guard let chunks = try? FanOutPartial.decode(bytes.withBuffer { Array($0) }).chunks else {
                log("s3://\(bucket)/\(key): not a fan-out partial that can be read; left alone")
                continue
            }
            guard chunks.contains(where: { $0.names(name) }) else { continue }
            try s3.deleteObject(bucket: bucket, key: key)
            deleted.append("s3://\(bucket)/\(key)")
        }
        return deleted
    }
}
