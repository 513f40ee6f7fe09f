import Imaging
import XCTest

/// Cutting a large scan into tiles: each small enough, and every face up to the overlap whole in one.
final class PixelRectTests: XCTestCase {
    /// Whether every `side` x `side` square inside `rect` (on a lattice `step` apart) lies wholly in a tile.
    private func everySquareIsWholeInATile(_ tiles: [PixelRect], of rect: PixelRect, side: Int, step: Int) -> Bool {
        stride(from: rect.y, through: rect.maxY - side, by: step).allSatisfy { y in
            stride(from: rect.x, through: rect.maxX - side, by: step).allSatisfy { x in
                tiles.contains { $0.contains(PixelRect(x: x, y: y, width: side, height: side)) }
            }
        }
    }

    func testASmallEnoughRectIsOneTile() {
        let frame = PixelRect(x: 0, y: 0, width: 1920, height: 1080)
        XCTAssertEqual(frame.tiles(maxArea: Double(frame.area), overlap: 200), [frame])
    }

    func testA4KFrameAtTwiceItsSizeIsCutIntoTilesThatEachHoldAnyFaceUpToTheOverlap() {
        let frame = PixelRect(x: 0, y: 0, width: 3840, height: 2160)
        let maxArea = 1920.0 * 1080 * 4 / 4
        let tiles = frame.tiles(maxArea: maxArea, overlap: 215)
        XCTAssertGreaterThan(tiles.count, 1)
        XCTAssertLessThanOrEqual(tiles.count, 8, "no more tiles than the overlap makes necessary")
        for tile in tiles {
            XCTAssertLessThanOrEqual(Double(tile.area), maxArea, "\(tile)")
            XCTAssertTrue(frame.contains(tile), "\(tile)")
        }
        XCTAssertTrue(everySquareIsWholeInATile(tiles, of: frame, side: 215, step: 15))
    }

    func testTilesOfAnOffsetRegionStayInIt() {
        let region = PixelRect(x: 640, y: 300, width: 2000, height: 500)
        let tiles = region.tiles(maxArea: 200_000, overlap: 100)
        XCTAssertGreaterThan(tiles.count, 1)
        for tile in tiles { XCTAssertTrue(region.contains(tile), "\(tile)") }
        XCTAssertTrue(everySquareIsWholeInATile(tiles, of: region, side: 100, step: 10))
    }

    /// An overlap that leaves no tile small enough stops at 64 tiles, still covering the region.
    func testAnOverlapLargerThanAnyTileStopsAtSixtyFourTiles() {
        let region = PixelRect(x: 0, y: 0, width: 4000, height: 3000)
        let tiles = region.tiles(maxArea: 10_000, overlap: 500)
        XCTAssertLessThanOrEqual(tiles.count, 64)
        for tile in tiles { XCTAssertTrue(region.contains(tile), "\(tile)") }
        XCTAssertTrue(everySquareIsWholeInATile(tiles, of: region, side: 500, step: 50))
    }
}
