import TextEncoding
import XCTest

/// Hex and percent-encoding, the one copy every part uses.
final class TextEncodingTests: XCTestCase {
    func testHexBothWays() {
        XCTAssertEqual(Hex.encode([0x00, 0x0f, 0xa5, 0xff]), "000fa5ff")
        XCTAssertEqual(Hex.encode([0xa5], uppercase: true), "A5")
        XCTAssertEqual(Hex.encode([]), "")
        XCTAssertEqual((0...255).compactMap { Hex.value(of: UInt8($0)) }.count, 22, "0-9, a-f and A-F only")
        XCTAssertEqual(Hex.value(of: UInt8(ascii: "F")), 15)
    }

    func testPercentEncodingKeepsOnlyUnreservedCharacters() {
        XCTAssertEqual(PercentEncoding.encode("a b/c~d_e-f.g+ሴ"), "a%20b%2Fc~d_e-f.g%2B%E1%88%B4")
        XCTAssertEqual(PercentEncoding.encode("a b/c", keepSlash: true), "a%20b/c")
    }

    func testLenientDecodingKeepsWhatIsNotAnEscape() {
        XCTAssertEqual(PercentEncoding.decode("my%20file%2b+%zz%"), "my file++%zz%")
    }

    func testFormDecodingAsS3EncodesKeys() {
        XCTAssertEqual(PercentEncoding.formDecode("lecture+1%2B2.mp4"), "lecture 1+2.mp4")
        XCTAssertEqual(PercentEncoding.formDecode("caf%C3%A9.mp4"), "café.mp4")
        XCTAssertNil(PercentEncoding.formDecode("bad%2"), "a cut escape")
        XCTAssertNil(PercentEncoding.formDecode("bad%zz"), "not hex")
        XCTAssertNil(PercentEncoding.formDecode("half%C3"), "not UTF-8")
    }

    func testEncodingThenDecodingGivesTheTextBack() {
        for text in ["", "plain", "sp ace", "100%", "ሴ/é+~", "\u{0}"] {
            XCTAssertEqual(PercentEncoding.decode(PercentEncoding.encode(text)), text)
            XCTAssertEqual(PercentEncoding.formDecode(PercentEncoding.encode(text)), text)
        }
    }
}
