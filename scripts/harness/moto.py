"""The local AWS: moto started and provisioned by scripts/moto-env (signatures and IAM enforced)."""
import json
import os
import shlex
import subprocess
import time
import urllib.request

from .paths import BINARY, MOTO_ENV, MOTO_SERVER, STUDENT_DATA
from .processes import HarnessError, clean_environment, kill_group


# How long starting and provisioning moto, or loading the students, may take before the harness gives up:
# only a hang takes that long.
SETUP_TIMEOUT = 300  # seconds


def _run(command, what, **options):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=SETUP_TIMEOUT, **options)
    except subprocess.TimeoutExpired:
        raise HarnessError(f"{what} did not finish within {SETUP_TIMEOUT} s")


def start_moto_server(port, log, enforce_auth=True, timeout=30):
    """scripts/moto-server on 127.0.0.1:`port` in a session of its own (it may outlive its starter), its
    output to the open file `log`; with `enforce_auth`, INITIAL_NO_AUTH_ACTION_COUNT=0 (every request signed
    and allowed by IAM). Returns (process, endpoint) once it answers."""
    environment = {k: v for k, v in os.environ.items() if k != "INITIAL_NO_AUTH_ACTION_COUNT"}
    if enforce_auth:
        environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"
    process = subprocess.Popen([MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True, env=environment)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HarnessError(f"moto_server exited with status {process.returncode}: see {log.name}")
        try:
            urllib.request.urlopen(endpoint + "/moto-api/data.json", timeout=1).read()
            return process, endpoint
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise HarnessError(f"moto_server did not answer on {endpoint} within {timeout} s: see {log.name}")


class LocalAWS:
    """moto provisioned by scripts/moto-env: its endpoint, the names and the keys it printed."""

    def __init__(self, port, run_dir, table_without_index=None):
        self.run_dir = run_dir
        self.log_path = os.path.join(run_dir, "moto.log")
        self.env_path = os.path.join(run_dir, "moto.env")
        extra = ["--table-without-index", table_without_index] if table_without_index else []
        started = _run([MOTO_ENV, "start", "--port", str(port), "--log", self.log_path] + extra,
                       f"scripts/moto-env start (log: {self.log_path})")
        if started.returncode != 0:
            raise HarnessError(f"scripts/moto-env start failed: {started.stderr.strip()[-1500:]}")
        # The export lines carry secrets: kept in a private file, never printed.
        with open(os.open(self.env_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as env_file:
            env_file.write(started.stdout)
        self.values = {}
        for line in started.stdout.splitlines():
            if line.startswith("export "):
                name, _, value = line[len("export "):].partition("=")
                self.values[name] = shlex.split(value)[0] if value else ""
        self.pid = int(self.values["MOTO_PID"])
        self.endpoint = self.values["AWS_ENDPOINT_URL"]
        self.region = self.values["AWS_REGION"]

    @classmethod
    def from_environment(cls, environ=os.environ):
        """The moto someone else started with `eval "$(scripts/moto-env start ...)"`."""
        aws = cls.__new__(cls)
        aws.values = dict(environ)
        aws.pid = int(environ.get("MOTO_PID", "0") or 0)
        aws.endpoint = environ["AWS_ENDPOINT_URL"]
        aws.region = environ["AWS_REGION"]
        return aws

    def stop(self):
        kill_group(self.pid)

    def operator_environment(self):
        """What a command run by the operator gets: the operator's keys (no session token), the region, the endpoint."""
        return {"AWS_ACCESS_KEY_ID": self.values["OPERATOR_ACCESS_KEY_ID"],
                "AWS_SECRET_ACCESS_KEY": self.values["OPERATOR_SECRET_ACCESS_KEY"], "AWS_SESSION_TOKEN": "",
                "AWS_REGION": self.region, "AWS_ENDPOINT_URL": self.endpoint}

    def function_environment(self):
        """What Lambda gives the function: the role's temporary credentials, the region, the endpoint, the names."""
        return {"AWS_ACCESS_KEY_ID": self.values["FUNCTION_ROLE_ACCESS_KEY_ID"],
                "AWS_SECRET_ACCESS_KEY": self.values["FUNCTION_ROLE_SECRET_ACCESS_KEY"],
                "AWS_SESSION_TOKEN": self.values["FUNCTION_ROLE_SESSION_TOKEN"],
                "AWS_REGION": self.region, "AWS_DEFAULT_REGION": self.region, "AWS_ENDPOINT_URL": self.endpoint,
                "INPUT_BUCKET": self.values["INPUT_BUCKET"], "OUTPUT_BUCKET": self.values["OUTPUT_BUCKET"],
                "STUDENTS_TABLE": self.values["STUDENTS_TABLE"],
                # The encoding object moto-env filled (a moto from an older moto-env has none: ENCODING_FILE then).
                **({"ENCODING_URI": self.values["ENCODING_URI"]} if self.values.get("ENCODING_URI") else {})}

    def operator_s3(self):
        import boto3
        keys = self.operator_environment()
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.region,
                            aws_access_key_id=keys["AWS_ACCESS_KEY_ID"], aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"])

    def load_students(self, binary=BINARY, leave_out=None):
        """student_data.json into the students table, as the operator; `leave_out` names a student left out."""
        students = STUDENT_DATA
        if leave_out:
            with open(STUDENT_DATA, encoding="utf-8") as table:
                kept = [student for student in json.load(table) if student.get("name") != leave_out]
            students = os.path.join(self.run_dir, "students.json")
            with open(students, "w", encoding="utf-8") as table:
                json.dump(kept, table)
        loaded = _run([binary, "load-students", students, "--table", self.values["STUDENTS_TABLE"]],
                      "load-students", env=clean_environment(self.operator_environment()))
        if loaded.returncode != 0:
            raise HarnessError(f"load-students failed: {loaded.stderr.strip()[-1500:]}")
