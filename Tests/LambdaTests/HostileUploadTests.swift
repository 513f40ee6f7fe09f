import ClassroomFunction
import Foundation
import TestSupport
import XCTest

/// Crafted uploads (issue 11) through the function as Lambda runs it (the real emulator and moto,
/// as FunctionEndToEndTests), in attendance mode (RECOGNITION_MODE=all), where the AVI with an
/// absurd duration makes the largest sample count.
final class HostileUploadTests: FunctionStackTestCase {
    override class var functionEnvironment: [String: String] { ["RECOGNITION_MODE": "all"] }

    /// Each hostile upload fails with an error naming its key (not the emulator's timeout), leaves
    /// no output object and connects to nothing; then the same runtime still answers a course clip correctly.
    func testHostileUploadsFailAloneAndTheRuntimeServesTheNextClip() throws {
        let stack = try running()
        let listener = try LoopbackListener()
        defer { listener.stop() }
        let crafted = stack.scratch + "/hostile"
        try FileManager.default.createDirectory(atPath: crafted, withIntermediateDirectories: true)
        try HostileInputs.write(to: crafted, listener: listener.url, localVideo: Project.clip("test_0"))

        let uploads = HostileInputs.nestedOpens + HostileInputs.pictureBombs
            + [HostileInputs.absurdDuration, HostileInputs.longDeclaredDuration]
        for name in uploads {
            let key = "evil/\(name)"
            let outcome = try stack.invoke(S3EventFixtures.event(try stack.upload(contentsOf: "\(crafted)/\(name)", as: key)))

            XCTAssertEqual(outcome.errorType, "FunctionError", "\(key): \(outcome.body)\n\(outcome.rawLog)")
            XCTAssertTrue(outcome.errorMessage?.contains(key) ?? false, "\(key): \(outcome.errorMessage ?? "no errorMessage")")
            let stem = (key as NSString).deletingPathExtension
            XCTAssertNil(try stack.output(stem + ".csv"), "\(key) left an output object")
        }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(listener.connections, 0, "an upload made the function connect to the listener")

        let outcome = try stack.invoke(S3EventFixtures.event(try stack.upload(contentsOf: Project.clip("test_0"), as: "after/test_0.mp4")))
        XCTAssertNil(outcome.errorType, "the runtime did not serve the clip after the hostile uploads: \(outcome.body)\n\(outcome.rawLog)")
        let line = try XCTUnwrap(try stack.output("after/test_0.csv"), "no output object for the course clip")
        XCTAssertTrue(line.hasPrefix("president_trump,physics,junior,"), line)
    }
}
