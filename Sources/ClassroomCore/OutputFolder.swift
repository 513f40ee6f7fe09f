import AtomicFile
import FoundationEssentials
import RequestContext

/// A folder `process` writes into: `DIR/<video stem>.csv` and the attendance report beside it, each
/// file written atomically; `forget` reads and rewrites the reports in it (and its subfolders).
public struct OutputFolder: CSVOutput, AttendanceReportOutput, AttendanceReportStore {
    public let path: String
    public init(path: String) { self.path = path }

    public var place: String { path.hasSuffix("/") ? path : path + "/" }

    public func csvPath(for input: VideoInput) -> String { input.stem + ".csv" }

    public func store(_ file: RenderedFile, context: RequestContext) throws {
        try AtomicFile.write(file.bytes, to: place + file.path)
    }

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
}
