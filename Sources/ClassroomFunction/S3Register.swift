import AWSClients
import ClassroomCore
import FoundationEssentials
import Glibc
import RequestContext

/// `registers/<course>.csv` and `.html` in the output bucket, rendered from the whole attendance
/// table. Videos of one course may finish together, so each write is conditional on the object
/// being as it was before the table was read (If-Match, or If-None-Match for a first write): a
/// render that raced a newer one is refused and done again from a fresh read, so the last
/// register standing was rendered after every session's items were written.
public struct S3Register {
    let s3: S3Client
    let bucket: String
    let table: AttendanceTable

    public init(s3: S3Client, bucket: String, table: AttendanceTable) {
        self.s3 = s3
        self.bucket = bucket
        self.table = table
    }

    static let prefix = "registers/"
    /// Attempts before giving up. Each lost race means another render won, so this bounds only how
    /// many videos of one course may finish together (each writes two objects); the deadline bounds the rest.
    static let attempts = 25

    public func publish(_ course: Course, context: RequestContext = .unbounded) throws {
        let keys = (csv: Self.prefix + course.name + ".csv", html: Self.prefix + course.name + ".html")
        var attempt = 1
        while true {
            let seen = (csv: try s3.objectETag(bucket: bucket, key: keys.csv, context: context), html: try s3.objectETag(bucket: bucket, key: keys.html, context: context))
            let register = try Register(course: course, entries: try table.entries(of: course, context: context))
            let condition = { (etag: String?) in etag.map { PutCondition.matches(etag: $0) } ?? .absent }
            if case .stored = try s3.putObject(bucket: bucket, key: keys.csv, body: Array(register.csv.utf8),
                                               contentType: "text/csv; charset=utf-8", condition: condition(seen.csv), context: context),
               case .stored = try s3.putObject(bucket: bucket, key: keys.html, body: Array(register.html.utf8),
                                               contentType: "text/html; charset=utf-8", condition: condition(seen.html), context: context) {
                return
            }
            guard attempt < Self.attempts else {
                throw RegisterRaceError(course: course.name, attempts: attempt)
            }
            // Another render wrote in between: read again, after a pause that keeps racers apart.
            usleep(useconds_t(Int.random(in: 10_000...(20_000 * min(attempt, 10)))))
            attempt += 1
        }
    }
}

/// Every attempt to write a course's register lost a race with another render.
public struct RegisterRaceError: Error, LocalizedError {
    public let course: String
    public let attempts: Int
    public var errorDescription: String? {
        "register of course \(course): \(attempts) renders in a row were overtaken by other videos' renders; the next video of the course renders it again"
    }
}

/// Attendance mode's report output in a course: the page and crops (when the report is on), then
/// the session's items in the attendance table and the course's register rendered again.
struct CourseReportOutput: AttendanceReportOutput {
    let page: S3OutputBucket?
    let register: (table: AttendanceTable, publisher: S3Register)?

    func store(_ files: AttendanceReportFiles, of report: AttendanceReport, context: RequestContext) throws {
        try page?.store(files, of: report, context: context)
        guard let register, let name = report.course, let entries = report.registerEntries, !entries.isEmpty else { return }
        let course = try Course(name)
        try register.table.record(entries, of: course, context: context)
        try register.publisher.publish(course, context: context)
    }
}
