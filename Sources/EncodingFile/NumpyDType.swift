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
