import FoundationEssentials

/// What one chunk of a video (see AttendanceChunkGrid) saw, before any rule that needs the whole
/// video: its sampled frames and its ended face tracks, each already named or not. One invocation
/// merges its chunks in memory; a fanned-out job stores each as JSON and merges them the same way.
public struct AttendanceChunk: Codable, Equatable, Sendable {
    public let index: Int
    let sampledTimes: [Double]
    let tracks: [EndedTrack]
    /// Frames decoded for this chunk.
    public let framesDecoded: Int

    init(index: Int, sampledTimes: [Double], tracks: [EndedTrack], framesDecoded: Int) {
        self.index = index
        self.sampledTimes = sampledTimes
        self.tracks = tracks
        self.framesDecoded = framesDecoded
    }

    /// Whether one of its tracks was named `name` (`forget` erases such a chunk's partial).
    public func names(_ name: String) -> Bool {
        tracks.contains { $0.identity.name == name }
    }

    /// The video's attendance from all its chunks, in order. One person is in a frame at most once:
    /// of two tracks named alike that share a frame, the closer match keeps the name (nearest first,
    /// ties to the earlier track, each against the frames of the nearer ones). Unknown faces are
    /// grouped by descriptor across the whole video, and a face close to one named anywhere in it is
    /// that person, not a stranger.
    public static func merge(_ chunks: [AttendanceChunk], tolerance: Double, keepsStrangerFaces: Bool = false) -> Attendance {
        var tracks = chunks.sorted { $0.index < $1.index }.flatMap(\.tracks)
        var claimed: [String: Set<Double>] = [:]
        for i in tracks.indices.sorted(by: { (tracks[$0].identity.distance, $0) < (tracks[$1].identity.distance, $1) }) {
            guard let name = tracks[i].identity.name else { continue }
            if !claimed[name, default: []].isDisjoint(with: tracks[i].times) {
                let identity = tracks[i].identity
                tracks[i].identity = TrackIdentity(name: nil, distance: identity.distance, bestDistance: identity.bestDistance)
            }
            claimed[name, default: []].formUnion(tracks[i].times)
        }
        var attendance = Attendance(tolerance: tolerance, keepsStrangerFaces: keepsStrangerFaces)
        attendance.sampled(at: chunks.flatMap(\.sampledTimes))
        let named = tracks.filter { $0.identity.name != nil }.map(\.meanDescriptor)
        for track in tracks {
            if let name = track.identity.name {
                attendance.record(name, at: track.times, bestDistance: track.identity.bestDistance, face: track.face)
            } else if !named.contains(where: { FaceMatcher.distance($0, track.meanDescriptor) <= tolerance }) {
                attendance.recordStranger(track.meanDescriptor, at: track.times, face: track.face)
            }
        }
        return attendance
    }

    /// The people its tracks name (before the merge's rules).
    public var names: Set<String> { Set(tracks.compactMap(\.identity.name)) }

    /// The chunk without the crops of its unknown tracks: a stranger's face is stored only when the
    /// operator opts in (REPORT_UNKNOWN_FACES=crops). The merge never names an unknown track, so
    /// the CSV is the same; their descriptors stay, since the merge groups unknowns by them.
    public func droppingUnknownCrops() -> AttendanceChunk {
        AttendanceChunk(index: index, sampledTimes: sampledTimes, tracks: tracks.map { track in
            var track = track
            if track.identity.name == nil { track.face = nil }
            return track
        }, framesDecoded: framesDecoded)
    }

    // A track that matched nobody is infinitely far from everyone.
    private static let infinity = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// The coders of stored chunks (and of whatever holds them): sorted keys, infinities as strings.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = infinity
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

extension Array where Element == AttendanceChunk {
    /// The bytes a run of fanned-out chunks is stored as: the same chunks always give the same bytes.
    public func encoded() throws -> [UInt8] {
        [UInt8](try AttendanceChunk.encoder.encode(self))
    }

    public static func decode(_ bytes: [UInt8]) throws -> [AttendanceChunk] {
        try AttendanceChunk.decoder.decode([AttendanceChunk].self, from: Data(bytes))
    }
}
