import AWSClients
import ClassroomCore
import Foundation
import HTTPClient
import LambdaRuntime

/// The Lambda function: an S3 object-created event in, one CSV per uploaded video out.
/// Everything heavy (models, known faces, the HTTP handle) is made once per container in `init`;
/// each invocation then runs event → download → decode → detect → describe → match → look up →
/// CSV → upload through the same ClassroomPipeline the command line uses.
public final class ClassroomFunction {
    private let configuration: FunctionConfiguration
    private let pipeline: ClassroomPipeline
    private let s3: S3Client
    private let students: DynamoDBStudents
    private let output: S3CSV
    private let attendanceReport: S3AttendanceReport?
    private let log: (String) -> Void

    public init(configuration: FunctionConfiguration, aws: AWSConfiguration,
                log: @escaping (String) -> Void = LambdaLoop.logToStandardError) throws {
        let known = try EncodingFile.read(contentsOf: configuration.encodingFile)
        let models = try FaceModels(paths: ModelPaths(directory: configuration.modelsDirectory), warn: log)
        FaceModels.setDescriptorThreads(configuration.recognition.detectionThreads)
        let http = try HTTPClient()
        self.configuration = configuration
        self.pipeline = try ClassroomPipeline(models: models, known: known, options: configuration.recognition)
        self.s3 = S3Client(configuration: aws, http: http, log: log)
        self.students = DynamoDBStudents(dynamoDB: DynamoDBClient(configuration: aws, http: http, log: log),
                                         table: configuration.studentsTable, index: configuration.studentsIndex)
        self.output = S3CSV(s3: s3, bucket: configuration.outputBucket, suffix: configuration.outputKeySuffix)
        self.attendanceReport = configuration.attendanceReport ? S3AttendanceReport(s3: s3, bucket: configuration.outputBucket) : nil
        self.log = log
    }

    /// Handles one invocation, logging one line per object (or one for an event it cannot use).
    /// Every record is attempted; if any fails, the invocation fails with
    /// an error naming each failed object (S3 retries the event; finished outputs are rewritten
    /// with the same content), and a failed object never gets an output object.
    public func handle(_ invocation: Invocation) throws -> [UInt8] {
        let requestID = invocation.metadata.requestID
        // Every stage stops early enough for the error to be reported before Lambda ends the invocation.
        let deadline = invocation.metadata.deadline.earlier(by: Self.reportingMargin)
        s3.deadline = deadline
        students.dynamoDB.deadline = deadline
        let event: S3Event
        do {
            event = try S3Event.objectCreated(from: invocation.payload)
        } catch {
            log(InvocationLog.eventRejected(requestID: requestID, error: error))
            throw error
        }
        var results: [[String: Any]] = []
        var failures: [String] = []
        for record in event.records {
            let video = S3Video(s3: s3, bucket: record.s3.bucket.name, key: record.s3.object.key,
                                maxBytes: configuration.maxVideoBytes)
            do {
                try refuseLoops(video)
                let report = try pipeline.process(video, directory: students, output: output, attendanceReport: attendanceReport,
                                                  warn: { warning in
                    self.log(InvocationLog.warning(requestID: requestID, video: video, message: warning))
                })
                let outputKey = output.key(for: video)
                log(InvocationLog.success(requestID: requestID, video: video, outputBucket: output.bucket,
                                          outputKey: outputKey, report: report))
                results.append(["bucket": video.bucket, "key": video.key, "outputBucket": output.bucket,
                                "outputKey": outputKey, "students": report.students])
            } catch {
                log(InvocationLog.failure(requestID: requestID, video: video, error: error))
                let text = error.localizedDescription
                failures.append(text.contains(video.name) ? text : "\(video.name): \(text)")
            }
        }
        if !failures.isEmpty { throw FunctionError(failures: failures) }
        return try JSONSerialization.data(withJSONObject: ["results": results], options: [.sortedKeys, .withoutEscapingSlashes]).map { $0 }
    }

    /// Seconds kept back from the invocation's deadline to log and report a failure.
    static let reportingMargin = 1.0

    /// A trigger wired to the output bucket (or to CSVs) would feed the function its own output.
    private func refuseLoops(_ video: S3Video) throws {
        if video.key.lowercased().hasSuffix(".csv") {
            throw RefusedObject(reason: "a .csv object is never a video: is the trigger wired to the output bucket?")
        }
        if video.bucket == configuration.outputBucket {
            throw RefusedObject(reason: "it is in the output bucket: processing it would loop")
        }
    }
}

/// Why an invocation failed: one line per object that produced no output.
public struct FunctionError: Error, LocalizedError {
    public let failures: [String]
    public var errorDescription: String? { failures.joined(separator: "; ") }
}

struct RefusedObject: Error, LocalizedError {
    let reason: String
    var errorDescription: String? { "refused: \(reason)" }
}
