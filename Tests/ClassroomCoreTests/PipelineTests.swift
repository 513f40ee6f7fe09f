import ClassroomCore
import EncodingFile
import Foundation
import TestSupport
import XCTest

/// The recognition core through its public API, with the real models and course clips.
final class PipelineTests: ScratchTestCase {
    private static var models: FaceModels?

    override func setUpWithError() throws {
        try super.setUpWithError()
        if Self.models == nil { Self.models = try FaceModels(paths: ModelPaths(directory: Project.models)) }
    }

    private func pipeline(_ options: RecognitionOptions = RecognitionOptions()) throws -> ClassroomPipeline {
        try ClassroomPipeline(models: Self.models!, known: EncodingFile.read(contentsOf: Project.root.appendingPathComponent("encoding").path),
                              options: options)
    }

    private var students: StudentTable {
        get throws { try StudentTable(contentsOf: Project.root.appendingPathComponent("student_data.json").path) }
    }

    /// A read that fails (a ranged GET past its retries, say) is reported as the reader's error, which
    /// names the object and why, not as a corrupt video.
    func testAFailedReadIsReportedAsTheReadersError() throws {
        final class FailingHalfway: VideoByteReader {
            let bytes: [UInt8]
            let failure = VideoError(source: "s3://in/lecture.mp4", kind: .unreadable, reason: "S3 GetObject failed after 5 attempts")
            init(_ bytes: [UInt8]) { self.bytes = bytes }
            var size: Int { bytes.count }
            func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
                if offset + buffer.count > bytes.count / 2 { throw failure }
                bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + buffer.count])) }
                return buffer.count
            }
        }
        let reader = FailingHalfway(Array(try Data(contentsOf: URL(fileURLWithPath: Project.clip("test_1")))))
        XCTAssertThrowsError(try {
            let video = try VideoDecoder(reader: reader, source: "s3://in/lecture.mp4")
            var second = 0.0
            while try video.seek(toFrameAt: second) != nil { second += 0.25 }
        }()) { error in
            XCTAssertEqual(error.localizedDescription, reader.failure.localizedDescription)
        }
    }

    /// The Lambda decodes what it downloaded from memory: the same frames as from the file.
    func testMemoryAndFileDecodingGiveTheSameFrames() throws {
        let path = Project.clip("test_1")
        let fromFile = try VideoDecoder(path: path)
        let fromMemory = try VideoDecoder(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), source: "memory")
        XCTAssertEqual(fromFile.info.width, 1920)
        XCTAssertEqual(fromMemory.info.height, 1080)
        for second in [0.0, 1.0] {
            let a = try fromFile.seek(toFrameAt: second), b = try fromMemory.seek(toFrameAt: second)
            XCTAssertEqual(a, b)
            XCTAssertEqual(try fromFile.currentFrame(width: 320, height: 180).pixels,
                           try fromMemory.currentFrame(width: 320, height: 180).pixels, "frame at \(second) s")
        }
        XCTAssertNil(try fromFile.seek(toFrameAt: 60), "past the end")
    }

    /// Sampling at k / fps seconds lands on the first frame at or after that time, the last
    /// partial second included, and its pixels
    /// are exactly those of the same frame decoded frame by frame from the start, although the
    /// frames before it that nothing refers to were skipped. Three encodings: B-frames that others
    /// refer to (x264's default), B-frames that none refer to, and no B-frames; 1 and 12 samples a second.
    func testSamplingGivesExactlyTheFirstFrameAtOrAfterEachSampleTime() throws {
        let clips = ["test_1", "test_4", "test_8"].map(Project.clip)
        let filter = (0..<clips.count).map { "[\($0):v]scale=320:180,setsar=1,fps=30[v\($0)]" }.joined(separator: ";")
            + ";" + (0..<clips.count).map { "[v\($0)]" }.joined() + "concat=n=\(clips.count):v=1[out]"
        let encodings = ["pyramid": ["-bf", "3", "-x264-params", "b-pyramid=normal"],
                         "flat": ["-bf", "3", "-x264-params", "b-pyramid=none"],
                         "no-b": ["-bf", "0"]]
        for (name, settings) in encodings.sorted(by: { $0.key < $1.key }) {
            let path = "\(scratch)/\(name).mp4"
            try Command.ffmpeg(clips.flatMap { ["-i", $0] } + ["-filter_complex", filter, "-map", "[out]",
                               "-c:v", "libx264", "-g", "40"] + settings + [path])
            let probe = try Command.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time",
                                                    "-of", "csv=p=0", path])
            // Times from the stream's start, as the decoder gives them.
            let stamps = probe.stdout.split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }.sorted()
            let frames = stamps.map { $0 - (stamps.first ?? 0) }
            let last = try XCTUnwrap(frames.last)
            for perSecond in [1.0, 12.0] {
                let sampled = try VideoDecoder(path: path)
                let reference = try VideoDecoder(path: path)
                var referenceFrame = 0
                var k = 0
                while Double(k) / perSecond <= last {
                    let target = Double(k) / perSecond
                    let expected = try XCTUnwrap(frames.first { $0 >= target - 1e-4 })
                    let time = try XCTUnwrap(sampled.seek(toFrameAt: target), "\(name): no frame for \(target) s")
                    XCTAssertEqual(time, expected, accuracy: 1e-6, "\(name): sample at \(target) s")
                    while frames[referenceFrame] < time - 1e-6 { referenceFrame += 1 }
                    for step in frames[...referenceFrame].suffix(2) { _ = try reference.seek(toFrameAt: step) }
                    let same = try sampled.currentFrame(width: 320, height: 180).pixels == reference.currentFrame(width: 320, height: 180).pixels
                    XCTAssertTrue(same, "\(name): the frame at \(time) s differs from the one decoded frame by frame")
                    k += 1
                }
                XCTAssertGreaterThan(k, Int(last * perSecond), "\(name): the last partial second was not sampled")
            }
        }
    }

    /// A video in memory goes through the whole pipeline to a CSV, as in the Lambda.
    func testPipelineFromMemoryToCSV() throws {
        struct InMemory: VideoInput {
            let name = "uploads/lecture one.mp4"
            let bytes: [UInt8]
            func fetch() throws -> VideoSource { .memory(VideoBytes(bytes), name: name) }
        }
        let input = InMemory(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Project.clip("test_8")))))
        XCTAssertEqual(input.stem, "lecture one")
        let report = try pipeline().process(input, directory: students, output: CSVDirectory(path: scratch))
        XCTAssertEqual(report.students, ["president_obama"])
        XCTAssertEqual(report.framesDecoded, 1, "first-match mode stops at the first frame with a known face")
        XCTAssertEqual(try String(contentsOfFile: scratch + "/lecture one.csv", encoding: .utf8),
                       "president_obama,electrical_engineering,senior\n")
    }

    func testUndecodableBytesAreAVideoErrorNamingTheSource() throws {
        XCTAssertThrowsError(try VideoDecoder(bytes: Array("not a video".utf8), source: "s3://in/notes.mp4")) { error in
            XCTAssertTrue("\(error)".hasPrefix("s3://in/notes.mp4: "), "\(error)")
        }
        XCTAssertThrowsError(try VideoDecoder(bytes: [], source: "s3://in/empty.mp4")) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
        }
    }

    func testMissingModelsNameTheFileAndTheFix() {
        XCTAssertThrowsError(try FaceModels(paths: ModelPaths(directory: scratch))) { error in
            XCTAssertTrue("\(error)".contains(ModelPaths.shapePredictorFile), "\(error)")
            XCTAssertTrue("\(error)".contains("fetch-models"), "\(error)")
        }
    }

    /// The detector save-detector writes finds exactly the faces, boxes and scores of the one dlib
    /// builds itself, at every width the pipeline detects at.
    func testSavedDetectorFindsExactlyWhatTheBuiltInOneFinds() throws {
        let builtIn = try FaceModels(paths: ModelPaths(directory: makeModelsFolder(at: "\(scratch)/built-in")))
        let savedPaths = ModelPaths(directory: try makeModelsFolder(at: "\(scratch)/saved"))
        try FaceModels.saveDetector(to: savedPaths.detector)
        let saved = try FaceModels(paths: savedPaths)
        XCTAssertFalse(builtIn.detectorWasSaved)
        XCTAssertTrue(saved.detectorWasSaved)
        let (a, b) = (try FaceWorker(models: builtIn), try FaceWorker(models: saved))
        var faces = 0
        for clip in Project.courseVideos(1) {
            let video = try VideoDecoder(path: clip)
            _ = try video.seek(toFrameAt: 1)
            for (width, height) in [(480, 270), (960, 540)] {
                let frame = try video.currentFrame(width: width, height: height, format: .gray)
                let found = try a.detect(in: frame)
                XCTAssertEqual(found, try b.detect(in: frame), "\(clip) at \(width) px")
                faces += found.count
            }
        }
        XCTAssertGreaterThanOrEqual(faces, 8)
    }

    /// A saved detector that is not one (junk, or cut short) is reported by name and the built-in
    /// detector is used: the file only saves time.
    func testUnreadableSavedDetectorIsReportedAndTheBuiltInOneUsed() throws {
        let paths = ModelPaths(directory: try makeModelsFolder(at: "\(scratch)/broken"))
        try FaceModels.saveDetector(to: paths.detector)
        let whole = try Data(contentsOf: URL(fileURLWithPath: paths.detector))
        for broken in [Data("not a detector".utf8), whole.prefix(whole.count / 2)] {
            try broken.write(to: URL(fileURLWithPath: paths.detector))
            var warnings: [String] = []
            let models = try FaceModels(paths: paths, warn: { warnings.append($0) })
            XCTAssertFalse(models.detectorWasSaved)
            XCTAssertEqual(warnings.count, 1)
            XCTAssertTrue(warnings.first?.contains(paths.detector) == true, "\(warnings)")
            let video = try VideoDecoder(path: Project.clip("test_0"))
            _ = try video.seek(toFrameAt: 1)
            XCTAssertEqual(try FaceWorker(models: models).detect(in: video.currentFrame(width: 960, height: 540, format: .gray)).count, 1)
        }
    }

    func testRotationTurnsPixelsClockwise() {
        // 2x1: red, green  ->  turned 90 clockwise: 1x2, red on top.
        let image = PixelImage(width: 2, height: 1, pixels: [255, 0, 0, 0, 255, 0])
        let turned = image.rotated(clockwise: 90)
        XCTAssertEqual([turned.width, turned.height], [1, 2])
        XCTAssertEqual(turned.pixels, [255, 0, 0, 0, 255, 0])
        XCTAssertEqual(image.rotated(clockwise: 180).pixels, [0, 255, 0, 255, 0, 0])
        XCTAssertEqual(image.rotated(clockwise: 270).pixels, [0, 255, 0, 255, 0, 0])
        XCTAssertEqual(image.rotated(clockwise: 360).pixels, image.pixels)
    }

    func testCSVQuotesOnlyWhereNeeded() {
        XCTAssertEqual(CSVFormat.row(["floki", "history", "junior"]), "floki,history,junior\n")
        XCTAssertEqual(CSVFormat.row(["o'neil, jr", "say \"hi\"", ""]), "\"o'neil, jr\",\"say \"\"hi\"\"\",\n")
    }

    func testStudentTableErrorsNameTheFileAndThePlace() throws {
        let path = scratch + "/students.json"
        try Data(#"[{"id": 1, "name": "a", "major": "m"}]"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try StudentTable(contentsOf: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ": "), "\(error)")
            XCTAssertTrue("\(error)".contains("year"), "\(error)")
        }
        try Data(#"[{"id": 1, "name": "a", "major": "m", "year": "y"}, {"id": 2, "name": "a", "major": "m", "year": "y"}]"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try StudentTable(contentsOf: path)) { XCTAssertTrue("\($0)".contains("twice"), "\($0)") }
    }

    func testAtomicWriteRefusesToReplaceUnlessAsked() throws {
        let path = scratch + "/out.csv"
        try AtomicFile.write(Array("one\n".utf8), to: path)
        XCTAssertThrowsError(try AtomicFile.write(Array("two\n".utf8), to: path, replaceExisting: false))
        try AtomicFile.write(Array("two\n".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), ["out.csv"])
    }
}

/// An encoding with a NaN component could never match anyone: the reader refuses it.
final class EncodingFileFiniteValuesTests: XCTestCase {
    func testNonFiniteEncodingIsRejected() {
        var vector = [Double](repeating: 0.1, count: 128)
        vector[7] = .nan
        let bytes = EncodingFile.serialize(KnownFaces(names: ["floki"], encodings: [vector]))
        XCTAssertThrowsError(try EncodingFile.parse(bytes, source: "nan.pkl")) { error in
            XCTAssertTrue("\(error.localizedDescription)".contains("non-finite"), "\(error.localizedDescription)")
            XCTAssertTrue("\(error.localizedDescription)".contains("position 7"), "\(error.localizedDescription)")
        }
    }
}
