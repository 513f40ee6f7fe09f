/// The CSV the course's graders parse: one `name,major,year` row per student, no header.
/// Attendance mode appends when and how well each student was seen.
public enum CSVFormat {
    public static func row(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }

    /// RFC 4180 quoting, only where a field needs it.
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
