import Foundation
import TestSupport

/// A server program the tests start and must stop: killed on `stop()` or when released.
final class ChildProcess {
    private let process = Process()
    private let output = Pipe()

    /// Starts `program` (looked up on PATH); stdout is kept for `readLine()`, stderr goes to `logPath`.
    init(_ program: String, _ arguments: [String], environment: [String: String] = [:], logPath: String,
         installHint: String) throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.05)
        if !process.isRunning && process.terminationStatus == 127 {
            throw TestSetupError( "\(program) is not installed: \(installHint)")
        }
    }

    var isRunning: Bool { process.isRunning }

    /// One line of the child's stdout without its newline; nil at end of output or after `timeout` seconds.
    func readLine(within timeout: TimeInterval = 60) -> String? {
        firstLine(of: output.fileHandleForReading, within: timeout)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}
