import ArgumentParser
import ClassroomCore
import EncodingFile
import FaceEngine
import FaceRecognition
import FoundationEssentials
import LogSink
import RequestContext
import Settings

struct ProcessVideos: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Recognise the students in video files and write DIR/<video stem>.csv for each.",
        discussion: """
        In the default mode (--mode first) the CSV holds one row, name,major,year (no header): the \
        student recognised, as the original handler returned one name. A wrong student's record is worse \
        than none, so a match is trusted only when its face distance is at least \(trustRule.depth) inside \
        --tolerance and at least \(trustRule.margin) below the distance to the nearest encoding of anyone \
        else; sampling stops at the first frame holding such a face (the nearest one if several). A \
        borderline match (within --tolerance, not trusted) keeps the sampling going, the larger detection \
        sizes included (bar upsampling, once a frame shows a match), for at most \(trustRule.borderlineFrames) sampled frames from the first borderline one; \
        then the nearest match seen within --tolerance is named, unless another person was within \
        \(trustRule.borderlineMargin) of it (a coin toss: nobody is named). A frame where no face is found at any \
        size is tried once more with its luma histogram equalised (dim rooms).

        --mode all samples the whole video and lists everyone seen, faces down to --min-face pixels tall \
        followed through it and each named once from all its looks (never on one blurred frame), one \
        row each: name,major,year,\
        first_seen_s,last_seen_s,frames_seen,best_distance.

        A video in which nobody is recognised gets an empty CSV. A recognised name that the student \
        table lacks gets empty major and year, and a warning. A video that cannot be decoded gets no CSV, \
        one line on stderr, and the exit status 1; the other videos are still processed.

        With --mode all (or --report), DIR/<video stem>.html is written too, before the CSV: a page \
        showing who was present (with the face that matched best, inline, and a timeline of when), who \
        of the --roster was absent (no absent list without one), and how many unknown people were seen \
        and when (their faces only with --unknown-crops); DIR/<video stem>.faces.json says whose face \
        is which picture (forget reads it). On a terminal, stderr shows each video's progress on one line.
        """)

    private static let trustRule = FirstMatchRule()

    @Argument(help: ArgumentHelp("Video files (any codec and container libavformat opens).", valueName: "video"))
    var videos: [String]

    @Option(name: .customLong("out"), help: ArgumentHelp("Folder for the CSVs (created if missing).", valueName: "dir"))
    var outputDirectory: String = "out"

    @Option(name: .customLong("students"), help: ArgumentHelp(
        "The student table standing in for DynamoDB: a JSON list of {id, name, major, year}. Env: \(Setting.studentData.variable).",
        valueName: "file"))
    var studentData: String = Setting.studentData.value()

    @Option(help: "first: name the one student matched surely enough (see above). all: list everyone seen (attendance).")
    var mode: RecognitionOptions.Mode = .firstMatch

    @Option(help: "Frames sampled per second of video.")
    var fps: Double = 1

    @Option(help: "Cores used (default: all): videos at once in first-match mode, chunks of one video at once in attendance mode. The models are loaded once.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("detection-widths"), parsing: .upToNextOption, help: ArgumentHelp(
        "First-match mode: downscaled widths HOG tries, smallest first, before full resolution and one upsampling.", valueName: "px"))
    var detectionWidths: [Int] = DetectionLadder().downscaledWidths

    @Option(name: .customLong("min-face"), help: ArgumentHelp(
        "Attendance: the smallest face to find, in pixels tall in the frame as displayed. Larger is faster. Env: \(Setting.minFace.variable).",
        valueName: "px"))
    var minFace: Int = Int(Setting.minFace.value()) ?? Int(Setting.minFace.defaultNumber)

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Write the attendance page DIR/<stem>.html and its manifest (default: on with --mode all, off with --mode first)."))
    var report: Bool?

    @Flag(name: .customLong("unknown-crops"), help: ArgumentHelp(
        "Keep a face crop of each unknown person on the page. This stores the biometric data of people who are not enrolled and never consented (a visitor, a parent, another class's student). Env: \(Setting.reportUnknownFaces.variable)=crops."))
    var unknownCrops: Bool = Setting.reportUnknownFaces.value() == "crops"

    @Option(help: ArgumentHelp(
        "The class's roster: a CSV with a header line 'name' and one enrolled student per line. The page then lists who of it was absent.",
        valueName: "file"))
    var roster: String?

    @OptionGroup var recognition: RecognitionOptionGroup

    @Flag(help: .hidden)
    var evidence = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard fps > 0 && fps <= 120 else { throw ValidationError("--fps must be above 0 and at most 120") }
        guard RecognitionOptions.minFaceRange.contains(minFace) else {
            throw ValidationError("--min-face must be from \(RecognitionOptions.minFaceRange.lowerBound) to \(RecognitionOptions.minFaceRange.upperBound) pixels")
        }
    }

    func run() throws {
        let known = try recognition.loadKnownFaces()
        let course = CourseContext(roster: try roster.map { try Roster(contentsOf: $0) })
        let students = try StudentTable(contentsOf: studentData)
        let models = try recognition.loadModels()
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let attendance = mode == .all
        var options = RecognitionOptions(mode: mode, tolerance: recognition.tolerance, samplesPerSecond: fps,
                                         ladder: DetectionLadder(downscaledWidths: detectionWidths), minFace: minFace,
                                         unknownFaceCrops: unknownCrops)
        options.share(cores: jobs, videosAtOnce: videos.count)
        FaceModels.setDescriptorThreads(options.detectionThreads)
        let output = OutputFolder(path: outputDirectory)
        let pages = (report ?? attendance) ? output : nil
        let progressLine = ProgressLine.onTerminal

        let failures = try forEachInParallel(videos, jobs: attendance ? 1 : min(jobs, videos.count), makeWorker: {
            try ClassroomPipeline(models: models, known: known, options: options)
        }) { pipeline, path in
            let report: VideoReport
            do {
                defer { progressLine?.finished(path) }
                report = try pipeline.process(try pipeline.open(VideoFile(path: path), context: RequestContext(log: LogSink(Log.warning))),
                                              directory: students, output: output, attendanceReport: pages, course: course,
                                              progress: progressLine?.reporter(for: path))
            }
            Log.info(summary(report, withPage: pages != nil))
            if evidence { Log.data(try FirstMatchAnswer(report).jsonLine()) }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func summary(_ report: VideoReport, withPage: Bool) -> String {
        let total = report.milliseconds.values.reduce(0, +)
        var names = report.students.joined(separator: " ")
        if names.isEmpty { names = "nobody recognised" }
        if report.unknownPeople > 0 { names += " (+\(report.unknownPeople) unknown)" }
        let stages = StageTimings.Stage.allCases.compactMap { stage in
            report.milliseconds[stage].map { "\(stage.rawValue) \(Int($0.rounded()))" }
        }
        let frames = report.framesDecoded == 1 ? "1 frame" : "\(report.framesDecoded) frames"
        let stem = "\(outputDirectory)/\(VideoFile(path: report.video).stem)"
        return "\(report.video): \(names) -> \(stem).csv" + (withPage ? " \(stem).html" : "")
            + " [\(frames), \(Int(total.rounded())) ms: \(stages.joined(separator: ", "))]"
    }
}

extension RecognitionOptions.Mode: ExpressibleByArgument {}

/// What --evidence prints on stderr for each video (scripts/margin-report reads it): the student
/// first-match mode chose, the nearest other person, and the frame.
struct FirstMatchAnswer: Encodable {
    let video: String
    let name: String?
    let distance: Double?
    let other: String?
    let otherDistance: Double?
    let frameTime: Double?
    let frames: Int

    init(_ report: VideoReport) {
        let chosen = report.firstMatch
        video = report.video
        name = chosen?.candidate.name
        distance = chosen?.candidate.distance
        other = chosen?.candidate.other
        otherDistance = chosen?.candidate.otherDistance
        frameTime = chosen?.frameTime
        frames = report.framesDecoded
    }

    func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Runs `body` over the items on `jobs` threads, each with its own worker made once; an item
/// that throws is logged on one line and counted, and the others go on.
func forEachInParallel<Worker, Item>(_ items: [Item], jobs: Int, makeWorker: () throws -> Worker,
                                     body: (Worker, Item) throws -> Void) throws -> Int {
    let workers = try (0..<max(jobs, 1)).map { _ in try makeWorker() }
    let failed = ParallelWork.map(items, workers: workers) { worker, item -> Bool in
        do {
            try body(worker, item)
            return false
        } catch {
            Log.error(error.readableDescription)
            return true
        }
    }
    return failed.filter { $0 }.count
}
