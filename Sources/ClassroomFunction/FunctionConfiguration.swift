import AWSClients
import ClassroomCore
import FoundationEssentials
import LambdaRuntime

/// The function's settings, all from environment variables (the CloudFormation template sets them),
/// checked once at start so that a mistake is an init error naming the variable, not a failed video.
public struct FunctionConfiguration: Sendable {
    /// The only bucket whose events the function serves.
    public var inputBucket: String
    public var outputBucket: String
    public var outputKeySuffix: String
    public var studentsTable: String
    public var studentsIndex: String
    public var encodingFile: String
    /// ENCODING_URI: the encoding as an S3 object, read at start and revalidated by every invocation
    /// (ENCODING_FILE is then unused); nil when unset.
    public var encodingObject: S3Location?
    public var modelsDirectory: String
    public var recognition: RecognitionOptions
    /// Whether the attendance page and crops are written beside each CSV.
    public var attendanceReport: Bool
    public var fanOut: FanOutSettings
    /// ROSTERS_URI: where each course's roster `<course>.csv` is; nil without rosters.
    public var rosters: S3Location?
    /// ATTENDANCE_TABLE: the term register's table; nil keeps no register.
    public var attendanceTable: String?
    /// REPORT_RETENTION_DAYS: when the register's items expire, as the reports do (the template's
    /// ReportRetentionDays).
    public var reportRetentionDays: Int
    /// LOG_LEVEL=debug: log lines may name students (personal data in CloudWatch); `info`, the
    /// default, logs counts only.
    public var logsNames: Bool

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FunctionConfiguration {
        func required(_ name: String, _ meaning: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw FunctionConfigurationError(variable: name, reason: "is not set (\(meaning))")
            }
            return value
        }
        func bucket(_ name: String, _ meaning: String) throws -> String {
            let value = try required(name, meaning)
            if let problem = S3Event.Bucket.nameProblem(value) {
                throw FunctionConfigurationError(variable: name, reason: "is '\(value)', not an S3 bucket name: \(problem)")
            }
            return value
        }
        let modeName = environment["RECOGNITION_MODE"] ?? RecognitionOptions.Mode.firstMatch.rawValue
        guard let mode = RecognitionOptions.Mode(rawValue: modeName) else {
            throw FunctionConfigurationError(variable: "RECOGNITION_MODE", reason: "is '\(modeName)'; expected 'first' or 'all'")
        }
        let tolerance = try number("TOLERANCE", environment, default: 0.6, range: RecognitionOptions.toleranceRange)
        let minFaceRange = RecognitionOptions.minFaceRange
        let minFace = try number("MIN_FACE_PX", environment, default: 40,
                                 range: Double(minFaceRange.lowerBound)...Double(minFaceRange.upperBound))
        var recognition = RecognitionOptions(mode: mode, tolerance: tolerance, minFace: Int(minFace),
                                             unknownFaceCrops: try unknownFaces(environment["REPORT_UNKNOWN_FACES"]))
        // One video at a time per container.
        recognition.share(cores: ProcessInfo.processInfo.activeProcessorCount, videosAtOnce: 1)
        let attendanceReport = try reportSwitch(environment["REPORT"], default: mode == .all)
        let rosters = try rostersLocation(environment["ROSTERS_URI"])
        let logLevel = environment["LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "info"
        guard ["info", "debug"].contains(logLevel) else {
            throw FunctionConfigurationError(variable: "LOG_LEVEL", reason: "is '\(logLevel)'; expected 'info' or 'debug'")
        }
        return FunctionConfiguration(
            inputBucket: try bucket("INPUT_BUCKET", "the bucket whose uploaded videos the function serves"),
            outputBucket: try bucket("OUTPUT_BUCKET", "the bucket the CSVs are written to"),
            outputKeySuffix: environment["OUTPUT_KEY_SUFFIX"] ?? ".csv",
            studentsTable: try required("STUDENTS_TABLE", "the DynamoDB table of students"),
            studentsIndex: environment["STUDENTS_INDEX"].flatMap { $0.isEmpty ? nil : $0 } ?? "name-index",
            encodingFile: environment["ENCODING_FILE"] ?? "encoding",
            encodingObject: try encodingObject(environment["ENCODING_URI"]),
            modelsDirectory: environment["MODELS_DIR"] ?? "models",
            recognition: recognition,
            attendanceReport: attendanceReport,
            fanOut: try FanOutSettings.fromEnvironment(environment, cores: recognition.parallelism),
            rosters: rosters,
            attendanceTable: environment["ATTENDANCE_TABLE"].flatMap { $0.isEmpty ? nil : $0 },
            reportRetentionDays: Int(try number("REPORT_RETENTION_DAYS", environment,
                                                default: Double(AttendanceTable.defaultRetentionDays), range: 1...3650)),
            logsNames: logLevel == "debug")
    }

    /// ROSTERS_URI: a bucket, and a folder in it or none.
    private static func rostersLocation(_ text: String?) throws -> S3Location? {
        guard let text, !text.isEmpty else { return nil }
        do {
            return try S3Location(uri: text)
        } catch {
            throw FunctionConfigurationError(variable: "ROSTERS_URI", reason: "is '\(text)'; expected s3://BUCKET/PREFIX/: \(error.reason)")
        }
    }

    private static func encodingObject(_ text: String?) throws -> S3Location? {
        guard let text, !text.isEmpty else { return nil }
        do {
            return try S3Location(objectURI: text)
        } catch {
            throw FunctionConfigurationError(variable: "ENCODING_URI", reason: "is '\(text)', not an S3 object URI s3://BUCKET/KEY: \(error.reason)")
        }
    }

    /// REPORT: `on` or `off`; unset or empty, the report follows the mode (on for attendance: a
    /// first-match output bucket holds only the CSVs graders read).
    private static func reportSwitch(_ text: String?, default value: Bool) throws -> Bool {
        switch text ?? "" {
        case "": return value
        case "on": return true
        case "off": return false
        case let other: throw FunctionConfigurationError(variable: "REPORT", reason: "is '\(other)'; expected 'on' or 'off'")
        }
    }

    /// REPORT_UNKNOWN_FACES: `count` (unset: the default) keeps of a person no known face matches only
    /// that they were there and when; `crops` also keeps a crop of their face on the page, the biometric
    /// data of someone who never consented.
    private static func unknownFaces(_ text: String?) throws -> Bool {
        switch text ?? "" {
        case "", "count": return false
        case "crops": return true
        case let other: throw FunctionConfigurationError(variable: "REPORT_UNKNOWN_FACES", reason: "is '\(other)'; expected 'count' or 'crops'")
        }
    }

    static func number(_ name: String, _ environment: [String: String], default value: Double,
                               range: ClosedRange<Double>) throws -> Double {
        guard let text = environment[name], !text.isEmpty else { return value }
        guard let parsed = Double(text), range.contains(parsed) else {
            throw FunctionConfigurationError(variable: name, reason: "is '\(text)'; expected a number in \(range)")
        }
        return parsed
    }
}

public struct FunctionConfigurationError: Error, LocalizedError, CustomStringConvertible {
    public let variable: String
    public let reason: String
    public var errorDescription: String? { "configuration: \(variable) \(reason)" }
    public var description: String { errorDescription ?? variable }
}
