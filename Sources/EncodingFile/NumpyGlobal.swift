/// The only globals an `encoding` file may name. They are values: REDUCE and BUILD on them build a
/// `NumpyDType`, a `NumpyArray` or bytes by the rules numpy's own reconstruction follows (`NumpyReconstruction`),
/// and nothing is ever called.
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
