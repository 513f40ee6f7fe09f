import Foundation
import TestSupport

/// A scripted HTTP/1.1 server on 127.0.0.1 (the harness's scripts/harness/stub_server.py) for what
/// moto cannot do: answer 503, reset the connection, stall. Each request takes the next step of the
/// script (the last step repeats) and is recorded, with the client's port to show connection reuse.
final class StubServer {
    struct Step: Encodable {
        var status = 200
        var headers: [String: String] = [:]
        var body = ""
        /// Reply with the request itself as JSON instead of `body`.
        var echo = false
        /// Close the connection with a TCP reset instead of answering.
        var reset = false
        /// Seconds to wait before answering.
        var delay = 0.0
    }

    struct Recorded: Decodable {
        let method: String
        let path: String
        let headers: [[String]]
        let body: String
        let clientPort: Int

        func header(_ name: String) -> String? {
            headers.first { $0[0].lowercased() == name.lowercased() }?[1]
        }
    }

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    private let child: ChildProcess
    private let logPath: String

    init(script: [Step], scratch: String) throws {
        logPath = scratch + "/stub-requests.jsonl"
        let scriptJSON = String(decoding: try JSONEncoder().encode(script), as: UTF8.self)
        child = try ChildProcess(Project.python, ["-m", "harness.stub_server", scriptJSON, logPath], environment: Harness.environment,
                                 logPath: scratch + "/stub.log", installHint: "run scripts/setup (it makes the project venv)")
        guard let line = child.readLine(), let port = Int(line) else {
            throw TestSetupError( "the stub server did not start: see \(scratch)/stub.log")
        }
        self.port = port
    }

    /// Every request received so far, oldest first.
    func requests() throws -> [Recorded] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Recorded.self, from: Data($0.utf8)) }
    }

    func stop() { child.stop() }
}
