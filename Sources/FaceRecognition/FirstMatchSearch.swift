import Imaging

/// First-match mode's search: on each sampled frame, HOG at each size of the detection ladder,
/// cheapest first, every face found described on the full-resolution frame, climbing until a face
/// the rule trusts turns up; a frame with no face at all is tried once more with its contrast
/// normalised. It stops once FirstMatchDecision has settled on one student.
public final class FirstMatchSearch: FaceSearch {
    private let worker: any FaceFinder
    private let matcher: FaceMatcher
    private let ladder: DetectionLadder
    private let threads: Int
    private var decision: FirstMatchDecision
    private var attendance: Attendance

    public init(worker: any FaceFinder, matcher: FaceMatcher, ladder: DetectionLadder, rule: FirstMatchRule,
                keepsStrangerFaces: Bool, threads: Int) {
        self.worker = worker
        self.matcher = matcher
        self.ladder = ladder
        self.threads = threads
        decision = FirstMatchDecision(rule: rule, tolerance: matcher.tolerance)
        attendance = Attendance(tolerance: matcher.tolerance, keepsStrangerFaces: keepsStrangerFaces)
    }

    public func search(_ frame: any SearchFrame, at time: Double, checkTime: () throws -> Void) throws -> Bool {
        let (faces, image) = try findFaces(in: frame, checkTime: checkTime)
        // Strangers are counted as they are seen; of the known faces, only the one chosen.
        attendance.record(faces.filter { $0.match == nil }, in: image, at: time)
        decision.record(faces, in: image, at: time)
        return !decision.isSettled
    }

    /// The strangers seen and the student chosen, with the evidence for that choice (nil when
    /// nobody was recognised surely enough).
    public func finish() -> (attendance: Attendance, chosen: FirstMatchEvidence?) {
        guard let chosen = decision.chosen else { return (attendance, nil) }
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
            let rgb = try fullFrame()
            let descriptors = try frame.timing(.describe) { try worker.describe(fresh, in: rgb) }
            described += zip(fresh, descriptors).map { RecognisedFace(box: $0, descriptor: $1, matcher: matcher) }
            if described.contains(where: decision.trusts) { break }
        }
        if described.isEmpty {
            try checkTime()
            let rgb = try fullFrame()
            let equalised = frame.timing(.equalise) { rgb.equalisingLuma() }
            described = try findFacesInLowLight(equalised, timing: frame)
            if !described.isEmpty { return (described, equalised) }
        }
        return (described, full)
    }

    /// A frame too dark or too flat for HOG at every size: once more with its luma histogram
    /// equalised, the faces found described on that same frame.
    private func findFacesInLowLight(_ equalised: PixelImage, timing frame: any SearchFrame) throws -> [RecognisedFace] {
        let boxes = try frame.timing(.detect) { try worker.detect(in: equalised, threads: threads) }
        if boxes.isEmpty { return [] }
        let descriptors = try frame.timing(.describe) { try worker.describe(boxes, in: equalised) }
        return zip(boxes, descriptors).map { RecognisedFace(box: $0, descriptor: $1, matcher: matcher) }
    }
}
