import AWSClients
import ClassroomCore
import RequestContext
import Settings

/// The output bucket: `<key stem><suffix>` for the CSV, and the attendance page and its manifest
/// under the same stem. The same video always writes the same keys, so S3's at-least-once
/// delivery can only rewrite them with the same content. `forget` reads and rewrites the reports
/// under `reportsPrefix`.
public struct S3OutputBucket: CSVOutput, AttendanceReportOutput, AttendanceReportStore {
    let s3: S3Client
    let bucket: String
    let suffix: String
    let reportsPrefix: String

    public init(s3: S3Client, bucket: String, suffix: String = Setting.outputKeySuffix.value(in: [:]), reportsPrefix: String = "") {
        (self.s3, self.bucket, self.suffix, self.reportsPrefix) = (s3, bucket, suffix, reportsPrefix)
    }

    public func csvPath(for input: VideoInput) -> String { input.stem + suffix }

    public func store(_ file: RenderedFile, context: RequestContext) throws {
        try s3.putObject(bucket: bucket, key: file.path, body: file.bytes, contentType: file.contentType, context: context)
    }

    /// Keys are whole keys: the place is the bucket.
    public var place: String { "s3://\(bucket)/" }

    public func manifestPaths() throws -> [String] {
        try s3.listKeys(bucket: bucket, prefix: reportsPrefix).filter { $0.hasSuffix(AttendanceReportManifest.suffix) }
    }

    public func read(_ key: String) throws -> [UInt8] {
        try s3.getObject(bucket: bucket, key: key, maxBytes: Self.maxReportBytes).withBuffer { Array($0) }
    }

    /// Far above any page: a page carries at most a crop of a few kilobytes per person.
    static let maxReportBytes = 64 << 20
}
