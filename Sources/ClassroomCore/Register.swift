import FoundationEssentials
import TextEncoding

/// One student in one session of a course, as the attendance table holds it.
public struct RegisterEntry: Sendable, Equatable {
    public let session: CourseSession
    public let student: String
    public let present: Bool
    /// Seconds into the video; nil when absent.
    public let firstSeen: Double?
    public let lastSeen: Double?
    public let framesSeen: Int

    public init(session: CourseSession, student: String, present: Bool, firstSeen: Double?, lastSeen: Double?, framesSeen: Int) {
        self.session = session
        self.student = student
        self.present = present
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.framesSeen = framesSeen
    }
}

/// A course's term register: one row per student, one column per session in upload-time order,
/// each cell present, absent, or blank where the student was not on that session's roster; then the
/// sessions attended and the percentage of the sessions the student was on the roster for.
public struct Register: Sendable, Equatable {
    public let course: Course
    public let sessions: [CourseSession]
    public let students: [String]
    /// `attendance[student][session id]`: true present, false absent, missing not on the roster then.
    private let attendance: [String: [String: Bool]]

    /// Under this percentage a student is marked on the page.
    public static let lowAttendancePercent = 75.0

    public init(course: Course, entries: [RegisterEntry]) throws {
        guard !entries.isEmpty else { throw RegisterError.noSessions(course: course.name) }
        self.course = course
        sessions = Set(entries.map(\.session)).sorted { ($0.uploadedAt, $0.stem) < ($1.uploadedAt, $1.stem) }
        students = Set(entries.map(\.student)).sorted()
        var attendance: [String: [String: Bool]] = [:]
        for entry in entries { attendance[entry.student, default: [:]][entry.session.id] = entry.present }
        self.attendance = attendance
    }

    /// true present, false absent, nil not on the roster for that session.
    public func mark(_ student: String, in session: CourseSession) -> Bool? { attendance[student]?[session.id] }

    public func attended(_ student: String) -> Int { attendance[student]?.values.filter { $0 }.count ?? 0 }
    public func sessionsListed(_ student: String) -> Int { attendance[student]?.count ?? 0 }

    /// Of the sessions the student was on the roster for.
    public func percentage(_ student: String) -> Double {
        let listed = sessionsListed(student)
        return listed == 0 ? 0 : 100 * Double(attended(student)) / Double(listed)
    }

    public func presentCount(in session: CourseSession) -> Int {
        students.filter { mark($0, in: session) == true }.count
    }

    /// `student,SESSION...,attended,percent` then one row per student: `P`, `A` or empty.
    public var csv: String {
        var text = CSVFormat.row(["student"] + sessions.map(\.id) + ["attended", "percent"])
        for student in students {
            let cells = sessions.map { session -> String in
                switch mark(student, in: session) {
                case true?: return "P"
                case false?: return "A"
                case nil: return ""
                }
            }
            text += CSVFormat.row([student] + cells + [String(attended(student)), Printf.string("%.1f", percentage(student))])
        }
        return text
    }

    public var html: String { RegisterPage.html(self) }
}

public enum RegisterError: Error, LocalizedError, Equatable {
    case noSessions(course: String)

    public var errorDescription: String? {
        switch self {
        case .noSessions(let course):
            return "course '\(course)' has no sessions: no attendance-mode video of it has been processed"
        }
    }
}
