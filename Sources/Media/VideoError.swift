import FoundationEssentials

/// Why a video could not be read; `source` names the file or object.
public struct VideoError: Error, Sendable {
    public enum Kind: Sendable {
        case unreadable
        /// A container libavformat reads, but not one of VideoDecoder.containers.
        case containerNotAllowed
        /// A picture above VideoDecoder.maxPixels.
        case tooLarge
        case noVideo
        case corrupt
        /// The deadline passed while libav opened or read the video.
        case deadlinePassed
    }
    public let source: String
    public let kind: Kind
    public let reason: String

    public init(source: String, kind: Kind, reason: String) {
        self.source = source
        self.kind = kind
        self.reason = reason
    }
}

extension VideoError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }
    public var description: String { "\(source): \(reason)" }
}
