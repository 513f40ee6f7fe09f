import Glibc
import Imaging

/// Attendance for one time segment of a video: finds every face down to `minFace` pixels tall and
/// follows it through the sampled frames, so that the expensive full-sensitivity scan runs only
/// where the picture changed, and not at every sample there.
///
/// For each sampled frame:
/// 1. The change map says which blocks of the frame changed since HOG last scanned them, and
///    whether the frame is a cut (another shot): a cut ends every track.
/// 2. A tracked face whose surroundings did not change is still there. One whose surroundings
///    changed is looked for again in a small window around it, scaled so that the face is about
///    `trackedFaceSize` tall (cheap); a track HOG misses more than `missesAllowed` times ends.
/// 3. Changed places are scanned for large faces (down to `coarseLimit` of HOG's scale) every
///    sample, and at full sensitivity (the scale that makes a `minFace` face as tall as HOG's
///    window) where that scan is `fineRescanInterval` samples old (`patientRescanInterval` where
///    it keeps finding nothing new), never inside a tracked face; the first sample is scanned
///    whole. Faces found there start new tracks.
/// 4. New tracks are described at once, older ones a few more times while they last
///    (FaceTrack.describeAtAge); identity is decided per track at the end (TrackIdentity).
public final class ClassroomTracker: FaceSearch {
    /// The height a tracked face is scaled to when it is looked for again, and the pyramid levels
    /// scanned for it there (faces from a fifth smaller to a sixth larger), within half its height
    /// of where it was.
    static let trackedFaceSize = 100.0
    static let trackedLevels = 3
    /// Faces described in one call: dlib's network takes them in batches of this size anyway.
    static let descriptorBatch = 16
    /// Samples in a row a track may go unfound and still go on.
    static let missesAllowed = 1
    /// The every-sample scan of changed places runs at most at this scale: it finds the larger faces
    /// at once; smaller ones wait for the full-sensitivity scan.
    static let coarseLimit = 0.5
    /// The most pixels one full-sensitivity scan covers, once scaled: a 1080p frame doubled. A
    /// larger place (a 4K frame, or a smallest face under 40 px) is scanned in overlapping tiles of
    /// at most this size, so that memory stays that of a 1080p frame's scan.
    static let maxScanPixels = Double(HOGScan.maxPixels * 4)

    /// Samples between two full-sensitivity scans of a place that keeps changing (a place that
    /// changes after being still is scanned at once), and between two of a place whose last
    /// `patienceAfter` scans found no new face. The coarse scan and the tracks look every sample.
    static let fineRescanInterval = 2
    static let patientRescanInterval = 4
    static let patienceAfter = 3

    private let worker: any FaceFinder
    private let matcher: FaceMatcher
    private let margin: Double
    private let threads: Int
    /// Frame pixels → scanned pixels for the full-sensitivity scan.
    let scale: Double
    /// The scale of the every-sample scan of changed places: the full one, or 1 (faces from
    /// HOG's window size up) when the full one upsamples.
    let coarseScale: Double
    /// The pyramid levels that take the full-sensitivity scan from `scale` down to `coarseScale`.
    let fineLevels: Int
    private var changes: ChangeMap
    private var live: [FaceTrack] = []
    /// Tracks that have ended, reduced to what naming and counting them needs: their descriptors
    /// are dropped, and so are crops no page can show, so that memory grows slowly with tracks.
    private var ended: [EndedTrack] = []
    private var bestEndedFace: [String: Int] = [:]
    private var endedStrangerFaces: [[Double]] = []
    private var samples = 0
    private var sampledTimes: [Double] = []

    public init(worker: any FaceFinder, matcher: FaceMatcher, margin: Double, minFace: Int, frameWidth: Int, frameHeight: Int, threads: Int) {
        self.worker = worker
        self.matcher = matcher
        self.margin = margin
        self.threads = threads
        scale = HOGScan.windowSize / Double(max(1, minFace))
        coarseScale = min(scale, Self.coarseLimit)
        // One level more than reaches the coarse scale, so that the two scans overlap.
        fineLevels = scale > coarseScale ? Int((log(scale / coarseScale) / log(1.2)).rounded(.up)) + 1 : 0
        changes = ChangeMap(frameWidth: frameWidth, frameHeight: frameHeight)
    }

    /// Takes the frame sampled at `time`: `gray` at full size, `rgb` made only if a face needs describing.
    /// `checkTime` runs before each scan and each batch of descriptors and throws to stop (a 4K
    /// frame's first sample can be many scans).
    public func observe(time: Double, gray: PixelImage, checkTime: () throws -> Void = {}, rgb: () throws -> PixelImage) throws {
        defer { samples += 1 }
        sampledTimes.append(time)
        let update = changes.update(with: gray)
        let dirty = update.worthScanning
        // After a cut the faces are new ones, wherever they are: every track ends.
        if update.isCut {
            for track in live { retire(track) }
            live = []
        }
        var updated = Set<ObjectIdentifier>(), detected = Set<ObjectIdentifier>()
        var found: [FaceBox] = []

        // Tracked faces: still there when nothing around them changed, else looked for again nearby.
        for track in live {
            let window = PixelRect(track.box).expanded(by: max(track.box.height / 2, 8)).clipped(width: gray.width, height: gray.height)
            guard changes.blocks(touching: window).contains(where: update.changed.contains) else {
                updated.insert(ObjectIdentifier(track))
                continue
            }
            // The face scaled to about trackedFaceSize, and only the pyramid levels that find it
            // from a little smaller to a good deal larger.
            let localScale = Self.trackedFaceSize / Double(max(track.box.height, 1))
            let search = PixelRect(track.box).expanded(by: track.box.height / 2).clipped(width: gray.width, height: gray.height)
            try checkTime()
            let boxes = try detect(in: gray, region: search, scale: localScale, levels: Self.trackedLevels)
            if let match = boxes.filter({ Self.sameFace($0, track.box) }).max(by: { $0.iou(track.box) < $1.iou(track.box) }) {
                track.box = match
                updated.insert(ObjectIdentifier(track))
                detected.insert(ObjectIdentifier(track))
            }
            found += boxes
        }

        // Changed places: every sample at the coarse scale, and at full sensitivity where that scan
        // is at least fineRescanInterval samples old (everywhere on the first sample).
        for region in regions(around: dirty, frameWidth: gray.width, frameHeight: gray.height) {
            try checkTime()
            found += try detect(in: gray, region: region.scan, scale: coarseScale)
            if fineLevels == 0 { changes.markScanned(region.covered) }
        }
        if fineLevels > 0 {
            // No new face can be where a tracked one is.
            let tracked = Set(live.flatMap { changes.blocks(centredIn: PixelRect($0.box)) })
            let chosen = changes.unscanned(dirty.subtracting(tracked), interval: Self.fineRescanInterval,
                                           patientInterval: Self.patientRescanInterval, patienceAfter: Self.patienceAfter)
            for region in regions(around: chosen, frameWidth: gray.width, frameHeight: gray.height) {
                // A face found in two tiles is one face to the tracks (sameFace).
                let tiles = region.scan.tiles(maxArea: Self.maxScanPixels / (scale * scale), overlap: largestFineFace)
                let boxes = try tiles.flatMap {
                    try checkTime()
                    return try detect(in: gray, region: $0, scale: scale, levels: fineLevels)
                }
                found += boxes
                let new = boxes.contains { box in !live.contains { Self.sameFace(box, $0.box) } }
                changes.markScanned(region.covered, foundNewFace: new)
            }
        }

        // Whatever was found that no track has yet starts a track (or updates one not yet found).
        var fresh: [FaceTrack] = []
        for box in found.sorted(by: { $0.score > $1.score }) {
            let tracks = live + fresh
            if let track = tracks.first(where: { Self.sameFace(box, $0.box) }) {
                if !detected.contains(ObjectIdentifier(track)) {
                    track.box = box
                    updated.insert(ObjectIdentifier(track))
                    detected.insert(ObjectIdentifier(track))
                }
                continue
            }
            let track = FaceTrack(box: box, time: time)
            fresh.append(track)
            updated.insert(ObjectIdentifier(track))
            detected.insert(ObjectIdentifier(track))
        }
        // A track HOG misses once (a blurred frame, a turned head) waits a sample before it ends.
        for track in live where !updated.contains(ObjectIdentifier(track)) { track.missed() }
        for track in live where track.missedSamples > Self.missesAllowed { retire(track) }
        live = live.filter { $0.missedSamples <= Self.missesAllowed } + fresh

        // Descriptors: new tracks now, older ones on their schedule, when HOG has just found them
        // (a face carried over unchanged would give the same descriptor again).
        let describing = live.filter { $0.wantsDescriptor && detected.contains(ObjectIdentifier($0)) }
        if !describing.isEmpty {
            let frame = try rgb()
            var descriptors: [[Double]] = []
            for start in stride(from: 0, to: describing.count, by: Self.descriptorBatch) {
                try checkTime()
                descriptors += try worker.describe(describing[start..<min(start + Self.descriptorBatch, describing.count)].map(\.box), in: frame)
            }
            for (track, descriptor) in zip(describing, descriptors) {
                let nearest = matcher.nearestDistanceByPerson(descriptor).values.min() ?? .infinity
                track.add(descriptor, nearestKnown: nearest, face: FaceCrop(frame: frame, box: track.box))
            }
        }
        for track in live where updated.contains(ObjectIdentifier(track)) { track.seen(at: time) }
    }

    /// Names an ended track once and keeps what the attendance needs of it: its crop only while it
    /// is its person's surest track (or the first of an unknown face that looks like nobody kept).
    /// Surest is the smallest median distance, ties to the earlier: the track AttendanceChunk.merge
    /// lets keep the name when two named alike share a frame, so that the person keeps a crop.
    private func retire(_ track: FaceTrack) {
        guard !track.descriptors.isEmpty else { return }
        let identity = TrackIdentity(descriptors: track.descriptors, matcher: matcher, margin: margin)
        let mean = track.meanDescriptor
        var face = track.face
        if let name = identity.name {
            if let best = bestEndedFace[name], ended[best].identity.distance <= identity.distance {
                face = nil
            } else {
                if let best = bestEndedFace[name] { ended[best].face = nil }
                bestEndedFace[name] = ended.count
            }
        } else if endedStrangerFaces.contains(where: { FaceMatcher.distance($0, mean) <= matcher.tolerance }) {
            face = nil
        } else {
            endedStrangerFaces.append(mean)
        }
        ended.append(EndedTrack(identity: identity, meanDescriptor: mean, times: track.times, face: face))
    }

    /// Tracks the faces of every sampled frame (see observe), its colour decoded only if a face needs describing.
    public func search(_ frame: any SearchFrame, at time: Double, checkTime: () throws -> Void) throws -> Bool {
        let (width, height) = (frame.width, frame.height)
        let gray = try frame.timing(.decode) { try frame.image(width: width, height: height, format: .gray) }
        try frame.timing(.detect) { try observe(time: time, gray: gray, checkTime: checkTime) { try frame.image(width: width, height: height, format: .rgb) } }
        return true
    }

    /// What the chunk saw (see AttendanceChunk.merge for the rules that need the whole video).
    public func finish(chunk index: Int, framesDecoded: Int) -> AttendanceChunk {
        for track in live { retire(track) }
        defer {
            live = []
            ended = []
            bestEndedFace = [:]
            endedStrangerFaces = []
            sampledTimes = []
        }
        return AttendanceChunk(index: index, sampledTimes: sampledTimes, tracks: ended, framesDecoded: framesDecoded)
    }

    /// The tallest face the full-sensitivity scan finds (its smallest pyramid level's window), and
    /// a margin: tiles overlap by this much, so that every face it can find is whole in one tile.
    private var largestFineFace: Int {
        Int((HOGScan.windowSize / (scale * pow(5.0 / 6.0, Double(fineLevels - 1))) * 1.25).rounded(.up))
    }

    /// HOG on `region` of the gray frame at `scale` (`levels`: see fr_detect), the boxes in frame coordinates.
    private func detect(in gray: PixelImage, region: PixelRect, scale: Double, levels: Int = 0) throws -> [FaceBox] {
        if region.isEmpty { return [] }
        let pixels = Double(region.area) * scale * scale
        let threads = pixels > 1_000_000 ? self.threads : 1
        if abs(scale - 2) < 0.01 {
            return try worker.detect(in: gray, region: region, upsample: true, levels: levels, threads: threads)
        }
        if abs(scale - 1) < 0.01 {
            return try worker.detect(in: gray, region: region, levels: levels, threads: threads)
        }
        let scaled = gray.resampled(region: region, scale: scale)
        let back = Double(region.width) / Double(scaled.width)
        return try worker.detect(in: scaled, levels: levels, threads: threads).map { box in
            var frame = box.scaled(by: back)
            frame.left += region.x; frame.right += region.x
            frame.top += region.y; frame.bottom += region.y
            return frame
        }
    }

    /// The changed blocks grouped into rectangles to scan: each group of touching blocks, grown by
    /// a block on every side so that a face only partly in them is whole in the scan. Mostly
    /// changed frames are scanned whole.
    private func regions(around dirty: Set<Int>, frameWidth: Int, frameHeight: Int) -> [(scan: PixelRect, covered: PixelRect)] {
        if dirty.isEmpty { return [] }
        var groups: [PixelRect] = []
        var unvisited = dirty
        while let start = unvisited.first {
            unvisited.remove(start)
            var stack = [start], bounds = changes.rect(of: start)
            while let block = stack.popLast() {
                let (column, row) = (block % changes.columns, block / changes.columns)
                for dy in -1...1 {
                    for dx in -1...1 {
                        let (c, r) = (column + dx, row + dy)
                        guard c >= 0, r >= 0, c < changes.columns, r < changes.rows else { continue }
                        let neighbour = r * changes.columns + c
                        if unvisited.remove(neighbour) != nil {
                            stack.append(neighbour)
                            bounds = bounds.union(changes.rect(of: neighbour))
                        }
                    }
                }
            }
            groups.append(bounds)
        }
        var regions = groups.map { (scan: $0.expanded(by: ChangeMap.blockSize).clipped(width: frameWidth, height: frameHeight), covered: $0) }
        // Overlapping scans are merged, so that no pixel is scanned twice.
        var merged = true
        while merged {
            merged = false
            outer: for i in regions.indices {
                for j in regions.indices where j > i && regions[i].scan.intersects(regions[j].scan) {
                    regions[i] = (regions[i].scan.union(regions[j].scan), regions[i].covered.union(regions[j].covered))
                    regions.remove(at: j)
                    merged = true
                    break outer
                }
            }
        }
        let whole = PixelRect(x: 0, y: 0, width: frameWidth, height: frameHeight)
        if regions.reduce(0, { $0 + $1.scan.area }) * 10 > whole.area * 9 { return [(whole, whole)] }
        return regions
    }

    /// Whether a box found now is the face a track followed: they overlap well, or one's centre
    /// lies in the other, at a similar size.
    private static func sameFace(_ a: FaceBox, _ b: FaceBox) -> Bool {
        let ratio = Double(a.height) / Double(max(b.height, 1))
        guard ratio > 0.6 && ratio < 1.67 else { return false }
        if a.iou(b) > 0.3 { return true }
        let (ax, ay) = ((a.left + a.right) / 2, (a.top + a.bottom) / 2)
        return ax >= b.left && ax <= b.right && ay >= b.top && ay <= b.bottom
    }
}
