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

    private let emulator: HarnessServers.Emulator
    /// The harness that started this emulator alone, stopped with it; nil for one of a FunctionStack's.
    private let servers: HarnessServers?
    private var logOffset = 0
    private let http: HTTPClient

    /// One of the emulators the harness started.
    init(_ emulator: HarnessServers.Emulator) throws {
        self.emulator = emulator
        servers = nil
        http = try HTTPClient()
    }

    /// An emulator of its own whose function gets exactly `environment` (AWS_* variables of the test
    /// process do not reach it), its logs in `runDirectory`.
    init(environment: [String: String], runDirectory: String) throws {
        let servers = try HarnessServers(emulators: 1, settings: environment, runDirectory: runDirectory)
        self.servers = servers
        emulator = servers.emulators[0]
        http = try HTTPClient()
    }

    func stop() { servers?.stop() }

    /// One invocation through the emulator, and what the function logged meanwhile. An init error
    /// (the emulator answers 502 and the function exits) comes back as an outcome too.
    func invoke(_ event: [UInt8], timeout: Double = 60) throws -> Outcome {
        let response = try http.send(HTTPRequest(method: "POST", url: emulator.invocationURL, headers: [("Content-Type", "application/json")],
                                                 body: event, timeout: timeout))
        guard [200, 502].contains(response.status),
              let body = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw TestSetupError("the emulator answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        let log = response.status == 200 ? try logOfThisInvocation() : (try? String(contentsOfFile: emulator.log, encoding: .utf8)) ?? ""
        let lines = log.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return Outcome(body: body, logLines: lines, rawLog: log)
    }

    /// The function process's peak resident set size so far, in bytes (VmHWM of the emulator's
    /// child, the bootstrap), or nil before the first invocation starts it.
    func functionPeakRSS() throws -> Int? {
        try Harness.decode(Int?.self, ["function-peak-rss", String(emulator.pid)])
    }

    /// The emulator's output since the last invocation, once it has written that invocation's END line.
    private func logOfThisInvocation() throws -> String {
        let deadline = Date().addingTimeInterval(5)
        var text = ""
        repeat {
            let all = try Data(contentsOf: URL(fileURLWithPath: emulator.log))
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
