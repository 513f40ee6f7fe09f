import TestSupport

/// S3 notifications in the documented event structure (version 2.1), as Lambda receives them: the
/// records are built by the harness (scripts/harness/s3_events.py), as the scripts build theirs.
enum S3EventFixtures {
    static let versionId = "096fKKXTRTtl3on89fVO.nfljtsv6qko"

    /// One record, every field S3 sends for a PUT; `key` is inserted as given, as the notification
    /// encodes it. A nil `versionId` leaves the field out, as S3 does for a bucket without versioning.
    static func record(key: String, eventName: String = "ObjectCreated:Put", bucket: String = "classroom-input",
                       size: Int = 1_234_567, versionId: String? = versionId, sequencer: String = "0055AED6DCD90281E5",
                       eventTime: String = "2024-03-01T12:34:56.789Z") throws -> String {
        try record(["--key=" + key, "--encoded-key"], eventName, bucket, size, versionId, sequencer, eventTime)
    }

    /// The record S3 sends for an upload of `uploadedKey`: the key form-URL-encoded as S3 encodes it.
    static func record(uploadedKey: String, bucket: String, size: Int, versionId: String?,
                       eventTime: String) throws -> String {
        try record(["--key=" + uploadedKey], "ObjectCreated:Put", bucket, size, versionId, "0055AED6DCD90281E5", eventTime)
    }

    private static func record(_ key: [String], _ eventName: String, _ bucket: String, _ size: Int, _ versionId: String?,
                               _ sequencer: String, _ eventTime: String) throws -> String {
        try Harness.run(["event"] + key + ["--event-name", eventName, "--bucket", bucket, "--size", String(size),
                                          "--etag", "d41d8cd98f00b204e9800998ecf8427e", "--sequencer", sequencer,
                                          "--event-time", eventTime] + (versionId.map { ["--version-id=" + $0] } ?? []))
    }

    static func event(_ records: String...) -> [UInt8] {
        Array("{\"Records\": [\(records.joined(separator: ",\n"))]}".utf8)
    }

    /// What S3 sends to a destination when a notification configuration is saved.
    static let testEvent = Array("""
        {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2024-03-01T12:00:00.000Z",
         "Bucket":"classroom-input","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}
        """.utf8)

    /// An SQS message event: Records, but from another service and without an "s3" field.
    static let sqsEvent = Array("""
        {"Records":[{"messageId":"059f36b4-87a3-44ab-83d2-661975830a7d","receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
         "body":"test","attributes":{},"messageAttributes":{},"md5OfBody":"098f6bcd4621d373cade4e832627b4f6",
         "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:my-queue","awsRegion":"us-east-1"}]}
        """.utf8)
}
