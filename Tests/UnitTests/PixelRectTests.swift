import Imaging
import XCTest

/// Cutting a large scan into tiles: each small enough, and every face up to the overlap whole in one.
final class PixelRectTests: XCTestCase {
    /// `region`'s tiles, checked: each inside it, and every `overlap` x `overlap` square in it (on a
    /// lattice a tenth of that apart) wholly inside one of them.
    private func tiles(of region: PixelRect, maxArea: Double, overlap: Int, file: StaticString = #filePath,
                       line: UInt = #line) -> [PixelRect] {
        let tiles = region.tiles(maxArea: maxArea, overlap: overlap)
        for tile in tiles { XCTAssertTrue(region.contains(tile), "\(tile)", file: file, line: line) }
        let step = max(1, overlap / 10)
        for y in stride(from: region.y, through: region.maxY - overlap, by: step) {
            for x in stride(from: region.x, through: region.maxX - overlap, by: step) {
                let square = PixelRect(x: x, y: y, width: overlap, height: overlap)
                if !tiles.contains(where: { $0.contains(square) }) {
                    XCTFail("\(square) is in no tile", file: file, line: line)
                    return tiles
                }
            }
        }
        return tiles
    }

    func testASmallEnoughRectIsOneTile() {
        let frame = PixelRect(x: 0, y: 0, width: 1920, height: 1080)
        XCTAssertEqual(frame.tiles(maxArea: Double(frame.area), overlap: 200), [frame])
    }

    func testA4KFrameAtTwiceItsSizeIsCutIntoFewTilesEachSmallEnough() {
        let maxArea = 1920.0 * 1080 * 4 / 4
        let tiles = tiles(of: PixelRect(x: 0, y: 0, width: 3840, height: 2160), maxArea: maxArea, overlap: 215)
        XCTAssertGreaterThan(tiles.count, 1)
        XCTAssertLessThanOrEqual(tiles.count, 8, "no more tiles than the overlap makes necessary")
        for tile in tiles { XCTAssertLessThanOrEqual(Double(tile.area), maxArea, "\(tile)") }
    }

    func testTilesOfAnOffsetRegionStayInIt() {
        XCTAssertGreaterThan(tiles(of: PixelRect(x: 640, y: 300, width: 2000, height: 500), maxArea: 200_000, overlap: 100).count, 1)
    }

    /// An overlap that leaves no tile small enough stops at 64 tiles, still covering the region.
    func testAnOverlapLargerThanAnyTileStopsAtSixtyFourTiles() {
        XCTAssertLessThanOrEqual(tiles(of: PixelRect(x: 0, y: 0, width: 4000, height: 3000), maxArea: 10_000, overlap: 500).count, 64)
    }
}
