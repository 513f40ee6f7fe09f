"""A local stand-in for the Lambda service's asynchronous Invoke, for the fan-out tests.

moto cannot run container functions, so this accepts
`POST /2015-03-31/functions/NAME/invocations` with `X-Amz-Invocation-Type: Event`, checks its
SigV4 signature (botocore recomputes it from the caller's secret), answers 202 at once, and hands
each event to one of N real aws-lambda-rie emulators running the binary, one event at a time
each. A delivery that fails (a function error, or an emulator that dies) is retried like Lambda's
asynchronous retries, up to --retries more times; an event that still fails is appended to
failed-events.jsonl in the run folder (the on-failure destination's stand-in). An emulator that
dies is started again.

Control (unsigned, loopback only): GET /control/status -> {"queued", "running", "delivered",
"failed", "segments" (segment events invoked, retries not counted)}; POST /control/kill-busy -> kills one emulator that is running an event (SIGKILL of its
process group).

Settings come from a JSON file (--config): {"function_name", "access_key", "secret_key", "region",
"emulators", "retries", "binary", "run_dir", "environment": {...}, "port" (0: any)}. Prints "listening PORT"
once ready.
"""
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from harness.emulator import ServedFunction, invoke, rie_command  # noqa: E402
from harness.processes import free_ports  # noqa: E402

INVOKE = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")
AUTHORIZATION = re.compile(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                           r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$")


def signature_problem(method, path, headers, body, config):
    """Why the request's SigV4 signature is wrong, or None when botocore computes the same one."""
    found = AUTHORIZATION.match(headers.get("authorization", ""))
    if not found:
        return "no SigV4 Authorization header"
    key, _, region, service, signed, signature = found.groups()
    if key != config["access_key"] or region != config["region"] or service != "lambda":
        return f"signed by {key} for {region}/{service}"
    names = signed.split(";")
    wanted = {name: headers[name] for name in names if headers.get(name) is not None}
    if len(wanted) != len(names):
        return "a signed header is missing"
    request = AWSRequest(method=method, url=f"http://{headers['host']}{path}", data=body, headers=wanted)
    request.context["timestamp"] = headers.get("x-amz-date", "")
    auth = SigV4Auth(Credentials(config["access_key"], config["secret_key"]), "lambda", region)
    expected = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
    return None if expected == signature else "the signature does not match"


class Emulator:
    """One of the N emulators: the harness's served function, killed and started again as Lambda
    replaces a dead execution environment."""

    def __init__(self, index, config):
        self.index, self.config = index, config
        self.lock = threading.Lock()
        self.start()

    def start(self):
        port, runtime = free_ports(2)
        self.served = ServedFunction(
            rie_command(port, runtime, self.config["binary"]), port, os.path.join(self.config["run_dir"], f"emulator-{self.index}.log"), f"emulator {self.index}",
            env=self.config["environment"], cwd=self.config.get("cwd"))

    def deliver(self, payload):
        """None when the function succeeded, else why not."""
        _, _, problem = invoke(self.served.port, json.loads(payload), timeout=900)
        return problem

    def kill(self):
        try:
            os.killpg(self.served.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.served.process.wait()

    def restart_if_dead(self):
        """After a failed delivery: an emulator that is dying (killed, say) is given a moment to
        exit, then started again."""
        try:
            self.served.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return
        self.start()


class Dispatcher:
    def __init__(self, config):
        self.config = config
        self.events = queue.Queue()
        self.state = {"queued": 0, "running": 0, "delivered": 0, "failed": 0, "segments": 0}
        self.busy = {}
        self.lock = threading.Lock()
        self.emulators = [Emulator(i, config) for i in range(config["emulators"])]
        for emulator in self.emulators:
            threading.Thread(target=self.serve, args=(emulator,), daemon=True).start()

    def submit(self, payload, attempt=0):
        with self.lock:
            self.state["queued"] += 1
            if attempt == 0 and b'"classroomSegment"' in payload:
                self.state["segments"] += 1
        self.events.put((payload, attempt))

    def serve(self, emulator):
        while True:
            payload, attempt = self.events.get()
            with self.lock:
                self.state["queued"] -= 1
                self.state["running"] += 1
                self.busy[emulator.index] = emulator
            problem = emulator.deliver(payload)
            with self.lock:
                self.busy.pop(emulator.index, None)
            if problem is not None:
                emulator.restart_if_dead()
            if problem is not None and attempt < self.config["retries"]:
                self.submit(payload, attempt + 1)
            elif problem is not None:
                with open(os.path.join(self.config["run_dir"], "failed-events.jsonl"), "a") as failed:
                    failed.write(json.dumps({"event": json.loads(payload), "attempts": attempt + 1, "error": problem}) + "\n")
            with self.lock:
                self.state["running"] -= 1
                self.state["delivered" if problem is None else "failed"] += 1

    def kill_busy(self):
        with self.lock:
            victims = list(self.busy.values())
        if victims:
            victims[0].kill()
        return len(victims) > 0

    def stop(self):
        for emulator in self.emulators:
            emulator.kill()


def handler(dispatcher):
    config = dispatcher.config

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/control/status":
                with dispatcher.lock:
                    return self.answer(200, dict(dispatcher.state))
            self.answer(404, {"message": "not found"})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path == "/control/kill-busy":
                return self.answer(200, {"killed": dispatcher.kill_busy()})
            found = INVOKE.match(self.path)
            if not found:
                return self.answer(404, {"Type": "User", "message": f"no such path {self.path}"})
            headers = {name.lower(): value for name, value in self.headers.items()}
            problem = signature_problem("POST", self.path, headers, body, config)
            if problem:
                return self.answer(403, {"Type": "User", "message": f"InvalidSignatureException: {problem}"})
            if urllib.parse.unquote(found.group(1)) != config["function_name"]:
                return self.answer(404, {"Type": "User", "message": f"ResourceNotFoundException: {found.group(1)}"})
            if headers.get("x-amz-invocation-type") != "Event":
                return self.answer(400, {"Type": "User", "message": "only Event invocations are dispatched"})
            dispatcher.submit(body)
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def main():
    with open(sys.argv[sys.argv.index("--config") + 1]) as f:
        config = json.load(f)
    dispatcher = Dispatcher(config)
    server = ThreadingHTTPServer(("127.0.0.1", config.get("port", 0)), handler(dispatcher))
    signal.signal(signal.SIGTERM, lambda *_: (dispatcher.stop(), os._exit(0)))
    print(f"listening {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        dispatcher.stop()


if __name__ == "__main__":
    main()
