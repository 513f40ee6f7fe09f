import Imaging
import XCTest

final class PixelImageTests: XCTestCase {
    /// A 3x2 image of distinct pixels, so that a rotation cannot pass for a transpose or a flip:
    ///     1 2 3
    ///     4 5 6
    private let image = PixelImage(width: 3, height: 2, format: .gray, pixels: [1, 2, 3, 4, 5, 6])

    func testRotationTurnsPixelsClockwise() {
        let quarter = image.rotated(clockwise: 90)
        XCTAssertEqual([quarter.width, quarter.height], [2, 3])
        XCTAssertEqual(quarter.pixels, [4, 1,
                                        5, 2,
                                        6, 3])
        let half = image.rotated(clockwise: 180)
        XCTAssertEqual([half.width, half.height], [3, 2])
        XCTAssertEqual(half.pixels, [6, 5, 4,
                                     3, 2, 1])
        let threeQuarters = image.rotated(clockwise: 270)
        XCTAssertEqual([threeQuarters.width, threeQuarters.height], [2, 3])
        XCTAssertEqual(threeQuarters.pixels, [3, 6,
                                              2, 5,
                                              1, 4])
        XCTAssertEqual(image.rotated(clockwise: -90), threeQuarters)
        XCTAssertEqual(image.rotated(clockwise: 360), image)
    }

    /// The three bytes of an RGB pixel move together.
    func testRotationMovesWholeRGBPixels() {
        let rgb = PixelImage(width: 3, height: 2, format: .rgb, pixels: image.pixels.flatMap { [$0, $0 + 10, $0 + 20] })
        let turned = rgb.rotated(clockwise: 90)
        XCTAssertEqual([turned.width, turned.height], [2, 3])
        XCTAssertEqual(turned.pixels, [4, 1, 5, 2, 6, 3].flatMap { [$0, $0 + 10, $0 + 20] })
    }
}
