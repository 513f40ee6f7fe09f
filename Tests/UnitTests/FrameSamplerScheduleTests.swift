import Media
import XCTest

/// The sampling schedule's arithmetic: sample k asks for the first frame at or after k / rate seconds.
final class FrameSamplerScheduleTests: XCTestCase {
    func testTheIndexAtOrAfterATimeRoundsUp() {
        XCTAssertEqual(FrameSampler.index(atOrAfter: 0, samplesPerSecond: 1), 0)
        XCTAssertEqual(FrameSampler.index(atOrAfter: 0.48, samplesPerSecond: 1), 1, "a frame at 0.48 s stands for sample 0 only")
        XCTAssertEqual(FrameSampler.index(atOrAfter: 1, samplesPerSecond: 1), 1)
        XCTAssertEqual(FrameSampler.index(atOrAfter: 9.96, samplesPerSecond: 1), 10, "the last partial second has its sample")
        XCTAssertEqual(FrameSampler.index(atOrAfter: 2.5, samplesPerSecond: 2), 5)
        XCTAssertEqual(FrameSampler.index(atOrAfter: 2.6, samplesPerSecond: 2), 6)
    }

    func testHostileTimesConvertWithoutTrapping() {
        XCTAssertEqual(FrameSampler.index(atOrAfter: -5, samplesPerSecond: 1), 0)
        XCTAssertEqual(FrameSampler.index(atOrAfter: 9.2e18, samplesPerSecond: 1), Int(Int32.max))
        XCTAssertEqual(FrameSampler.index(atOrAfter: .infinity, samplesPerSecond: 1), Int(Int32.max))
        XCTAssertEqual(FrameSampler.index(atOrAfter: .nan, samplesPerSecond: 1), 0)
    }

    func testEachSampleAsksForItsOwnTime() {
        let sampler = FrameSampler(samplesPerSecond: 2, samples: 4..<10)
        XCTAssertEqual(sampler.startTime, 2)
        XCTAssertEqual(sampler.time(of: 5), 2.5)
        XCTAssertNil(sampler.lastFrameTime, "nothing sampled yet")
    }
}
