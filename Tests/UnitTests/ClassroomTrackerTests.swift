import EncodingFile
import FaceRecognition
import Imaging
import XCTest

/// The classroom tracker through its FaceFinder port, with a stand-in for dlib: a "face" is a white
/// square on a black frame, and every face describes as the one enrolled person.
final class ClassroomTrackerTests: XCTestCase {
    private static let ada = [Double](repeating: 0.05, count: 128)

    private final class WhiteSquareFinder: FaceFinder {
        var descriptions = 0

        func detectFaces(in image: PixelImage, region: PixelRect?, upsample: Bool, levels: Int, threads: Int) throws -> [FaceBox] {
            let area = (region ?? PixelRect(x: 0, y: 0, width: image.width, height: image.height))
                .clipped(width: image.width, height: image.height)
            var (left, top, right, bottom) = (Int.max, Int.max, -1, -1)
            for y in area.y..<area.maxY {
                for x in area.x..<area.maxX where image.pixels[y * image.stride + x] > 200 {
                    (left, top, right, bottom) = (min(left, x), min(top, y), max(right, x), max(bottom, y))
                }
            }
            return right < 0 ? [] : [FaceBox(left: left, top: top, right: right, bottom: bottom, score: 1)]
        }

        func describe(_ faces: [FaceBox], in image: PixelImage) throws -> [[Double]] {
            descriptions += faces.count
            return faces.map { _ in ClassroomTrackerTests.ada }
        }
    }

    /// A 640x360 frame, black but for a white 80x80 square at (200, 120) when `face`.
    private func frame(face: Bool, format: PixelImage.Format) -> PixelImage {
        var image = PixelImage(width: 640, height: 360, format: format, pixels: [UInt8](repeating: 0, count: 640 * 360 * format.rawValue))
        if face {
            for y in 120..<200 { for x in 200 * format.rawValue..<280 * format.rawValue { image.pixels[y * image.stride + x] = 255 } }
        }
        return image
    }

    func testAFaceSeenForFiveSecondsIsOneTrackNamedOnceWithItsTimes() throws {
        let finder = WhiteSquareFinder()
        let matcher = FaceMatcher(known: KnownFaces(names: ["ada"], encodings: [Self.ada]), tolerance: 0.6)
        let tracker = ClassroomTracker(worker: finder, matcher: matcher, margin: 0.05, minFace: 40,
                                       frameWidth: 640, frameHeight: 360, threads: 1)
        for second in 0..<9 {
            let face = (2...6).contains(second)
            try tracker.observe(time: Double(second), gray: frame(face: face, format: .gray)) { self.frame(face: face, format: .rgb) }
        }
        let attendance = AttendanceChunk.merge([tracker.finish(chunk: 0, framesDecoded: 9)], tolerance: 0.6)
        XCTAssertEqual(attendance.sightings.map(\.name), ["ada"])
        XCTAssertEqual(attendance.sightings.first?.firstSeen, 2)
        XCTAssertEqual(attendance.sightings.first?.lastSeen, 6)
        XCTAssertEqual(attendance.unknownPeople, 0)
        XCTAssertLessThan(finder.descriptions, 5, "a track is described a few times, not at every sample")
    }
}
