import FoundationEssentials
import RequestContext

/// `DIR/<stem>.html` (its crops inline) and `DIR/<stem>.faces.json`, each written atomically.
public struct AttendanceReportDirectory: AttendanceReportOutput {
    public let path: String
    public init(path: String) { self.path = path }

    public func store(_ report: AttendanceReport, for input: VideoInput, context: RequestContext) throws {
        let files = try AttendanceReportFiles(report, stem: input.stem)
        for file in [files.manifest, files.page] { try AtomicFile.write(file.bytes, to: "\(path)/\(file.path)") }
    }
}
