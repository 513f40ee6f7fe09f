import FoundationEssentials

/// The payload is not an S3 notification of objects; the description says what it is instead.
public enum S3EventError: Error, LocalizedError, Equatable {
    case notJSON(preview: String)
    case noRecords(preview: String)
    case malformed(reason: String)
    case notFromS3(index: Int, eventSource: String)
    /// S3's `s3:TestEvent`, sent when a notification is configured: it names no object.
    case testEvent(eventName: String)

    public var errorDescription: String? {
        switch self {
        case .notJSON(let preview):
            return "the event is not JSON, so not an S3 notification: \(preview)"
        case .noRecords(let preview):
            return "the event has no \"Records\" array of S3 records: \(preview)"
        case .malformed(let reason):
            return "the event is not a well-formed S3 notification: \(reason)"
        case .notFromS3(let index, let source):
            return "record \(index) of the event comes from \"\(source)\", not from S3 (\"aws:s3\")"
        case .testEvent(let name):
            return "the event is S3's \"\(name)\", which names no object"
        }
    }

    /// The payload's first bytes, enough to recognise it in a log.
    static func preview(_ payload: [UInt8]) -> String {
        let text = String(decoding: payload.prefix(120), as: UTF8.self)
        return payload.count > 120 ? text + "…" : text
    }
}
