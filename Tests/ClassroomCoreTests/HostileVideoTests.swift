import ClassroomCore
import EncodingFile
import FaceEngine
import FaceRecognition
import Foundation
import Media
import RequestContext
import TestSupport
import XCTest

/// Crafted videos (issue 11) through the core: the memory path the Lambda uses and the file path
/// the command line uses. Each must fail with a clear VideoError, or finish, in bounded work and
/// memory, without connecting anywhere. Speed is the bench's business: the only clock here is
/// `hangSeconds`, which a hang exceeds and a slow shared machine does not.
final class HostileVideoTests: ScratchTestCase {
    private static let hangSeconds = 60.0

    private static var models: FaceModels?
    private var listener: LoopbackListener!

    override func setUpWithError() throws {
        try super.setUpWithError()
        listener = try LoopbackListener()
        try HostileInputs.write(to: scratch, listener: listener.url, localVideo: Project.clip("test_0"))
        if Self.models == nil { Self.models = try FaceModels(paths: ModelPaths(directory: Project.models)) }
    }

    override func tearDownWithError() throws {
        listener.stop()
        try super.tearDownWithError()
    }

    private func pipeline(_ mode: RecognitionOptions.Mode) throws -> ClassroomPipeline {
        try ClassroomPipeline(models: Self.models!, known: EncodingFile.read(contentsOf: Project.root.appendingPathComponent("encoding").path),
                              options: RecognitionOptions(mode: mode, parallelism: mode == .all ? 2 : 1))
    }

    private var students: StudentTable {
        get throws { try StudentTable(contentsOf: Project.root.appendingPathComponent("student_data.json").path) }
    }

    private func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "\(scratch)/\(name)")))
    }

    /// Seconds `work` takes.
    private func seconds(_ work: () throws -> Void) throws -> Double {
        let start = Deadline.nowNanoseconds()
        try work()
        return Double(Deadline.nowNanoseconds() - start) / 1e9
    }

    /// Opens `name` both ways and checks that each refuses it with `kind`, without hanging, and that
    /// the error names the source and says `reason`.
    private func assertRefused(_ name: String, _ kind: VideoError.Kind, saying reason: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let path = "\(scratch)/\(name)"
        let opens: [(String, () throws -> VideoDecoder)] = [
            ("memory", { try VideoDecoder(bytes: try self.bytes(name), source: "s3://in/\(name)") }),
            ("file", { try VideoDecoder(path: path) }),
        ]
        for (way, open) in opens {
            let elapsed = try seconds {
                XCTAssertThrowsError(try open(), "\(name) (\(way)) opened", file: file, line: line) { error in
                    let video = error as? VideoError
                    XCTAssertEqual(video?.kind, kind, "\(name) (\(way)): \(error)", file: file, line: line)
                    let text = error.localizedDescription
                    XCTAssertTrue(text.contains(name) && text.contains(reason), "\(name) (\(way)): \(text)", file: file, line: line)
                }
            }
            XCTAssertLessThan(elapsed, Self.hangSeconds, "\(name) (\(way)) hung \(elapsed) s before refusing", file: file, line: line)
        }
    }

    /// HLS, DASH, SDP, concat (named .mp4) and an HLS playlist naming a local course clip: refused
    /// as containers on both paths, and nothing connects to the listener.
    func testPlaylistsAndNestedOpensReachNothingAndFailFast() throws {
        for name in HostileInputs.nestedOpens {
            let format = String(name.prefix { $0 != "." && $0 != "-" })
            try assertRefused(name, .containerNotAllowed, saying: "a \(format) file")
        }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(listener.connections, 0, "a crafted file made libav connect to the listener")
    }

    /// Real photos (PNG, JPEG, WebP, BMP) and the course's MP4 still open, on both paths.
    func testPhotosAndCourseClipsStillOpen() throws {
        for format in ["png", "jpg", "webp", "bmp"] {
            let photo = "\(scratch)/photo.\(format)"
            try Command.ffmpeg(["-i", Project.clip("test_0"), "-frames:v", "1", photo])
            for video in [try VideoDecoder(path: photo), try VideoDecoder(bytes: try bytes("photo.\(format)"), source: format)] {
                XCTAssertEqual(video.info.width, 1280, format)
                XCTAssertNotNil(try video.seek(toFrameAt: 0), format)
            }
        }
        XCTAssertEqual(try VideoDecoder(path: Project.clip("test_1")).info.container, "mov,mp4,m4a,3gp,3g2,mj2")
    }

    /// 1-bit PNG bombs named .mp4 (8000x8000 in 8 KB, 16000x16000 in 31 KB): refused before any
    /// picture is allocated (decoding the smaller one takes gigabytes).
    func testPictureBombsAreRefusedFastInBoundedMemory() throws {
        let peak = try PeakMemory()
        for name in HostileInputs.pictureBombs {
            try assertRefused(name, .tooLarge, saying: "33177600 pixels")
            XCTAssertThrowsError(try pipeline(.firstMatch).process(VideoFile(path: "\(scratch)/\(name)"), directory: students,
                                                                   output: OutputFolder(path: scratch)))
        }
        let growth = try peak.growth()
        print("picture bombs: peak memory growth \(growth >> 20) MiB")
        XCTAssertLessThan(growth, 100 << 20, "peak RSS grew on a picture bomb")
    }

    /// A 4K frame (below the limit) is upsampled a tile of at most 1080p at a time: the memory of a
    /// doubled 1080p frame, not that of the whole frame doubled.
    func testALargeFrameIsUpsampledInTilesInBoundedMemory() throws {
        let still = "\(scratch)/still-4k.png"
        try Command.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=3840x2160", "-frames:v", "1", still])
        let pipeline = try pipeline(.firstMatch)
        let peak = try PeakMemory()
        let report = try pipeline.process(VideoFile(path: still), directory: students, output: OutputFolder(path: scratch))
        XCTAssertEqual(report.framesDecoded, 1)
        // Doubled whole, the frame would be a 7680x4320 image and its HOG pyramid: gigabytes.
        let growth = try peak.growth()
        print("one 4K frame: peak memory growth \(growth >> 20) MiB")
        XCTAssertLessThan(growth, 400 << 20, "peak RSS on one 4K frame")
    }

    /// Headers declaring 9.2e18 s and 4.2e9 s: refused in every mode, before a sample count that
    /// would overflow or a sampling loop over the declared seconds.
    func testAbsurdDurationsAreRefusedInEveryMode() throws {
        for name in [HostileInputs.absurdDuration, HostileInputs.longDeclaredDuration] {
            try assertRefused(name, .corrupt, saying: "more than the 86400 s a video may last")
            for mode in RecognitionOptions.Mode.allCases {
                let elapsed = try seconds {
                    XCTAssertThrowsError(try pipeline(mode).process(VideoFile(path: "\(scratch)/\(name)"), directory: students,
                                                                    output: OutputFolder(path: scratch)), "\(name) \(mode)")
                }
                XCTAssertLessThan(elapsed, Self.hangSeconds, "\(name) in \(mode) mode")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(scratch)/duration-9e18.csv"))
    }

    /// Two frames, the second at 2.1e9 s, no declared duration: sampling jumps to that frame, then
    /// ends, in both modes, having decoded two frames (one loop step per second up to 2.1e9 would hang).
    func testAFrameFarAheadCostsOneStep() throws {
        for mode in RecognitionOptions.Mode.allCases {
            let elapsed = try seconds {
                let report = try pipeline(mode).process(VideoFile(path: "\(scratch)/\(HostileInputs.farFrame)"),
                                                        directory: students, output: OutputFolder(path: scratch))
                XCTAssertEqual(report.framesDecoded, 2, "\(mode)")
                XCTAssertEqual(report.students, [], "\(mode)")
            }
            XCTAssertLessThan(elapsed, Self.hangSeconds, "\(mode) mode")
        }
    }

    /// A deadline already passed: libav's open fails with a VideoError saying so, on both paths.
    func testAPassedDeadlineStopsTheOpen() throws {
        let clip = Project.clip("test_0")
        let passed = Deadline.after(seconds: 0)
        let opens: [() throws -> VideoDecoder] = [
            { try VideoDecoder(path: clip, deadline: passed) },
            { try VideoDecoder(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: clip))), source: clip, deadline: passed) },
        ]
        for open in opens {
            XCTAssertThrowsError(try open()) { error in
                XCTAssertEqual((error as? VideoError)?.kind, .deadlinePassed, "\(error)")
                XCTAssertTrue(error.localizedDescription.contains("deadline passed"), error.localizedDescription)
            }
        }
    }

    /// A video with nobody in it, longer than the deadline allows: sampling stops at the deadline,
    /// long before the end, the error says how far it got, and no CSV is written. Both modes.
    func testTheDeadlineStopsSamplingAndNoCSVIsWritten() throws {
        let video = "\(scratch)/nobody.mp4"
        // A moving test pattern: every sample has something to scan.
        try Command.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=960x540:r=1:d=1200", "-c:v", "libx264", "-preset", "ultrafast", video])
        let allowed = 1.5
        for mode in RecognitionOptions.Mode.allCases {
            let pipeline = try pipeline(mode)
            let deadline = Deadline.after(seconds: allowed)
            let elapsed = try seconds {
                XCTAssertThrowsError(try pipeline.process(VideoFile(path: video), directory: students,
                                                          output: OutputFolder(path: scratch), deadline: deadline)) { error in
                    guard let stop = error as? VideoDeadlineError, case .sampling(let reached, let duration) = stop.stage else {
                        return XCTFail("\(mode): \(error)")
                    }
                    XCTAssertEqual(stop.video, video)
                    XCTAssertGreaterThan(stop.framesDone, 0, "\(mode)")
                    XCTAssertLessThan(stop.framesDone, 1200, "\(mode)")
                    XCTAssertGreaterThanOrEqual(reached, 0, "\(mode)")
                    XCTAssertLessThan(reached, 1200, "\(mode)")
                    XCTAssertEqual(duration ?? 0, 1200, accuracy: 0.5)
                    let text = stop.localizedDescription
                    XCTAssertTrue(text.contains(video) && text.contains("deadline passed after") && text.contains("into the 1200.0 s video")
                                  && text.contains("no CSV was written"), text)
                }
            }
            XCTAssertLessThan(elapsed, allowed + Self.hangSeconds, "\(mode) mode went on \(elapsed - allowed) s past the deadline")
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(scratch)/nobody.csv"), "\(mode) wrote a CSV")
        }
    }

    /// A 4K frame searched for faces down to 20 px is dozens of scans: the deadline stops them
    /// part way through the frame, not after it. The yardstick is the same frame's whole search,
    /// timed here, on the same machine, so a slow machine slows both sides.
    func testTheDeadlineStopsTheScansOfOneFramePartWay() throws {
        let video = "\(scratch)/pattern-4k.mp4"
        try Command.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=3840x2160:r=1:d=20", "-c:v", "libx264", "-preset", "ultrafast", video])
        let firstFrame = "\(scratch)/pattern-4k-first.png"
        try Command.ffmpeg(["-i", video, "-frames:v", "1", firstFrame])
        let pipeline = try ClassroomPipeline(models: Self.models!, known: EncodingFile.read(contentsOf: Project.root.appendingPathComponent("encoding").path),
                                             options: RecognitionOptions(mode: .all, parallelism: 2, minFace: 20))
        let wholeFrame = try seconds {
            XCTAssertEqual(try pipeline.process(VideoFile(path: firstFrame), directory: students, output: OutputFolder(path: scratch)).framesDecoded, 1)
        }
        let allowed = 1.0
        let deadline = Deadline.after(seconds: allowed)
        let elapsed = try seconds {
            XCTAssertThrowsError(try pipeline.process(VideoFile(path: video), directory: students,
                                                      output: OutputFolder(path: scratch), deadline: deadline)) { error in
                XCTAssertTrue(error is VideoDeadlineError, "\(error)")
            }
        }
        print("4K frame: stopped \(elapsed - allowed) s past the deadline; the whole frame takes \(wholeFrame) s")
        XCTAssertLessThan(elapsed - allowed, wholeFrame / 2, "went on \(elapsed - allowed) s past the deadline; a whole frame takes \(wholeFrame) s")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(scratch)/pattern-4k.csv"))
    }

    /// The deadline passes after sampling, while the students are looked up: the CSV is not stored.
    func testADeadlinePassedBeforeStoringStoresNothing() throws {
        struct SlowDirectory: StudentDirectory {
            let wrapped: StudentTable
            let deadline: Deadline
            var source: String { wrapped.source }
            func record(named name: String, context: RequestContext) throws -> StudentRecord? {
                Thread.sleep(forTimeInterval: max(0, deadline.secondsRemaining) + 0.01)
                return wrapped.record(named: name)
            }
        }
        struct RecordingOutput: CSVOutput {
            final class Calls: @unchecked Sendable { var count = 0 }
            let calls = Calls()
            func csvPath(for input: VideoInput) -> String { input.stem + ".csv" }
            func store(_ csv: RenderedFile, context: RequestContext) throws { calls.count += 1 }
        }
        let deadline = Deadline.after(seconds: 3)
        let output = RecordingOutput()
        XCTAssertThrowsError(try pipeline(.firstMatch).process(VideoFile(path: Project.clip("test_0")),
                                                               directory: SlowDirectory(wrapped: try students, deadline: deadline),
                                                               output: output, deadline: deadline)) { error in
            guard let stop = error as? VideoDeadlineError, case .storing = stop.stage else { return XCTFail("\(error)") }
            XCTAssertEqual(stop.framesDone, 1)
            XCTAssertTrue(stop.localizedDescription.contains("before the CSV was stored"), stop.localizedDescription)
        }
        XCTAssertEqual(output.calls.count, 0)
    }
}
