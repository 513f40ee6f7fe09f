import EncodingFile
import XCTest

/// Files no pickler writes: truncated, padded, corrupted, or built opcode by opcode to break the machine.
final class EncodingFileMalformedTests: XCTestCase {
    /// Offsets in the course file (python3 -m pickletools encoding): the first vector's BINBYTES and its
    /// 4-byte length, and the BINGET that fetches `_reconstruct` for the second vector.
    private let firstVectorBinBytes = 385
    private let secondReconstructBinGet = 1420

    func testTruncatedFilesSayWhereTheyEnd() throws {
        let course = try CourseEncoding.bytes()
        assertRejected(Array(course.prefix(700)), offset: firstVectorBinBytes, opcode: "BINBYTES (0x42)",
                       saying: "truncated: needs 1024 bytes at byte 390, but only 310 remain")
        assertRejected(Array(course.prefix(250)), offset: 243, opcode: "GLOBAL (0x63)", saying: "truncated: the file ends inside a GLOBAL name")
        assertRejected(Array(course.prefix(4)), offset: 3, opcode: "BINPUT (0x71)", saying: "truncated: needs 1 bytes at byte 4")
        assertRejected(Array(course.dropLast()), offset: course.count - 1, opcode: nil, saying: "truncated: the file ends at byte 12052 before STOP")
        assertRejected([0x80], offset: 0, opcode: "PROTO (0x80)", saying: "truncated: the file ends inside PROTO")
        assertRejected([], offset: 0, opcode: nil, saying: "it starts with nothing")
    }

    func testDeclaredLengthsBeyondTheFileAreRejectedBeforeReading() throws {
        var course = try CourseEncoding.bytes()
        course.replaceSubrange(firstVectorBinBytes + 1..<firstVectorBinBytes + 5, with: [0xFF, 0xFF, 0xFF, 0xFF])
        assertRejected(course, offset: firstVectorBinBytes, opcode: "BINBYTES (0x42)", saying: "needs 4294967295 bytes")
        assertRejected([0x80, 4, 0x8D] + littleEndian(1 << 62) + [0x2E], offset: 2, opcode: "BINUNICODE8 (0x8d)",
                       saying: "needs 4611686018427387904 bytes at byte 11")
        assertRejected([0x80, 5, 0x96] + littleEndian(UInt64.max), offset: 2, opcode: "BYTEARRAY8 (0x96)", saying: "needs 18446744073709551615 bytes")
        assertRejected([0x80, 4, 0x95] + littleEndian(1000) + [0x4E, 0x2E], offset: 2, opcode: "FRAME (0x95)", saying: "frame of 1000 bytes overruns the file")
    }

    func testDataAfterStopIsRejected() throws {
        let course = try CourseEncoding.bytes()
        assertRejected(course + [0x2E, 0x00], offset: course.count, opcode: nil, saying: "2 bytes of data after STOP")
    }

    func testMemoGetsOfUnknownIdsAreRejected() throws {
        var course = try CourseEncoding.bytes()
        XCTAssertEqual(Array(course[secondReconstructBinGet...secondReconstructBinGet + 1]), [0x68, 16])
        course[secondReconstructBinGet + 1] = 200
        assertRejected(course, offset: secondReconstructBinGet, opcode: "BINGET (0x68)", saying: "memo id 200 was never stored")
        assertRejected([0x80, 4, 0x6A] + [7, 0, 0, 1], offset: 2, opcode: "LONG_BINGET (0x6a)", saying: "memo id 16777223 was never stored")
    }

    func testStackUnderflowIsRejectedEvenAcrossAMark() {
        assertRejected([0x80, 3, 0x85, 0x2E], offset: 2, opcode: "TUPLE1 (0x85)", saying: "stack underflow")
        // A value below a MARK is out of reach, as in CPython: REDUCE must not take the None under it.
        assertRejected([0x80, 3, 0x4E, 0x4E, 0x28, 0x52], offset: 5, opcode: "REDUCE (0x52)", saying: "stack underflow")
        assertRejected([0x80, 3, 0x5D, 0x65, 0x2E], offset: 3, opcode: "APPENDS (0x65)", saying: "no MARK to pop to")
        assertRejected([0x80, 3, 0x2E], offset: 2, opcode: "STOP (0x2e)", saying: "STOP with an empty stack")
        assertRejected([0x80, 3, 0x4E, 0x4E, 0x2E], offset: 4, opcode: "STOP (0x2e)", saying: "STOP leaves 2 values on the stack")
        assertRejected([0x80, 3, 0x28, 0x4E, 0x2E], offset: 4, opcode: "STOP (0x2e)", saying: "MARK(s) still open")
    }

    func testOpcodesOutsideTheFormatAreNamed() {
        assertRejected([0x80, 3, 0xFF], offset: 2, opcode: nil, saying: "unknown opcode (0xff) is not a pickle opcode")
        assertRejected([0x80, 2, 0x69] + Array("os\nsystem\n".utf8), offset: 2, opcode: "INST (0x69)", saying: "opcode not accepted")
        assertRejected([0x80, 3, 0x47] + [UInt8](repeating: 0, count: 8), offset: 2, opcode: "BINFLOAT (0x47)", saying: "opcode not accepted")
        assertRejected([0x80, 3, 0x80, 3, 0x4E, 0x2E], offset: 2, opcode: "PROTO (0x80)", saying: "PROTO may only open the file")
        assertRejected([0x80, 6, 0x4E, 0x2E], offset: 0, opcode: "PROTO (0x80)", saying: "protocol 6 is not accepted")
    }

    func testGlobalsAreNamesNeverCallables() {
        let builtinsEval = [0x80, 2, 0x63] + Array("builtins\neval\n".utf8)
        assertRejected(builtinsEval + [0x58, 1, 0, 0, 0, 0x31, 0x85, 0x52, 0x2E], offset: 2, opcode: "GLOBAL (0x63)",
                       saying: "global builtins.eval is not allowed")
        let ndarray = [0x80, 2, 0x63] + Array("numpy\nndarray\n".utf8)
        assertRejected(ndarray + [0x29, 0x52, 0x2E], offset: 18, opcode: "REDUCE (0x52)", saying: "REDUCE calls numpy.ndarray directly")
        assertRejected([0x80, 2, 0x4E, 0x29, 0x52, 0x2E], offset: 4, opcode: "REDUCE (0x52)", saying: "REDUCE calls a None")
    }

    func testStringsAndKeysAreChecked() {
        assertRejected([0x80, 3, 0x58, 1, 0, 0, 0, 0xFF, 0x2E], offset: 2, opcode: "BINUNICODE (0x58)", saying: "not valid UTF-8")
        let name = [0x8C, 4] + Array("name".utf8)
        assertRejected([0x80, 4, 0x7D, 0x28] + name + [0x4E] + name + [0x4E, 0x75, 0x2E], offset: 18, opcode: "SETITEMS (0x75)",
                       saying: "dict key 'name' is set twice")
        assertRejected([0x80, 4, 0x7D, 0x4E, 0x4E, 0x73, 0x2E], offset: 5, opcode: "SETITEM (0x73)", saying: "dict key is a None, expected str")
    }

    /// Deep nesting would be released recursively; an encoding file never nests deeper than dict -> list -> array.
    func testDeepNestingAndCyclesAreRefused() {
        // (None,) and ((None,),) are numpy-shaped; the third level is not.
        let tuples = [0x80, 3, 0x4E] + [UInt8](repeating: 0x85, count: 1_000_000) + [0x2E]
        assertRejected(tuples, offset: 5, opcode: "TUPLE1 (0x85)", saying: "a tuple of 1 inside a tuple is deeper than an encoding file nests")
        let lists = [0x80, 3] + [UInt8](repeating: 0x5D, count: 500_000) + [UInt8](repeating: 0x61, count: 499_999) + [0x2E]
        assertRejected(lists, offset: 500_002, opcode: "APPEND (0x61)", saying: "a list inside a list")
        // A list appended to itself through the memo.
        assertRejected([0x80, 3, 0x5D, 0x71, 0, 0x68, 0, 0x61, 0x2E], offset: 7, opcode: "APPEND (0x61)", saying: "a list inside a list")
        let dictInDict: [UInt8] = [0x80, 4, 0x7D, 0x8C, 1, 0x61, 0x7D, 0x73, 0x2E]
        assertRejected(dictInDict, offset: 7, opcode: "SETITEM (0x73)", saying: "a dict inside a dict")
    }

    private func littleEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
