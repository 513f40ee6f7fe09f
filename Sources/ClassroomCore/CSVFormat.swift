import FaceRecognition
import FoundationEssentials
import TextEncoding

/// The CSV the course's graders parse: one `name,major,year` row per student, no header.
/// Attendance mode appends when and how well each student was seen.
public enum CSVFormat {
    /// One student's row; a student the directory does not know gets empty major and year.
    public static func row(for sighting: Sighting, record: StudentRecord?, mode: RecognitionOptions.Mode) -> String {
        let base = [sighting.name, record?.major ?? "", record?.year ?? ""]
        switch mode {
        case .firstMatch: return row(base)
        case .all:
            return row(base + [Printf.string("%.2f", sighting.firstSeen), Printf.string("%.2f", sighting.lastSeen),
                               String(sighting.frames), Printf.string("%.4f", sighting.bestDistance)])
        }
    }

    public static func row(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }

    /// RFC 4180 quoting, only where a field needs it, decided on Unicode scalars: Swift compares
    /// Characters, and "\r\n" (or a quote followed by a combining mark) is one Character equal to
    /// none of the delimiters. A field a spreadsheet would run as a formula is neutralised the way
    /// OWASP recommends: a leading single quote, and the field quoted.
    static func escape(_ field: String) -> String {
        let formula = field.unicodeScalars.first.map(startsFormula) ?? false
        guard formula || field.unicodeScalars.contains(where: needsQuotes) else { return field }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        if formula { quoted.append("'") }
        for scalar in field.unicodeScalars {
            if scalar == "\"" { quoted.append("\"") }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }

    private static func needsQuotes(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "," || scalar == "\"" || scalar == "\n" || scalar == "\r"
    }

    /// OWASP's list of first characters that make a spreadsheet cell a formula.
    private static func startsFormula(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "=" || scalar == "+" || scalar == "-" || scalar == "@" || scalar == "\t" || scalar == "\r"
    }
}
