import ClassroomCore
import XCTest

/// Course names, rosters and the term register: the rules alone, no AWS.
final class CourseRosterRegisterTests: XCTestCase {
    func testACourseIsTheKeysFirstFolderAndItsNameIsChecked() throws {
        XCTAssertNil(try Course.of(key: "test_0.mp4"))
        let found = try XCTUnwrap(Course.of(key: "cs101/week 1/lecture.mp4"))
        XCTAssertEqual(found.course.name, "cs101")
        XCTAssertEqual(found.rest, "week 1/lecture.mp4")
        for (bad, reason) in [("a..b", "'..'"), ("..", "'..'"), ("a/b", "slash"), ("", "empty"), ("cs 101", "' '"),
                              ("-x", "start with"), ("ünï", "only letters"), (String(repeating: "a", count: 65), "longer")] {
            XCTAssertThrowsError(try Course(bad), bad) { error in
                let text = (error as? LocalizedError)?.errorDescription ?? ""
                XCTAssertTrue(text.contains("course name '\(bad)'") && text.contains(reason), text)
            }
        }
        XCTAssertThrowsError(try Course.of(key: "a..b/x.mp4"))
        XCTAssertEqual(CourseSession(stem: "week1/lecture", uploadedAt: "2026-12-01T09:00:00.000Z").id, "week1/lecture@2026-12-01T09:00:00.000Z")
    }

    func testARosterIsAHeaderAndOneNamePerLine() throws {
        let roster = try Roster(bytes: Array("\u{FEFF}name\r\nfloki\r\n\r\n \"o'brien, jr\" \nfloki\nmr_bean".utf8), source: "r.csv")
        XCTAssertEqual(roster.names, ["floki", "o'brien, jr", "mr_bean"])
        XCTAssertEqual(try Roster(bytes: Array("Name\nx\n".utf8), source: "r.csv").names, ["x"])
        let bad: [(String, String)] = [("", "it is empty"), ("\n \n", "it is empty"), ("name\n", "names no student"),
                                       ("student\nfloki\n", "unknown header 'student'"), ("name,major\nfloki,x\n", "unknown header"),
                                       ("name\nfloki,history\n", "line 2"), ("name\n\"floki\n", "line 2")]
        for (text, reason) in bad {
            XCTAssertThrowsError(try Roster(bytes: Array(text.utf8), source: "s3://rosters/cs101.csv"), text.debugDescription) { error in
                let description = (error as? LocalizedError)?.errorDescription ?? ""
                XCTAssertTrue(description.hasPrefix("roster s3://rosters/cs101.csv: ") && description.contains(reason), description)
            }
        }
        XCTAssertThrowsError(try Roster(bytes: [0x6E, 0xFF], source: "r.csv"))
    }

    func testTheRegisterOrdersSessionsByTimeAndCountsAttendance() throws {
        let course = try Course("cs101")
        let monday = CourseSession(stem: "z-monday", uploadedAt: "2026-12-01T09:00:00.000Z")
        let tuesday = CourseSession(stem: "a-tuesday", uploadedAt: "2026-12-02T09:00:00.000Z")
        let friday = CourseSession(stem: "friday", uploadedAt: "2026-12-05T09:00:00.000Z")
        func entry(_ session: CourseSession, _ student: String, _ present: Bool) -> RegisterEntry {
            RegisterEntry(session: session, student: student, present: present, firstSeen: present ? 1 : nil,
                          lastSeen: present ? 2 : nil, framesSeen: present ? 2 : 0)
        }
        let register = try Register(course: course, entries: [
            entry(friday, "floki", true), entry(monday, "floki", true), entry(tuesday, "floki", true),
            entry(monday, "bush", false), entry(tuesday, "bush", true), entry(friday, "bush", false),
            entry(tuesday, "=cmd", true), entry(friday, "=cmd", true),
        ])
        XCTAssertEqual(register.sessions, [monday, tuesday, friday])
        XCTAssertEqual(register.students, ["=cmd", "bush", "floki"])
        XCTAssertEqual(register.csv, """
            student,z-monday@2026-12-01T09:00:00.000Z,a-tuesday@2026-12-02T09:00:00.000Z,friday@2026-12-05T09:00:00.000Z,attended,percent
            "'=cmd",,P,P,2,100.0
            bush,A,P,A,1,33.3
            floki,P,P,P,3,100.0

            """)
        let html = register.html
        XCTAssertFalse(html.contains("<script"))
        XCTAssertTrue(html.contains("<tr class=\"low\"><th scope=\"row\">bush <span class=\"mark\">low attendance</span></th><td class=\"a\">A</td><td class=\"p\">P</td><td class=\"a\">A</td><td>1 of 3</td><td>33.3</td></tr>"), html)
        XCTAssertTrue(html.contains("<tfoot>\n<tr><th scope=\"row\">Present</th><td>1</td><td>3</td><td>2</td><td>6 of 8</td><td>75.0</td></tr>"), html)
        XCTAssertThrowsError(try Register(course: course, entries: [])) { error in
            XCTAssertEqual((error as? LocalizedError)?.errorDescription,
                           "course 'cs101' has no sessions: no attendance-mode video of it has been processed")
        }
    }
}
