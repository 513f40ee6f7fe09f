/// A value on the unpickler's stack or in its memo. Only what an `encoding` file can hold exists here: a
/// global is a name, never a callable, and REDUCE/BUILD on one produce a `NumpyDType` or a `NumpyArray`.
/// Lists, dicts, dtypes and arrays are classes because the memo shares them with the stack: APPENDS or
/// BUILD on the stack's copy must be seen by a later BINGET.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case string(String)
    /// bytes, a bytearray, or the result of `_codecs.encode(str, 'latin1')`.
    case bytes([UInt8])
    /// `flat` when every item is a scalar, decided once when built (`PickleValue.tuple(_:)`): the nesting rule
    /// asks it each time the tuple is put in a container, and a memoised tuple can be put in any number.
    case tuple([PickleValue], flat: Bool)
    case list(PickleList)
    case dict(PickleDict)
    case global(NumpyGlobal)
    case dtype(NumpyDType)
    case array(NumpyArray)

    /// The Python type name, for errors.
    var typeName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple(let items, _): return "tuple of \(items.count)"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let global): return "global \(global.qualifiedName)"
        case .dtype: return "numpy.dtype"
        case .array: return "numpy.ndarray"
        }
    }

    /// A short Python-like rendering, for errors: "(2, 64)", "(3, '>', None, ...)".
    var repr: String {
        switch self {
        case .none: return "None"
        case .bool(let value): return value ? "True" : "False"
        case .int(let value): return String(value)
        case .string(let text): return text.prefix(41).count <= 40 ? "'\(text)'" : "'\(text.prefix(40))...'"
        case .bytes(let bytes): return "<\(bytes.count) bytes>"
        case .tuple(let items, _) where items.count == 1: return "(\(items[0].repr),)"
        case .tuple(let items, _) where items.count > 8: return "(" + items.prefix(8).map(\.repr).joined(separator: ", ") + ", ...)"
        case .tuple(let items, _): return "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case .list(let list): return "<list of \(list.items.count)>"
        case .dict, .global, .dtype, .array: return typeName
        }
    }
}

extension PickleValue {
    /// Where a value is being put, for the nesting rule below.
    enum Container: String {
        case list, tuple, dict
    }

    /// An encoding file nests no deeper than dict -> list -> array, with tuples of flat tuples as numpy's
    /// arguments. Refusing anything deeper keeps a hostile file from building a million-level nesting (whose
    /// release would recurse off the stack) or a cycle through the memo.
    func checkNesting(in container: Container) throws(PickleRejection) {
        let allowed: Bool
        switch self {
        case .dict: allowed = false
        case .list: allowed = container == .dict
        case .tuple(_, let flat): allowed = flat
        default: allowed = true
        }
        guard allowed else { throw PickleRejection("a \(typeName) inside a \(container.rawValue) is deeper than an encoding file nests") }
    }

    /// A tuple of these items, with its `flat` decided.
    static func tuple(_ items: [PickleValue]) -> PickleValue {
        .tuple(items, flat: items.allSatisfy(\.isScalar))
    }

    private var isScalar: Bool {
        switch self {
        case .tuple, .list, .dict: return false
        default: return true
        }
    }
}
