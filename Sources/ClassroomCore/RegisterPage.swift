import FoundationEssentials
import TextEncoding

/// A course's register as one self-contained HTML5 page: a table of students by sessions, the
/// totals, and a mark on every student under Register.lowAttendancePercent. Inline CSS, no script,
/// every name escaped; the table scrolls sideways on a narrow screen.
enum RegisterPage {
    static func html(_ register: Register) -> String {
        let escape = AttendanceReportPage.escape
        let title = "Register: " + register.course.name
        let low = register.students.filter { register.percentage($0) < Register.lowAttendancePercent }
        var page = PrivatePageHead.html(title: title, style: style, inlineImages: false) + """
            <h1>\(escape(title))</h1>
            <p class="summary">\(register.students.count) students, \(register.sessions.count) \(register.sessions.count == 1 ? "session" : "sessions"), \(low.count) under \(Printf.string("%.0f", Register.lowAttendancePercent))% attendance</p>
            <div class="scroll">
            <table>
            <caption>P present, A absent, blank: not on the roster for that session</caption>
            <thead>
            <tr><th scope="col">Student</th>
            """
        for (index, session) in register.sessions.enumerated() {
            page += "<th scope=\"col\" title=\"\(escape(session.id))\"><span class=\"n\">\(index + 1)</span> \(escape(session.stem))<br><time datetime=\"\(escape(session.uploadedAt))\">\(escape(shortTime(session.uploadedAt)))</time></th>"
        }
        page += "<th scope=\"col\">Attended</th><th scope=\"col\">%</th></tr>\n</thead>\n<tbody>\n"
        for student in register.students {
            let percent = register.percentage(student)
            let isLow = percent < Register.lowAttendancePercent
            page += "<tr\(isLow ? " class=\"low\"" : "")><th scope=\"row\">\(escape(student))\(isLow ? " <span class=\"mark\">low attendance</span>" : "")</th>"
            for session in register.sessions {
                switch register.mark(student, in: session) {
                case true?: page += "<td class=\"p\">P</td>"
                case false?: page += "<td class=\"a\">A</td>"
                case nil: page += "<td></td>"
                }
            }
            page += "<td>\(register.attended(student)) of \(register.sessionsListed(student))</td><td>\(Printf.string("%.1f", percent))</td></tr>\n"
        }
        page += "</tbody>\n<tfoot>\n<tr><th scope=\"row\">Present</th>"
        for session in register.sessions { page += "<td>\(register.presentCount(in: session))</td>" }
        let attendedTotal = register.students.reduce(0) { $0 + register.attended($1) }
        let listedTotal = register.students.reduce(0) { $0 + register.sessionsListed($1) }
        let overall = listedTotal == 0 ? 0 : 100 * Double(attendedTotal) / Double(listedTotal)
        page += "<td>\(attendedTotal) of \(listedTotal)</td><td>\(Printf.string("%.1f", overall))</td></tr>\n</tfoot>\n</table>\n</div>\n</body>\n</html>\n"
        return page
    }

    /// `2026-09-07T09:00:00.000Z` as `2026-09-07 09:00`: the full time is in the attribute and the title.
    static func shortTime(_ iso: String) -> String {
        guard iso.count >= 16, Array(iso)[10] == "T" else { return iso }
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(5)
    }

    private static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1d1d1f;background:#fff;line-height:1.4}
        h1{font-size:1.35rem;margin:0 0 .5rem;overflow-wrap:anywhere}
        .summary{font-weight:600}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;font-size:.9rem}
        caption{text-align:left;color:#555;padding:.3rem 0;font-size:.85rem}
        th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:center;white-space:nowrap}
        thead th{background:#f4f4f4;font-weight:600;font-size:.8rem}
        tbody th,tfoot th{text-align:left}
        .n{display:inline-block;min-width:1.2rem;border-radius:.6rem;background:#ddd}
        .p{background:#dff3e3;color:#1b7f3a;font-weight:600}
        .a{background:#fbe3e3;color:#a33;font-weight:600}
        tr.low th{color:#a33}
        .mark{display:inline-block;font-size:.75rem;background:#a33;color:#fff;border-radius:.3rem;padding:0 .3rem}
        tfoot td,tfoot th{font-weight:600;background:#f4f4f4}
        """
}
