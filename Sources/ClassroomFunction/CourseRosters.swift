import AWSClients
import ClassroomCore
import RequestContext

/// The courses' rosters in S3 (ROSTERS_URI, `s3://BUCKET/PREFIX/`): `PREFIX/<course>.csv` each. A
/// course with no such object has no roster; a roster that cannot be read is an error naming it.
struct CourseRosters {
    let s3: S3Client
    let location: S3Location

    /// Rosters are small lists of names.
    static let maxBytes = 1 << 20

    func roster(of course: Course, context: RequestContext) throws -> Roster? {
        let key = location.folder + course.name + ".csv"
        let bytes: [UInt8]
        do {
            bytes = try s3.getObject(bucket: location.bucket, key: key, maxBytes: Self.maxBytes, context: context).withBuffer { Array($0) }
        } catch let error as AWSError where error.code == "NoSuchKey" {
            return nil
        }
        return try Roster(bytes: bytes, source: "s3://\(location.bucket)/\(key)")
    }
}
