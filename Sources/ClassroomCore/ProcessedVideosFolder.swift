import FoundationEssentials
import LogSink

/// A folder of attendance CSVs that `process --mode all` wrote, read back as a course's sessions:
/// each `<stem>.csv` is a session (its stem, the file's modification time as its time), its rows'
/// first fields the students present. With a roster the register lists its students; without
/// one, everyone seen in any session, absent where a session's CSV does not name them.
public enum ProcessedVideosFolder {
    public static func registerEntries(in folder: String, roster: Roster?) throws -> [RegisterEntry] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.sorted()
        } catch {
            throw ProcessedVideosFolderError(path: folder, reason: "cannot list the folder: \(error.readableDescription)")
        }
        var sessions: [(CourseSession, Set<String>)] = []
        for file in files {
            let path = folder + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ProcessedVideosFolderError(path: path, reason: "cannot read the file")
            }
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
            let names = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { firstField(String($0)) }
            sessions.append((CourseSession(stem: VideoStem.of(file), uploadedAt: modified.formatted(.iso8601)), Set(names)))
        }
        let students = roster?.names ?? Array(sessions.reduce(into: Set<String>()) { $0.formUnion($1.1) }).sorted()
        return sessions.flatMap { session, present in
            students.map { RegisterEntry(session: session, student: $0, present: present.contains($0), firstSeen: nil, lastSeen: nil, framesSeen: 0) }
        }
    }

    /// A CSV row's first field, RFC 4180 quotes removed.
    private static func firstField(_ row: String) -> String? {
        guard row.hasPrefix("\"") else { return row.split(separator: ",", omittingEmptySubsequences: false).first.map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        var field = "", quoted = false, index = row.index(after: row.startIndex)
        while index < row.endIndex {
            let c = row[index]
            if c == "\"" {
                let next = row.index(after: index)
                if next < row.endIndex && row[next] == "\"" { field.append("\""); index = row.index(after: next); continue }
                quoted = true
                break
            }
            field.append(c)
            index = row.index(after: index)
        }
        return quoted && !field.isEmpty ? field : nil
    }
}

public struct ProcessedVideosFolderError: Error, LocalizedError {
    public let path: String
    public let reason: String
    public var errorDescription: String? { "\(path): \(reason)" }
}
