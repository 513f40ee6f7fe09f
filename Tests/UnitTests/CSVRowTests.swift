import ClassroomCore
import FaceRecognition
import XCTest

/// The CSV's columns per mode, and the escaping they go through.
final class CSVRowTests: XCTestCase {
    private func sighting(_ name: String) -> Sighting {
        var attendance = Attendance(tolerance: 0.6)
        attendance.record(name, at: [1.5, 3, 12.25], bestDistance: 0.34126, face: nil)
        return attendance.sightings[0]
    }

    private let record = StudentRecord(id: 1, name: "mr_bean", major: "lawyer", year: "freshmen")

    func testFirstMatchWritesNameMajorAndYear() {
        XCTAssertEqual(CSVFormat.row(for: sighting("mr_bean"), record: record, mode: .firstMatch), "mr_bean,lawyer,freshmen\n")
    }

    func testAttendanceAddsWhenAndHowWellTheStudentWasSeen() {
        XCTAssertEqual(CSVFormat.row(for: sighting("mr_bean"), record: record, mode: .all),
                       "mr_bean,lawyer,freshmen,1.50,12.25,3,0.3413\n")
    }

    func testAStudentMissingFromTheDirectoryGetsEmptyMajorAndYear() {
        XCTAssertEqual(CSVFormat.row(for: sighting("ghost"), record: nil, mode: .firstMatch), "ghost,,\n")
    }

    func testFieldsAreEscapedWhereTheyNeedIt() {
        XCTAssertEqual(CSVFormat.row(["a,b", "say \"hi\"", "=1+1", "plain"]), "\"a,b\",\"say \"\"hi\"\"\",\"'=1+1\",plain\n")
        XCTAssertEqual(CSVFormat.row(["two\r\nlines"]), "\"two\r\nlines\"\n", "CR LF is one Character but still quoted")
    }
}
