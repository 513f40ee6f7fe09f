/// Writes known faces as CPython's C pickler writes the course's dict with numpy 1.x at protocol 3, opcode
/// for opcode: every object memoized in order, and the objects numpy shares between arrays (the
/// `_reconstruct` and `ndarray` globals, the b'b' typecode, the float64 dtype) written once, then fetched.
struct EncodingFilePickler {
    private(set) var output: [UInt8] = []
    private var memoCount = 0
    private var reconstructId: Int?
    private var ndarrayId: Int?
    private var typecodeId: Int?
    private var dtypeId: Int?

    /// CPython's pickler writes list items in batches of this many.
    private static let batchSize = 1000

    mutating func write(_ faces: KnownFaces) {
        opcode(.PROTO)
        output.append(3)
        opcode(.EMPTY_DICT)
        put()
        opcode(.MARK)
        string("name")
        list(faces.names) { $0.string($1) }
        string("encoding")
        list(faces.encodings) { $0.array($1) }
        opcode(.SETITEMS)
        opcode(.STOP)
    }

    // MARK: numpy objects, as their __reduce__ describes them

    /// `_reconstruct(ndarray, (0,), b'b')`, then BUILD with `(1, (n,), dtype('f8'), False, data)`.
    private mutating func array(_ values: [Double]) {
        shared(\.reconstructId) { $0.global("numpy.core.multiarray", "_reconstruct") }
        shared(\.ndarrayId) { $0.global("numpy", "ndarray") }
        integer(0)
        opcode(.TUPLE1)
        put()
        shared(\.typecodeId) { $0.bytes([UInt8(ascii: "b")]) }
        opcode(.TUPLE3)
        put()
        opcode(.REDUCE)
        put()
        opcode(.MARK)
        integer(1)
        integer(values.count)
        opcode(.TUPLE1)
        put()
        shared(\.dtypeId) { $0.float64DType() }
        opcode(.NEWFALSE)
        var data: [UInt8] = []
        data.reserveCapacity(values.count * 8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        bytes(data)
        opcode(.TUPLE)
        put()
        opcode(.BUILD)
    }

    /// `dtype('f8', False, True)`, then BUILD with `(3, '<', None, None, None, -1, -1, 0)`; returns its memo id.
    private mutating func float64DType() -> Int {
        global("numpy", "dtype")
        string("f8")
        opcode(.NEWFALSE)
        opcode(.NEWTRUE)
        opcode(.TUPLE3)
        put()
        opcode(.REDUCE)
        let id = put()
        opcode(.MARK)
        integer(3)
        string("<")
        for _ in 0..<3 { opcode(.NONE) }
        integer(-1)
        integer(-1)
        integer(0)
        opcode(.TUPLE)
        put()
        opcode(.BUILD)
        return id
    }

    // MARK: Python objects

    /// An object written once and fetched from the memo afterwards, as the pickler does for one shared object.
    private mutating func shared(_ id: WritableKeyPath<Self, Int?>, _ writeFirst: (inout Self) -> Int) {
        if let known = self[keyPath: id] { get(known) } else { self[keyPath: id] = writeFirst(&self) }
    }

    /// EMPTY_LIST, then one APPEND for a single item or MARK ... APPENDS per batch.
    private mutating func list<Item>(_ items: [Item], _ writeItem: (inout Self, Item) -> Void) {
        opcode(.EMPTY_LIST)
        put()
        if items.count == 1 {
            writeItem(&self, items[0])
            opcode(.APPEND)
            return
        }
        for start in stride(from: 0, to: items.count, by: Self.batchSize) {
            opcode(.MARK)
            for item in items[start..<min(start + Self.batchSize, items.count)] { writeItem(&self, item) }
            opcode(.APPENDS)
        }
    }

    @discardableResult
    private mutating func global(_ module: String, _ name: String) -> Int {
        opcode(.GLOBAL)
        output.append(contentsOf: Array((module + "\n" + name + "\n").utf8))
        return put()
    }

    @discardableResult
    private mutating func string(_ text: String) -> Int {
        opcode(.BINUNICODE)
        let utf8 = Array(text.utf8)
        littleEndian(UInt32(utf8.count), width: 4)
        output.append(contentsOf: utf8)
        return put()
    }

    @discardableResult
    private mutating func bytes(_ data: [UInt8]) -> Int {
        if data.count < 256 {
            opcode(.SHORT_BINBYTES)
            output.append(UInt8(data.count))
        } else {
            opcode(.BINBYTES)
            littleEndian(UInt32(data.count), width: 4)
        }
        output.append(contentsOf: data)
        return put()
    }

    /// The smallest of BININT1, BININT2, BININT that holds the value (all an encoding file needs).
    private mutating func integer(_ value: Int) {
        switch value {
        case 0...0xFF:
            opcode(.BININT1)
            output.append(UInt8(value))
        case 0...0xFFFF:
            opcode(.BININT2)
            littleEndian(UInt32(value), width: 2)
        default:
            opcode(.BININT)
            littleEndian(UInt32(truncatingIfNeeded: Int32(value)), width: 4)
        }
    }

    // MARK: Memo and bytes

    @discardableResult
    private mutating func put() -> Int {
        let id = memoCount
        memoCount += 1
        memoReference(id, short: .BINPUT, long: .LONG_BINPUT)
        return id
    }

    private mutating func get(_ id: Int) {
        memoReference(id, short: .BINGET, long: .LONG_BINGET)
    }

    /// A one-byte memo id below 256, a four-byte one from there, as CPython writes them.
    private mutating func memoReference(_ id: Int, short: PickleOpcode, long: PickleOpcode) {
        if id < 256 {
            opcode(short)
            output.append(UInt8(id))
        } else {
            opcode(long)
            littleEndian(UInt32(id), width: 4)
        }
    }

    private mutating func opcode(_ op: PickleOpcode) { output.append(op.rawValue) }

    private mutating func littleEndian(_ value: UInt32, width: Int) {
        for index in 0..<width { output.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}
