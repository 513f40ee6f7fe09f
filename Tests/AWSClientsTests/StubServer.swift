import Foundation
import TestSupport

/// A scripted HTTP/1.1 server on 127.0.0.1 (Python's http.server) for what moto cannot do:
/// answer 503, reset the connection, stall. Each request takes the next step of the script
/// (the last step repeats) and is recorded, with the client's port to show connection reuse.
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
        child = try ChildProcess(Project.python, ["-c", Self.source, scriptJSON, logPath], logPath: scratch + "/stub.log",
                                 installHint: "run scripts/setup (it makes the project venv)")
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

    private static let source = #"""
import http.server, json, os, socket, struct, sys, threading, time
script, log_path = json.loads(sys.argv[1]), sys.argv[2]

def exit_with_parent(parent):  # a crashed test run leaves no server behind
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)
threading.Thread(target=exit_with_parent, args=(os.getppid(),), daemon=True).start()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        record = {"method": self.command, "path": self.path, "headers": [[k, v] for k, v in self.headers.items()],
                  "body": body.decode("utf-8", "replace"), "clientPort": self.client_address[1]}
        with open(log_path, "a") as log:
            log.write(json.dumps(record) + "\n")
        step = script.pop(0) if len(script) > 1 else script[0]
        time.sleep(step["delay"])
        if step["reset"]:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        payload = json.dumps(record).encode() if step["echo"] else step["body"].encode()
        self.send_response(step["status"])
        for name, value in step["headers"].items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = handle_any

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
}
