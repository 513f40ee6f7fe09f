import AWSClients
import ClassroomCore

/// The attendance page and its crops in the output bucket, under the CSV's stem: `<stem>.html` and
/// `<stem>/faces/*.jpg`. The crops go first and the page after them; the pipeline stores the CSV
/// last, so a CSV object always has its page, and a page its crops. A rerun of the same video
/// writes the same keys.
struct S3AttendanceReport: AttendanceReportOutput {
    let s3: S3Client
    let bucket: String

    func store(_ report: AttendanceReport, for input: VideoInput) throws {
        let files = try AttendanceReportFiles(report, stem: input.stem)
        for face in files.faces { try s3.putObject(bucket: bucket, key: face.path, body: face.bytes, contentType: "image/jpeg") }
        try s3.putObject(bucket: bucket, key: files.page.path, body: files.page.bytes, contentType: "text/html; charset=utf-8")
    }
}
