import Foundation
import TestSupport
import XCTest

/// A lecture-length object (issue 15) through the function as Lambda runs it (moto and the real
/// emulator): the function reads the object by ranged GETs while it decodes, so its memory does not
/// grow with the object's size. Faces from 80 px (every course face is larger at 1080p) keep the
/// run short.
final class LectureObjectTests: FunctionStackTestCase {
    override class var functionEnvironment: [String: String] { ["RECOGNITION_MODE": "all", "REPORT": "off", "MIN_FACE_PX": "80"] }

    /// The function's peak RSS on a 1080p attendance run with no video in memory is about 250 MB;
    /// holding the object would add its whole size.
    static let peakRSSBound = 320 << 20

    func testALectureObjectIsReadInMemoryFarBelowItsSizeWithEveryStudentListed() throws {
        let stack = try running()
        let lecture = try LectureVideo.make(in: stack.scratch, copies: 3)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: lecture)[.size] as? Int)
        XCTAssertGreaterThan(size, Self.peakRSSBound, "the lecture is too small to show anything")
        let record = try stack.upload(contentsOf: lecture, as: "lectures/long lecture.mp4")

        let outcome = try stack.invoke(S3EventFixtures.event(record), timeout: 600)

        XCTAssertNil(outcome.errorType, "\(outcome.errorMessage ?? "")\n\(outcome.rawLog)")
        let csv = try XCTUnwrap(try stack.output("lectures/long lecture.csv"), "no CSV for the lecture")
        let names = Set(csv.split(separator: "\n").map { String($0.prefix { $0 != "," }) })
        XCTAssertEqual(names, Set(try CourseGrading.namesByClip().values), csv)
        let peak = try XCTUnwrap(try stack.functionPeakRSS(), "no function process to measure")
        print("LectureObjectTests: the function's peak RSS was \(peak >> 20) MB for a \(size >> 20) MB object")
        XCTAssertLessThan(peak, Self.peakRSSBound,
                          "peak RSS \(peak >> 20) MB reading a \(size >> 20) MB object (bound \(Self.peakRSSBound >> 20) MB)")
    }
}

/// A lecture made at test time: the 8 course clips at 1080p, 30 fps, four times over (about a
/// minute), encoded once at a high bitrate (so that a large object stays quick to process), then
/// copied end to end `copies` times without re-encoding (ffmpeg's concat demuxer, -c copy).
enum LectureVideo {
    static func make(in folder: String, copies: Int) throws -> String {
        let clips = try Project.courseVideos(1)
        var inputs: [String] = [], chains: [String] = []
        for (i, clip) in Array(repeating: clips, count: 4).joined().enumerated() {
            inputs += ["-i", clip]
            chains.append("[\(i):v]scale=1920:1080:force_original_aspect_ratio=decrease,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30[v\(i)]")
        }
        let labels = (0..<chains.count).map { "[v\($0)]" }.joined()
        let block = folder + "/block.mp4"
        try Command.ffmpeg(inputs + ["-filter_complex", chains.joined(separator: ";") + ";\(labels)concat=n=\(chains.count):v=1[out]",
                                    "-map", "[out]", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "10", "-pix_fmt", "yuv420p", block])
        let listing = folder + "/blocks.txt"
        try String(repeating: "file '\(block)'\n", count: copies).write(toFile: listing, atomically: true, encoding: .utf8)
        let lecture = folder + "/lecture.mp4"
        try Command.ffmpeg(["-f", "concat", "-safe", "0", "-i", listing, "-c", "copy", lecture])
        return lecture
    }
}
