/// The course format: a dict with exactly the keys 'name' (a list of str) and 'encoding' (a list of
/// arrays of 128 finite floats), of equal and non-zero length.
enum EncodingFileContents {
    static func knownFaces(from value: PickleValue) throws(PickleRejection) -> KnownFaces {
        guard case .dict(let dict) = value else { throw PickleRejection("the pickled object is a \(value.typeName), expected a dict of 'name' and 'encoding'") }
        guard Set(dict.keys) == ["name", "encoding"] else {
            throw PickleRejection("the dict has keys \(dict.keys.map { "'\($0)'" }.joined(separator: ", ")), expected exactly 'name' and 'encoding'")
        }
        let names = try list(dict.values["name"], key: "name").enumerated().map { index, item throws(PickleRejection) -> String in
            guard case .string(let name) = item else { throw PickleRejection("name \(index) is a \(item.typeName), expected str") }
            return name
        }
        let encodings = try list(dict.values["encoding"], key: "encoding").enumerated().map { index, item throws(PickleRejection) -> [Double] in
            guard case .array(let array) = item, let values = array.values else {
                throw PickleRejection("encoding \(index) is a \(item.typeName)\(item.isArray ? " that was never built" : ""), expected a numpy array")
            }
            // A NaN or infinite component would make every distance NaN: that face could never match.
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw PickleRejection("encoding \(index) has a non-finite value (\(values[bad])) at position \(bad)")
            }
            return values
        }
        guard names.count == encodings.count else { throw PickleRejection("\(names.count) names but \(encodings.count) encodings") }
        guard !names.isEmpty else { throw PickleRejection("no names and no encodings") }
        return KnownFaces(names: names, encodings: encodings)
    }

    private static func list(_ value: PickleValue?, key: String) throws(PickleRejection) -> [PickleValue] {
        guard case .list(let list)? = value else { throw PickleRejection("'\(key)' is a \(value?.typeName ?? "nothing"), expected a list") }
        return list.items
    }
}

private extension PickleValue {
    var isArray: Bool {
        if case .array = self { return true }
        return false
    }
}
