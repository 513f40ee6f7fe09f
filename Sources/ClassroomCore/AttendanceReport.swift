import FaceRecognition
import FoundationEssentials
import RequestContext

/// What the attendance page shows for one video: who was there (with the face that proves it and
/// when they were seen), who of the course's roster was not, and the faces that match nobody.
public struct AttendanceReport: Sendable, Equatable {
    public struct Present: Sendable, Equatable {
        public let name: String
        /// The student's row in the directory; nil when it has none.
        public let record: StudentRecord?
        public let bestDistance: Double
        public let firstSeen: Double
        public let lastSeen: Double
        /// The time of each sampled frame they were in.
        public let seenAt: [Double]
        /// The face that matched best.
        public let face: FaceCrop?

        public init(name: String, record: StudentRecord?, bestDistance: Double, firstSeen: Double, lastSeen: Double,
                    seenAt: [Double], face: FaceCrop?) {
            self.name = name
            self.record = record
            self.bestDistance = bestDistance
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
            self.seenAt = seenAt
            self.face = face
        }
    }

    public struct Absent: Sendable, Equatable {
        public let name: String
        public let record: StudentRecord?
        /// Whether the encoding file has a face for this roster name: one it lacks cannot be recognised.
        public let enrolled: Bool

        public init(name: String, record: StudentRecord?, enrolled: Bool = true) {
            self.name = name
            self.record = record
            self.enrolled = enrolled
        }
    }

    public struct Unknown: Sendable, Equatable {
        public let face: FaceCrop?
        public let seenAt: [Double]

        public init(face: FaceCrop?, seenAt: [Double]) {
            self.face = face
            self.seenAt = seenAt
        }
    }

    /// The file path or object key.
    public let video: String
    /// From the container; nil when it does not say.
    public let durationSeconds: Double?
    public let processedAt: Date
    public let processingSeconds: Double
    /// Whether every second was sampled (attendance mode), or sampling stopped at the first known
    /// face (first-match mode), when absent only means not looked for.
    public let wholeVideoSampled: Bool
    /// The time of every sampled frame.
    public let sampledTimes: [Double]
    public let present: [Present]
    public let absent: [Absent]
    public let unknown: [Unknown]
    /// The video's course and session, when it has them.
    public let course: String?
    public let session: CourseSession?
    /// Where the course's roster came from; nil without a roster, when `absent` is empty because
    /// nobody can say who should have been there.
    public let roster: String?
    /// Students recognised who are not on the roster.
    public let notOnRoster: [String]

    public init(video: String, durationSeconds: Double?, processedAt: Date, processingSeconds: Double,
                wholeVideoSampled: Bool, sampledTimes: [Double], present: [Present], absent: [Absent], unknown: [Unknown],
                course: String? = nil, session: CourseSession? = nil, roster: String? = nil, notOnRoster: [String] = []) {
        self.video = video
        self.durationSeconds = durationSeconds
        self.processedAt = processedAt
        self.processingSeconds = processingSeconds
        self.wholeVideoSampled = wholeVideoSampled
        self.sampledTimes = sampledTimes
        self.present = present
        self.absent = absent
        self.unknown = unknown
        self.course = course
        self.session = session
        self.roster = roster
        self.notOnRoster = notOnRoster
    }

    /// The length the timeline spans: the duration, or past the last sampled frame when the
    /// container does not say (or says less).
    public var timelineSeconds: Double {
        max(durationSeconds ?? 0, (sampledTimes.last ?? 0) + 1e-3, 1e-3)
    }

    /// With a roster, everyone on it who was not seen is absent (their records looked up here; a
    /// name the encoding file lacks is marked as one that cannot be recognised), and anyone seen who
    /// is not on it is listed apart. Without a roster nobody is listed absent: the encoding file
    /// holds every enrolled student of the school, not this class.
    init(video: String, durationSeconds: Double?, processedAt: Date, processingSeconds: Double,
         wholeVideoSampled: Bool, attendance: Attendance, present records: [(Sighting, StudentRecord?)],
         known: [String], course: CourseContext, directory: StudentDirectory, context: RequestContext) throws {
        let seen = Set(records.map { $0.0.name })
        let absentNames = course.roster?.names.filter { !seen.contains($0) } ?? []
        let knownNames = Set(known)
        self.init(
            video: video, durationSeconds: durationSeconds, processedAt: processedAt, processingSeconds: processingSeconds,
            wholeVideoSampled: wholeVideoSampled, sampledTimes: attendance.sampledTimes,
            present: records.map { sighting, record in
                Present(name: sighting.name, record: record, bestDistance: sighting.bestDistance, firstSeen: sighting.firstSeen,
                        lastSeen: sighting.lastSeen, seenAt: sighting.times, face: sighting.face)
            },
            absent: try absentNames.map { Absent(name: $0, record: try directory.record(named: $0, context: context), enrolled: knownNames.contains($0)) },
            unknown: attendance.strangers.map { Unknown(face: $0.face, seenAt: $0.times) },
            course: course.course?.name, session: course.session, roster: course.roster?.source,
            notOnRoster: course.roster.map { roster in records.map { $0.0.name }.filter { !roster.contains($0) } } ?? [])
    }

    /// The register's entries for this video: with a roster one per roster student, present or
    /// absent; without one, the students seen. Nil outside a course session.
    public var registerEntries: [RegisterEntry]? {
        guard course != nil, let session else { return nil }
        let onRoster = present.filter { roster == nil || !notOnRoster.contains($0.name) }
        return onRoster.map {
            RegisterEntry(session: session, student: $0.name, present: true, firstSeen: $0.firstSeen, lastSeen: $0.lastSeen,
                          framesSeen: $0.seenAt.count)
        } + absent.map { RegisterEntry(session: session, student: $0.name, present: false, firstSeen: nil, lastSeen: nil, framesSeen: 0) }
    }
}

/// Where the attendance report goes: its rendered page (the face crops inline) and manifest, stored
/// before the CSV so that a CSV that exists always has its report. `report` is what the files show,
/// for outputs that record more than the files (a course's register).
public protocol AttendanceReportOutput {
    func store(_ files: AttendanceReportFiles, of report: AttendanceReport, context: RequestContext) throws
}
