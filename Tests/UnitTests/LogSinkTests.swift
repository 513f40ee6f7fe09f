import LogSink
import XCTest

final class LogSinkTests: XCTestCase {
    func testAMappedSinkRewritesEachLineBeforePassingItOn() {
        var lines: [String] = []
        let sink = LogSink { lines.append($0) }
        sink("plain")
        sink.map { "[tagged] " + $0 }("warned")
        XCTAssertEqual(lines, ["plain", "[tagged] warned"])
    }
}
