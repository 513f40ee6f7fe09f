import AWSClients
import ArgumentParser
import ClassroomCore
import Dispatch
import FoundationEssentials
import Glibc
import HTTPClient
import LogSink
import Media
import Settings
import Synchronization
import TextEncoding

struct UploadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Upload videos of a course to the input bucket, as COURSE/<file name>.",
        discussion: """
        Each file is checked to be a video first, from its bytes as the function reads them: one that \
        is not is refused before any byte is sent. A file over \(S3FileUpload.multipartThreshold >> 20) MiB \
        goes as a multipart upload, its parts sent in parallel, each retried; on a failure or Ctrl-C the \
        upload is aborted, so S3 keeps no part of it. On a terminal, stderr shows a progress bar. \
        --wait then waits for each video's CSV in OUTPUT_BUCKET and prints its rows.

        AWS is configured from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
        AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL for a local endpoint). Needs s3:PutObject and \
        s3:AbortMultipartUpload on the input bucket, and s3:GetObject on the output bucket for --wait.
        """)

    @Argument(help: ArgumentHelp("Video files.", valueName: "video"))
    var videos: [String]

    @Option(help: ArgumentHelp("The course: the key's folder (letters, digits, '.', '_' and '-').", valueName: "course"))
    var course: String

    @Option(help: ArgumentHelp("The input bucket. Env: \(Setting.inputBucket.variable).", valueName: "name"))
    var bucket: String = Setting.inputBucket.value()

    @Flag(help: "Wait for each video's CSV in the output bucket (OUTPUT_BUCKET) and print its rows.")
    var wait = false

    @Option(name: .customLong("wait-timeout"), help: ArgumentHelp("Seconds --wait waits for each CSV.", valueName: "seconds"))
    var waitTimeout: Double = 900

    @Option(help: ArgumentHelp(
        "With --wait: also print a link to the video's attendance page that works for this many hours (at most \(Share.maximumHours); see share).",
        valueName: "hours"))
    var share: Int?

    func validate() throws {
        guard !bucket.isEmpty else { throw ValidationError("no input bucket: set INPUT_BUCKET or pass --bucket") }
        guard waitTimeout > 0 else { throw ValidationError("--wait-timeout must be above 0") }
        if let share {
            guard wait else { throw ValidationError("--share needs --wait: the page is written with the CSV") }
            guard (1...Share.maximumHours).contains(share) else {
                throw ValidationError("--share \(share): a link can live 1 to \(Share.maximumHours) hours (7 days, the longest SigV4 signs)")
            }
        }
    }

    func run() throws {
        let course = try Course(course)
        // Every file is checked before any is sent: a wrong file in the list sends nothing.
        for path in videos { try Self.checkIsVideo(path) }
        let outputBucket = Setting.outputBucket.value()
        if wait && outputBucket.isEmpty { throw ValidationError("--wait needs OUTPUT_BUCKET, the bucket the CSVs are written to") }
        let s3 = S3Client(configuration: try AWSConfiguration.fromEnvironment(), http: try HTTPClient(), log: LogSink(Log.warning))
        for path in videos {
            let key = course.name + "/" + PathName.lastComponent(path)
            let started = Date()
            let interrupted = try upload(path, key: key, s3: s3)
            Log.info("uploaded \(path) to s3://\(bucket)/\(key)")
            if interrupted {
                // Ctrl-C during a single PutObject: that object is whole, the rest are not sent.
                Log.error("interrupted; no further video was sent")
                throw ExitCode(130)
            }
            if wait {
                let csvKey = VideoStem.of(key) + Setting.outputKeySuffix.value(keepingEmpty: true)
                let rows = try CSVWaiter(s3: s3, bucket: outputBucket, key: csvKey, timeout: waitTimeout).wait(since: started)
                Log.info("s3://\(outputBucket)/\(csvKey):")
                for row in rows.split(separator: "\n") { Log.info(String(row)) }
                if let share {
                    Log.info(try s3.presignedGetURL(bucket: outputBucket, key: AttendanceReportFiles.pagePath(forStem: VideoStem.of(key)), expiresInSeconds: share * 3600))
                }
            }
        }
    }

    /// Opens the file as the function would (the containers it accepts, recognised from the bytes).
    static func checkIsVideo(_ path: String) throws {
        do {
            _ = try VideoDecoder(path: path)
        } catch let error as VideoError {
            throw UploadRefused(path: path, reason: "not a video the function can read: \(error.reason)")
        }
    }

    /// Uploads one file; true when Ctrl-C came once nothing was left to abort (a single PutObject).
    private func upload(_ path: String, key: String, s3: S3Client) throws -> Bool {
        let upload = S3FileUpload(s3: s3, bucket: bucket, key: key, path: path, contentType: Self.contentType(path))
        let bar = TransferBar.onTerminal(name: PathName.lastComponent(path), total: Int64(try Self.size(path)))
        defer { bar?.finish() }
        let interrupted = Atomic<Bool>(false)
        // Ctrl-C stops a multipart upload between parts and aborts it, rather than killing the process with parts left in S3.
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { interrupted.store(true, ordering: .relaxed) }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
        do {
            try upload.run(progress: { bar?.update($0) }, isCancelled: { interrupted.load(ordering: .relaxed) })
            return interrupted.load(ordering: .relaxed)
        } catch is UploadCancelled {
            bar?.finish()
            Log.error("\(path): interrupted; the upload to s3://\(bucket)/\(key) was aborted, nothing stored")
            throw ExitCode(130)
        }
    }

    private static func size(_ path: String) throws -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { throw UploadRefused(path: path, reason: String(cString: strerror(errno))) }
        return Int(status.st_size)
    }

    private static func contentType(_ path: String) -> String {
        switch PathName.lastComponent(path).split(separator: ".").last?.lowercased() {
        case "mp4", "m4v": return "video/mp4"
        case "mov": return "video/quicktime"
        case "mkv": return "video/x-matroska"
        case "webm": return "video/webm"
        case "avi": return "video/x-msvideo"
        case "ts": return "video/mp2t"
        default: return "application/octet-stream"
        }
    }
}

struct UploadRefused: Error, LocalizedError {
    let path: String
    let reason: String
    var errorDescription: String? { "\(path): \(reason); nothing was uploaded" }
}

/// Polls the output bucket for a video's CSV written after its upload began.
struct CSVWaiter {
    let s3: S3Client
    let bucket: String
    let key: String
    let timeout: Double

    func wait(since started: Date) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        // Last-Modified has whole seconds: a CSV of the same second counts.
        let notBefore = started.timeIntervalSince1970.rounded(.down)
        while true {
            if let modified = try s3.objectLastModified(bucket: bucket, key: key), modified >= notBefore {
                return String(decoding: try s3.getObject(bucket: bucket, key: key, maxBytes: 16 << 20).withBuffer { Array($0) }, as: UTF8.self)
            }
            guard Date() < deadline else {
                throw WaitTimedOut(object: "s3://\(bucket)/\(key)", seconds: timeout)
            }
            usleep(500_000)
        }
    }
}

struct WaitTimedOut: Error, LocalizedError {
    let object: String
    let seconds: Double
    var errorDescription: String? {
        "no \(object) written within \(Printf.string("%g", seconds)) s of the upload: is the function deployed and triggered by the input bucket? (see its log)"
    }
}
