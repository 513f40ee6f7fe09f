import EncodingFile
import Foundation
import TestSupport
import XCTest

/// What a file may cost to read: time in proportion to its size, memory bounded by `EncodingFileLimits`,
/// and a file no larger than the file-size limit; while a real class of thousands reads within them.
final class EncodingFileLimitTests: ScratchTestCase {
    /// A flat tuple of many Nones, memoised, then put in a new tuple again and again. A nesting rule that
    /// looked at every item of the memoised tuple each time would take 1.3e10 steps at these counts, which
    /// no machine does in `hangSeconds`; a linear reader takes a small fraction of that on any machine.
    func testNestedMemoisedTuplesAreReadInLinearTime() {
        let noneCount = 200_000, tupleCount = 66_000, hangSeconds = 10.0
        var bytes: [UInt8] = [0x80, 4, 0x28] + [UInt8](repeating: 0x4E, count: noneCount) + [0x74, 0x94]  // MARK, NONE..., TUPLE, MEMOIZE
        for _ in 0..<tupleCount { bytes += [0x68, 0, 0x85] }  // BINGET 0, TUPLE1
        bytes.append(0x2E)
        let start = DispatchTime.now().uptimeNanoseconds
        // Refused only at STOP: every opcode ran.
        assertRejected(bytes, offset: bytes.count - 1, opcode: "STOP (0x2e)", saying: "STOP leaves \(tupleCount + 1) values on the stack")
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("nested memoised tuples (\(bytes.count) bytes): \(seconds) s")
        XCTAssertLessThan(seconds, hangSeconds)
    }

    /// `_codecs.encode` of one memoised str, REDUCEd again and again: five bytes of file build a kilobyte each time.
    func testRepeatedReducesAreRefusedBeforeTheyBuildMuch() throws {
        let text = [UInt8](repeating: UInt8(ascii: "A"), count: 1024)
        var bytes: [UInt8] = [0x80, 2, 0x63] + Array("_codecs\nencode\n".utf8) + [0x71, 0]  // GLOBAL, BINPUT 0
        bytes += [0x58] + littleEndian(UInt32(text.count)) + text + [0x58, 6, 0, 0, 0] + Array("latin1".utf8) + [0x86, 0x71, 1]
        for _ in 0..<200_000 { bytes += [0x68, 0, 0x68, 1, 0x52] }  // BINGET 0, BINGET 1, REDUCE
        bytes.append(0x2E)
        let peak = try PeakMemory()
        let error = assertRejected(bytes, offset: nil, opcode: "REDUCE (0x52)", saying: "over the built-bytes limit")
        let growth = try peak.growth()
        let limit = EncodingFileLimits.builtBytesAllowance + EncodingFileLimits.builtBytesPerFileByte * bytes.count
        print("REDUCE bomb (\(bytes.count) bytes): refused at byte \(error?.offset ?? -1), peak memory growth \(growth >> 20) MiB")
        XCTAssertLessThan(error?.offset ?? .max, bytes.count / 4, "refused late")
        // The values the reader builds, plus room for the allocator and the test's own strings.
        XCTAssertLessThan(growth, limit + (16 << 20))
    }

    func testFilesOverTheSizeLimitAreRefusedBeforeReading() throws {
        let folder = scratch
        // A sparse file: over the limit without taking the disk space.
        let path = folder + "/encoding"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(EncodingFileLimits.fileBytes + 1))
        try handle.close()
        let peak = try PeakMemory()
        assertSizeRefused(try EncodingFile.read(contentsOf: path), path: path)
        XCTAssertLessThan(try peak.growth(), 4 << 20, "the file was read")
        // A device has no size: the limit applies as the bytes arrive.
        assertSizeRefused(try EncodingFile.read(contentsOf: "/dev/zero"), path: "/dev/zero")
        // Bytes already in memory are held to the same limit.
        assertSizeRefused(try EncodingFile.parse([UInt8](repeating: 0x80, count: EncodingFileLimits.fileBytes + 1), source: "in memory"),
                          path: "in memory")
    }

    /// Thousands of faces at every protocol and dtype python writes read within both limits.
    func testAClassOfThousandsReadsWithinTheLimits() throws {
        let folder = scratch
        let count = 5000
        let files = try EncodingFilePython.run(EncodingFilePythonScripts.writeClass, [folder, String(count)]).split(separator: "\n")
        XCTAssertEqual(files.count, 8)
        for file in files {
            let faces = try EncodingFile.read(contentsOf: folder + "/" + file)
            XCTAssertEqual(faces.names.count, count, String(file))
            XCTAssertEqual(faces.encodings.count, count, String(file))
        }
    }

    private func assertSizeRefused(_ read: @autoclosure () throws -> KnownFaces, path: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try read(), file: file, line: line) { error in
            let description = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            XCTAssertTrue(description.contains(path) && description.contains("over the file-size limit of \(EncodingFileLimits.fileBytes) bytes"),
                          description, file: file, line: line)
        }
    }

    private func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
