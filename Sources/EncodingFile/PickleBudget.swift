/// The bytes the unpickler's values take, counted as they are built (str and bytes payloads, decoded
/// doubles, and every stack, memo, tuple, list and dict slot), and refused past the limit the file's size
/// allows (`EncodingFileLimits`). Nothing is given back when values are dropped: the count bounds the peak.
struct PickleBudget {
    /// What one value takes in a stack, memo or container slot.
    static let slotBytes = MemoryLayout<PickleValue>.stride
    /// What one memo entry takes: its id and its slot.
    static let memoEntryBytes = MemoryLayout<Int>.stride + slotBytes

    let fileSize: Int
    let limit: Int
    private(set) var built = 0

    init(fileSize: Int) {
        self.fileSize = fileSize
        limit = EncodingFileLimits.builtBytes(forFileOf: fileSize)
    }

    mutating func charge(_ bytes: Int) throws(PickleRejection) {
        built += bytes
        guard built <= limit else {
            throw PickleRejection("the values built take \(built) bytes, over the built-bytes limit of \(limit) for a file of \(fileSize) bytes "
                                  + "(\(EncodingFileLimits.builtBytesPerFileByte) per byte of file plus \(EncodingFileLimits.builtBytesAllowance))")
        }
    }
}

extension PickleValue {
    /// The storage this value holds besides its slot: what a newly built value adds to the budget.
    var ownBytes: Int {
        switch self {
        case .string(let text): return text.utf8.count
        case .bytes(let bytes): return bytes.count
        case .tuple(let items, _): return items.count * PickleBudget.slotBytes
        case .array(let array): return (array.values?.count ?? 0) * MemoryLayout<Double>.stride
        case .none, .bool, .int, .list, .dict, .global, .dtype: return 0
        }
    }
}
