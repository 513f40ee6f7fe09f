/// A dict with str keys in insertion order (the only keys an `encoding` file uses).
final class PickleDict {
    private(set) var keys: [String] = []
    private(set) var values: [String: PickleValue] = [:]

    func set(_ key: PickleValue, _ value: PickleValue) throws(PickleRejection) {
        guard case .string(let name) = key else { throw PickleRejection("dict key is a \(key.typeName), expected str") }
        try value.checkNesting(in: .dict)
        guard values.updateValue(value, forKey: name) == nil else { throw PickleRejection("dict key '\(name)' is set twice") }
        keys.append(name)
    }
}
