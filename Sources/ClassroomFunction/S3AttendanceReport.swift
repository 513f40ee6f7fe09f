import AWSClients
import ClassroomCore
import RequestContext

/// The attendance page (its crops inline) and its manifest in the output bucket, under the CSV's
/// stem: `<stem>.html` and `<stem>.faces.json`; the pipeline stores the CSV after them, so a CSV
/// object always has its page. A rerun of the same video writes the same keys.
struct S3AttendanceReport: AttendanceReportOutput {
    let s3: S3Client
    let bucket: String

    func store(_ report: AttendanceReport, for input: VideoInput, context: RequestContext) throws {
        let files = try AttendanceReportFiles(report, stem: input.stem)
        for file in [files.manifest, files.page] {
            try s3.putObject(bucket: bucket, key: file.path, body: file.bytes, contentType: file.contentType, context: context)
        }
    }
}
