import FoundationEssentials
import TextEncoding

/// The students enrolled in a course, from a CSV file: a header line `name`, then one name per
/// line (blank lines ignored, a name may be quoted). Anything else is refused, naming the file.
public struct Roster: Sendable, Equatable {
    /// The file or object it was read from.
    public let source: String
    /// In the file's order, each once.
    public let names: [String]

    public init(bytes: [UInt8], source: String) throws {
        self.source = source
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RosterError(source: source, reason: "it is not UTF-8 text")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .enumerated().map { (number: $0.offset + 1, text: Self.trimmed(String($0.element))) }
            .filter { !$0.text.isEmpty }
        if let first = lines.first { lines[0].text = String(first.text.drop { $0 == "\u{FEFF}" }) }
        guard let header = lines.first else {
            throw RosterError(source: source, reason: "it is empty; expected a header line 'name' and one student per line")
        }
        guard Self.unquoted(header.text)?.lowercased() == "name" else {
            throw RosterError(source: source, reason: "line \(header.number): unknown header '\(header.text)'; expected 'name'")
        }
        var names: [String] = []
        for line in lines.dropFirst() {
            guard let name = Self.unquoted(line.text), !name.isEmpty else {
                throw RosterError(source: source, reason: "line \(line.number): '\(line.text)' is not one name (one column only: name)")
            }
            if !names.contains(name) { names.append(name) }
        }
        guard !names.isEmpty else {
            throw RosterError(source: source, reason: "it names no student (only the header line)")
        }
        self.names = names
    }

    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RosterError(source: path, reason: "cannot read the file")
        }
        try self.init(bytes: Array(data), source: path)
    }

    public func contains(_ name: String) -> Bool { names.contains(name) }

    /// A field as written, its RFC 4180 quotes removed; nil when it is more than one field.
    private static func unquoted(_ field: String) -> String? {
        guard field.hasPrefix("\"") else { return field.contains(",") ? nil : field }
        guard field.count >= 2, field.hasSuffix("\"") else { return nil }
        let inner = field.dropFirst().dropLast()
        let text = String(inner).replacing("\"\"", with: "\u{0}")
        guard !text.contains("\"") else { return nil }
        return trimmed(String(text.replacing("\u{0}", with: "\"")))
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingSpacesAndTabs()
    }
}

public struct RosterError: Error, LocalizedError, Equatable {
    public let source: String
    public let reason: String
    public var errorDescription: String? { "roster \(source): \(reason)" }
}
