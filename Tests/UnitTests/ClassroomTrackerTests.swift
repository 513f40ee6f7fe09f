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

    /// White squares side by side, each its own face; the descriptors of the faces left and right
    /// of the frame's middle are given in turn at the distances asked for from the enrolled person.
    private final class TwoSquaresFinder: FaceFinder {
        var distances: (left: [Double], right: [Double])
        var described: [FaceBox] = []

        init(left: [Double], right: [Double]) { distances = (left, right) }

        func detectFaces(in image: PixelImage, region: PixelRect?, upsample: Bool, levels: Int, threads: Int) throws -> [FaceBox] {
            let area = (region ?? PixelRect(x: 0, y: 0, width: image.width, height: image.height))
                .clipped(width: image.width, height: image.height)
            // A box for each run of columns with white in them.
            var boxes: [FaceBox] = []
            var run: (left: Int, top: Int, bottom: Int)?
            for x in area.x...area.maxX {
                let rows = x < area.maxX ? (area.y..<area.maxY).filter { image.pixels[$0 * image.stride + x] > 200 } : []
                if let top = rows.first, let bottom = rows.last {
                    run = (run?.left ?? x, min(run?.top ?? top, top), max(run?.bottom ?? bottom, bottom))
                } else if let open = run {
                    boxes.append(FaceBox(left: open.left, top: open.top, right: x - 1, bottom: open.bottom, score: 1))
                    run = nil
                }
            }
            return boxes
        }

        func describe(_ faces: [FaceBox], in image: PixelImage) throws -> [[Double]] {
            faces.map { face in
                let distance: Double
                described.append(face)
                if face.left < image.width / 2 { distance = distances.left.isEmpty ? 0.5 : distances.left.removeFirst() } else { distance = distances.right.isEmpty ? 0.3 : distances.right.removeFirst() }
                var descriptor = ClassroomTrackerTests.ada
                descriptor[0] += distance
                return descriptor
            }
        }
    }

    /// Two faces in the same frames both look like the one enrolled person: the surer one keeps
    /// the name (AttendanceChunk.merge), and the report still has a face for that person even when
    /// the other track held the single nearest descriptor.
    func testThePersonKeepsAFaceWhenTheirNameGoesToTheSurerOfTwoTracks() throws {
        // Left: nearest single descriptor (0.2) but the larger median (0.35); right: 0.3 both times.
        let finder = TwoSquaresFinder(left: [0.2, 0.5], right: [0.3, 0.3])
        let matcher = FaceMatcher(known: KnownFaces(names: ["ada"], encodings: [Self.ada]), tolerance: 0.6)
        let tracker = ClassroomTracker(worker: finder, matcher: matcher, margin: 0.05, minFace: 40,
                                       frameWidth: 640, frameHeight: 360, threads: 1)
        // The squares move a little every sample, so that they are looked for, and described, again;
        // gray stripes below them stay still, so that the moves are not a cut to another shot.
        func frame(_ sample: Int, format: PixelImage.Format) -> PixelImage {
            var image = PixelImage(width: 640, height: 360, format: format, pixels: [UInt8](repeating: 0, count: 640 * 360 * format.rawValue))
            for y in 240..<360 { for x in 0..<640 * format.rawValue where x / format.rawValue / 16 % 2 == 0 { image.pixels[y * image.stride + x] = 150 } }
            let shift = sample % 2 * 8
            for left in [100 + shift, 420 + shift] {
                for y in 140..<220 { for x in left * format.rawValue..<(left + 80) * format.rawValue { image.pixels[y * image.stride + x] = 255 } }
            }
            return image
        }
        for sample in 0..<8 {
            try tracker.observe(time: Double(sample), gray: frame(sample, format: .gray)) { frame(sample, format: .rgb) }
        }
        let attendance = AttendanceChunk.merge([tracker.finish(chunk: 0, framesDecoded: 8)], tolerance: 0.6)
        XCTAssertEqual(attendance.sightings.map(\.name), ["ada"])
        XCTAssertEqual(finder.described.count, 4, "each track was described twice: \(finder.described)")
        XCTAssertNotNil(attendance.sightings.first?.face, "the report has a face for ada")
    }
}
