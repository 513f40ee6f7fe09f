import FaceRecognition
import Imaging
import XCTest

/// Box overlap, the one test of "the same face" across passes and frames.
final class FaceBoxTests: XCTestCase {
    private func box(_ left: Int, _ top: Int, _ right: Int, _ bottom: Int) -> FaceBox {
        FaceBox(left: left, top: top, right: right, bottom: bottom, score: 1)
    }

    func testIntersectionOverUnion() {
        XCTAssertEqual(box(0, 0, 9, 9).iou(box(0, 0, 9, 9)), 1)
        XCTAssertEqual(box(0, 0, 9, 9).iou(box(10, 0, 19, 9)), 0, "touching is apart")
        XCTAssertEqual(box(0, 0, 9, 9).iou(box(5, 0, 14, 9)), 50.0 / 150.0, accuracy: 1e-12)
        XCTAssertEqual(box(0, 0, 9, 9).iou(box(2, 2, 7, 7)), 36.0 / 100.0, accuracy: 1e-12, "one inside the other")
    }

    func testOverlapMeansMoreThanHalf() {
        XCTAssertTrue(box(0, 0, 9, 9).overlaps(box(1, 0, 10, 9)))
        XCTAssertFalse(box(0, 0, 9, 9).overlaps(box(5, 0, 14, 9)))
        XCTAssertEqual(box(0, 0, 9, 9).overlaps(box(3, 0, 12, 9)), box(3, 0, 12, 9).overlaps(box(0, 0, 9, 9)), "symmetric")
    }

    func testScalingRoundsEachEdgeAndKeepsTheScore() {
        let scaled = FaceBox(left: 1, top: 3, right: 10, bottom: 21, score: 0.7).scaled(by: 1.5)
        XCTAssertEqual(scaled, FaceBox(left: 2, top: 5, right: 15, bottom: 32, score: 0.7))
    }

    func testAPixelRectCoversTheBoxInclusively() {
        XCTAssertEqual(PixelRect(box(2, 3, 11, 23)), PixelRect(x: 2, y: 3, width: 10, height: 21))
        XCTAssertEqual(box(2, 3, 11, 23).height, 21)
    }
}
