import TextEncoding

/// Every pickle opcode of protocols 0-5. The cases are spelled exactly as CPython's `pickletools` names them,
/// so an error can name any opcode it meets, including the ones the reader refuses to run.
enum PickleOpcode: UInt8, CaseIterable {
    // Protocols 0 and 1
    case MARK = 0x28, STOP = 0x2E, POP = 0x30, POP_MARK = 0x31, DUP = 0x32, FLOAT = 0x46, INT = 0x49
    case BININT = 0x4A, BININT1 = 0x4B, LONG = 0x4C, BININT2 = 0x4D, NONE = 0x4E, PERSID = 0x50
    case BINPERSID = 0x51, REDUCE = 0x52, STRING = 0x53, BINSTRING = 0x54, SHORT_BINSTRING = 0x55
    case UNICODE = 0x56, BINUNICODE = 0x58, APPEND = 0x61, BUILD = 0x62, GLOBAL = 0x63, DICT = 0x64
    case EMPTY_DICT = 0x7D, APPENDS = 0x65, GET = 0x67, BINGET = 0x68, INST = 0x69, LONG_BINGET = 0x6A
    case LIST = 0x6C, EMPTY_LIST = 0x5D, OBJ = 0x6F, PUT = 0x70, BINPUT = 0x71, LONG_BINPUT = 0x72
    case SETITEM = 0x73, TUPLE = 0x74, EMPTY_TUPLE = 0x29, SETITEMS = 0x75, BINFLOAT = 0x47
    // Protocol 2
    case PROTO = 0x80, NEWOBJ = 0x81, EXT1 = 0x82, EXT2 = 0x83, EXT4 = 0x84, TUPLE1 = 0x85, TUPLE2 = 0x86
    case TUPLE3 = 0x87, NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8A, LONG4 = 0x8B
    // Protocol 3
    case BINBYTES = 0x42, SHORT_BINBYTES = 0x43
    // Protocol 4
    case SHORT_BINUNICODE = 0x8C, BINUNICODE8 = 0x8D, BINBYTES8 = 0x8E, EMPTY_SET = 0x8F, ADDITEMS = 0x90
    case FROZENSET = 0x91, NEWOBJ_EX = 0x92, STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95
    // Protocol 5
    case BYTEARRAY8 = 0x96, NEXT_BUFFER = 0x97, READONLY_BUFFER = 0x98

    /// "GLOBAL (0x63)": the name pickletools prints and the byte that encodes it.
    var label: String { "\(Self.name(of: self)) (0x\(Hex.encode([rawValue])))" }

    /// The label of any byte met where an opcode was expected, known or not.
    static func label(of byte: UInt8) -> String {
        PickleOpcode(rawValue: byte)?.label ?? "unknown opcode (0x\(Hex.encode([byte])))"
    }

    private static func name(of opcode: PickleOpcode) -> String { String(describing: opcode) }
}
