import EncodingFile
import XCTest

/// Random truncations and byte flips of the course file: errors, never crashes or hangs.
final class EncodingFileFuzzTests: XCTestCase {
    /// A small seeded generator, so a failure can be replayed.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testEveryTruncationIsAnError() throws {
        let course = try CourseEncoding.bytes()
        var random = SplitMix64(state: 546)
        for _ in 0..<500 {
            let length = Int.random(in: 0..<course.count, using: &random)
            XCTAssertThrowsError(try EncodingFile.parse(Array(course.prefix(length)), source: "truncated"), "prefix of \(length) bytes") { error in
                XCTAssertTrue(error is EncodingFileError, "prefix of \(length) bytes: \(error)")
            }
        }
    }

    func testByteFlipsGiveAnErrorOrAWellFormedResult() throws {
        let course = try CourseEncoding.bytes()
        var random = SplitMix64(state: 128)
        var rejected = 0
        for _ in 0..<3000 {
            var bytes = course
            let position = Int.random(in: 0..<bytes.count, using: &random)
            bytes[position] ^= UInt8.random(in: 1...255, using: &random)
            do {
                // Flips inside vector data or names still make a valid file; its shape must still hold.
                let faces = try EncodingFile.parse(bytes, source: "flipped")
                XCTAssertEqual(faces.names.count, faces.encodings.count, "flip at \(position)")
                XCTAssertTrue(faces.encodings.allSatisfy { $0.count == 128 }, "flip at \(position)")
            } catch {
                XCTAssertTrue(error is EncodingFileError, "flip at \(position): \(error)")
                rejected += 1
            }
        }
        // Most of the file is vector data, where a flip only changes a value; the rest must be refused.
        print("byte flips: \(rejected) of 3000 rejected")
        XCTAssertGreaterThan(rejected, 100)
    }
}
