import AWSClients
import ClassroomCore

/// A video in the input bucket, read where it is by ranged GETs (RangedObject): never whole in
/// memory, never to /tmp.
struct S3Video: VideoInput {
    let s3: S3Client
    let bucket: String
    let key: String
    /// The version the event names; nil in a bucket without versioning.
    let versionId: String?

    var name: String { "s3://\(bucket)/\(key)" }

    /// The key without its extension, folders kept: `2024/lecture 1.mp4` answers as `2024/lecture 1`.
    var stem: String {
        let base = key.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? key
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return key }
        return String(key.dropLast(base.distance(from: dot, to: base.endIndex)))
    }

    func fetch() throws -> VideoSource {
        let object = try RangedObject(s3: s3, bucket: bucket, key: key, versionId: versionId)
        return .reader(name: name) { try object.reader() }
    }
}

/// The DynamoDB table of students, queried on its name index.
struct DynamoDBStudents: StudentDirectory {
    let dynamoDB: DynamoDBClient
    let table: String
    let index: String

    var source: String { "DynamoDB table \(table)" }

    func record(named name: String) throws -> StudentRecord? {
        guard let item = try dynamoDB.queryByName(table: table, index: index, name: name).first else { return nil }
        return StudentRecord(id: Int(item["id"]?.numberValue ?? "") ?? 0, name: item["name"]?.stringValue ?? name,
                             major: item["major"]?.stringValue ?? "", year: item["year"]?.stringValue ?? "")
    }
}

/// `<key stem><suffix>` in the output bucket; the same video always writes the same object, so
/// S3's at-least-once delivery can only rewrite it with the same content.
struct S3CSV: CSVOutput {
    let s3: S3Client
    let bucket: String
    let suffix: String

    func key(for input: VideoInput) -> String { input.stem + suffix }

    func store(_ csv: [UInt8], for input: VideoInput) throws {
        try s3.putObject(bucket: bucket, key: key(for: input), body: csv, contentType: "text/csv")
    }
}
