import FaceRecognition
import FoundationEssentials
import Media

/// The attendance report as the files it is stored as, with paths relative to the folder or bucket
/// the CSV goes to: the page `<stem>.html`, which carries its face crops inline, and its manifest
/// `<stem>.faces.json`, which says whose face is which picture on the page (forget reads it to
/// erase a person's pictures; no key or file name holds a name). Writers store both before the CSV.
public struct AttendanceReportFiles: Sendable {
    public let page: RenderedFile
    public let manifest: RenderedFile

    public static let pageContentType = "text/html; charset=utf-8"
    public static let manifestContentType = "application/json"

    /// Where the page of the video with key or file stem `stem` is, beside its CSV.
    public static func pagePath(forStem stem: String) -> String { stem + ".html" }

    public init(_ report: AttendanceReport, stem: String) throws {
        func inline(_ crop: FaceCrop?, _ what: String) throws -> String? {
            guard let crop else { return nil }
            let jpeg = try JPEGEncoder.encode(crop.image, name: "\(stem).html: \(what)")
            return "data:image/jpeg;base64," + Data(jpeg).base64EncodedString()
        }
        let presentFaces = try report.present.enumerated().map { i, student in try inline(student.face, "face \(i + 1)") }
        let unknownFaces = try report.unknown.enumerated().map { i, person in try inline(person.face, "unknown person \(i + 1)") }
        page = RenderedFile(path: Self.pagePath(forStem: stem),
                            bytes: Array(AttendanceReportPage.html(report, presentFaces: presentFaces, unknownFaces: unknownFaces).utf8),
                            contentType: Self.pageContentType)
        let faces = report.present.indices.filter { presentFaces[$0] != nil }.map {
            AttendanceReportManifest.Face(id: AttendanceReportPage.presentFaceID($0), name: report.present[$0].name)
        }
        manifest = RenderedFile(path: AttendanceReportManifest.path(forStem: stem),
                                bytes: try AttendanceReportManifest(page: page.path, faces: faces).encoded(),
                                contentType: Self.manifestContentType)
    }
}
