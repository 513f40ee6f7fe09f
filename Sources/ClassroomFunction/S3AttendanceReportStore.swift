import AWSClients
import ClassroomCore

/// The attendance reports under a prefix of a bucket (the function's output bucket).
public struct S3AttendanceReportStore: AttendanceReportStore {
    private let s3: S3Client
    private let bucket: String
    private let prefix: String

    public init(s3: S3Client, bucket: String, prefix: String) {
        self.s3 = s3
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Keys are whole keys: the place is the bucket.
    public var place: String { "s3://\(bucket)/" }

    public func manifestPaths() throws -> [String] {
        try s3.listKeys(bucket: bucket, prefix: prefix).filter { $0.hasSuffix(AttendanceReportManifest.suffix) }
    }

    public func read(_ key: String) throws -> [UInt8] {
        try s3.getObject(bucket: bucket, key: key, maxBytes: Self.maxReportBytes).withBuffer { Array($0) }
    }

    public func write(_ bytes: [UInt8], to key: String, contentType: String) throws {
        try s3.putObject(bucket: bucket, key: key, body: bytes, contentType: contentType)
    }

    /// Far above any page: a page carries at most a crop of a few kilobytes per person.
    static let maxReportBytes = 64 << 20
}
