import FoundationEssentials

/// Beside each attendance page: which element of the page shows whose face. It lets a person's
/// pictures be found and erased in every report without any name in a key or file name.
public struct AttendanceReportManifest: Codable, Equatable, Sendable {
    public struct Face: Codable, Equatable, Sendable {
        /// The picture's element id on the page.
        public let id: String
        public let name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// The page's path, as stored (relative to the report's folder or bucket).
    public let page: String
    public var faces: [Face]

    public init(page: String, faces: [Face]) {
        self.page = page
        self.faces = faces
    }

    public static let suffix = ".faces.json"

    public static func path(forStem stem: String) -> String { stem + suffix }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    public static func decode(_ bytes: [UInt8], name: String) throws -> AttendanceReportManifest {
        do {
            return try JSONDecoder().decode(AttendanceReportManifest.self, from: Data(bytes))
        } catch {
            throw ReportManifestError(manifest: name, reason: "not a report manifest: \(error)")
        }
    }
}

public struct ReportManifestError: Error, LocalizedError {
    public let manifest: String
    public let reason: String
    public var errorDescription: String? { "\(manifest): \(reason)" }
}
