import ClassroomCore
import XCTest

/// The one rule for the name a video's outputs answer under.
final class VideoStemTests: XCTestCase {
    func testTheLastExtensionGoesAndFoldersStay() {
        XCTAssertEqual(VideoStem.of("test_0.mp4"), "test_0")
        XCTAssertEqual(VideoStem.of("2024/lecture 1.mp4"), "2024/lecture 1")
        XCTAssertEqual(VideoStem.of("a.tar.gz"), "a.tar")
        XCTAssertEqual(VideoStem.of("week.3/lecture"), "week.3/lecture", "a dot in a folder is not an extension")
        XCTAssertEqual(VideoStem.of(".mp4"), ".mp4", "a name that is all extension is kept")
        XCTAssertEqual(VideoStem.of("clips/.hidden"), "clips/.hidden")
        XCTAssertEqual(VideoStem.of("trailing."), "trailing")
    }

    func testAFileAnswersUnderItsOwnNameWithoutFolders() {
        XCTAssertEqual(VideoFile(path: "/data/2024/lecture 1.mp4").stem, "lecture 1")
        XCTAssertEqual(VideoFile(path: "test_0.mp4").stem, "test_0")
    }
}
