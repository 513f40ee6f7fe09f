import AWSClients
import ArgumentParser
import ClassroomCore
import ClassroomFunction
import EncodingFile
import FoundationEssentials
import HTTPClient
import LogSink
import Settings

struct Forget: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase a person's biometric data (and with --record their student row) everywhere it was written.",
        discussion: """
        In turn: their encodings in --encoding (a file, or the S3 object the function reads as \
        ENCODING_URI, written only if unchanged since read, as enroll --add does); their face on every \
        attendance page under --reports (a folder process wrote, or s3://BUCKET[/PREFIX]), found \
        through each page's manifest and replaced by a note that it was erased at their request \
        (their attendance rows stay: a school's record); every fan-out partial under FANOUT_PREFIX \
        of --output-bucket that names them; with --record, their row in --table or --students. Each step prints what it deleted. A second run deletes nothing and \
        succeeds. A video of them processed afterwards lists them as unknown.
        """)

    @Argument(help: ArgumentHelp("The person's name, as the encoding and the student table spell it.", valueName: "name"))
    var name: String

    @OptionGroup var encoding: EncodingOptionGroup

    @Option(name: .customLong("output-bucket"), help: ArgumentHelp(
        "The function's output bucket, whose fan-out partials naming them are deleted. Env: \(Setting.outputBucket.variable).", valueName: "bucket"))
    var outputBucket: String? = Setting.outputBucket.givenValue()

    @Option(name: .customLong("fanout-prefix"), help: ArgumentHelp("Where fan-out jobs live in the output bucket. Env: \(Setting.fanOutPrefix.variable).", valueName: "prefix"))
    var fanOutPrefix: String = Setting.fanOutPrefix.value()

    @Option(name: .customLong("reports"), help: ArgumentHelp(
        "Where attendance reports are: a folder, or s3://BUCKET[/PREFIX] (the output bucket).", valueName: "dir|s3://bucket[/prefix]"))
    var reports: String?

    @Flag(help: "Also delete their student row (in --table or --students); without it, their attendance record stays.")
    var record = false

    @OptionGroup var students: StudentRowsOptionGroup

    func validate() throws {
        if record && students.studentsFile == nil && students.table == nil {
            throw ValidationError("--record needs --table or --students: the row to delete")
        }
    }

    func run() throws {
        var total = 0
        for step in try steps() {
            let deleted = try step.erase(name)
            total += deleted.count
            Log.info(deleted.isEmpty ? "\(step.place): nothing of '\(name)' to delete" : deleted.map { "deleted \($0)" }.joined(separator: "\n"))
        }
        Log.info(total == 0 ? "'\(name)': nothing left to delete" : "'\(name)': deleted \(total) item\(total == 1 ? "" : "s")")
    }

    /// The places erased, in order: the encoding first, so that nothing recognises them while the rest goes.
    private func steps() throws -> [ErasureStep] {
        var steps: [ErasureStep] = [EncodingErasure(store: try encoding.store())]
        if let reports {
            let store: AttendanceReportStore
            if S3Location.isURI(reports) {
                let location = try S3Location(uri: reports)
                store = S3OutputBucket(s3: try s3(), bucket: location.bucket, reportsPrefix: location.key)
            } else {
                store = OutputFolder(path: reports)
            }
            steps.append(ErasureStepOf(place: store.place, store.erasePictures))
        }
        if let outputBucket {
            let s3 = try s3()
            let partials = FanOutPartialErasure(s3: s3, bucket: outputBucket, prefix: fanOutPrefix, log: LogSink(Log.warning))
            steps.append(ErasureStepOf(place: "s3://\(outputBucket)/\(fanOutPrefix)", partials.erase))
        }
        if record, let rows = try students.rows() {
            steps.append(ErasureStepOf(place: rows.source, rows.remove))
        }
        return steps
    }

    private func s3() throws -> S3Client {
        S3Client(configuration: try AWSConfiguration.fromEnvironment(), http: try HTTPClient(), log: LogSink(Log.warning))
    }
}

/// One place `forget` erases a person from.
protocol ErasureStep {
    /// Where, as messages name it.
    var place: String { get }
    /// Deletes what of `name` is there; a line for each thing deleted (none when nothing was there).
    func erase(_ name: String) throws -> [String]
}

/// A step made of a place and a function.
struct ErasureStepOf: ErasureStep {
    let place: String
    let erase: (String) throws -> [String]

    init(place: String, _ erase: @escaping (String) throws -> [String]) {
        self.place = place
        self.erase = erase
    }

    func erase(_ name: String) throws -> [String] { try erase(name) }
}

/// Their encodings, by one conditional edit of the encoding.
struct EncodingErasure: ErasureStep {
    let store: EncodingStore
    var place: String { store.location }

    func erase(_ name: String) throws -> [String] {
        var removed = 0
        try store.update { current in
            guard let current else { throw EncodingEraseError(location: store.location, reason: "there is no such encoding") }
            removed = current.count(of: name)
            guard removed > 0 else { return nil }
            let kept = current.removing(name)
            if kept.names.isEmpty {
                throw EncodingEraseError(location: store.location,
                                         reason: "'\(name)' is the only person in it, and an encoding must name someone: delete it instead")
            }
            return kept
        }
        return removed == 0 ? [] : ["\(removed) encoding\(removed == 1 ? "" : "s") of '\(name)' in \(store.location)"]
    }
}

struct EncodingEraseError: Error, LocalizedError {
    let location: String
    let reason: String
    var errorDescription: String? { "encoding \(location): \(reason)" }
}
