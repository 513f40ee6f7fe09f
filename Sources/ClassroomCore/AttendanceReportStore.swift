import RequestContext

/// Where attendance reports are kept (a folder, or a prefix of the output bucket), as `forget`
/// reads and rewrites them. Paths are relative to the place.
public protocol AttendanceReportStore {
    /// The place, as messages name it.
    var place: String { get }
    /// Every report manifest under the place (`*.faces.json`).
    func manifestPaths() throws -> [String]
    func read(_ path: String) throws -> [UInt8]
    func store(_ file: RenderedFile, context: RequestContext) throws
}

extension AttendanceReportStore {
    /// As an `AttendanceReportOutput`: the report's files stored here, the manifest, then the page.
    public func store(_ files: AttendanceReportFiles, of report: AttendanceReport, context: RequestContext) throws {
        for file in [files.manifest, files.page] { try store(file, context: context) }
    }

    /// Erases `name`'s pictures from every report in the place: each page they are on is rewritten
    /// first, then its manifest. The page is the manifest's neighbour (`STEM.faces.json` beside
    /// `STEM.html`), never a path the manifest names. Returns a line for each page changed.
    public func erasePictures(of name: String) throws -> [String] {
        var erased: [String] = []
        for manifestPath in try manifestPaths() {
            let manifest = try AttendanceReportManifest.decode(try read(manifestPath), name: "\(place)\(manifestPath)")
            guard manifest.faces.contains(where: { $0.name == name }) else { continue }
            let pagePath = AttendanceReportFiles.pagePath(forStem: String(manifestPath.dropLast(AttendanceReportManifest.suffix.count)))
            guard let erasure = AttendanceReportErasure(erasing: name, page: try read(pagePath), manifest: manifest) else { continue }
            try store(RenderedFile(path: pagePath, bytes: erasure.page, contentType: AttendanceReportFiles.pageContentType), context: .unbounded)
            try store(RenderedFile(path: manifestPath, bytes: try erasure.manifest.encoded(), contentType: AttendanceReportFiles.manifestContentType), context: .unbounded)
            let count = erasure.erased.count
            erased.append("\(count) picture\(count == 1 ? "" : "s") of '\(name)' in \(place)\(pagePath)")
        }
        return erased
    }
}
