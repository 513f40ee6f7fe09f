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
        guard case .tuple(let dimensions, _) = shape, dimensions.count == 1, case .int(KnownFaces.encodingDimension) = dimensions[0] else {
            let order = fortran ? " in Fortran order" : ""
            throw PickleRejection("array shape \(shape.repr)\(order) is not (\(KnownFaces.encodingDimension),)")
        }
        guard case .bytes(let raw) = data else { throw PickleRejection("array data is a \(data.typeName), expected bytes") }
        guard raw.count == KnownFaces.encodingDimension * type.scalar.size else {
            throw PickleRejection("array data is \(raw.count) bytes, expected \(KnownFaces.encodingDimension * type.scalar.size) for \(KnownFaces.encodingDimension) \(type.scalar)")
        }
        return raw.withUnsafeBytes { buffer in
            switch type.scalar {
            case .float64:
                return (0..<KnownFaces.encodingDimension).map { Double(bitPattern: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
            case .float32:
                return (0..<KnownFaces.encodingDimension).map { Double(Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))) }
            }
        }
    }
}
