/// The length of every face encoding (dlib's ResNet descriptor).
let encodingDimension = 128

/// The only globals an `encoding` file may name. They are values: REDUCE and BUILD on them build the typed
/// values below by the rules numpy's own reconstruction follows, and nothing is ever called.
struct NumpyGlobal {
    enum Kind { case reconstruct, ndarray, dtype, frombuffer, codecsEncode }

    let kind: Kind
    let qualifiedName: String

    /// numpy 1.x spells its internals `numpy.core`, numpy 2.x `numpy._core`. Protocol 2 pickles bytes as
    /// `_codecs.encode(str, 'latin1')`; numpy with protocol 5 rebuilds arrays with `_frombuffer`.
    private static let allowed: [String: Kind] = [
        "numpy.core.multiarray._reconstruct": .reconstruct, "numpy._core.multiarray._reconstruct": .reconstruct,
        "numpy.core.numeric._frombuffer": .frombuffer, "numpy._core.numeric._frombuffer": .frombuffer,
        "numpy.ndarray": .ndarray, "numpy.dtype": .dtype, "_codecs.encode": .codecsEncode,
    ]

    init(module: String, name: String) throws(PickleRejection) {
        qualifiedName = module + "." + name
        guard let kind = Self.allowed[qualifiedName] else {
            throw PickleRejection("global \(qualifiedName) is not allowed (only numpy's _reconstruct, _frombuffer, ndarray, dtype and _codecs.encode)")
        }
        self.kind = kind
    }
}

/// A numpy dtype: REDUCE gives its kind, BUILD confirms its byte order.
final class NumpyDType {
    enum Scalar {
        case float64, float32
        var size: Int { self == .float64 ? 8 : 4 }
    }

    let scalar: Scalar
    private(set) var isBuilt = false

    init(code: String) throws(PickleRejection) {
        switch code {
        case "f8", "<f8": scalar = .float64
        case "f4", "<f4": scalar = .float32
        default: throw PickleRejection("dtype '\(code)' is not accepted (only little-endian float64 'f8' or float32 'f4')")
        }
    }

    /// numpy's dtype state for a plain scalar: (3, byte order, None, None, None, -1, -1, 0).
    func build(state: PickleValue) throws(PickleRejection) {
        guard !isBuilt else { throw PickleRejection("BUILD on a dtype that is already built") }
        guard case .tuple(let items, _) = state, items.count == 8, case .int(3) = items[0], case .string(let order) = items[1] else {
            throw PickleRejection("dtype state \(state.repr) is not numpy's version 3 state")
        }
        guard order == "<" else {
            throw PickleRejection(order == ">" ? "big-endian dtype is not accepted" : "dtype byte order '\(order)' is not accepted (only '<')")
        }
        guard case .none = items[2], case .none = items[3], case .none = items[4],
              case .int(-1) = items[5], case .int(-1) = items[6], case .int(0) = items[7] else {
            throw PickleRejection("dtype state \(state.repr) is not that of a plain float (subarray, fields or flags set)")
        }
        isBuilt = true
    }
}

/// A numpy array of one face encoding: empty after `_reconstruct`, filled by BUILD (or at once by `_frombuffer`).
final class NumpyArray {
    private(set) var values: [Double]?

    init(values: [Double]? = nil) { self.values = values }

    /// numpy's ndarray state: (1, shape, dtype, is_fortran, raw bytes).
    func build(state: PickleValue) throws(PickleRejection) {
        guard values == nil else { throw PickleRejection("BUILD on an array that is already built") }
        guard case .tuple(let items, _) = state, items.count == 5, case .int(1) = items[0], case .bool(let fortran) = items[3] else {
            throw PickleRejection("array state \(state.repr) is not numpy's version 1 state")
        }
        values = try Self.decode(data: items[4], dtype: items[2], shape: items[1], fortran: fortran)
    }

    /// Checks the shape is (128,) and the data holds exactly that many little-endian floats, widened to Double.
    static func decode(data: PickleValue, dtype: PickleValue, shape: PickleValue, fortran: Bool) throws(PickleRejection) -> [Double] {
        guard case .dtype(let type) = dtype else { throw PickleRejection("array dtype is a \(dtype.typeName), expected numpy.dtype") }
        guard type.isBuilt else { throw PickleRejection("array uses a dtype before the dtype's BUILD") }
        guard case .tuple(let dimensions, _) = shape, dimensions.count == 1, case .int(encodingDimension) = dimensions[0] else {
            let order = fortran ? " in Fortran order" : ""
            throw PickleRejection("array shape \(shape.repr)\(order) is not (\(encodingDimension),)")
        }
        guard case .bytes(let raw) = data else { throw PickleRejection("array data is a \(data.typeName), expected bytes") }
        guard raw.count == encodingDimension * type.scalar.size else {
            throw PickleRejection("array data is \(raw.count) bytes, expected \(encodingDimension * type.scalar.size) for \(encodingDimension) \(type.scalar)")
        }
        return raw.withUnsafeBytes { buffer in
            switch type.scalar {
            case .float64:
                return (0..<encodingDimension).map { Double(bitPattern: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
            case .float32:
                return (0..<encodingDimension).map { Double(Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))) }
            }
        }
    }
}

/// REDUCE and BUILD on the allowed globals, following what numpy and `_codecs` would build, without calling them.
enum NumpyReconstruction {
    static func reduce(_ callable: PickleValue, _ arguments: PickleValue) throws(PickleRejection) -> PickleValue {
        guard case .global(let global) = callable else { throw PickleRejection("REDUCE calls a \(callable.typeName), not an allowed global") }
        guard case .tuple(let args, _) = arguments else { throw PickleRejection("REDUCE arguments are a \(arguments.typeName), expected a tuple") }
        var shapeProblem: PickleRejection { PickleRejection("\(global.qualifiedName) called with \(arguments.repr), not as numpy or pickle call it") }
        switch global.kind {
        case .reconstruct:
            // numpy: _reconstruct(ndarray, (0,), b'b'); the data comes with BUILD.
            guard args.count == 3, case .global(let type) = args[0], type.kind == .ndarray,
                  case .tuple(let empty, _) = args[1], empty.count == 1, case .int(0) = empty[0],
                  case .bytes(let typecode) = args[2], typecode == [UInt8(ascii: "b")] else { throw shapeProblem }
            return .array(NumpyArray())
        case .frombuffer:
            // numpy with protocol 5: _frombuffer(buffer, dtype, shape, order).
            guard args.count == 4, case .string(let order) = args[3], order == "C" || order == "F" else { throw shapeProblem }
            return .array(NumpyArray(values: try NumpyArray.decode(data: args[0], dtype: args[1], shape: args[2], fortran: order == "F")))
        case .dtype:
            // numpy: dtype(code, align=False, copy=True); the byte order comes with BUILD.
            guard args.count == 3, case .string(let code) = args[0], case .bool = args[1], case .bool = args[2] else { throw shapeProblem }
            return .dtype(try NumpyDType(code: code))
        case .codecsEncode:
            // Protocol 2 bytes: _codecs.encode(str, 'latin1'), one character per byte.
            guard args.count == 2, case .string(let text) = args[0], case .string("latin1") = args[1] else { throw shapeProblem }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.unicodeScalars.count)
            for scalar in text.unicodeScalars {
                guard scalar.value <= 0xFF else { throw PickleRejection("_codecs.encode of a str with U+\(String(scalar.value, radix: 16)), not latin1") }
                bytes.append(UInt8(scalar.value))
            }
            return .bytes(bytes)
        case .ndarray:
            throw PickleRejection("REDUCE calls numpy.ndarray directly, which numpy's pickles never do")
        }
    }

    static func build(_ object: PickleValue, state: PickleValue) throws(PickleRejection) {
        switch object {
        case .dtype(let dtype): try dtype.build(state: state)
        case .array(let array): try array.build(state: state)
        default: throw PickleRejection("BUILD on a \(object.typeName), expected a numpy dtype or array")
        }
    }
}
