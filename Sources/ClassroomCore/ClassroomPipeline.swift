import Foundation

/// The whole job for one video, in the order it happens:
/// fetch (download or open) → decode sampled frames → detect faces → describe them → match
/// against the known encodings → look the students up → render the CSV → store it.
/// The Lambda and the command line differ only in the VideoInput, StudentDirectory and
/// CSVOutput they pass in.
public final class ClassroomPipeline {
    public let matcher: FaceMatcher
    public let options: RecognitionOptions
    private let worker: FaceWorker

    /// One pipeline per thread: it owns a FaceWorker; the models behind it are shared.
    public init(models: FaceModels, known: KnownFaces, options: RecognitionOptions = RecognitionOptions()) throws {
        self.worker = try FaceWorker(models: models)
        self.matcher = FaceMatcher(known: known, tolerance: options.tolerance)
        self.options = options
    }

    public func process(_ input: VideoInput, directory: StudentDirectory, output: CSVOutput,
                        warn: (String) -> Void = { _ in }) throws -> VideoReport {
        var report = VideoReport(video: input.name)

        // Fetch: S3 GetObject into memory, or open a file.
        let video = try report.timing(.download) { try input.open() }

        // Decode → detect → describe → match, one sampled frame at a time.
        let sightings = try recognise(video, report: &report)

        // Look up each recognised student, keeping the ones the directory does not know.
        let students = try report.timing(.lookup) {
            try sightings.map { sighting -> (Sighting, StudentRecord?) in
                (sighting, try directory.record(named: sighting.name))
            }
        }
        for (sighting, record) in students where record == nil {
            warn("\(input.name): '\(sighting.name)' was recognised but has no row in \(directory.source); writing empty major and year")
        }

        // CSV, then store it (S3 PutObject, or an atomic file write).
        let csv = students.map { sighting, record in CSVFormat.row(options.mode.fields(sighting, record)) }.joined()
        report.students = students.map { $0.0.name }
        report.missingFromDirectory = students.filter { $0.1 == nil }.map { $0.0.name }
        try report.timing(.upload) { try output.store(Array(csv.utf8), for: input) }
        report.csv = csv
        return report
    }

    /// Samples the video at options.samplesPerSecond (t = 0, 1, 2 ... s by default) and recognises
    /// faces; in first-match mode it stops at the first frame that holds a known face.
    func recognise(_ video: VideoDecoder, report: inout VideoReport) throws -> [Sighting] {
        var attendance = Attendance(tolerance: options.tolerance)
        var sample = 0
        while true {
            let target = Double(sample) / options.samplesPerSecond
            sample += 1
            guard let time = try report.timing(.decode, { try video.seek(toFrameAt: target) }) else { break }
            report.framesDecoded += 1
            let faces = try findKnownFaces(in: video, report: &report)
            attendance.record(faces, at: time)
            if options.mode == .firstMatch && faces.contains(where: { $0.match != nil }) { break }
        }
        if report.framesDecoded == 0 {
            throw VideoError(source: video.source, kind: .corrupt, reason: "no frame could be decoded")
        }
        report.unknownPeople = attendance.unknownPeople
        return attendance.sightings
    }

    /// Runs HOG on the current frame at each size of the detection ladder, cheapest first, until a
    /// known face turns up; every face found is described on the full-resolution frame.
    private func findKnownFaces(in video: VideoDecoder, report: inout VideoReport) throws -> [RecognisedFace] {
        let info = video.info
        var full: RGBImage?
        var described: [RecognisedFace] = []
        for pass in options.ladder.passes(width: info.width, height: info.height) {
            let image: RGBImage
            switch pass {
            case .scaled(let width, let height):
                image = try report.timing(.decode) { try video.currentFrame(width: width, height: height) }
            case .full, .upsampled:
                if full == nil { full = try report.timing(.decode) { try video.currentFrame(width: info.width, height: info.height) } }
                image = full!
            }
            let scale = Double(info.width) / Double(image.width)
            let boxes = try report.timing(.detect) {
                try worker.detect(in: image, upsample: pass == .upsampled).map { $0.scaled(by: scale) }
            }
            // A face a cheaper pass already described needs no second descriptor.
            let fresh = boxes.filter { box in !described.contains { $0.box.overlaps(box) } }
            if fresh.isEmpty { continue }
            if full == nil { full = try report.timing(.decode) { try video.currentFrame(width: info.width, height: info.height) } }
            let descriptors = try report.timing(.describe) { try worker.describe(fresh, in: full!) }
            described += zip(fresh, descriptors).map { RecognisedFace(box: $0, descriptor: $1, match: matcher.match($1)) }
            if described.contains(where: { $0.match != nil }) { break }
        }
        return described
    }
}

/// How the pipeline samples and matches.
public struct RecognitionOptions: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Stop at the first sampled frame that holds a known face (the original handler).
        case firstMatch = "first"
        /// Sample the whole video and list everyone seen (attendance).
        case all

        func fields(_ sighting: Sighting, _ record: StudentRecord?) -> [String] {
            let base = [sighting.name, record?.major ?? "", record?.year ?? ""]
            switch self {
            case .firstMatch: return base
            case .all:
                return base + [String(format: "%.2f", sighting.firstSeen), String(format: "%.2f", sighting.lastSeen),
                               String(sighting.frames), String(format: "%.4f", sighting.bestDistance)]
            }
        }
    }

    public var mode: Mode
    public var tolerance: Double
    public var samplesPerSecond: Double
    public var ladder: DetectionLadder

    public init(mode: Mode = .firstMatch, tolerance: Double = 0.6, samplesPerSecond: Double = 1,
                ladder: DetectionLadder = DetectionLadder()) {
        self.mode = mode
        self.tolerance = tolerance
        self.samplesPerSecond = samplesPerSecond
        self.ladder = ladder
    }
}

/// The image sizes HOG tries on a frame: downscaled widths first (cheap: HOG's cost grows with
/// pixels), then full resolution, then one upsampling, which is what the original handler always
/// does, so recall is never below its.
public struct DetectionLadder: Sendable {
    public enum Pass: Equatable { case scaled(width: Int, height: Int), full, upsampled }

    public var downscaledWidths: [Int]

    public init(downscaledWidths: [Int] = [560, 960]) {
        self.downscaledWidths = downscaledWidths
    }

    func passes(width: Int, height: Int) -> [Pass] {
        let scaled = downscaledWidths.filter { $0 < width }.sorted().map { w in
            Pass.scaled(width: w, height: max(1, Int((Double(height) * Double(w) / Double(width)).rounded())))
        }
        return scaled + [.full, .upsampled]
    }
}

/// One face found on a frame: where, its descriptor, and whom it matches if anyone.
struct RecognisedFace {
    let box: FaceBox
    let descriptor: [Double]
    let match: FaceMatch?
}

extension FaceBox {
    /// Whether two boxes are the same face: intersection over union above one half.
    func overlaps(_ other: FaceBox) -> Bool {
        let w = min(right, other.right) - max(left, other.left) + 1
        let h = min(bottom, other.bottom) - max(top, other.top) + 1
        guard w > 0, h > 0 else { return false }
        let intersection = Double(w * h)
        let area = { (b: FaceBox) in Double((b.right - b.left + 1) * (b.bottom - b.top + 1)) }
        return intersection / (area(self) + area(other) - intersection) > 0.5
    }
}

/// Where a video comes from.
public protocol VideoInput {
    /// The file path or object key, as errors and logs name it.
    var name: String { get }
    /// The name of the CSV that answers for it: the base name without its extension.
    var stem: String { get }
    func open() throws -> VideoDecoder
}

extension VideoInput {
    public var stem: String {
        let base = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }
}

/// A video file on disk, decoded in place.
public struct VideoFile: VideoInput {
    public let path: String
    public var name: String { path }
    public init(path: String) { self.path = path }
    public func open() throws -> VideoDecoder { try VideoDecoder(path: path) }
}

/// Where the CSV goes.
public protocol CSVOutput {
    func store(_ csv: [UInt8], for input: VideoInput) throws
}

/// `DIR/<video stem>.csv`, written atomically.
public struct CSVDirectory: CSVOutput {
    public let path: String
    public init(path: String) { self.path = path }
    public func store(_ csv: [UInt8], for input: VideoInput) throws {
        try AtomicFile.write(csv, to: "\(path)/\(input.stem).csv")
    }
}

/// What happened to one video: who, how many frames, and where the time went.
public struct VideoReport: Sendable {
    public enum Stage: String, Sendable, CaseIterable { case download, decode, detect, describe, lookup, upload }

    public let video: String
    public var students: [String] = []
    public var missingFromDirectory: [String] = []
    public var unknownPeople = 0
    public var framesDecoded = 0
    public var milliseconds: [Stage: Double] = [:]
    public var csv = ""

    public init(video: String) { self.video = video }

    mutating func timing<T>(_ stage: Stage, _ work: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { milliseconds[stage, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }
        return try work()
    }
}
