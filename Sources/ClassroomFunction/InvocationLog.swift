import ClassroomCore
import FoundationEssentials
import LogSink

/// One JSON line per video, as CloudWatch Logs Insights reads them: who was found, how many
/// frames were decoded, and the milliseconds of each stage.
enum InvocationLog {
    static func success(requestID: String, video: S3Video, outputBucket: String, outputKey: String,
                        report: VideoReport) -> String {
        var milliseconds: [String: Double] = [:]
        for (stage, value) in report.milliseconds { milliseconds[stage.rawValue] = (value * 10).rounded() / 10 }
        return line([
            "level": "info", "requestId": requestID, "bucket": video.bucket, "key": video.key,
            "outputBucket": outputBucket, "outputKey": outputKey, "students": report.students,
            "missingFromTable": report.missingFromDirectory, "unknownPeople": report.unknownPeople,
            "framesDecoded": report.framesDecoded, "ms": milliseconds,
            "totalMs": (report.milliseconds.values.reduce(0, +) * 10).rounded() / 10,
        ])
    }

    /// A long video handed to segment invocations (see FanOutRunner).
    static func fannedOut(requestID: String, video: S3Video, job: FanOutJob) -> String {
        line(["level": "info", "requestId": requestID, "bucket": video.bucket, "key": video.key,
              "fannedOut": job.folder, "segments": job.segments.count, "chunks": job.chunks])
    }

    static func segmentDone(requestID: String, video: S3Video, job: FanOutJob, segment: Int, merged: Bool) -> String {
        line(["level": "info", "requestId": requestID, "bucket": video.bucket, "key": video.key,
              "job": job.folder, "segment": segment, "merged": merged])
    }

    /// ENCODING_URI revalidated by one conditional GetObject: unchanged (304) or replaced, and its cost.
    static func encodingRevalidated(requestID: String, object: String, replaced: Bool, knownFaces: Int, milliseconds: Double) -> String {
        line(["level": "info", "requestId": requestID, "encoding": object, "encodingReplaced": replaced,
              "knownFaces": knownFaces, "encodingRequests": 1, "encodingMs": (milliseconds * 10).rounded() / 10])
    }

    static func failure(requestID: String, video: S3Video, error: Error) -> String {
        line(["level": "error", "requestId": requestID, "bucket": video.bucket, "key": video.key,
              "error": error.readableDescription])
    }

    static func eventRejected(requestID: String, error: Error) -> String {
        line(["level": "error", "requestId": requestID, "error": error.readableDescription])
    }

    /// An object (or, without one, a whole event) left alone on purpose, and why.
    static func skipped(requestID: String, object: (bucket: String, key: String)?, _ refusal: Refusal) -> String {
        var fields: [String: Any] = ["level": refusal.level.rawValue, "requestId": requestID, "skipped": refusal.reason]
        if let object {
            fields["bucket"] = object.bucket
            fields["key"] = object.key
        }
        return line(fields)
    }

    static func warning(requestID: String, video: S3Video, message: String) -> String {
        line(["level": "warning", "requestId": requestID, "bucket": video.bucket, "key": video.key, "message": message])
    }

    private static func line(_ fields: [String: Any]) -> String {
        guard let data = try? JSONLine.bytes(fields) else {
            return #"{"level":"error","error":"log line could not be encoded"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }
}
