import FaceRecognition
import Imaging
import XCTest

/// First-match mode's detection ladder: cheapest sizes first, then full size, then one upsampling
/// (in tiles above 1080p).
final class DetectionLadderTests: XCTestCase {
    func testA1080pFrameClimbsFromTheSmallestWidthToOneUpsampling() {
        XCTAssertEqual(DetectionLadder().passes(width: 1920, height: 1080),
                       [.scaled(width: 480, height: 270), .scaled(width: 960, height: 540), .full, .upsampled])
    }

    func testWidthsNotBelowTheFramesAreSkippedAndTheOrderIsBySize() {
        XCTAssertEqual(DetectionLadder(downscaledWidths: [960, 480]).passes(width: 640, height: 360),
                       [.scaled(width: 480, height: 270), .full, .upsampled])
        XCTAssertEqual(DetectionLadder().passes(width: 480, height: 270), [.full, .upsampled])
    }

    func testAFrameLargerThan1080pIsUpsampledInTilesNoLargerThan1080p() {
        let ladder = DetectionLadder()
        XCTAssertEqual(ladder.passes(width: 3840, height: 2160).last, .upsampled)
        let tiles = ladder.upsampledTiles(width: 3840, height: 2160)
        XCTAssertGreaterThan(tiles.count, 1)
        for tile in tiles { XCTAssertLessThanOrEqual(tile.area, HOGScan.maxPixels, "\(tile)") }
        XCTAssertEqual(ladder.upsampledTiles(width: 1080, height: 1920), [PixelRect(x: 0, y: 0, width: 1080, height: 1920)],
                       "a portrait 1080p frame is 1080p too")
    }

    func testAScaledPassKeepsTheAspectRatioAndAtLeastOnePixel() {
        XCTAssertEqual(DetectionLadder(downscaledWidths: [480]).passes(width: 1440, height: 1080).first, .scaled(width: 480, height: 360))
        XCTAssertEqual(DetectionLadder(downscaledWidths: [480]).passes(width: 100_000, height: 2).first, .scaled(width: 480, height: 1))
    }
}
