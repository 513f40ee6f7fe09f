"""A scripted HTTP/1.1 server on 127.0.0.1 for what moto cannot do (answer 503, reset the connection,
stall), for the HTTP client's tests (Tests/AWSClientsTests/StubServer.swift):

  scripts/python -m harness.stub_server SCRIPT_JSON LOG_PATH

SCRIPT_JSON is a list of steps {"status", "headers", "body", "echo", "reset", "delay"}: each request
takes the next one (the last repeats). Every request is appended to LOG_PATH as one JSON line
{"method", "path", "headers", "body", "clientPort"}. Prints its port once listening; exits when its
parent does.
"""
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
