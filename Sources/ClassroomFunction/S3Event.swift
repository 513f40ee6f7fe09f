import ClassroomCore
import FoundationEssentials
import TextEncoding

/// An S3 event notification as Lambda delivers it (event structure 2.x). Only the fields the
/// function can use are decoded; the others are ignored.
public struct S3Event: Equatable {
    public let records: [Record]

    public struct Record: Decodable, Equatable {
        public let eventVersion: String
        /// "aws:s3" for S3 notifications.
        public let eventSource: String
        public let awsRegion: String
        /// ISO-8601, as S3 wrote it.
        public let eventTime: String
        /// "ObjectCreated:Put", "ObjectCreated:CompleteMultipartUpload", "ObjectRemoved:Delete", ...
        public let eventName: String
        public let s3: Entity

        public var isObjectCreated: Bool { eventName.hasPrefix("ObjectCreated:") }
    }

    public struct Entity: Decodable, Equatable {
        public let configurationId: String?
        public let bucket: Bucket
        public let object: Object
    }

    public struct Object: Decodable, Equatable {
        /// The object's real key: the notification's form-URL-encoded key, decoded.
        public let key: String
        /// The key exactly as the notification carries it.
        public let encodedKey: String
        /// Absent for deletions.
        public let size: Int64?
        public let eTag: String?
        /// The version this event is about, in a bucket with versioning (absent otherwise): a later
        /// upload under the same key must not be read in its place.
        public let versionId: String?
        public let sequencer: String?

        private enum CodingKeys: String, CodingKey { case key, size, eTag, versionId, sequencer }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            encodedKey = try container.decode(String.self, forKey: .key)
            guard let decoded = PercentEncoding.formDecode(encodedKey) else {
                throw DecodingError.dataCorruptedError(forKey: .key, in: container, debugDescription:
                    "the object key \"\(encodedKey)\" is not valid form-URL encoding of UTF-8")
            }
            key = decoded
            size = try container.decodeIfPresent(Int64.self, forKey: .size)
            eTag = try container.decodeIfPresent(String.self, forKey: .eTag)
            versionId = try container.decodeIfPresent(String.self, forKey: .versionId)
            sequencer = try container.decodeIfPresent(String.self, forKey: .sequencer)
        }
    }

    /// Decodes a Lambda payload that must be an S3 notification; its records may be of any event
    /// (`Record.isObjectCreated` tells). Anything else is an `S3EventError`: not JSON, no Records,
    /// another service's records, S3's test event (which has no records). The payload is parsed once.
    public static func notification(from payload: [UInt8]) throws -> S3Event {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(payload))
        } catch DecodingError.dataCorrupted {
            throw S3EventError.notJSON(preview: S3EventError.preview(payload))
        } catch is DecodingError {
            throw S3EventError.noRecords(preview: S3EventError.preview(payload))
        }
        guard let records = envelope.records, !records.isEmpty else {
            if let name = envelope.event { throw S3EventError.testEvent(eventName: name) }
            throw S3EventError.noRecords(preview: S3EventError.preview(payload))
        }
        // The source first: an SQS or SNS record would otherwise be reported as a missing "s3" field.
        for (index, record) in records.enumerated() where record.eventSource != "aws:s3" {
            throw S3EventError.notFromS3(index: index, eventSource: record.eventSource ?? "(no eventSource)")
        }
        do {
            return S3Event(records: try records.map { try $0.record.get() })
        } catch let error as DecodingError {
            throw S3EventError.malformed(reason: error.reason)
        }
    }

    /// The payload's top level, read leniently: what is missing or mistyped is judged above.
    private struct Envelope: Decodable {
        let records: [Candidate]?
        let event: String?

        private enum CodingKeys: String, CodingKey { case records = "Records", event = "Event" }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            records = try? container.decodeIfPresent([Candidate].self, forKey: .records)
            event = try? container.decodeIfPresent(String.self, forKey: .event)
        }
    }

    /// One element of "Records": its source, and the record or why it is not one.
    private struct Candidate: Decodable {
        let eventSource: String?
        let record: Result<Record, Error>

        private enum CodingKeys: String, CodingKey { case eventSource }

        init(from decoder: Decoder) throws {
            eventSource = try? decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .eventSource)
            record = Result { try Record(from: decoder) }
        }
    }
}
