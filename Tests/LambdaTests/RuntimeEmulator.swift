import Foundation
import HTTPClient
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The real AWS Lambda Runtime Interface Emulator, started by the harness. Its bootstrap is a shell
/// script that records its PID and sleeps: the test process itself plays the runtime against `runtimeAPI`.
/// Measured behaviour the tests rely on: the bootstrap starts with the first invocation, and calling the
/// Runtime API before that crashes the handler; an invocation's answer reaches the invoker when the
/// runtime asks for the next event; after an init error the invoker is answered once the bootstrap exits.
final class RuntimeEmulator {
    let invokeURL: String
    /// Host and port, as `AWS_LAMBDA_RUNTIME_API` would say.
    let runtimeAPI: String
    private let servers: HarnessServers
    private let directory: String
    private var bootstrapPIDFile: String { directory + "/bootstrap.pid" }

    /// `environment` reaches the emulator, e.g. AWS_LAMBDA_FUNCTION_TIMEOUT or AWS_LAMBDA_FUNCTION_NAME.
    init(environment: [String: String] = [:]) throws {
        directory = try makeScratchDirectory()
        let bootstrap = directory + "/bootstrap"
        try "#!/bin/sh\necho $$ > \"$(dirname \"$0\")/bootstrap.pid\"\nexec sleep 3600\n".write(toFile: bootstrap, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bootstrap)
        do {
            servers = try HarnessServers(emulators: 1, bootstrap: bootstrap, settings: environment, runDirectory: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        invokeURL = servers.emulators[0].invocationURL
        runtimeAPI = "127.0.0.1:\(servers.emulators[0].runtimePort)"
    }

    /// What the emulator printed (its START/END/REPORT lines and its own errors), for failure messages.
    var log: String { (try? String(contentsOfFile: servers.emulators[0].log, encoding: .utf8)) ?? "" }

    /// POSTs one invocation and waits for the answer.
    func invoke(_ payload: [UInt8], headers: [(name: String, value: String)] = []) throws -> HTTPResponse {
        try HTTPClient().send(HTTPRequest(method: "POST", url: invokeURL, headers: headers, body: payload, timeout: 60))
    }

    /// Waits until the emulator has started the bootstrap (that is, an invocation arrived and init began).
    @discardableResult
    func waitForBootstrap(timeout: TimeInterval = 10) throws -> pid_t {
        let giveUp = Date().addingTimeInterval(timeout)
        while Date() < giveUp {
            if let text = try? String(contentsOfFile: bootstrapPIDFile, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            usleep(20_000)
        }
        throw TestSetupError( "the emulator did not start its bootstrap within \(timeout) s; its log:\n\(log)")
    }

    /// Ends the bootstrap as a runtime that exits would.
    func killBootstrap() throws {
        kill(try waitForBootstrap(timeout: 0.1), SIGKILL)
    }

    /// Stops the emulator (it stops its bootstrap) and removes the scratch folder.
    func stop() {
        if let pid = try? waitForBootstrap(timeout: 0) { kill(pid, SIGKILL) }
        servers.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

