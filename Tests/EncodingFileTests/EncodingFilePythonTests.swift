import EncodingFile
import Foundation
import TestSupport
import XCTest

/// The reader on pickles python3 and numpy write at test time: every protocol from 2 to 5, numpy 1.x and 2.x
/// spellings, float64 and float32; and on files it must refuse, a shell command among them.
final class EncodingFilePythonTests: XCTestCase {
    private struct Manifest: Decodable {
        struct Valid: Decodable { let file: String; let dtype: String }
        struct Rejected: Decodable { let file: String; let expect: [String]; let opcode: String?; let offset: Int? }
        let names: [String]
        let float64: [[Double]]
        let float32: [[Double]]
        let valid: [Valid]
        let rejected: [Rejected]
    }

    private static var folder = ""
    private static var marker = ""
    private static var manifest: Result<Manifest, Error> = .failure(PythonFailure(description: "fixtures not generated yet"))

    /// Generates the pickles once for the class: python3 with numpy costs a few hundred milliseconds to start.
    override class func setUp() {
        manifest = Result {
            folder = try makeScratchDirectory()
            marker = NSTemporaryDirectory() + "pwned-" + UUID().uuidString
            _ = try EncodingFilePython.run(EncodingFilePythonScripts.writeFixtures, [folder, marker])
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))
            return try JSONDecoder().decode(Manifest.self, from: data)
        }
    }

    override class func tearDown() {
        if !folder.isEmpty { try? FileManager.default.removeItem(atPath: folder) }
    }

    func testReadsEveryProtocolAndNumpySpellingExactly() throws {
        let manifest = try Self.manifest.get()
        XCTAssertEqual(manifest.valid.count, 17)
        for fixture in manifest.valid {
            let faces = try EncodingFile.read(contentsOf: Self.folder + "/" + fixture.file)
            XCTAssertEqual(faces.names, manifest.names, fixture.file)
            let expected = fixture.dtype == "float32" ? manifest.float32 : manifest.float64
            XCTAssertEqual(faces.encodings, expected, "\(fixture.file): values differ from what numpy pickled")
        }
    }

    func testRejectsWhatTheCourseFormatDoesNotAllowNamingOffsetAndOpcode() throws {
        let manifest = try Self.manifest.get()
        XCTAssertEqual(manifest.rejected.count, 24)
        for fixture in manifest.rejected {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + fixture.file)))
            for words in fixture.expect {
                assertRejected(bytes, offset: fixture.offset, opcode: fixture.opcode, saying: words)
            }
        }
    }

    func testHostilePickleIsRejectedAndNeverRun() throws {
        let manifest = try Self.manifest.get()
        let path = Self.folder + "/os-system-p3.pickle"
        XCTAssertTrue(manifest.rejected.contains { $0.file == "os-system-p3.pickle" })
        XCTAssertThrowsError(try EncodingFile.read(contentsOf: path)) { error in
            let description = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            XCTAssertTrue(description.contains(path), description)
            XCTAssertTrue(description.contains("system is not allowed"), description)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: Self.marker), "the hostile pickle's command ran")
    }
}
