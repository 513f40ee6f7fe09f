import AWSClients
import ClassroomCore
import FoundationEssentials
import LambdaRuntime
import Settings

/// The function's settings, all from environment variables (the CloudFormation template sets them;
/// each is a `Setting`, which says what it means), checked once at start so that a mistake is an
/// init error naming the variable, not a failed video. An optional one is nil when unset.
public struct FunctionConfiguration: Sendable {
    public var inputBucket, outputBucket, outputKeySuffix, studentsTable, studentsIndex, encodingFile, modelsDirectory: String
    /// ENCODING_URI (read at start and revalidated by every invocation) and ROSTERS_URI.
    public var encodingObject, rosters: S3Location?
    public var recognition: RecognitionOptions
    /// REPORT: whether the attendance page and crops are written beside each CSV.
    public var attendanceReport: Bool
    public var fanOut: FanOutSettings
    public var attendanceTable: String?
    public var reportRetentionDays: Int
    /// LOG_LEVEL=debug: log lines may name students.
    public var logsNames: Bool

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FunctionConfiguration {
        func required(_ setting: Setting) throws -> String {
            guard let value = setting.givenValue(in: environment) else {
                throw FunctionConfigurationError(variable: setting.variable, reason: "is not set (\(setting.meaning))")
            }
            return value
        }
        func bucket(_ setting: Setting) throws -> String {
            let value = try required(setting)
            if let problem = S3Event.Bucket.nameProblem(value) {
                throw FunctionConfigurationError(variable: setting.variable, reason: "is '\(value)', not an S3 bucket name: \(problem)")
            }
            return value
        }
        func choice<T>(_ setting: Setting, _ values: KeyValuePairs<String, T>) throws -> T {
            let text = setting.value(in: environment)
            guard let chosen = values.first(where: { $0.key == text }) else {
                let expected = values.filter { !$0.key.isEmpty }.map { "'\($0.key)'" }.joined(separator: " or ")
                throw FunctionConfigurationError(variable: setting.variable, reason: "is '\(text)'; expected \(expected)")
            }
            return chosen.value
        }
        let mode = try choice(.recognitionMode, ["first": RecognitionOptions.Mode.firstMatch, "all": .all])
        let minFace = RecognitionOptions.minFaceRange
        var recognition = RecognitionOptions(
            mode: mode, tolerance: try number(.tolerance, environment, range: RecognitionOptions.toleranceRange),
            minFace: Int(try number(.minFace, environment, range: Double(minFace.lowerBound)...Double(minFace.upperBound))),
            // `count` keeps of a person no known face matches only that they were there and when; `crops`
            // also keeps a crop of their face on the page, the biometric data of someone who never consented.
            unknownFaceCrops: try choice(.reportUnknownFaces, ["count": false, "crops": true]))
        // One video at a time per container.
        recognition.share(cores: ProcessInfo.processInfo.activeProcessorCount, videosAtOnce: 1)
        let fanOutPrefix = Setting.fanOutPrefix.value(in: environment)
        guard fanOutPrefix.hasSuffix("/"), !fanOutPrefix.hasPrefix("/") else {
            throw FunctionConfigurationError(variable: Setting.fanOutPrefix.variable, reason: "is '\(fanOutPrefix)'; expected a folder such as 'fanout/'")
        }
        return FunctionConfiguration(
            inputBucket: try bucket(.inputBucket),
            outputBucket: try bucket(.outputBucket),
            outputKeySuffix: Setting.outputKeySuffix.value(in: environment, keepingEmpty: true),
            studentsTable: try required(.studentsTable),
            studentsIndex: Setting.studentsIndex.value(in: environment),
            encodingFile: Setting.encodingFile.value(in: environment),
            modelsDirectory: Setting.modelsDirectory.value(in: environment),
            encodingObject: try location(.encodingURI, environment, ", not an S3 object URI s3://BUCKET/KEY", S3Location.init(objectURI:)),
            rosters: try location(.rostersURI, environment, "; expected s3://BUCKET/PREFIX/", S3Location.init(uri:)),
            recognition: recognition,
            // Unset, the report follows the mode (on for attendance: a first-match output bucket holds only the CSVs graders read).
            attendanceReport: try choice(.report, ["": mode == .all, "on": true, "off": false]),
            fanOut: FanOutSettings(
                afterSeconds: try number(.fanOutAfterSeconds, environment, range: 0...86400),
                chunksPerSegment: Int(try number(.fanOutChunksPerSegment, environment, default: Double(max(1, recognition.parallelism)),
                                                 range: 1...1440)),
                prefix: fanOutPrefix, functionName: Setting.functionName.givenValue(in: environment),
                maxSegments: Int(try number(.fanOutMaxSegments, environment, range: 1...1000))),
            attendanceTable: Setting.attendanceTable.givenValue(in: environment),
            reportRetentionDays: Int(try number(.reportRetentionDays, environment, range: 1...3650)),
            logsNames: try choice(.logLevel, ["info": false, "debug": true]))
    }

    /// An S3 location read by `parse`; nil when unset. `problem` says what a value `parse` refuses is not.
    private static func location(_ setting: Setting, _ environment: [String: String], _ problem: String,
                                 _ parse: (String) throws(S3LocationError) -> S3Location) throws -> S3Location? {
        guard let text = setting.givenValue(in: environment) else { return nil }
        do {
            return try parse(text)
        } catch {
            throw FunctionConfigurationError(variable: setting.variable, reason: "is '\(text)'\(problem): \(error.reason)")
        }
    }

    /// The setting's number; unset, `value`, else the setting's default.
    private static func number(_ setting: Setting, _ environment: [String: String], default value: Double? = nil,
                       range: ClosedRange<Double>) throws -> Double {
        guard let text = setting.givenValue(in: environment) else { return value ?? setting.defaultNumber }
        guard let parsed = Double(text), range.contains(parsed) else {
            throw FunctionConfigurationError(variable: setting.variable, reason: "is '\(text)'; expected a number in \(range)")
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
