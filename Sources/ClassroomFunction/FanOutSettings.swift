/// When and how attendance mode fans a long video out over invocations of this function.
public struct FanOutSettings: Sendable {
    /// FANOUT_AFTER_SECONDS (0: never).
    public var afterSeconds: Double
    /// FANOUT_CHUNKS_PER_SEGMENT (see AttendanceChunkGrid); by default one per core, so that each
    /// invocation keeps its cores busy.
    public var chunksPerSegment: Int
    /// FANOUT_PREFIX. No CSV is ever written under it, and the trigger is on the input bucket only.
    public var prefix: String
    /// AWS_LAMBDA_FUNCTION_NAME.
    public var functionName: String?
    /// FANOUT_MAX_SEGMENTS. With the function's reserved concurrency it bounds what one upload costs.
    public var maxSegments: Int
}
