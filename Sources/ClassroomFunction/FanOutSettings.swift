import FoundationEssentials

/// When and how attendance mode fans a long video out over invocations of this function.
public struct FanOutSettings: Sendable {
    /// FANOUT_AFTER_SECONDS: a video longer than this is fanned out (0: never).
    public var afterSeconds: Double
    /// FANOUT_CHUNKS_PER_SEGMENT: chunks (see AttendanceChunkGrid) per segment invocation; by
    /// default one per core, so that each invocation keeps its cores busy.
    public var chunksPerSegment: Int
    /// FANOUT_PREFIX: where jobs keep their description and partial results in the output bucket.
    /// No CSV is ever written under it, and the trigger is on the input bucket only.
    public var prefix: String
    /// AWS_LAMBDA_FUNCTION_NAME (Lambda sets it): the function the segments invoke.
    public var functionName: String?
    /// FANOUT_MAX_SEGMENTS: the most segment invocations one video starts; a longer video gets
    /// longer segments. With the function's reserved concurrency it bounds what one upload costs.
    public var maxSegments: Int

    public static let defaultMaxSegments = 32

    /// Below this a single invocation answers within about a minute at 1080p on two cores; above,
    /// segments side by side answer sooner (see docs/fanout.md).
    public static let defaultAfterSeconds = 300.0

    public static let defaultPrefix = "fanout/"

    static func fromEnvironment(_ environment: [String: String], cores: Int) throws -> FanOutSettings {
        func number(_ name: String, default value: Double, range: ClosedRange<Double>) throws -> Double {
            try FunctionConfiguration.number(name, environment, default: value, range: range)
        }
        let prefix = environment["FANOUT_PREFIX"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPrefix
        guard prefix.hasSuffix("/"), !prefix.hasPrefix("/") else {
            throw FunctionConfigurationError(variable: "FANOUT_PREFIX", reason: "is '\(prefix)'; expected a folder such as 'fanout/'")
        }
        return FanOutSettings(
            afterSeconds: try number("FANOUT_AFTER_SECONDS", default: defaultAfterSeconds, range: 0...86400),
            chunksPerSegment: Int(try number("FANOUT_CHUNKS_PER_SEGMENT", default: Double(max(1, cores)), range: 1...1440)),
            prefix: prefix,
            functionName: environment["AWS_LAMBDA_FUNCTION_NAME"].flatMap { $0.isEmpty ? nil : $0 },
            maxSegments: Int(try number("FANOUT_MAX_SEGMENTS", default: Double(defaultMaxSegments), range: 1...1000)))
    }
}
