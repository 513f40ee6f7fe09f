/// A person's pictures taken out of one attendance report: each picture the manifest gives them is
/// replaced on the page by a note that it was erased at their request, and their entries leave the
/// manifest. The page is the one AttendanceReportPage wrote, so each picture is one `<img>` element
/// found by its id.
public struct AttendanceReportErasure {
    public let page: [UInt8]
    public let manifest: AttendanceReportManifest
    /// The ids of the pictures erased.
    public let erased: [String]

    /// nil when the manifest gives `name` no picture (never had one, or already erased).
    public init?(erasing name: String, page: [UInt8], manifest: AttendanceReportManifest) {
        let ids = manifest.faces.filter { $0.name == name }.map(\.id)
        guard !ids.isEmpty else { return nil }
        var html = String(decoding: page, as: UTF8.self)
        for id in ids {
            guard let start = html.firstRange(of: "<img class=\"face\" id=\"\(id)\" "),
                  let end = html[start.upperBound...].firstIndex(of: ">") else { continue }
            html.replaceSubrange(start.lowerBound...end, with: AttendanceReportPage.erasedFace(id: id))
        }
        var kept = manifest
        kept.faces.removeAll { $0.name == name }
        self.page = Array(html.utf8)
        self.manifest = kept
        self.erased = ids
    }
}
