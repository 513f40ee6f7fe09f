import Foundation
import HTTPClient
import TestSupport

/// aws-lambda-rie serving the built binary as the function, and what the function logs.
final class FunctionEmulator {
    struct Outcome {
        /// The emulator's response: the function's result, or errorType/errorMessage.
        let body: [String: Any]
        /// The JSON lines the function logged during this invocation.
        let logLines: [[String: Any]]
        let rawLog: String
        var errorType: String? { body["errorType"] as? String }
        var errorMessage: String? { body["errorMessage"] as? String }
    }

    private let process = Process()
    private let invocationURL: String
    private let logPath: String
    private var logOffset = 0
    private let http: HTTPClient

    /// `environment` is the function's; AWS_* variables of the test process do not reach it.
    init(environment: [String: String], logPath: String) throws {
        http = try HTTPClient()
        self.logPath = logPath
        let ports = try (api: freeLoopbackPort(), runtime: freeLoopbackPort())
        invocationURL = "http://127.0.0.1:\(ports.api)/2015-03-31/functions/function/invocations"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        process.executableURL = Project.root.appendingPathComponent("vendor/aws-lambda-rie")
        process.arguments = ["--runtime-interface-emulator-address", "127.0.0.1:\(ports.api)",
                             "--runtime-api-address", "127.0.0.1:\(ports.runtime)", Project.binary]
        process.environment = inherited.merging(environment) { $1 }
        process.currentDirectoryURL = Project.root
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Any HTTP answer means it listens; the function itself starts on the first invocation.
        let deadline = Date().addingTimeInterval(20)
        while (try? http.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(ports.api)/", timeout: 1))) == nil {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw TestSetupError("aws-lambda-rie did not listen on port \(ports.api): \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func stop() {
        if process.isRunning {
            process.terminate()  // the emulator SIGKILLs the function it runs
            process.waitUntilExit()
        }
    }

    /// One invocation through the emulator, and what the function logged meanwhile. An init error
    /// (the emulator answers 502 and the function exits) comes back as an outcome too.
    func invoke(_ event: [UInt8], timeout: Double = 60) throws -> Outcome {
        let response = try http.send(HTTPRequest(method: "POST", url: invocationURL, headers: [("Content-Type", "application/json")],
                                                 body: event, timeout: timeout))
        guard [200, 502].contains(response.status),
              let body = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw TestSetupError("the emulator answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        let log = response.status == 200 ? try logOfThisInvocation() : (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let lines = log.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return Outcome(body: body, logLines: lines, rawLog: log)
    }

    /// The function process's peak resident set size so far, in bytes (VmHWM of the emulator's
    /// child, the bootstrap), or nil before the first invocation starts it.
    func functionPeakRSS() throws -> Int? {
        let emulator = process.processIdentifier
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") where Int32(entry) != nil {
            // /proc/PID/stat: "PID (NAME) STATE PPID ...", NAME possibly holding spaces or parentheses.
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.range(of: ")", options: .backwards) else { continue }
            let fields = stat[close.upperBound...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == emulator,
                  let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                  let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { continue }
            return kilobytes * 1024
        }
        return nil
    }

    /// The emulator's output since the last invocation, once it has written that invocation's END line.
    private func logOfThisInvocation() throws -> String {
        let deadline = Date().addingTimeInterval(5)
        var text = ""
        repeat {
            let all = try Data(contentsOf: URL(fileURLWithPath: logPath))
            text = String(decoding: all.dropFirst(logOffset), as: UTF8.self)
            if text.contains("\nEND RequestId") || text.hasPrefix("END RequestId") {
                logOffset = all.count
                return text
            }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        throw TestSetupError("the emulator logged no END line within 5 s: \(text)")
    }
}
