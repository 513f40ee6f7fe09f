import ClassroomCore
import EncodingFile
import FaceEngine
import FaceRecognition
import Foundation
import TestSupport
import XCTest

/// Attendance's chunk grid and chunks: what makes the CSV the same however the chunks are shared out.
final class AttendanceChunkTests: ScratchTestCase {
    func testTheGridDependsOnTheDurationAloneAndCoversEverySampleOnce() {
        for (duration, chunks) in [(0.5, 1), (10.0, 2), (119.0, 2), (121.0, 4), (3600.0, 60), (1209.0, 22)] {
            let grid = AttendanceChunkGrid(durationSeconds: duration, samplesPerSecond: 1)
            XCTAssertEqual(grid.count, chunks, "\(duration) s")
            let ranges = (0..<grid.count).map(grid.samples(ofChunk:))
            XCTAssertEqual(ranges.first?.lowerBound, 0)
            for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
            XCTAssertTrue(ranges.dropLast().allSatisfy { $0.count <= Int(AttendanceChunkGrid.maxChunkSeconds) })
            // The last chunk runs past the declared duration, to the video's real end.
            XCTAssertGreaterThan(ranges.last?.upperBound ?? 0, grid.sampleCount)
        }
    }

    /// One chunk's stored bytes read back to the same chunk, and storing it again gives the same bytes;
    /// fanned-out runs of chunks merge to the CSV one invocation writes.
    func testChunksRoundTripAndFannedOutRunsMergeToTheSingleRunCSV() throws {
        let models = try FaceModels(paths: ModelPaths(directory: Project.models))
        let known = try EncodingFile.read(contentsOf: Project.shared.appendingPathComponent("cse546/encoding").path)
        let pipeline = try ClassroomPipeline(models: models, known: known,
                                             options: RecognitionOptions(mode: .all, parallelism: 2, minFace: 160))
        // Two clips of different students, end to end: a 4-s video, 2 chunks.
        let video = scratch + "/two.mp4"
        try Command.ffmpeg(["-i", Project.clip("test_0"), "-i", Project.clip("test_8"), "-filter_complex",
                            "[0:v]scale=1280:720,fps=4,setsar=1[a];[1:v]scale=1280:720,fps=4,setsar=1[b];[a][b]concat=n=2:v=1[out]",
                            "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", "-g", "8", "-t", "10", video])
        let input = VideoFile(path: video)
        let session = try pipeline.open(input)
        let (grid, duration) = (session.grid, session.durationSeconds)
        XCTAssertEqual(grid.count, 2)
        let directory = try StudentTable(contentsOf: Project.root.appendingPathComponent("student_data.json").path)
        _ = try pipeline.process(input, directory: directory, output: OutputFolder(path: scratch))
        let single = try String(contentsOfFile: scratch + "/two.csv", encoding: .utf8)
        XCTAssertEqual(single.split(separator: "\n").count, 2, single)

        var stored: [[UInt8]] = []
        for index in 0..<grid.count {
            let chunks = try pipeline.open(input).analyse(chunks: index..<(index + 1))
            let bytes = try chunks.encoded()
            XCTAssertEqual(try [AttendanceChunk].decode(bytes), chunks)
            XCTAssertEqual(try [AttendanceChunk].decode(bytes).encoded(), bytes)
            stored.append(bytes)
        }
        let merged = try stored.reversed().flatMap { try [AttendanceChunk].decode($0) }
        try FileManager.default.createDirectory(atPath: scratch + "/merged", withIntermediateDirectories: true)
        _ = try pipeline.process(input, chunks: merged, durationSeconds: duration, directory: directory,
                                 output: OutputFolder(path: scratch + "/merged"))
        XCTAssertEqual(try String(contentsOfFile: scratch + "/merged/two.csv", encoding: .utf8), single)
    }
}
