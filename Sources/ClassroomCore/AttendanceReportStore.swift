import FoundationEssentials
import LogSink

/// Where attendance reports are kept (a folder, or a prefix of the output bucket), as `forget`
/// reads and rewrites them. Paths are relative to the place.
public protocol AttendanceReportStore {
    /// The place, as messages name it.
    var place: String { get }
    /// Every report manifest under the place (`*.faces.json`).
    func manifestPaths() throws -> [String]
    func read(_ path: String) throws -> [UInt8]
    func write(_ bytes: [UInt8], to path: String, contentType: String) throws
}

extension AttendanceReportStore {
    /// Erases `name`'s pictures from every report in the place: each page they are on is rewritten
    /// first, then its manifest. The page is the manifest's neighbour (`STEM.faces.json` beside
    /// `STEM.html`), never a path the manifest names. Returns a line for each page changed.
    public func erasePictures(of name: String) throws -> [String] {
        var erased: [String] = []
        for manifestPath in try manifestPaths() {
            let manifest = try AttendanceReportManifest.decode(try read(manifestPath), name: "\(place)\(manifestPath)")
            guard manifest.faces.contains(where: { $0.name == name }) else { continue }
            let pagePath = String(manifestPath.dropLast(AttendanceReportManifest.suffix.count)) + ".html"
            guard let erasure = AttendanceReportErasure(erasing: name, page: try read(pagePath), manifest: manifest) else { continue }
            try write(erasure.page, to: pagePath, contentType: AttendanceReportFiles.pageContentType)
            try write(try erasure.manifest.encoded(), to: manifestPath, contentType: AttendanceReportFiles.manifestContentType)
            let count = erasure.erased.count
            erased.append("\(count) picture\(count == 1 ? "" : "s") of '\(name)' in \(place)\(pagePath)")
        }
        return erased
    }
}

/// The reports `process` wrote into a folder (and its subfolders).
public struct AttendanceReportFolder: AttendanceReportStore {
    public let path: String
    public init(path: String) { self.path = path }

    public var place: String { path.hasSuffix("/") ? path : path + "/" }

    public func manifestPaths() throws -> [String] {
        let all: [String]
        do {
            all = try FileManager.default.subpathsOfDirectory(atPath: path)
        } catch {
            throw FileWriteError(description: "\(path): not a folder that can be read: \(error.readableDescription)")
        }
        return all.filter { $0.hasSuffix(AttendanceReportManifest.suffix) }.sorted()
    }

    public func read(_ relative: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: place + relative) else {
            throw FileWriteError(description: "\(place + relative): cannot be read")
        }
        return [UInt8](data)
    }

    public func write(_ bytes: [UInt8], to relative: String, contentType: String) throws {
        try AtomicFile.write(bytes, to: place + relative)
    }
}
