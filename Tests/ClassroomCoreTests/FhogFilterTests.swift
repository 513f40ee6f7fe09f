import ClassroomCore
import FhogFilterCheck
import Media
import TestSupport
import XCTest

/// The shim filters HOG planes with its own code in place of dlib's: every output must have
/// exactly dlib's bits, or detections could differ.
final class FhogFilterTests: XCTestCase {
    /// Every plane size up to 24x40 covers every length of the last, partial block of columns
    /// and planes smaller than the 10x10 filter.
    func testEveryPlaneSizeFiltersToDlibsBits() {
        for seed: UInt32 in [1, 2] {
            var compared = 0
            XCTAssertEqual(fhog_check_plane_sizes(seed, &compared), 0, "seed \(seed)")
            XCTAssertGreaterThan(compared, 100_000)
        }
    }

    /// The face detector's scan of course frames, at the widths the pipeline detects at: every
    /// detector, pyramid level and output.
    func testCourseFramesGiveDlibsSaliencyAtEveryLevel() throws {
        for clip in try Project.courseVideos(1) {
            let video = try VideoDecoder(path: clip)
            XCTAssertNotNil(try video.seek(toFrameAt: 1), clip)
            for (width, height) in [(960, 540), (480, 270)] {
                let frame = try video.currentFrame(width: width, height: height, format: .gray)
                var compared = 0
                let mismatches = frame.pixels.withUnsafeBufferPointer {
                    fhog_check_image($0.baseAddress, width, height, frame.stride, &compared)
                }
                XCTAssertEqual(mismatches, 0, "\(clip) at \(width) px")
                XCTAssertGreaterThan(compared, 10_000)
            }
        }
    }
}
