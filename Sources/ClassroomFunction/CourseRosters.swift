import AWSClients
import ClassroomCore

/// The courses' rosters in S3 (ROSTERS_URI, `s3://BUCKET/PREFIX/`): `PREFIX<course>.csv` each. A
/// course with no such object has no roster; a roster that cannot be read is an error naming it.
struct CourseRosters {
    let s3: S3Client
    let location: S3Location

    /// Rosters are small lists of names.
    static let maxBytes = 1 << 20

    func roster(of course: Course) throws -> Roster? {
        let key = location.prefix + course.name + ".csv"
        let bytes: [UInt8]
        do {
            bytes = try s3.getObject(bucket: location.bucket, key: key, maxBytes: Self.maxBytes).withBuffer { Array($0) }
        } catch let error as AWSError where error.code == "NoSuchKey" {
            return nil
        }
        return try Roster(bytes: bytes, source: "s3://\(location.bucket)/\(key)")
    }
}

/// `s3://BUCKET/PREFIX`: a bucket and a key prefix (empty, or ending in `/` once read).
public struct S3Location: Sendable, Equatable {
    public let bucket: String
    public let prefix: String

    /// Nil with the reason when `uri` is not an `s3://` URI of a valid bucket.
    static func parse(_ uri: String) -> Result<S3Location, FunctionConfigurationError> {
        let fail = { (reason: String) in Result<S3Location, FunctionConfigurationError>.failure(
            FunctionConfigurationError(variable: "ROSTERS_URI", reason: "is '\(uri)'; \(reason)")) }
        guard uri.hasPrefix("s3://") else { return fail("expected s3://BUCKET/PREFIX/") }
        let rest = uri.dropFirst("s3://".count)
        let bucket = String(rest.prefix { $0 != "/" })
        if let problem = S3Event.Bucket.nameProblem(bucket) { return fail("not an S3 bucket name: \(problem)") }
        var prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
        if !prefix.isEmpty && !prefix.hasSuffix("/") { prefix += "/" }
        return .success(S3Location(bucket: bucket, prefix: prefix))
    }
}
