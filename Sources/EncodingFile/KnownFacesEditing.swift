import FoundationEssentials

/// One person's encodings added, replaced or removed, as `enroll --add` and `forget` edit an
/// encoding file in place. The name is the key: every encoding under it is that person's.
extension KnownFaces {
    /// How many encodings `name` has.
    public func count(of name: String) -> Int {
        names.reduce(0) { $0 + ($1 == name ? 1 : 0) }
    }

    /// These faces with `encodings` added under `name` (after the others, in order). A name already
    /// present is refused unless `replacing`, which drops that person's old encodings first.
    /// `source` names the file or object in errors.
    public func adding(_ name: String, encodings: [[Double]], replacing: Bool, source: String) throws(KnownFacesEditError) -> KnownFaces {
        guard !name.isEmpty else { throw KnownFacesEditError(source: source, reason: "a person's name must not be empty") }
        guard !encodings.isEmpty else { throw KnownFacesEditError(source: source, reason: "no encodings of '\(name)' to add") }
        if let wrong = encodings.first(where: { $0.count != Self.encodingDimension }) {
            throw KnownFacesEditError(source: source, reason: "an encoding of '\(name)' has \(wrong.count) values, expected \(Self.encodingDimension)")
        }
        let present = count(of: name)
        if present > 0 && !replacing {
            throw KnownFacesEditError(source: source, reason: "'\(name)' is already enrolled (\(present) encodings); use --replace to replace them")
        }
        var edited = removing(name)
        edited.names += Array(repeating: name, count: encodings.count)
        edited.encodings += encodings
        return edited
    }

    /// These faces without any encoding of `name` (the same faces when there is none).
    public func removing(_ name: String) -> KnownFaces {
        let kept = names.indices.filter { names[$0] != name }
        return KnownFaces(names: kept.map { names[$0] }, encodings: kept.map { encodings[$0] })
    }
}

/// Why one person's encodings could not be added to an encoding file or object; names it.
public struct KnownFacesEditError: Error, LocalizedError, Equatable {
    public let source: String
    public let reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var errorDescription: String? { "encoding \(source): \(reason)" }
}
