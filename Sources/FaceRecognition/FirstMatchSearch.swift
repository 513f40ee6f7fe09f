import Imaging

/// First-match mode's search: on each sampled frame, HOG up the detection ladder, cheapest first,
/// each face found described on the full frame, until a face the rule trusts turns up. Once the
/// rule lets it stop, it names the first trusted match (the nearest, when a frame holds several),
/// else the nearest match within the tolerance, unless another person was about as near to it.
public final class FirstMatchSearch: FaceSearch {
    private let worker: any FaceFinder
    private let matcher: FaceMatcher
    private let ladder: DetectionLadder
    private let rule: FirstMatchRule
    private let threads: Int
    private var attendance: Attendance
    private var evidence: [FirstMatchEvidence] = []
    private var trusted: FirstMatchEvidence?
    private var framesSinceBorderline = 0

    public init(worker: any FaceFinder, matcher: FaceMatcher, ladder: DetectionLadder, rule: FirstMatchRule,
                keepsStrangerFaces: Bool, threads: Int) {
        (self.worker, self.matcher, self.ladder, self.rule, self.threads) = (worker, matcher, ladder, rule, threads)
        attendance = Attendance(tolerance: matcher.tolerance, keepsStrangerFaces: keepsStrangerFaces)
    }

    public func search(_ frame: any SearchFrame, at time: Double, checkTime: () throws -> Void) throws -> Bool {
        let (faces, image) = try findFaces(in: frame, checkTime: checkTime)
        // Strangers are counted as they are seen; of the known faces, only the one chosen.
        attendance.record(faces.filter { $0.match == nil }, in: image, at: time)
        let matches = faces.compactMap { face in
            face.candidate.flatMap {
                $0.distance <= tolerance ? FirstMatchEvidence(candidate: $0, frameTime: time, crop: FaceCrop.capture(face.box, in: image)) : nil
            }
        }
        evidence += matches
        trusted = trusted ?? matches.filter { rule.trusts($0.candidate, tolerance: tolerance) }.min { $0.candidate.distance < $1.candidate.distance }
        if !evidence.isEmpty { framesSinceBorderline += 1 }
        return trusted == nil && framesSinceBorderline < rule.borderlineFrames
    }

    private var tolerance: Double { matcher.tolerance }

    /// The strangers seen and the student chosen, with the evidence for that choice (nil when
    /// nobody was recognised surely enough).
    public func finish() -> (attendance: Attendance, chosen: FirstMatchEvidence?) {
        let chosen = trusted ?? evidence.filter { $0.candidate.margin >= rule.borderlineMargin }.min { $0.candidate.distance < $1.candidate.distance }
        guard let chosen else { return (attendance, nil) }
        var attendance = self.attendance
        attendance.record(chosen.candidate.name, at: [chosen.frameTime], bestDistance: chosen.candidate.distance, face: chosen.crop)
        return (attendance, chosen)
    }

    /// The faces of one frame, found up the ladder until one is trusted. Returns the full RGB frame
    /// too when faces were described on it (the report crops them from it).
    private func findFaces(in frame: any SearchFrame, checkTime: () throws -> Void) throws -> (faces: [RecognisedFace], frame: PixelImage?) {
        var full: PixelImage?
        func fullFrame() throws -> PixelImage {
            if let full { return full }
            full = try frame.timing(.decode) { try frame.image(width: frame.width, height: frame.height, format: .rgb) }
            return full!
        }
        var described: [RecognisedFace] = []
        for pass in ladder.passes(width: frame.width, height: frame.height) {
            // Upsampling finds faces too small to describe surely: not worth its cost (the ladder's
            // dearest pass) in a frame that already shows a match, trusted or borderline.
            if pass == .upsampled && described.contains(where: { $0.match != nil }) { break }
            try checkTime()
            let image: PixelImage
            switch pass {
            case .scaled(let width, let height):
                // HOG needs no colour: downscaled passes read the gray (luma) plane only.
                image = try frame.timing(.decode) { try frame.image(width: width, height: height, format: .gray) }
            case .full, .upsampled:
                image = try fullFrame()
            }
            let scale = Double(frame.width) / Double(image.width)
            let boxes = try frame.timing(.detect) {
                guard pass == .upsampled else {
                    return try worker.detect(in: image, threads: threads).map { $0.scaled(by: scale) }
                }
                // A frame above 1080p is doubled a tile at a time; a face found in two tiles is one face.
                var found: [FaceBox] = []
                for tile in ladder.upsampledTiles(width: image.width, height: image.height) {
                    try checkTime()
                    let inTile = try worker.detect(in: image, region: tile, upsample: true, threads: threads)
                    let new = inTile.filter { box in !found.contains { $0.overlaps(box) } }
                    found += new
                }
                return found
            }
            // A face a cheaper pass already described needs no second descriptor.
            let fresh = boxes.filter { box in !described.contains { $0.box.overlaps(box) } }
            if fresh.isEmpty { continue }
            described += try describe(fresh, in: try fullFrame(), timing: frame)
            if described.contains(where: { $0.candidate.map { rule.trusts($0, tolerance: tolerance) } ?? false }) { break }
        }
        if described.isEmpty {
            // Too dark or too flat for HOG at every size: once more with its luma histogram
            // equalised, the faces found described on that same frame.
            try checkTime()
            let rgb = try fullFrame()
            let equalised = frame.timing(.equalise) { rgb.equalisingLuma() }
            let boxes = try frame.timing(.detect) { try worker.detect(in: equalised, threads: threads) }
            if !boxes.isEmpty { return (try describe(boxes, in: equalised, timing: frame), equalised) }
        }
        return (described, full)
    }

    /// The faces at `boxes`, described on `image` and matched.
    private func describe(_ boxes: [FaceBox], in image: PixelImage, timing frame: any SearchFrame) throws -> [RecognisedFace] {
        let descriptors = try frame.timing(.describe) { try worker.describe(boxes, in: image) }
        return zip(boxes, descriptors).map { RecognisedFace(box: $0, descriptor: $1, matcher: matcher) }
    }
}
