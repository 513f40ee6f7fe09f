import Foundation
import TestSupport
import XCTest

/// Attendance in a classroom: many small faces in one frame (the 8 course clips tiled into grids
/// at 4K, 1080p and 720p, faces down to about 30 px tall), an encoding that knows only some of them,
/// and people who come and go. Every video is made here with ffmpeg.
final class ClassroomAttendanceTests: ScratchTestCase {
    private func process(_ video: String, _ extra: [String] = []) throws -> (rows: [String: [String]], result: CommandResult) {
        let result = try Command.classroomAssistant(["process", video, "--out", scratch + "/out", "--mode", "all"] + extra)
        XCTAssertEqual(result.status, 0, result.stderr)
        let stem = URL(fileURLWithPath: video).deletingPathExtension().lastPathComponent
        let csv = (try? String(contentsOfFile: "\(scratch)/out/\(stem).csv", encoding: .utf8)) ?? ""
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (Dictionary(rows.map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a }), result)
    }

    /// The 8 course clips, looped, each scaled into one cell of a `width` x `height` frame.
    private func grid(width: Int, height: Int, cell: (width: Int, height: Int), seconds: Int = 10) throws -> String {
        let clips = try Project.courseVideos(1)
        let columns = width / cell.width
        let path = "\(scratch)/grid-\(width)x\(height)-\(cell.width)x\(cell.height).mp4"
        var chains: [String] = []
        var layout: [String] = []
        for index in clips.indices {
            chains.append("[\(index):v]fps=25,scale=\(cell.width):\(cell.height):force_original_aspect_ratio=decrease,"
                          + "pad=\(cell.width):\(cell.height):(ow-iw)/2:(oh-ih)/2,setsar=1[v\(index)]")
            layout.append("\(index % columns * cell.width)_\(index / columns * cell.height)")
        }
        let stack = clips.indices.map { "[v\($0)]" }.joined()
            + "xstack=inputs=\(clips.count):layout=\(layout.joined(separator: "|")):fill=black,pad=\(width):\(height):0:0[out]"
        try Command.ffmpeg(clips.flatMap { ["-stream_loop", "-1", "-t", "\(seconds)", "-i", $0] }
                           + ["-filter_complex", (chains + [stack]).joined(separator: ";"), "-map", "[out]", "-t", "\(seconds)",
                              "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path])
        return path
    }

    func testEveryStudentOfEachGridIsListed() throws {
        let everyone = Set(try CourseGrading.namesByClip().values)
        let grids = [(1920, 1080, (480, 540)), (1920, 1080, (480, 270)), (1920, 1080, (320, 180)), (1280, 720, (320, 180))]
        for (width, height, cell) in grids {
            let video = try grid(width: width, height: height, cell: cell)
            let (rows, _) = try process(video)
            XCTAssertEqual(Set(rows.keys), everyone, "\(width)x\(height) in cells of \(cell.0)x\(cell.1)")
        }
    }

    /// A 4K camera: the same small faces as in the 1080p grids, in a frame with four times the
    /// pixels, are found too (its full-sensitivity scan goes in tiles), not only those twice as tall.
    func testEveryStudentOfA4KClassroomIsListed() throws {
        let everyone = Set(try CourseGrading.namesByClip().values)
        let video = try grid(width: 3840, height: 2160, cell: (480, 270))
        let (rows, _) = try process(video)
        XCTAssertEqual(Set(rows.keys), everyone)
    }

    /// With only 5 of the 8 enrolled, the other 3 are never named, and are counted as unknown.
    func testPeopleNotEnrolledAreNeverNamedAndCountedAsUnknown() throws {
        let names = try CourseGrading.namesByClip()
        let enrolled = names.sorted { $0.key < $1.key }.prefix(5)
        for (clip, name) in enrolled {
            try FileManager.default.createDirectory(atPath: "\(scratch)/photos/\(name)", withIntermediateDirectories: true)
            try Command.ffmpeg(["-i", Project.clip(clip), "-frames:v", "1", "\(scratch)/photos/\(name)/0.jpg"])
        }
        let encoding = scratch + "/five"
        let enrol = try Command.classroomAssistant(["enroll", scratch + "/photos", "--out", encoding])
        XCTAssertEqual(enrol.status, 0, enrol.stderr)
        let video = try grid(width: 1920, height: 1080, cell: (480, 270))
        let (rows, result) = try process(video, ["--encoding", encoding])
        XCTAssertEqual(Set(rows.keys), Set(enrolled.map(\.value)), "only the enrolled are named")
        XCTAssertTrue(result.stderr.contains("3 people seen match no known face"), result.stderr)
    }

    /// A student seen only in the video's last second is listed, at that second.
    func testAFaceOnlyInTheLastSecondIsListed() throws {
        let video = scratch + "/last-second.mp4"
        try Command.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=1280x720:r=25:d=9", "-i", Project.clip("test_8"),
                            "-filter_complex", "[1:v]scale=1280:720,setsar=1,fps=25,trim=duration=1[face];[0:v][face]concat=n=2:v=1[out]",
                            "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", video])
        let (rows, _) = try process(video)
        let row = try XCTUnwrap(rows["president_obama"], "\(rows)")
        XCTAssertEqual(Double(row[3]) ?? -1, 9, accuracy: 0.001, "first seen")
        XCTAssertEqual(Double(row[4]) ?? -1, 9, accuracy: 0.001, "last seen")
    }

    /// A student who comes in at 4 s and leaves at 7 s is first and last seen within a second of that.
    func testSomeoneWhoComesAndGoesIsSeenWhenTheyWereThere() throws {
        let video = scratch + "/comes-and-goes.mp4"
        try Command.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=1920x1080:r=25:d=10", "-stream_loop", "-1", "-i", Project.clip("test_2"),
                            "-filter_complex", "[1:v]scale=640:360,setsar=1,fps=25,setpts=PTS+4/TB[face];"
                                + "[0:v][face]overlay=x=200:y=300:enable='between(t,4,7)':eof_action=pass[out]",
                            "-map", "[out]", "-t", "10", "-c:v", "libx264", "-preset", "veryfast", video])
        let (rows, _) = try process(video)
        XCTAssertEqual(rows.count, 1, "\(rows)")
        let row = try XCTUnwrap(rows.values.first)
        XCTAssertEqual(Double(row[3]) ?? -1, 4, accuracy: 1, "first seen")
        XCTAssertEqual(Double(row[4]) ?? -1, 7, accuracy: 1, "last seen")
    }

    /// A recording cut from shot to shot (the 8 course clips one after another, full frame): each
    /// shot's face is a new track, so everyone is listed, and nobody is seen in another's shot.
    func testEachShotOfAMontageIsItsOwnPerson() throws {
        let clips = try Project.courseVideos(1)
        let names = try CourseGrading.namesByClip()
        let video = scratch + "/montage.mp4"
        let chains = clips.indices.map {
            "[\($0):v]scale=1920:1080:force_original_aspect_ratio=decrease,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30[v\($0)]"
        }
        let concat = clips.indices.map { "[v\($0)]" }.joined() + "concat=n=\(clips.count):v=1[out]"
        try Command.ffmpeg(clips.flatMap { ["-i", $0] } + ["-filter_complex", (chains + [concat]).joined(separator: ";"),
                           "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", video])
        let (rows, _) = try process(video)
        let order = clips.map { names[URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent]! }
        XCTAssertEqual(Set(rows.keys), Set(order), "\(rows)")
        for (before, after) in zip(order, order.dropFirst()) {
            guard let last = rows[before].flatMap({ Double($0[4]) }), let first = rows[after].flatMap({ Double($0[3]) }) else { continue }
            XCTAssertLessThan(last, first, "\(before) is not seen in \(after)'s shot")
        }
    }
}
