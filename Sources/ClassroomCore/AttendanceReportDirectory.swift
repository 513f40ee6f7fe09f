import FoundationEssentials
import LogSink
import TextEncoding

/// `DIR/<stem>.html` and its crops in `DIR/<stem>/faces/`: each crop written atomically, then the
/// page, then the crops an earlier run left that the new page does not name are removed. At every
/// moment the page on disk names only crops that exist, and a rerun leaves exactly its own files.
public struct AttendanceReportDirectory: AttendanceReportOutput {
    public let path: String
    public init(path: String) { self.path = path }

    public func store(_ report: AttendanceReport, for input: VideoInput) throws {
        let files = try AttendanceReportFiles(report, stem: input.stem)
        let faces = "\(path)/\(files.facesFolder)"
        do {
            try FileManager.default.createDirectory(atPath: faces, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(description: "\(faces): cannot create the folder for the face crops: \(error.readableDescription)")
        }
        for face in files.faces { try AtomicFile.write(face.bytes, to: "\(path)/\(face.path)") }
        try AtomicFile.write(files.page.bytes, to: "\(path)/\(files.page.path)")
        let kept = Set(files.faces.map { PathName.lastComponent($0.path) })
        for stale in (try? FileManager.default.contentsOfDirectory(atPath: faces)) ?? [] where !kept.contains(stale) {
            try? FileManager.default.removeItem(atPath: "\(faces)/\(stale)")
        }
    }
}
