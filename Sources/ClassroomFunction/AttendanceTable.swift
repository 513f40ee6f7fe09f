import AWSClients
import ClassroomCore
import FoundationEssentials
import RequestContext
import Settings
import TextEncoding

/// The term register's DynamoDB table (ATTENDANCE_TABLE): one item per student per session of a
/// course, partition key `course`, sort key `session_student` (`<session id>#<student>`), so a
/// course's register is one Query. The same video's items always have the same keys and values,
/// so a redelivered event rewrites them unchanged. Each item expires (`expires_at`, the table's
/// time-to-live attribute) when the session's reports do: `retentionDays` after its upload.
public struct AttendanceTable {
    public let dynamoDB: DynamoDBClient
    public let table: String
    public let retentionDays: Int

    public init(dynamoDB: DynamoDBClient, table: String, retentionDays: Int = Int(Setting.reportRetentionDays.defaultNumber)) {
        self.dynamoDB = dynamoDB
        self.table = table
        self.retentionDays = retentionDays
    }

    public func record(_ entries: [RegisterEntry], of course: Course, context: RequestContext = .unbounded) throws {
        for entry in entries {
            var item = Self.item(entry, course: course)
            if let uploaded = try? Date(entry.session.uploadedAt, strategy: .iso8601) {
                let expires = uploaded.timeIntervalSince1970 + Double(retentionDays) * 86_400
                item["expires_at"] = .n(String(Int(expires.rounded(.up))))
            }
            try dynamoDB.putItem(table: table, item: item, context: context)
        }
    }

    /// Every entry of the course, read strongly consistently: each write finished before the read
    /// began is in it.
    public func entries(of course: Course, context: RequestContext = .unbounded) throws -> [RegisterEntry] {
        try dynamoDB.query(table: table, keyName: "course", equals: .s(course.name), context: context).compactMap(Self.entry)
    }

    static func item(_ entry: RegisterEntry, course: Course) -> DynamoDBClient.Item {
        var item: DynamoDBClient.Item = [
            "course": .s(course.name), "session_student": .s(entry.session.id + "#" + entry.student),
            "session": .s(entry.session.stem), "uploaded_at": .s(entry.session.uploadedAt), "student": .s(entry.student),
            "present": .bool(entry.present), "frames_seen": .n(String(entry.framesSeen)),
        ]
        if let first = entry.firstSeen { item["first_seen"] = .n(Printf.string("%.3f", first)) }
        if let last = entry.lastSeen { item["last_seen"] = .n(Printf.string("%.3f", last)) }
        return item
    }

    static func entry(_ item: DynamoDBClient.Item) -> RegisterEntry? {
        guard let stem = item["session"]?.stringValue, let time = item["uploaded_at"]?.stringValue,
              let student = item["student"]?.stringValue, let present = item["present"]?.boolValue else { return nil }
        return RegisterEntry(session: CourseSession(stem: stem, uploadedAt: time), student: student, present: present,
                             firstSeen: item["first_seen"]?.numberValue.flatMap(Double.init),
                             lastSeen: item["last_seen"]?.numberValue.flatMap(Double.init),
                             framesSeen: item["frames_seen"]?.numberValue.flatMap { Int($0) } ?? 0)
    }
}
