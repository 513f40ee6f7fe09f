import Foundation
import Media
import TestSupport
import XCTest

/// The decoder and the sampling schedule on course clips and clips made from them with ffmpeg.
final class VideoDecodingTests: ScratchTestCase {
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
                // Sample times with a frame at or after them, by ffprobe's frames: the decoder must give
                // exactly these samples, then report the end.
                let expectedSamples = Int(((last + 1e-4) * perSecond).rounded(.down)) + 1
                var referenceFrame = 0
                var k = 0
                while k <= expectedSamples, let time = try sampled.seek(toFrameAt: Double(k) / perSecond) {
                    let target = Double(k) / perSecond
                    let expected = try XCTUnwrap(frames.first { $0 >= target - 1e-4 }, "\(name): a frame at \(time) s past ffprobe's last")
                    XCTAssertEqual(time, expected, accuracy: 1e-6, "\(name): sample at \(target) s")
                    while frames[referenceFrame] < time - 1e-6 { referenceFrame += 1 }
                    for step in frames[...referenceFrame].suffix(2) { _ = try reference.seek(toFrameAt: step) }
                    let same = try sampled.currentFrame(width: 320, height: 180).pixels == reference.currentFrame(width: 320, height: 180).pixels
                    XCTAssertTrue(same, "\(name): the frame at \(time) s differs from the one decoded frame by frame")
                    k += 1
                }
                XCTAssertEqual(k, expectedSamples, "\(name): samples at \(perSecond) a second (the last partial second included)")
            }
        }
    }

    func testUndecodableBytesAreAVideoErrorNamingTheSource() throws {
        XCTAssertThrowsError(try VideoDecoder(bytes: Array("not a video".utf8), source: "s3://in/notes.mp4")) { error in
            XCTAssertTrue("\(error)".hasPrefix("s3://in/notes.mp4: "), "\(error)")
        }
        XCTAssertThrowsError(try VideoDecoder(bytes: [], source: "s3://in/empty.mp4")) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
        }
    }
}
