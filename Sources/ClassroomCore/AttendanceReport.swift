import FaceRecognition
import FoundationEssentials

/// What the attendance page shows for one video: who was there (with the face that proves it and
/// when they were seen), who of the enrolled class was not, and the faces that match nobody.
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

        public init(name: String, record: StudentRecord?) {
            self.name = name
            self.record = record
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

    public init(video: String, durationSeconds: Double?, processedAt: Date, processingSeconds: Double,
                wholeVideoSampled: Bool, sampledTimes: [Double], present: [Present], absent: [Absent], unknown: [Unknown]) {
        self.video = video
        self.durationSeconds = durationSeconds
        self.processedAt = processedAt
        self.processingSeconds = processingSeconds
        self.wholeVideoSampled = wholeVideoSampled
        self.sampledTimes = sampledTimes
        self.present = present
        self.absent = absent
        self.unknown = unknown
    }

    /// The length the timeline spans: the duration, or past the last sampled frame when the
    /// container does not say (or says less).
    public var timelineSeconds: Double {
        max(durationSeconds ?? 0, (sampledTimes.last ?? 0) + 1e-3, 1e-3)
    }

    /// Everyone the encoding file names (the enrolled class) who was not seen is absent; their
    /// records are looked up here.
    init(video: String, durationSeconds: Double?, processedAt: Date, processingSeconds: Double,
         wholeVideoSampled: Bool, attendance: Attendance, present records: [(Sighting, StudentRecord?)],
         enrolled: [String], directory: StudentDirectory) throws {
        let seen = Set(records.map { $0.0.name })
        var absentNames: [String] = []
        for name in enrolled where !seen.contains(name) && !absentNames.contains(name) { absentNames.append(name) }
        self.init(
            video: video, durationSeconds: durationSeconds, processedAt: processedAt, processingSeconds: processingSeconds,
            wholeVideoSampled: wholeVideoSampled, sampledTimes: attendance.sampledTimes,
            present: records.map { sighting, record in
                Present(name: sighting.name, record: record, bestDistance: sighting.bestDistance, firstSeen: sighting.firstSeen,
                        lastSeen: sighting.lastSeen, seenAt: sighting.times, face: sighting.face)
            },
            absent: try absentNames.map { Absent(name: $0, record: try directory.record(named: $0)) },
            unknown: attendance.strangers.map { Unknown(face: $0.face, seenAt: $0.times) })
    }
}

/// Where the attendance report goes: the page and its face crops, stored before the CSV so that a
/// CSV that exists always has its report.
public protocol AttendanceReportOutput {
    func store(_ report: AttendanceReport, for input: VideoInput) throws
}
