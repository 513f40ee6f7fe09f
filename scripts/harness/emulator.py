"""The function as Lambda runs it, locally: behind the Runtime Interface Emulator, invoked over HTTP."""
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request

from .paths import BINARY, ENCODING, MODELS, RIE, ROOT
from .processes import HarnessError, clean_environment, kill_group, wait_for_port

INVOCATION_PATH = "/2015-03-31/functions/function/invocations"
INVOCATION_TIMEOUT = 300  # seconds; the emulator's own default function timeout


def invoke(port, event, timeout=INVOCATION_TIMEOUT):
    """Posts one event to the emulator on `port`; returns (seconds, parsed response body or None, problem or None)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{INVOCATION_PATH}", data=json.dumps(event).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    began = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        return time.monotonic() - began, None, f"the emulator on port {port} did not answer: {error}"
    elapsed = time.monotonic() - began
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if status != 200:
        return elapsed, parsed, f"the emulator on port {port} answered HTTP {status}: {body[:300]!r}"
    if isinstance(parsed, dict) and "errorType" in parsed:
        return elapsed, parsed, f"function error {parsed['errorType']}: {parsed.get('errorMessage', '')}"
    return elapsed, parsed, None


def output_objects(response):
    """(bucket, key) of each output the function's answer says it wrote: the function names its own outputs."""
    results = response.get("results", []) if isinstance(response, dict) else []
    return [(result["outputBucket"], result["outputKey"]) for result in results]


def last_in_log(log_path, pattern):
    """The number `pattern` captures in its last match in the log (the current run's), or None."""
    with open(log_path, encoding="utf-8", errors="replace") as log:
        found = re.findall(pattern, log.read())
    return float(found[-1]) if found else None


def init_milliseconds(log_path):
    """The function's init time as the emulator logged it (INIT REPORT), or None."""
    return last_in_log(log_path, r"INIT REPORT.durationMs: ([0-9.]+)")


def encoding_checks(log_path):
    """The function's ENCODING_URI revalidations (one conditional GET each): how many, how many
    brought a new version, and their median milliseconds; None when it logged none."""
    checks = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if '"encodingMs"' in line:
                try:
                    checks.append(json.loads(line))
                except ValueError:
                    pass
    if not checks:
        return None
    ms = sorted(check["encodingMs"] for check in checks)
    return len(checks), sum(1 for check in checks if check.get("encodingReplaced")), ms[len(ms) // 2]


class ServedFunction:
    """A command that serves the emulator's invocation API on `port` (the local emulator, or an image's
    entry.sh), started as its own process group with its output in `log_path`; stopped with stop()."""

    def __init__(self, command, port, log_path, what, env=None, cwd=None):
        self.port = port
        self.log_path = log_path
        self.started = time.monotonic()
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for_port(port, self.process, what, log_path)
        except HarnessError:
            self.stop()
            raise
        self.listening_after = time.monotonic() - self.started
        self.cold_start = None

    def invoke(self, event, timeout=INVOCATION_TIMEOUT):
        elapsed, parsed, problem = invoke(self.port, event, timeout)
        if self.cold_start is None and parsed is not None:
            # Listening, then the first invocation (the runtime starts and initialises on the first one).
            self.cold_start = self.listening_after + elapsed
        return elapsed, parsed, problem

    def stop(self):
        kill_group(self.process.pid, wait_for=self.process)


def function_prerequisites(binary=BINARY):
    """What an emulator running the function needs that the harness does not make, with the command that makes it."""
    return [(binary, "swift build -c release --build-tests"), (RIE, "scripts/fetch-rie"),
            (os.path.join(MODELS, "shape_predictor_5_face_landmarks.dat"), "scripts/fetch-models"),
            (os.path.join(MODELS, "dlib_face_recognition_resnet_model_v1.dat"), "scripts/fetch-models")]


def missing(needs):
    """The lines naming each path of `needs` ((path, remedy) pairs) that does not exist, with its remedy."""
    return [f"  {path}: run {remedy}" for path, remedy in needs if not os.path.exists(path)]


def rie_command(port, runtime_port, bootstrap=BINARY):
    """vendor/aws-lambda-rie serving invocations on `port` and the Runtime API on `runtime_port`, starting `bootstrap`."""
    return [RIE, "--runtime-interface-emulator-address", f"127.0.0.1:{port}",
            "--runtime-api-address", f"127.0.0.1:{runtime_port}", bootstrap]


def function_process(emulator_pid):
    """The pid of the emulator's child (the bootstrap: the function process), or None before it starts."""
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                # "PID (NAME) STATE PPID ...", NAME possibly holding spaces or parentheses.
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.isdigit() and fields[1] == str(emulator_pid):
            return int(entry)
    return None


def peak_rss(pid):
    """The peak resident set size (VmHWM) of process `pid` in bytes, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            found = re.search(r"VmHWM:\s+(\d+) kB", status.read())
    except OSError:
        return None
    return int(found.group(1)) * 1024 if found else None


class Emulator(ServedFunction):
    """vendor/aws-lambda-rie running `bootstrap` (the built binary) as the function: with `aws`'s function
    role, the models and the encoding, then `settings`; with no `aws`, `settings` alone. AWS_* variables
    of this process never reach it."""

    def __init__(self, index, ports, aws, run_dir, settings, bootstrap=BINARY):
        self.index = index
        port, self.runtime_port = ports
        given = {**aws.function_environment(), "MODELS_DIR": MODELS, "ENCODING_FILE": ENCODING} if aws else {}
        super().__init__(rie_command(port, self.runtime_port, bootstrap),
                         port, os.path.join(run_dir, f"emulator-{index}.log"), f"emulator {index}",
                         env=clean_environment({**given, **settings}), cwd=ROOT)
