import ClassroomCore
import EncodingFile
import FaceEngine
import Foundation
import Media
import RequestContext
import TestSupport
import XCTest

/// The recognition pipeline through its public API, with the real models and course clips.
final class PipelineTests: ScratchTestCase {
    private static var models: FaceModels?

    override func setUpWithError() throws {
        try super.setUpWithError()
        if Self.models == nil { Self.models = try FaceModels(paths: ModelPaths(directory: Project.models)) }
    }

    private func pipeline(_ options: RecognitionOptions = RecognitionOptions()) throws -> ClassroomPipeline {
        try ClassroomPipeline(models: Self.models!, known: EncodingFile.read(contentsOf: Project.root.appendingPathComponent("encoding").path),
                              options: options)
    }

    private var students: StudentTable {
        get throws { try StudentTable(contentsOf: Project.root.appendingPathComponent("student_data.json").path) }
    }

    /// A video in memory goes through the whole pipeline to a CSV, as in the Lambda.
    func testPipelineFromMemoryToCSV() throws {
        struct InMemory: VideoInput {
            let name = "uploads/lecture one.mp4"
            let stem = "lecture one"
            let bytes: [UInt8]
            func fetch(context: RequestContext) throws -> VideoSource { .memory(VideoBytes(bytes), name: name) }
        }
        let input = InMemory(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Project.clip("test_8")))))
        let report = try pipeline().process(input, directory: students, output: OutputFolder(path: scratch))
        XCTAssertEqual(report.students, ["president_obama"])
        XCTAssertEqual(report.framesDecoded, 1, "first-match mode stops at the first frame with a known face")
        XCTAssertEqual(try String(contentsOfFile: scratch + "/lecture one.csv", encoding: .utf8),
                       "president_obama,electrical_engineering,senior\n")
    }
}

extension ClassroomPipeline {
    /// Opens `input` and processes it whole in one call, as the command line does.
    func process(_ input: VideoInput, directory: StudentDirectory, output: CSVOutput, deadline: Deadline = .never) throws -> VideoReport {
        try process(try open(input, context: RequestContext(deadline: deadline)), directory: directory, output: output)
    }
}
