import Imaging
import XCTest

final class PixelImageTests: XCTestCase {
    func testRotationTurnsPixelsClockwise() {
        // 2x1: red, green  ->  turned 90 clockwise: 1x2, red on top.
        let image = PixelImage(width: 2, height: 1, pixels: [255, 0, 0, 0, 255, 0])
        let turned = image.rotated(clockwise: 90)
        XCTAssertEqual([turned.width, turned.height], [1, 2])
        XCTAssertEqual(turned.pixels, [255, 0, 0, 0, 255, 0])
        XCTAssertEqual(image.rotated(clockwise: 180).pixels, [0, 255, 0, 255, 0, 0])
        XCTAssertEqual(image.rotated(clockwise: 270).pixels, [0, 255, 0, 255, 0, 0])
        XCTAssertEqual(image.rotated(clockwise: 360).pixels, image.pixels)
    }
}
