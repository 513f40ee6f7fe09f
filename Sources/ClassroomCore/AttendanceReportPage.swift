import FaceRecognition
import FoundationEssentials
import TextEncoding

/// The attendance report as one self-contained HTML5 page: inline CSS, the face crops inline as
/// `data:` URLs, no script, and a Content-Security-Policy that lets nothing else load, so that a
/// presigned link to the page alone shows all of it and leaks nothing to any other server. Every
/// name and field is escaped. Laid out for a phone first, wider screens get the same page with
/// more room.
public enum AttendanceReportPage {
    /// The element id of the crop of `report.present[i]`; forget finds a person's picture by it.
    public static func presentFaceID(_ i: Int) -> String { "face-\(i + 1)" }

    /// `presentFaces` and `unknownFaces` are the crops' URLs, one per entry of `report.present` and
    /// `report.unknown` (nil where the entry has no crop).
    public static func html(_ report: AttendanceReport, presentFaces: [String?], unknownFaces: [String?]) -> String {
        let title = "Attendance: " + (PathName.lastComponent(report.video))
        var page = PrivatePageHead.html(title: title, style: style, inlineImages: true) + """
            <header>
            <h1>\(escape(title))</h1>
            <dl class="facts">
            <dt>Video</dt><dd>\(escape(report.video))</dd>
            <dt>Duration</dt><dd>\(report.durationSeconds.map(seconds) ?? "not known")</dd>
            <dt>Processed</dt><dd><time datetime="\(isoTime(report.processedAt))">\(escape(isoTime(report.processedAt)))</time> in \(Printf.string("%.1f", report.processingSeconds)) s</dd>
            <dt>Sampled</dt><dd>\(report.sampledTimes.count) \(report.sampledTimes.count == 1 ? "frame" : "frames")</dd>
            \(courseFacts(report))</dl>
            <p class="summary">\(report.present.count) present, \(report.roster == nil ? "absent not known (no roster)" : "\(report.absent.count) absent"), \(report.unknown.count) unknown</p>

            """
        if !report.wholeVideoSampled {
            page += "<p class=\"note\">Sampling stopped at the first recognised face (first-match mode): absent means not looked for.</p>\n"
        }
        page += "</header>\n<main>\n"

        page += section("present", "Present", report.present.isEmpty ? "Nobody was recognised." : nil) {
            zip(report.present.indices, zip(report.present, presentFaces)).map { index, entry in
                let (student, face) = entry
                let record = student.record.map { "\(escape($0.major)), \(escape($0.year))" }
                    ?? "<span class=\"warn\">no row in the student table</span>"
                return """
                    <li class="person present" data-name="\(escape(student.name))">
                    \(image(face, id: presentFaceID(index), alt: "Face of \(student.name)", crop: student.face))
                    <div class="about">
                    <h3>\(escape(student.name))</h3>
                    <p>\(record)</p>
                    <p>distance \(Printf.string("%.4f", student.bestDistance)); seen \(seconds(student.firstSeen)) to \(seconds(student.lastSeen)), in \(student.seenAt.count) of \(report.sampledTimes.count) sampled frames</p>
                    \(timeline(student.seenAt, first: student.firstSeen, last: student.lastSeen, report: report, label: student.name))
                    </div>
                    </li>
                    """
            }
        }
        page += absentSection(report)
        page += section("unknown", "Unknown people", report.unknown.isEmpty ? "Every face seen matched an enrolled student." : nil) {
            zip(report.unknown.indices, zip(report.unknown, unknownFaces)).map { index, entry in
                let (person, face) = entry
                let label = "Unknown person \(index + 1)"
                return """
                    <li class="person unknown" data-unknown="\(index + 1)">
                    \(image(face, id: "unknown-\(index + 1)", alt: label, crop: person.face, missing: "no picture kept"))
                    <div class="about">
                    <h3>\(label)</h3>
                    <p>seen at \(person.seenAt.map(seconds).joined(separator: ", "))</p>
                    \(timeline(person.seenAt, first: person.seenAt.first ?? 0, last: person.seenAt.last ?? 0, report: report, label: label))
                    </div>
                    </li>
                    """
            }
        }
        page += "</main>\n</body>\n</html>\n"
        return page
    }

    /// The course and session lines of the facts list, when the video has them.
    private static func courseFacts(_ report: AttendanceReport) -> String {
        var facts = ""
        if let course = report.course { facts += "<dt>Course</dt><dd>\(escape(course))</dd>\n" }
        if let session = report.session {
            facts += "<dt>Session</dt><dd>\(escape(session.stem)), uploaded <time datetime=\"\(escape(session.uploadedAt))\">\(escape(session.uploadedAt))</time></dd>\n"
        }
        return facts
    }

    /// Who of the roster was not seen (a roster name the encoding file lacks marked as one that
    /// cannot be recognised), then who was seen but is not on the roster; without a roster, a note
    /// that nobody can be listed absent.
    private static func absentSection(_ report: AttendanceReport) -> String {
        guard let roster = report.roster else {
            return section("absent", "Absent", "No roster for this course: absent students cannot be listed.") { [] }
        }
        var html = section("absent", "Absent", report.absent.isEmpty ? "Everyone on the roster was seen." : nil) {
            report.absent.map { student in
                let record = student.record.map { "\(escape($0.major)), \(escape($0.year))" } ?? "no row in the student table"
                let notEnrolled = student.enrolled ? "" : "<p class=\"warn\">cannot be recognised: not enrolled</p>"
                return "<li class=\"person absent\" data-name=\"\(escape(student.name))\"\(student.enrolled ? "" : " data-not-enrolled=\"true\"")><h3>\(escape(student.name))</h3><p>\(record)</p>\(notEnrolled)</li>"
            }
        }
        html += "<p class=\"note\">Roster: \(escape(roster))</p>\n"
        if !report.notOnRoster.isEmpty {
            html += section("not-on-roster", "Not on this course's roster", nil) {
                report.notOnRoster.map { "<li class=\"person not-on-roster\" data-name=\"\(escape($0))\"><h3>\(escape($0))</h3><p>recognised, but not on this course's roster</p></li>" }
            }
        }
        return html
    }

    /// Text made safe for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Controls other than whitespace are not allowed in HTML text.
            case _ where character.value < 0x20 && !["\t", "\n", "\r"].contains(character),
                 _ where (0x7F...0x9F).contains(character.value):
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    private static func section(_ id: String, _ heading: String, _ empty: String?, _ items: () -> [String]) -> String {
        var html = "<section id=\"\(id)\">\n<h2>\(heading)</h2>\n"
        if let empty {
            html += "<p class=\"empty\">\(empty)</p>\n"
        } else {
            html += "<ul>\n" + items().joined(separator: "\n") + "\n</ul>\n"
        }
        return html + "</section>\n"
    }

    private static func image(_ url: String?, id: String, alt: String, crop: FaceCrop?, missing: String = "no crop") -> String {
        guard let url, let crop else { return "<div class=\"face none\" id=\"\(id)\">\(missing)</div>" }
        return "<img class=\"face\" id=\"\(id)\" src=\"\(escape(url))\" alt=\"\(escape(alt))\" width=\"\(crop.image.width)\" height=\"\(crop.image.height)\">"
    }

    /// What stands where a person's picture was, once it has been erased at their request.
    public static func erasedFace(id: String) -> String {
        "<div class=\"face none erased\" id=\"\(id)\">picture erased at the person's request</div>"
    }

    /// A bar across the video: the span from first to last seen, a tick for each sampled frame
    /// the person was in, and faint ticks for the sampled frames they were not.
    private static func timeline(_ seenAt: [Double], first: Double, last: Double, report: AttendanceReport, label: String) -> String {
        let span = report.timelineSeconds
        func x(_ t: Double) -> String { Printf.string("%.2f", min(max(t / span, 0), 1) * 1000) }
        let seen = Set(seenAt)
        var svg = "<svg class=\"timeline\" viewBox=\"0 0 1000 20\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(escape("When \(label) was seen: from \(clock(first)) to \(clock(last)) of \(clock(span))"))\">"
        svg += "<rect class=\"track\" x=\"0\" y=\"4\" width=\"1000\" height=\"12\"/>"
        let start = min(max(first / span, 0), 1) * 1000, end = min(max(last / span, 0), 1) * 1000
        svg += "<rect class=\"span\" x=\"\(x(first))\" y=\"4\" width=\"\(Printf.string("%.2f", max(end - start, 4)))\" height=\"12\"/>"
        for t in report.sampledTimes where !seen.contains(t) {
            svg += "<rect class=\"sample\" x=\"\(x(t))\" y=\"16\" width=\"2\" height=\"4\"/>"
        }
        for t in seenAt { svg += "<rect class=\"tick\" x=\"\(x(t))\" y=\"0\" width=\"3\" height=\"20\"/>" }
        return svg + "</svg>"
    }

    /// A time in the video, in a <time> element with its exact seconds.
    private static func seconds(_ t: Double) -> String {
        "<time datetime=\"PT\(Printf.string("%.3f", max(t, 0)))S\">\(clock(t))</time>"
    }

    /// m:ss.s (h:mm:ss.s past an hour): tenths tell apart the samples of a short clip.
    private static func clock(_ t: Double) -> String {
        let tenths = Int((max(t, 0) * 10).rounded(.down))
        let (h, m, s) = (tenths / 36000, tenths / 600 % 60, Double(tenths % 600) / 10)
        return h > 0 ? Printf.string("%d:%02d:%04.1f", h, m, s) : Printf.string("%d:%04.1f", m, s)
    }

    private static func isoTime(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:48rem;padding:1rem;color:#1d1d1f;background:#fff;line-height:1.4}
        h1{font-size:1.35rem;margin:0 0 .5rem;overflow-wrap:anywhere}
        h2{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #ddd;padding-bottom:.25rem}
        h3{font-size:1rem;margin:0;overflow-wrap:anywhere}
        p{margin:.15rem 0}
        .facts{display:grid;grid-template-columns:auto 1fr;gap:.1rem .75rem;margin:0;font-size:.9rem}
        .facts dt{font-weight:600}.facts dd{margin:0;overflow-wrap:anywhere}
        .summary{font-weight:600;margin-top:.5rem}
        .note{background:#fff4d6;padding:.4rem .6rem;border-radius:.3rem;font-size:.9rem}
        ul{list-style:none;margin:0;padding:0}
        .person{display:flex;gap:.75rem;align-items:flex-start;padding:.6rem 0;border-bottom:1px solid #eee}
        .person.absent{display:block;padding:.4rem 0}
        .face{flex:none;width:6rem;height:auto;border-radius:.3rem;background:#eee}
        .face.none{height:6rem;display:flex;align-items:center;justify-content:center;font-size:.8rem;color:#666}
        .about{flex:1;min-width:0;font-size:.9rem}
        .warn{color:#a33}
        .empty{color:#666}
        .timeline{display:block;width:100%;height:1.25rem;margin-top:.35rem}
        .track{fill:#e6e6e6}.span{fill:#9fd3a8}.tick{fill:#1b7f3a}.sample{fill:#bbb}
        #unknown .span{fill:#f1c98b}#unknown .tick{fill:#b4690e}
        @media (max-width:30rem){body{padding:.6rem}.face{width:4.5rem}.face.none{height:4.5rem}}
        """
}
