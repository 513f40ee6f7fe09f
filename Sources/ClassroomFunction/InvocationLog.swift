import ClassroomCore
import FoundationEssentials
import LogSink

/// The function's JSON log lines, as CloudWatch Logs Insights reads them, for one invocation. Every
/// line about an object is also a CloudWatch Embedded Metric Format document (`_aws`: namespace
/// ClassroomAssistant, dimension `mode`), so that CloudWatch turns its counts and timings into
/// metrics to graph and alarm on. No line names a student, or holds a distance or a descriptor,
/// unless `names` (LOG_LEVEL=debug) asks for names.
struct InvocationLog {
    let requestID: String
    /// The recognition mode, `first` or `all`: the metrics' one dimension.
    let mode: String
    let names: Bool

    /// A metric of an EMF line: its name (also the line's member holding the value) and unit.
    typealias Metric = (name: String, unit: String, value: Double)

    /// A line's fields; each kind of line sets some, the rest are left out. `ms`: milliseconds per stage.
    struct Fields: Codable {
        var level: String
        var requestId, bucket, key, mode, error, skipped, message, outputBucket, outputKey, fannedOut, job, encoding: String?
        var missingFromTable, chunks, segment, knownFaces, encodingRequests: Int?
        var merged, encodingReplaced: Bool?
        var ms: [String: Double]?
        var encodingMs: Double?
        var studentNames, missingFromTableNames: [String]?
    }

    /// The `_aws` member of an EMF line: when (milliseconds since 1970), and which of the line's
    /// members are metrics. Its names are the format's.
    struct MetricsMetadata: Codable {
        struct Directive: Codable {
            let Namespace: String
            let Dimensions: [[String]]
            let Metrics: [Definition]
        }

        struct Definition: Codable {
            let Name: String
            let Unit: String
        }

        let Timestamp: Int
        let CloudWatchMetrics: [Directive]
    }

    /// A whole line: its fields, then (on a line about an object, an EMF document) each metric as a
    /// member named for it, and `_aws`.
    private struct Line: Encodable {
        let fields: Fields
        let metrics: [Metric]?

        struct MemberKey: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: Encoder) throws {
            try fields.encode(to: encoder)
            guard let metrics else { return }
            var members = encoder.container(keyedBy: MemberKey.self)
            for metric in metrics { try members.encode(metric.value, forKey: MemberKey(stringValue: metric.name)) }
            try members.encode(MetricsMetadata(Timestamp: Int((Date().timeIntervalSince1970 * 1000).rounded()), CloudWatchMetrics: [
                .init(Namespace: "ClassroomAssistant", Dimensions: [["mode"]], Metrics: metrics.map { .init(Name: $0.name, Unit: $0.unit) }),
            ]), forKey: MemberKey(stringValue: "_aws"))
        }
    }

    /// The line of a video processed: counts and the milliseconds of each stage; for a fanned-out
    /// video (merged here) also the milliseconds its segments took to sample it, counted in `processingMs`.
    func success(video: S3Video, outputBucket: String, outputKey: String, report: VideoReport,
                 segmentsMilliseconds: Double? = nil) -> String {
        var milliseconds: [String: Double] = [:]
        for (stage, value) in report.milliseconds { milliseconds[stage.rawValue] = Self.tenth(value) }
        if let segmentsMilliseconds { milliseconds["segments"] = Self.tenth(segmentsMilliseconds) }
        let total = Self.tenth(report.milliseconds.values.reduce(0, +) + (segmentsMilliseconds ?? 0))
        var fields = Fields(level: "info", outputBucket: outputBucket, outputKey: outputKey,
                            missingFromTable: report.missingFromDirectory.count, ms: milliseconds)
        if names {
            fields.studentNames = report.students
            fields.missingFromTableNames = report.missingFromDirectory
        }
        var metrics = [
            (name: "processingMs", unit: "Milliseconds", value: total),
            (name: "framesDecoded", unit: "Count", value: Double(report.framesDecoded)),
            (name: "studentsRecognised", unit: "Count", value: Double(report.students.count)),
            (name: "unknownPeople", unit: "Count", value: Double(report.unknownPeople)),
        ]
        if let seconds = report.durationSeconds { metrics.append((name: "videoSeconds", unit: "Seconds", value: Self.tenth(seconds))) }
        return line(fields, object: (video.bucket, video.key), metrics: metrics)
    }

    /// A long video handed to segment invocations (see FanOutRunner).
    func fannedOut(video: S3Video, job: FanOutJob) -> String {
        line(Fields(level: "info", fannedOut: job.folder, chunks: job.chunks), object: (video.bucket, video.key),
             metrics: [(name: "segmentsInvoked", unit: "Count", value: Double(job.segments.count))])
    }

    func segmentDone(video: S3Video, job: FanOutJob, segment: Int, merged: Bool) -> String {
        line(Fields(level: "info", job: job.folder, segment: segment, merged: merged), object: (video.bucket, video.key),
             metrics: [(name: "segmentsDone", unit: "Count", value: 1)])
    }

    func failure(video: S3Video, error: Error) -> String {
        line(Fields(level: "error", error: error.readableDescription), object: (video.bucket, video.key),
             metrics: [(name: "videosFailed", unit: "Count", value: 1)])
    }

    /// ENCODING_URI revalidated by one conditional GetObject: unchanged (304) or replaced, and its cost.
    func encodingRevalidated(object: String, replaced: Bool, knownFaces: Int, milliseconds: Double) -> String {
        line(Fields(level: "info", encoding: object, knownFaces: knownFaces, encodingRequests: 1, encodingReplaced: replaced,
                    encodingMs: Self.tenth(milliseconds)), object: nil, metrics: [])
    }

    func eventRejected(error: Error) -> String {
        line(Fields(level: "error", error: error.readableDescription), object: nil, metrics: [])
    }

    /// An object (or, without one, a whole event) left alone on purpose, and why.
    func skipped(object: (bucket: String, key: String)?, _ refusal: Refusal) -> String {
        line(Fields(level: refusal.level.rawValue, skipped: refusal.reason), object: object,
             metrics: [(name: "objectsSkipped", unit: "Count", value: 1)])
    }

    func warning(video: S3Video, message: String) -> String {
        line(Fields(level: "warning", message: message), object: (video.bucket, video.key),
             metrics: [(name: "warnings", unit: "Count", value: 1)])
    }

    /// The line: `fields`, the request id, and about an object the object and the metrics.
    private func line(_ fields: Fields, object: (bucket: String, key: String)?, metrics: [Metric]) -> String {
        var fields = fields
        fields.requestId = requestID
        if let object { (fields.bucket, fields.key, fields.mode) = (object.bucket, object.key, mode) }
        guard let data = try? JSONLine.bytes(Line(fields: fields, metrics: object == nil ? nil : metrics)) else {
            return #"{"level":"error","error":"log line could not be encoded"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func tenth(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
