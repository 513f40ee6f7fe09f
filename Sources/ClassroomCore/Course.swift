import FoundationEssentials

/// A course, named by the first folder of a video's key (`COURSE/ANYTHING.mp4`). The name becomes
/// part of object keys (`registers/COURSE.csv`, the roster `COURSE.csv`) and file names, so it is
/// held to letters, digits, `.`, `_` and `-`, starting with a letter or digit: no slash, no `..`.
public struct Course: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let name: String

    public static let maxLength = 64

    public init(_ name: String) throws {
        if let problem = Self.nameProblem(name) { throw CourseNameError(name: name, reason: problem) }
        self.name = name
    }

    public var description: String { name }

    /// The course of an object key and the key's rest below it, or nil for a key with no folder.
    public static func of(key: String) throws -> (course: Course, rest: String)? {
        guard let slash = key.firstIndex(of: "/") else { return nil }
        return (try Course(String(key[..<slash])), String(key[key.index(after: slash)...]))
    }

    /// Why `name` cannot be a course name, or nil.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.contains("/") { return "it contains a slash" }
        if name.contains("..") { return "it contains '..'" }
        if name.unicodeScalars.count > maxLength { return "it is longer than \(maxLength) characters" }
        let allowed = { (c: Unicode.Scalar) in
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-"
        }
        if let bad = name.unicodeScalars.first(where: { !allowed($0) }) {
            return "it contains '\(bad.escaped(asASCII: true))': only letters, digits, '.', '_' and '-' are allowed"
        }
        if let first = name.unicodeScalars.first, first == "." || first == "_" || first == "-" {
            return "it must start with a letter or a digit"
        }
        return nil
    }
}

public struct CourseNameError: Error, LocalizedError, Equatable {
    public let name: String
    public let reason: String
    public var errorDescription: String? { "course name '\(name)' is not allowed: \(reason)" }
}

/// One lecture of a course: the video's stem below the course folder and when it was uploaded
/// (an ISO-8601 time, as S3 events give it). Its `id` names the session everywhere: on the page,
/// as the register's column, in the attendance table. Sessions sort by upload time.
public struct CourseSession: Sendable, Equatable, Hashable {
    public let stem: String
    public let uploadedAt: String

    public init(stem: String, uploadedAt: String) {
        self.stem = stem
        self.uploadedAt = uploadedAt
    }

    public var id: String { "\(stem)@\(uploadedAt)" }
}

/// What a video's page and register need to know of its course: the course (nil for a video
/// outside any course folder), the session, and the roster (nil when the course has none).
public struct CourseContext: Sendable, Equatable {
    public var course: Course?
    public var session: CourseSession?
    public var roster: Roster?

    public init(course: Course? = nil, session: CourseSession? = nil, roster: Roster? = nil) {
        self.course = course
        self.session = session
        self.roster = roster
    }
}
