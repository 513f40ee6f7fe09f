import AtomicFile
import ClassroomCore
import FaceEngine
import Foundation
import LogSink
import Media
import TestSupport
import XCTest

/// Loading dlib's models, and the saved detector that save-detector writes beside them.
final class FaceModelsTests: ScratchTestCase {
    func testMissingModelsNameTheFileAndTheFix() {
        XCTAssertThrowsError(try FaceModels(paths: ModelPaths(directory: scratch))) { error in
            XCTAssertTrue("\(error)".contains(ModelPaths.shapePredictorFile), "\(error)")
            XCTAssertTrue("\(error)".contains("fetch-models"), "\(error)")
        }
    }

    /// The detector save-detector writes finds exactly the faces, boxes and scores of the one dlib
    /// builds itself, at every width the pipeline detects at.
    func testSavedDetectorFindsExactlyWhatTheBuiltInOneFinds() throws {
        let builtIn = try FaceModels(paths: ModelPaths(directory: makeModelsFolder(at: "\(scratch)/built-in")))
        let savedPaths = ModelPaths(directory: try makeModelsFolder(at: "\(scratch)/saved"))
        try AtomicFile.write(FaceModels.serializedDetector(), to: savedPaths.detector)
        let saved = try FaceModels(paths: savedPaths)
        XCTAssertFalse(builtIn.detectorWasSaved)
        XCTAssertTrue(saved.detectorWasSaved)
        let (a, b) = (try FaceWorker(models: builtIn), try FaceWorker(models: saved))
        var faces = 0
        for clip in try Project.courseVideos(1) {
            let video = try VideoDecoder(path: clip)
            _ = try video.seek(toFrameAt: 1)
            for (width, height) in [(480, 270), (960, 540)] {
                let frame = try video.currentFrame(width: width, height: height, format: .gray)
                let found = try a.detect(in: frame)
                XCTAssertEqual(found, try b.detect(in: frame), "\(clip) at \(width) px")
                faces += found.count
            }
        }
        XCTAssertGreaterThanOrEqual(faces, 8)
    }

    /// A saved detector that is not one (junk, or cut short) is reported by name and the built-in
    /// detector is used: the file only saves time.
    func testUnreadableSavedDetectorIsReportedAndTheBuiltInOneUsed() throws {
        let paths = ModelPaths(directory: try makeModelsFolder(at: "\(scratch)/broken"))
        try AtomicFile.write(FaceModels.serializedDetector(), to: paths.detector)
        let whole = try Data(contentsOf: URL(fileURLWithPath: paths.detector))
        for broken in [Data("not a detector".utf8), whole.prefix(whole.count / 2)] {
            try broken.write(to: URL(fileURLWithPath: paths.detector))
            var warnings: [String] = []
            let models = try FaceModels(paths: paths, log: LogSink { warnings.append($0) })
            XCTAssertFalse(models.detectorWasSaved)
            XCTAssertEqual(warnings.count, 1)
            XCTAssertTrue(warnings.first?.contains(paths.detector) == true, "\(warnings)")
            let video = try VideoDecoder(path: Project.clip("test_0"))
            _ = try video.seek(toFrameAt: 1)
            XCTAssertEqual(try FaceWorker(models: models).detect(in: video.currentFrame(width: 960, height: 540, format: .gray)).count, 1)
        }
    }
}
