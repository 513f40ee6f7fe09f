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
