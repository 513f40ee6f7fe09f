/// A strict pickle machine for protocols 2 to 5. It runs only the opcodes an `encoding` file needs, treats
/// globals as names from a short allow-list, and never calls anything: every other opcode, global, shape,
/// truncation or leftover is an error naming its offset and opcode. Each opcode costs time in proportion to
/// its operands and the values it pops, and what the values take is counted against a `PickleBudget`.
struct PickleUnpickler {
    private let bytes: [UInt8]
    private let source: String
    private var position = 0
    private var opcodeOffset = 0
    private var opcode: PickleOpcode?
    private var stack: [PickleValue] = []
    /// Stack heights at each open MARK; values below the top mark are out of reach, as in CPython.
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var budget: PickleBudget

    init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
        budget = PickleBudget(fileSize: bytes.count)
    }

    /// Runs the pickle to its STOP and returns the object it built, with the offset of that STOP.
    mutating func run() throws(EncodingFileError) -> (value: PickleValue, stopOffset: Int) {
        try readProtocol()
        while true {
            opcodeOffset = position
            opcode = nil
            guard position < bytes.count else { throw failure("truncated: the file ends at byte \(bytes.count) before STOP") }
            let byte = bytes[position]
            position += 1
            guard let known = PickleOpcode(rawValue: byte) else { throw failure("\(PickleOpcode.label(of: byte)) is not a pickle opcode") }
            opcode = known
            if known == .STOP { return (try finish(), opcodeOffset) }
            do {
                try execute(known)
            } catch {
                throw failure(error.reason)
            }
        }
    }

    // MARK: Opcodes

    private mutating func readProtocol() throws(EncodingFileError) {
        guard let first = bytes.first, first == PickleOpcode.PROTO.rawValue else {
            let start = bytes.first.map { PickleOpcode.label(of: $0) } ?? "nothing"
            throw EncodingFileError(source: source, offset: 0, opcode: nil,
                                    reason: "not a pickle of protocol 2 to 5: it starts with \(start), not PROTO")
        }
        opcode = .PROTO
        guard bytes.count >= 2 else { throw failure("truncated: the file ends inside PROTO") }
        guard (2...5).contains(bytes[1]) else { throw failure("protocol \(bytes[1]) is not accepted (only 2 to 5)") }
        position = 2
    }

    private mutating func execute(_ op: PickleOpcode) throws(PickleRejection) {
        switch op {
        case .FRAME:
            let length = try readUInt(8)
            guard length <= UInt64(bytes.count - position) else { throw PickleRejection("frame of \(length) bytes overruns the file (\(bytes.count - position) bytes remain)") }
        case .EMPTY_DICT: try push(.dict(PickleDict()))
        case .EMPTY_LIST: try push(.list(PickleList()))
        case .EMPTY_TUPLE: try push(.tuple([]))
        case .MARK: marks.append(stack.count)
        case .NONE: try push(.none)
        case .NEWTRUE: try push(.bool(true))
        case .NEWFALSE: try push(.bool(false))
        case .BININT1: try push(.int(Int(try readUInt(1))))
        case .BININT2: try push(.int(Int(try readUInt(2))))
        case .BININT: try push(.int(Int(Int32(truncatingIfNeeded: try readUInt(4)))))
        case .LONG1: try push(.int(try readLong()))
        case .SHORT_BINUNICODE: try push(.string(try readString(lengthBytes: 1)))
        case .BINUNICODE: try push(.string(try readString(lengthBytes: 4)))
        case .BINUNICODE8: try push(.string(try readString(lengthBytes: 8)))
        case .SHORT_BINBYTES: try push(.bytes(Array(try readData(lengthBytes: 1))))
        case .BINBYTES: try push(.bytes(Array(try readData(lengthBytes: 4))))
        case .BINBYTES8, .BYTEARRAY8: try push(.bytes(Array(try readData(lengthBytes: 8))))
        case .BINPUT: try memoize(Int(try readUInt(1)))
        case .LONG_BINPUT: try memoize(Int(try readUInt(4)))
        case .MEMOIZE: try memoize(memo.count)
        case .BINGET: try pushFetched(try memoValue(Int(try readUInt(1))))
        case .LONG_BINGET: try pushFetched(try memoValue(Int(try readUInt(4))))
        case .TUPLE, .TUPLE1, .TUPLE2, .TUPLE3:
            let items = op == .TUPLE ? try popToMark() : try pop(Int(op.rawValue - PickleOpcode.TUPLE1.rawValue) + 1)
            for item in items { try item.checkNesting(in: .tuple) }
            try push(.tuple(items))
        // Pop first, then find the container below: `self` in a call is read before its arguments run.
        case .APPEND, .APPENDS:
            let items = op == .APPEND ? try pop(1) : try popToMark()
            for item in items { try item.checkNesting(in: .list) }
            let target = try list()
            try budget.charge(items.count * PickleBudget.slotBytes)
            target.items.append(contentsOf: items)
        case .SETITEM, .SETITEMS:
            let items = op == .SETITEM ? try pop(2) : try popToMark()
            try budget.charge(items.count * PickleBudget.slotBytes)
            try setItems(items)
        case .GLOBAL:
            let module = try readLine(), name = try readLine()
            try push(.global(try NumpyGlobal(module: module, name: name)))
        case .STACK_GLOBAL:
            let parts = try pop(2)
            guard case .string(let module) = parts[0], case .string(let name) = parts[1] else {
                throw PickleRejection("STACK_GLOBAL needs two str, got \(parts[0].typeName) and \(parts[1].typeName)")
            }
            try push(.global(try NumpyGlobal(module: module, name: name)))
        case .REDUCE:
            let parts = try pop(2)
            try push(try NumpyReconstruction.reduce(parts[0], parts[1]))
        case .BUILD:
            let state = try pop(1)[0]
            let target = try top()
            try NumpyReconstruction.build(target, state: state)
            try budget.charge(target.ownBytes) // an array's values, decoded just now
        case .PROTO: throw PickleRejection("PROTO may only open the file")
        default: throw PickleRejection("opcode not accepted in an encoding file")
        }
    }

    /// STOP: exactly one value left, no open MARK, nothing after it.
    private mutating func finish() throws(EncodingFileError) -> PickleValue {
        guard marks.isEmpty else { throw failure("STOP with \(marks.count) MARK(s) still open") }
        guard stack.count == 1 else { throw failure(stack.isEmpty ? "stack underflow: STOP with an empty stack" : "STOP leaves \(stack.count) values on the stack") }
        guard position == bytes.count else {
            throw EncodingFileError(source: source, offset: position, opcode: nil, reason: "\(bytes.count - position) bytes of data after STOP")
        }
        return stack[0]
    }

    // MARK: Stack and memo

    /// Pushes a value just built: its slot and its own storage count against the budget.
    private mutating func push(_ value: PickleValue) throws(PickleRejection) {
        try budget.charge(PickleBudget.slotBytes + value.ownBytes)
        stack.append(value)
    }

    /// Pushes a value fetched from the memo, which shares its storage: only the slot is new.
    private mutating func pushFetched(_ value: PickleValue) throws(PickleRejection) {
        try budget.charge(PickleBudget.slotBytes)
        stack.append(value)
    }

    private mutating func memoize(_ id: Int) throws(PickleRejection) {
        try budget.charge(PickleBudget.memoEntryBytes)
        memo[id] = try top()
    }

    private func top() throws(PickleRejection) -> PickleValue {
        guard stack.count > (marks.last ?? 0) else { throw PickleRejection("stack underflow: no value above the last MARK") }
        return stack[stack.count - 1]
    }

    private mutating func pop(_ count: Int) throws(PickleRejection) -> [PickleValue] {
        guard stack.count - count >= (marks.last ?? 0) else {
            throw PickleRejection("stack underflow: needs \(count) value(s), \(stack.count - (marks.last ?? 0)) above the last MARK")
        }
        let values = Array(stack.suffix(count))
        stack.removeLast(count)
        return values
    }

    private mutating func popToMark() throws(PickleRejection) -> [PickleValue] {
        guard let mark = marks.popLast() else { throw PickleRejection("stack underflow: no MARK to pop to") }
        let values = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return values
    }

    private func list() throws(PickleRejection) -> PickleList {
        let target = try top()
        guard case .list(let list) = target else { throw PickleRejection("appends to a \(target.typeName), expected a list") }
        return list
    }

    private func setItems(_ items: [PickleValue]) throws(PickleRejection) {
        let target = try top()
        guard case .dict(let dict) = target else { throw PickleRejection("sets items on a \(target.typeName), expected a dict") }
        guard items.count % 2 == 0 else { throw PickleRejection("odd number of values (\(items.count)) for key-value pairs") }
        for pair in stride(from: 0, to: items.count, by: 2) { try dict.set(items[pair], items[pair + 1]) }
    }

    private func memoValue(_ id: Int) throws(PickleRejection) -> PickleValue {
        guard let value = memo[id] else { throw PickleRejection("memo id \(id) was never stored") }
        return value
    }

    // MARK: Operands

    /// Takes `count` bytes, or fails naming the truncation (a declared length beyond the file included).
    private mutating func take(_ count: UInt64) throws(PickleRejection) -> ArraySlice<UInt8> {
        let remaining = bytes.count - position
        guard count <= UInt64(remaining) else {
            throw PickleRejection("truncated: needs \(count) bytes at byte \(position), but only \(remaining) remain")
        }
        defer { position += Int(count) }
        return bytes[position..<position + Int(count)]
    }

    private mutating func readUInt(_ width: Int) throws(PickleRejection) -> UInt64 {
        try take(UInt64(width)).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// LONG1: a little-endian two's complement integer of up to 8 bytes (larger ones are never needed here).
    private mutating func readLong() throws(PickleRejection) -> Int {
        let width = Int(try readUInt(1))
        guard width <= 8 else { throw PickleRejection("integer of \(width) bytes is too large") }
        guard width > 0 else { return 0 }
        let magnitude = try readUInt(width)
        let shift = UInt64(64 - 8 * width)
        return Int(Int64(bitPattern: magnitude << shift) >> Int64(shift))
    }

    private mutating func readData(lengthBytes: Int) throws(PickleRejection) -> ArraySlice<UInt8> {
        try take(try readUInt(lengthBytes))
    }

    private mutating func readString(lengthBytes: Int) throws(PickleRejection) -> String {
        try utf8(try readData(lengthBytes: lengthBytes))
    }

    /// GLOBAL's operands: text lines ending in "\n".
    private mutating func readLine() throws(PickleRejection) -> String {
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw PickleRejection("truncated: the file ends inside a GLOBAL name")
        }
        defer { position = end + 1 }
        return try utf8(bytes[position..<end])
    }

    private func utf8(_ data: ArraySlice<UInt8>) throws(PickleRejection) -> String {
        let text = String(decoding: data, as: UTF8.self)
        guard text.utf8.elementsEqual(data) else { throw PickleRejection("string is not valid UTF-8") }
        return text
    }

    private func failure(_ reason: String) -> EncodingFileError {
        EncodingFileError(source: source, offset: opcodeOffset, opcode: opcode?.label, reason: reason)
    }
}
