import FoundationEssentials

/// One environment variable the binary reads: its name, its value when unset, who reads it (and the
/// command-line option that overrides it) and what it means. `Setting.all` is the one list of them:
/// the function's configuration and the commands read their names and defaults here, and `--help`
/// and the README's table are made from it.
public struct Setting: Sendable, Equatable {
    public let variable: String
    /// The value when unset or empty, as text; nil when there is none.
    public let defaultValue: String?
    public let readBy: String
    public let meaning: String

    init(_ variable: String, default value: String? = nil, readBy: String, _ meaning: String) {
        (self.variable, self.defaultValue, self.readBy, self.meaning) = (variable, value, readBy, meaning)
    }

    /// The default of a numeric setting.
    public var defaultNumber: Double { Double(defaultValue ?? "") ?? .nan }

    /// Its value in `environment` when set and not empty.
    public func givenValue(in environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Its value in `environment` (empty too, with `keepingEmpty`), else its default ("" without one).
    public func value(in environment: [String: String] = ProcessInfo.processInfo.environment, keepingEmpty: Bool = false) -> String {
        (keepingEmpty ? environment[variable] : givenValue(in: environment)) ?? defaultValue ?? ""
    }

    static let aws = "function, every command that calls AWS"
    public static let accessKeyID = Setting("AWS_ACCESS_KEY_ID", readBy: aws, "credentials (in Lambda, the execution role provides these three)")
    public static let secretAccessKey = Setting("AWS_SECRET_ACCESS_KEY", readBy: aws, "credentials")
    public static let sessionToken = Setting("AWS_SESSION_TOKEN", readBy: aws, "credentials: the session's token, if any")
    public static let region = Setting("AWS_REGION", readBy: aws, "the region (Lambda sets it)")
    public static let defaultRegion = Setting("AWS_DEFAULT_REGION", readBy: aws, "the region, when `AWS_REGION` is not set")
    public static let endpointURL = Setting("AWS_ENDPOINT_URL", readBy: aws, "send every service to another endpoint, such as a local moto")
    public static let s3EndpointURL = Setting("AWS_ENDPOINT_URL_S3", readBy: aws, "send S3 to another endpoint")
    public static let dynamoDBEndpointURL = Setting("AWS_ENDPOINT_URL_DYNAMODB", readBy: aws, "send DynamoDB to another endpoint")
    public static let lambdaEndpointURL = Setting("AWS_ENDPOINT_URL_LAMBDA", readBy: aws, "send Lambda (the fan-out's Invoke) to another endpoint")
    public static let maxAttempts = Setting("AWS_MAX_ATTEMPTS", readBy: aws, "attempts per AWS request, retries included (default: the standard retry policy's)")
    public static let runtimeAPI = Setting("AWS_LAMBDA_RUNTIME_API", readBy: "the binary", "set by Lambda: the binary runs as the function's runtime")
    public static let functionName = Setting("AWS_LAMBDA_FUNCTION_NAME", readBy: "function", "set by Lambda: the function a fanned-out video's segments invoke")
    public static let inputBucket = Setting("INPUT_BUCKET", readBy: "function (required), `upload --bucket`", "the bucket whose uploaded videos the function serves")
    public static let outputBucket = Setting("OUTPUT_BUCKET", readBy: "function (required), `upload --wait`, `forget --output-bucket`", "the bucket the CSVs are written to")
    public static let outputKeySuffix = Setting("OUTPUT_KEY_SUFFIX", default: ".csv", readBy: "function, `upload --wait`", "video `KEY_STEM.mp4` gives `KEY_STEM` + suffix (may be empty)")
    public static let studentsTable = Setting("STUDENTS_TABLE", readBy: "function (required), `load-students --table` (`students`)", "the DynamoDB table of students")
    public static let studentsIndex = Setting("STUDENTS_INDEX", default: "name-index", readBy: "function", "the students table's index on `name`")
    public static let recognitionMode = Setting("RECOGNITION_MODE", default: "first", readBy: "function", "`first` (one student) or `all` (attendance)")
    public static let report = Setting("REPORT", readBy: "function", "`on` or `off`: the attendance page beside each CSV (default: on in attendance mode)")
    public static let reportUnknownFaces = Setting("REPORT_UNKNOWN_FACES", default: "count", readBy: "function, `process --unknown-crops`", "`count` or `crops`: whether the page shows unknown people's crops")
    public static let minFace = Setting("MIN_FACE_PX", default: "40", readBy: "function, `process --min-face`", "attendance: the smallest face to find, in pixels tall")
    public static let tolerance = Setting("TOLERANCE", default: "0.6", readBy: "function (the commands' `--tolerance` has the same default)", "the largest descriptor distance that names a student")
    public static let fanOutAfterSeconds = Setting("FANOUT_AFTER_SECONDS", default: "300", readBy: "function", "attendance: a video longer than this is fanned out over invocations of the function (0: never; see docs/fanout.md)")
    public static let fanOutChunksPerSegment = Setting("FANOUT_CHUNKS_PER_SEGMENT", readBy: "function", "attendance: chunks per segment invocation (default: one per core)")
    public static let fanOutPrefix = Setting("FANOUT_PREFIX", default: "fanout/", readBy: "function, `forget --fanout-prefix`", "attendance: where fan-out jobs live in the output bucket")
    public static let fanOutMaxSegments = Setting("FANOUT_MAX_SEGMENTS", default: "32", readBy: "function", "attendance: the most segment invocations one video starts; a longer video gets longer segments")
    public static let reportRetentionDays = Setting("REPORT_RETENTION_DAYS", default: "400", readBy: "function", "days after its upload that a session's register items expire, as its reports do (template: `ReportRetentionDays`)")
    public static let logLevel = Setting("LOG_LEVEL", default: "info", readBy: "function", "`info`: log lines carry counts, never a name; `debug` adds the names recognised, which writes personal data to CloudWatch")
    public static let modelsDirectory = Setting("MODELS_DIR", default: "models", readBy: "function, `--models`", "the dlib models folder")
    public static let encodingFile = Setting("ENCODING_FILE", default: "encoding", readBy: "function, `--encoding`", "the known encodings")
    public static let encodingURI = Setting("ENCODING_URI", readBy: "function, `enroll --encoding`, `forget --encoding`", "the known encodings as an S3 object `s3://BUCKET/KEY`; when set, `ENCODING_FILE` is unused")
    public static let rostersURI = Setting("ROSTERS_URI", readBy: "function", "courses: where each course's roster `<course>.csv` is; unset: no rosters")
    public static let attendanceTable = Setting("ATTENDANCE_TABLE", readBy: "function, `register --table` (`attendance`)", "courses: the DynamoDB table of the term register; unset in the function: no register")
    public static let studentData = Setting("STUDENT_DATA", default: "student_data.json", readBy: "`process --students`", "the students' table as JSON")

    /// Every variable, in the README's order.
    public static let all = [
        accessKeyID, secretAccessKey, sessionToken, region, defaultRegion, endpointURL, s3EndpointURL, dynamoDBEndpointURL, lambdaEndpointURL,
        maxAttempts, runtimeAPI, functionName, inputBucket, outputBucket, outputKeySuffix, studentsTable, studentsIndex, recognitionMode, report,
        reportUnknownFaces, minFace, tolerance, fanOutAfterSeconds, fanOutChunksPerSegment, fanOutPrefix, fanOutMaxSegments, reportRetentionDays,
        logLevel, modelsDirectory, encodingFile, encodingURI, rostersURI, attendanceTable, studentData]

    /// `--help`'s list: each variable, its default and its meaning, one per line.
    public static let help = all.map { "  \($0.variable)\($0.defaultValue.map { " (default \($0))" } ?? ""): \($0.meaning.filter { $0 != "`" })" }
        .joined(separator: "\n")
}
