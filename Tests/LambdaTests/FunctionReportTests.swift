import ClassroomFunction
import Foundation
import TestSupport
import XCTest

/// The function in attendance mode under the real emulator and moto: beside each CSV, the
/// attendance page (its crops inline) and its manifest in the output bucket under the CSV's stem,
/// the CSV put last, every object private to caches; a page shared by a presigned link.
final class FunctionReportTests: FunctionStackTestCase {
    override class var functionEnvironment: [String: String] { ["RECOGNITION_MODE": "all"] }

    func testEachVideoGetsItsPageAndManifestBeforeItsCSV() throws {
        let stack = try running()
        let folder = "lectures/week 1 & 2"
        let outcome = try stack.invoke(S3EventFixtures.event(
            try stack.upload(contentsOf: Project.clip("test_4"), as: "\(folder)/test_4.mp4"),
            try stack.upload(contentsOf: Project.clip("test_8"), as: "absent.mp4")))
        XCTAssertNil(outcome.errorType, outcome.errorMessage ?? "")

        for (stem, student, record) in [("\(folder)/test_4", "johnny_dep", "computer_science, senior"),
                                        ("absent", Self.absentStudent, "no row in the student table")] {
            XCTAssertTrue(try stack.output(stem + ".csv")?.hasPrefix(student + ",") ?? false, "\(stem).csv")
            let page = try XCTUnwrap(try stack.output(stem + ".html"), "no \(stem).html")
            XCTAssertTrue(page.contains("data-name=\"\(student)\""), page)
            XCTAssertTrue(page.contains(record), page)
            let sources = page.components(separatedBy: "src=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            XCTAssertEqual(sources.count, 1, page)
            XCTAssertTrue(sources.allSatisfy { $0.hasPrefix("data:image/jpeg;base64,") }, "the crop is inline")
            let manifest = try XCTUnwrap(try stack.output(stem + ".faces.json"))
            XCTAssertTrue(manifest.contains("\"name\":\"\(student)\""), manifest)
        }
        // moto logs each request: the manifest, then the page, then the CSV.
        let puts = try stack.motoRequests().filter { $0.contains("\"PUT /\(stack.outputBucket)/absent") }
        XCTAssertEqual(puts.count, 3, puts.joined(separator: "\n"))
        XCTAssertTrue(puts.first?.contains("/absent.faces.json") ?? false, puts.joined(separator: "\n"))
        XCTAssertTrue(puts.dropFirst().first?.contains("/absent.html") ?? false, puts.joined(separator: "\n"))
        XCTAssertTrue(puts.last?.contains("/absent.csv") ?? false, puts.joined(separator: "\n"))
        for object in try stack.outputObjects() {
            XCTAssertEqual(object.cacheControl, "private, no-store", object.key)
        }
    }

    /// `share` prints a presigned HTTPS-style link (HTTP against moto) that curl and headless
    /// Chromium open with no other credential, crops included (inline, allowed by the page's
    /// policy); a link for longer than 7 days is refused before anything is signed.
    func testAShareLinkOpensThePageWithItsCropsAlone() throws {
        let stack = try running()
        let outcome = try stack.invoke(S3EventFixtures.event(try stack.upload(contentsOf: Project.clip("test_4"), as: "shared/test_4.mp4")))
        XCTAssertNil(outcome.errorType, outcome.errorMessage ?? "")
        let object = "s3://\(stack.outputBucket)/shared/test_4.html"

        let shared = try Command.run(Project.binary, ["share", object, "--hours", "2"], environment: stack.operatorKeys)
        XCTAssertEqual(shared.status, 0, shared.stderr)
        let link = shared.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(link.contains("X-Amz-Expires=7200") && link.contains("X-Amz-Signature="), link)

        // curl with no credential: the link alone opens it, byte for byte the stored page.
        let curl = try Command.run("curl", ["-sS", "-f", "-o", scratch + "/page.html", "-w", "%{content_type}", link])
        XCTAssertEqual(curl.status, 0, curl.stderr)
        XCTAssertTrue(curl.stdout.hasPrefix("text/html"), curl.stdout)
        XCTAssertEqual(try String(contentsOfFile: scratch + "/page.html", encoding: .utf8), try stack.output("shared/test_4.html"))
        let tampered = try Command.run("curl", ["-sS", "-f", "-o", "/dev/null", link.replacingOccurrences(of: "test_4.html", with: "test_4.csv")])
        XCTAssertNotEqual(tampered.status, 0, "the link opens its own object only")

        // Chromium opens the link: the DOM has the student and the inline crop, and the console shows
        // no load refused by the page's policy.
        let chromium = try Command.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                                                    "--user-data-dir=\(scratch)/profile", "--dump-dom", link])
        XCTAssertTrue(chromium.stdout.contains("data-name=\"johnny_dep\""), "chromium did not render the shared page: \(chromium.stderr.suffix(2000))")
        XCTAssertTrue(chromium.stdout.contains("src=\"data:image/jpeg;base64,"), chromium.stdout)
        XCTAssertFalse(chromium.stderr.contains("Content Security Policy"), chromium.stderr)

        let tooLong = try Command.run(Project.binary, ["share", object, "--hours", "169"], environment: stack.operatorKeys)
        XCTAssertNotEqual(tooLong.status, 0)
        XCTAssertTrue(tooLong.stderr.contains("--hours 169") && tooLong.stderr.contains("168"), tooLong.stderr)
        XCTAssertEqual(tooLong.stdout, "")
    }
}

/// An enrolled student beside a person nobody enrolled, in attendance mode: the enrolled one is
/// named, the other is only a count. No object holds a picture of the stranger, no key or log line
/// a student's name, and every object is private to caches.
final class FunctionPrivacyTests: FunctionStackTestCase {
    override class var functionEnvironment: [String: String] { ["RECOGNITION_MODE": "all"] }

    func testAStrangerIsACountAndNoNameLeavesTheReport() throws {
        let stack = try running()
        // vin_diesel is not enrolled: forget him from the encoding object the warm function reads.
        let forget = try Command.run(Project.binary, ["forget", "vin_diesel", "--encoding", stack.encodingURI], environment: stack.operatorKeys)
        XCTAssertEqual(forget.status, 0, forget.stderr)
        let video = scratch + "/pair.mp4"
        try Command.ffmpeg([
            "-i", Project.clip("test_0"), "-i", Project.clip("test_5"), "-filter_complex",
            "[0:v]scale=-2:720,setsar=1,fps=24[a];[1:v]scale=-2:720,setsar=1,fps=24[b];[a][b]hstack=inputs=2:shortest=1[v]",
            "-map", "[v]", "-an", "-c:v", "libx264", "-preset", "ultrafast", "-t", "2.2", video])
        let outcome = try stack.invoke(S3EventFixtures.event(try stack.upload(contentsOf: video, as: "room-12/pair.mp4")))
        XCTAssertNil(outcome.errorType, outcome.errorMessage ?? "")

        XCTAssertEqual(try stack.output("room-12/pair.csv")?.split(separator: ",").first, "president_trump")
        let page = try XCTUnwrap(try stack.output("room-12/pair.html"))
        XCTAssertTrue(page.contains("1 present,") && page.contains(", 1 unknown"), page)
        XCTAssertEqual(page.components(separatedBy: "<img ").count - 1, 1, "one picture: the enrolled student's")
        XCTAssertTrue(page.contains("no picture kept"), page)

        let objects = try stack.outputObjects()
        XCTAssertEqual(Set(objects.map(\.key)), ["room-12/pair.csv", "room-12/pair.html", "room-12/pair.faces.json"],
                       "nothing else stored: no crop, no descriptor, nothing under fanout/")
        let enrolled = Set(try String(contentsOfFile: Project.root.path + "/student_data.json", encoding: .utf8)
            .components(separatedBy: "\"name\": \"").dropFirst().map { String($0.prefix { $0 != "\"" }) } + ["vin_diesel", "president_trump"])
        for object in objects {
            XCTAssertEqual(object.cacheControl, "private, no-store", object.key)
            XCTAssertFalse(enrolled.contains { object.key.contains($0) }, "a name in the key \(object.key)")
        }
        for line in outcome.rawLog.split(separator: "\n") {
            XCTAssertFalse(enrolled.contains { line.contains($0) }, "a student's name in the log: \(line)")
        }
    }
}

/// forget erases a student's face from every attendance report in the output bucket (found through
/// the manifests), and the function's next video of them lists them as unknown.
final class ForgetReportsTests: FunctionStackTestCase {
    override class var functionEnvironment: [String: String] { ["RECOGNITION_MODE": "all"] }

    /// The JPEGs inline in every page under the output bucket, written out as files.
    private func pictures(_ stack: FunctionStack, into folder: String) throws -> [String] {
        var files: [String] = []
        for object in try stack.outputObjects() where object.key.hasSuffix(".html") {
            let page = try XCTUnwrap(try stack.output(object.key))
            for (index, part) in page.components(separatedBy: "src=\"data:image/jpeg;base64,").dropFirst().enumerated() {
                let base64 = String(part.prefix { $0 != "\"" })
                let path = "\(folder)/\(object.key.replacingOccurrences(of: "/", with: "_"))-\(index).jpg"
                try XCTUnwrap(Data(base64Encoded: base64), object.key).write(to: URL(fileURLWithPath: path))
                files.append(path)
            }
        }
        return files
    }

    /// Who a recogniser independent of ours (the original handler's face_recognition, in
    /// scripts/reference-python's environment) names in the pictures.
    private func independentlyRecognised(_ pictures: [String]) throws -> [String] {
        let script = """
            import pickle, sys
            import face_recognition
            known = pickle.load(open(sys.argv[1], "rb"))
            for path in sys.argv[2:]:
                image = face_recognition.load_image_file(path)
                for encoding in face_recognition.face_encodings(image, face_recognition.face_locations(image, 1)):
                    distances = face_recognition.face_distance(known["encoding"], encoding)
                    best = distances.argmin()
                    if distances[best] <= 0.6:
                        print(known["name"][best])
            """
        let result = try Command.run(Project.root.path + "/scripts/reference-python", ["-c", script, Project.root.path + "/encoding"] + pictures)
        guard result.status == 0 else { throw TestSetupError("face_recognition (scripts/reference-python) failed: \(result.stderr.suffix(2000))") }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    func testForgetErasesTheirPicturesFromEveryReportAndTheNextVideoCallsThemUnknown() throws {
        let stack = try running()
        for key in ["week-1/test_4.mp4", "week-2/test_4.mp4", "week-2/test_0.mp4"] {
            let clip = Project.clip(key.hasSuffix("test_0.mp4") ? "test_0" : "test_4")
            let outcome = try stack.invoke(S3EventFixtures.event(try stack.upload(contentsOf: clip, as: key)))
            XCTAssertNil(outcome.errorType, outcome.errorMessage ?? "")
        }
        let before = try pictures(stack, into: scratch)
        XCTAssertEqual(before.count, 3)

        let arguments = ["forget", "johnny_dep", "--encoding", stack.encodingURI, "--reports", "s3://\(stack.outputBucket)"]
        let forget = try Command.run(Project.binary, arguments, environment: stack.operatorKeys)
        XCTAssertEqual(forget.status, 0, forget.stderr)
        XCTAssertTrue(forget.stdout.contains("1 picture of 'johnny_dep' in s3://\(stack.outputBucket)/week-1/test_4.html"), forget.stdout)
        XCTAssertTrue(forget.stdout.contains("week-2/test_4.html"), forget.stdout)
        XCTAssertFalse(forget.stdout.contains("test_0.html"), "president_trump's page is not touched: \(forget.stdout)")
        let again = try Command.run(Project.binary, arguments, environment: stack.operatorKeys)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("nothing left to delete"), again.stdout)

        let page = try XCTUnwrap(try stack.output("week-1/test_4.html"))
        XCTAssertTrue(page.contains("picture erased at the person's request"), page)
        XCTAssertTrue(page.contains("data-name=\"johnny_dep\""), "the attendance record stays")
        let after = try pictures(stack, into: scratch)
        XCTAssertEqual(after.count, 1, "only president_trump's picture is left")
        // Our recogniser, with the encoding as it was before forget, finds nobody but president_trump.
        for picture in after {
            let result = try Command.classroomAssistant(["process", picture, "--out", scratch + "/check", "--mode", "all", "--no-report"])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let named = try after.map { try String(contentsOfFile: scratch + "/check/" + URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent + ".csv", encoding: .utf8) }
        XCTAssertFalse(named.joined().contains("johnny_dep"), named.joined())
        XCTAssertEqual(try independentlyRecognised(before).filter { $0 == "johnny_dep" }.count, 2, "face_recognition finds him before")
        let independent = try independentlyRecognised(after)
        XCTAssertFalse(independent.contains("johnny_dep"), "face_recognition still finds him: \(independent)")

        let next = try stack.invoke(S3EventFixtures.event(try stack.upload(contentsOf: Project.clip("test_4"), as: "week-3/test_4.mp4")))
        XCTAssertNil(next.errorType, next.errorMessage ?? "")
        XCTAssertEqual(try stack.output("week-3/test_4.csv"), "")
        XCTAssertTrue(try stack.output("week-3/test_4.html")?.contains(", 1 unknown") ?? false)
    }
}
