import FaceRecognition
import Imaging
import XCTest

/// Attendance's bookkeeping: segments sampled side by side fold into one account of who was seen when.
final class AttendanceTests: XCTestCase {
    private let near = [Double](repeating: 0, count: 128)
    private var far: [Double] { [Double](repeating: 0.1, count: 128) }   // about 1.13 from `near`

    func testMergingSegmentsUnitesTimesAndKeepsTheBestDistance() {
        var first = Attendance(tolerance: 0.6)
        first.record("ada", at: [0, 1, 2], bestDistance: 0.40, face: nil)
        first.sampled(at: 0)
        var second = Attendance(tolerance: 0.6)
        second.record("ada", at: [2, 5], bestDistance: 0.30, face: nil)
        second.record("bob", at: [4], bestDistance: 0.50, face: nil)
        second.sampled(at: 5)
        first.merge(second)

        XCTAssertEqual(first.sightings.map(\.name), ["ada", "bob"], "ordered by first seen")
        let ada = first.sightings[0]
        XCTAssertEqual(ada.times, [0, 1, 2, 5], "a frame both segments saw counts once")
        XCTAssertEqual(ada.firstSeen, 0)
        XCTAssertEqual(ada.lastSeen, 5)
        XCTAssertEqual(ada.frames, 4)
        XCTAssertEqual(ada.bestDistance, 0.30)
        XCTAssertEqual(first.sampledTimes, [0, 5])
    }

    func testMergeIsTheSameInEitherOrder() {
        var a = Attendance(tolerance: 0.6), b = Attendance(tolerance: 0.6)
        a.record("ada", at: [3], bestDistance: 0.5, face: nil)
        b.record("ada", at: [1], bestDistance: 0.2, face: nil)
        b.record("cy", at: [1], bestDistance: 0.4, face: nil)
        var ab = a, ba = b
        ab.merge(b)
        ba.merge(a)
        XCTAssertEqual(ab.sightings, ba.sightings)
        XCTAssertEqual(ab.sightings.map(\.name), ["ada", "cy"], "same first time: by name")
    }

    func testOneStrangerSeenInManyFramesAndSegmentsCountsOnce() {
        var first = Attendance(tolerance: 0.6)
        first.recordStranger(near, at: [1], face: nil)
        first.recordStranger(near, at: [2], face: nil)
        var second = Attendance(tolerance: 0.6)
        second.recordStranger(near, at: [7], face: nil)
        second.recordStranger(far, at: [7], face: nil)
        first.merge(second)
        XCTAssertEqual(first.unknownPeople, 2)
        XCTAssertEqual(first.strangers.first?.times, [1, 2, 7])
    }

    /// A person nobody enrolled never consented: their face is not kept unless the operator asks.
    func testAStrangersFaceIsKeptOnlyWhenAskedFor() {
        let face = FaceCrop(image: PixelImage(width: 2, height: 2, pixels: Array(repeating: 9, count: 12)))
        var attendance = Attendance(tolerance: 0.6)
        attendance.recordStranger(near, at: [1], face: face)
        attendance.record("ada", at: [1], bestDistance: 0.3, face: face)
        XCTAssertNil(attendance.strangers.first?.face)
        XCTAssertEqual(attendance.sightings.first?.face, face, "an enrolled student's face is kept")
        var opted = Attendance(tolerance: 0.6, keepsStrangerFaces: true)
        opted.recordStranger(near, at: [1], face: face)
        XCTAssertEqual(opted.strangers.first?.face, face)
    }

    func testARecordWithoutTimesIsIgnored() {
        var attendance = Attendance(tolerance: 0.6)
        attendance.record("ada", at: [], bestDistance: 0.1, face: nil)
        attendance.recordStranger([], at: [1], face: nil)
        XCTAssertTrue(attendance.sightings.isEmpty)
        XCTAssertEqual(attendance.unknownPeople, 0)
    }
}
