public struct VideoInfo: Sendable {
    /// Upright size: the coded size with the display rotation applied.
    public let width: Int
    public let height: Int
    public let rotation: Int
    public let durationSeconds: Double?
    public let frameRate: Double
    public let container: String
}
