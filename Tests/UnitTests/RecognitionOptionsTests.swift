import ClassroomCore
import Foundation
import Settings
import XCTest

/// One plan for the cores and one range per setting, used by the command line and the function alike.
final class RecognitionOptionsTests: XCTestCase {
    func testAttendanceSamplesOneSegmentPerCore() {
        var options = RecognitionOptions(mode: .all)
        options.share(cores: 4, videosAtOnce: 1)
        XCTAssertEqual(options.parallelism, 4)
        options.share(cores: 0, videosAtOnce: 1)
        XCTAssertEqual(options.parallelism, 1, "at least one segment")
    }

    func testFirstMatchSamplesEachVideoInOneSegment() {
        var options = RecognitionOptions(mode: .firstMatch)
        options.share(cores: 4, videosAtOnce: 8)
        XCTAssertEqual(options.parallelism, 1)
    }

    func testTheThreadsLeftForEachWorkerShareTheMachinesCores() {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var alone = RecognitionOptions(mode: .firstMatch)
        alone.share(cores: 1, videosAtOnce: 1)
        XCTAssertEqual(alone.detectionThreads, cores, "one video alone gets every core")
        var crowded = RecognitionOptions(mode: .all)
        crowded.share(cores: cores * 4, videosAtOnce: 1)
        XCTAssertEqual(crowded.detectionThreads, 1, "never below one thread")
    }

    func testTheRangesBothFrontEndsAccept() {
        XCTAssertTrue(RecognitionOptions.toleranceRange.contains(0.6))
        XCTAssertFalse(RecognitionOptions.toleranceRange.contains(0))
        XCTAssertFalse(RecognitionOptions.toleranceRange.contains(2))
        XCTAssertTrue(RecognitionOptions.minFaceRange.contains(40))
        XCTAssertFalse(RecognitionOptions.minFaceRange.contains(10))
    }

    func testTheDefaultsAreTheOriginalHandlers() {
        let options = RecognitionOptions()
        XCTAssertEqual(options.mode, .firstMatch)
        XCTAssertEqual(options.tolerance, 0.6)
        XCTAssertEqual(options.samplesPerSecond, 1)
        XCTAssertEqual(options.minFace, 40)
        XCTAssertEqual(options.tolerance, Setting.tolerance.defaultNumber, "the defaults are the settings'")
        XCTAssertEqual(Double(options.minFace), Setting.minFace.defaultNumber)
        XCTAssertEqual(RecognitionOptions.Mode(rawValue: "first"), .firstMatch)
        XCTAssertEqual(RecognitionOptions.Mode(rawValue: "all"), .all)
    }
}
