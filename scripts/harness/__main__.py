"""The harness as a command, for the Swift tests (Tests/TestSupport/Harness.swift) and anyone at a shell
(from the project root, with PYTHONPATH=scripts):

  scripts/python -m harness serve [--moto] [--table-without-index T] [--load-students] [--leave-out NAME]
      [--emulators N] [--courses] [--binary PATH] [--bootstrap PATH] [--setting NAME=VALUE ...] [--run-dir D]
      Starts moto provisioned by scripts/moto-env (--moto; --load-students fills its students table,
      without --leave-out's student) and N aws-lambda-rie emulators running the binary (or --bootstrap)
      as the function, with the function role's settings when moto runs (--courses: its rosters and
      attendance table too), then --setting's; prints one JSON line: {"run_dir", "moto": {"endpoint",
      "pid", "log", "exports", "operator_environment", "function_environment"} or null, "emulators":
      [{"url", "port", "runtime_port", "pid", "log"}]}. Stops them all and exits when its standard
      input closes, on SIGTERM, or after --lifetime seconds.
  scripts/python -m harness grade [--mode first|all] VIDEO=CSV...
      Grades each CSV file against `mapping` as the course video VIDEO; prints a JSON list of
      {"video", "csv", "problem"} (problem null when right).
  scripts/python -m harness course-videos [--test-case N]
      The course clips of test_case_N, in numeric order: a JSON list of paths.
  scripts/python -m harness course-names [--test-case N]
      Who each course clip shows: a JSON object, clip stem -> name.
  scripts/python -m harness event --key KEY [--encoded-key] [--bucket B] [--size N] [--region R] [--etag E]
      [--version-id V] [--sequencer S] [--event-time T] [--event-name N]
      One record of the notification S3 sends Lambda, as JSON.
  scripts/python -m harness function-peak-rss EMULATOR_PID
      The peak resident set size in bytes of the function process an emulator runs, or null before it starts.
  scripts/python -m harness ports N
      N free loopback ports, on one line.
Errors go to standard error, with exit status 1.
"""
import argparse
import json
import os
import select
import signal
import sys
import tempfile
import time

from .emulator import Emulator, function_prerequisites, function_process, missing, peak_rss
from .grading import check_csv, course_videos, names_by_clip, read_mapping
from .moto import LocalAWS
from .paths import BINARY, RIE
from .processes import HarnessError, free_ports
from .s3_events import s3_record

# How long `serve` keeps its servers when nobody closes its standard input: longer than any test
# class runs, so only a hang reaches it.
LIFETIME = 4 * 3600  # seconds


def serve(args):
    run_dir = args.run_dir or tempfile.mkdtemp(prefix="classroom-harness-")
    os.makedirs(run_dir, exist_ok=True)
    # moto exits when this process is gone, however it ends.
    os.environ["MOTO_SERVER_PARENT_PID"] = str(os.getpid())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings = dict(setting.split("=", 1) for setting in args.setting)
    needs = [(RIE, "scripts/fetch-rie")] if args.bootstrap else function_prerequisites(args.binary)
    absent = missing(needs) if args.emulators else []
    if absent:
        raise HarnessError("missing prerequisites:\n" + "\n".join(absent))
    ports = free_ports(1 + 2 * args.emulators)
    aws, emulators = None, []
    try:
        if args.moto:
            aws = LocalAWS(ports[0], run_dir, args.table_without_index)
            if args.load_students:
                aws.load_students(args.binary, leave_out=args.leave_out)
            if args.courses:
                settings = {"ROSTERS_URI": aws.values["ROSTERS_URI"], "ATTENDANCE_TABLE": aws.values["ATTENDANCE_TABLE"], **settings}
        for index in range(args.emulators):
            emulators.append(Emulator(index, ports[1 + 2 * index:3 + 2 * index], aws, run_dir, settings,
                                      bootstrap=args.bootstrap or args.binary))
        print(json.dumps({
            "run_dir": run_dir,
            "moto": aws and {"endpoint": aws.endpoint, "pid": aws.pid, "log": aws.log_path, "exports": aws.values,
                             "operator_environment": aws.operator_environment(),
                             "function_environment": aws.function_environment()},
            "emulators": [{"url": f"http://127.0.0.1:{e.port}", "port": e.port, "runtime_port": e.runtime_port,
                           "pid": e.process.pid, "log": e.log_path} for e in emulators],
        }), flush=True)
        deadline = time.monotonic() + args.lifetime
        while time.monotonic() < deadline:
            readable, _, _ = select.select([sys.stdin], [], [], min(60, max(0, deadline - time.monotonic())))
            if readable and not os.read(sys.stdin.fileno(), 4096):
                break
    finally:
        for emulator in emulators:
            emulator.stop()
        if aws:
            aws.stop()
    return 0


def grade(args):
    mapping = read_mapping()
    graded = []
    for pair in args.pairs:
        video, _, path = pair.partition("=")
        try:
            with open(path, encoding="utf-8", errors="replace") as csv:
                problem = check_csv(video, csv.read(), mapping, args.mode)
        except FileNotFoundError:
            problem = "no CSV"
        graded.append({"video": video, "csv": path, "problem": problem})
    print(json.dumps(graded))
    return 0


def event(args):
    record = s3_record(args.bucket, args.key, args.size, args.region, args.sequencer, args.etag,
                       event_name=args.event_name, event_time=args.event_time, version_id=args.version_id,
                       encoded_key=args.key if args.encoded_key else None)
    print(json.dumps(record, ensure_ascii=False, indent=2))
    return 0


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="harness", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    served = commands.add_parser("serve")
    served.add_argument("--moto", action="store_true")
    served.add_argument("--table-without-index")
    served.add_argument("--load-students", action="store_true")
    served.add_argument("--leave-out")
    served.add_argument("--emulators", type=int, default=0)
    served.add_argument("--courses", action="store_true")
    served.add_argument("--binary", default=BINARY)
    served.add_argument("--bootstrap")
    served.add_argument("--setting", action="append", default=[])
    served.add_argument("--run-dir")
    served.add_argument("--lifetime", type=float, default=LIFETIME)
    graded = commands.add_parser("grade")
    graded.add_argument("--mode", choices=["first", "all"], default="first")
    graded.add_argument("pairs", nargs="+", metavar="VIDEO=CSV")
    videos = commands.add_parser("course-videos")
    videos.add_argument("--test-case", type=int, default=1)
    names = commands.add_parser("course-names")
    names.add_argument("--test-case", type=int, default=1)
    record = commands.add_parser("event")
    record.add_argument("--key", required=True)
    record.add_argument("--encoded-key", action="store_true", help="KEY is already as the notification carries it")
    record.add_argument("--bucket", default="classroom-input")
    record.add_argument("--size", type=int, default=0)
    record.add_argument("--region", default="us-east-1")
    record.add_argument("--etag", default="")
    record.add_argument("--version-id")
    record.add_argument("--sequencer", default="0000000000000001")
    record.add_argument("--event-time")
    record.add_argument("--event-name", default="ObjectCreated:Put")
    peak = commands.add_parser("function-peak-rss")
    peak.add_argument("emulator_pid", type=int)
    ports = commands.add_parser("ports")
    ports.add_argument("count", type=int)
    return parser.parse_args(argv)


def main(argv):
    args = parse_arguments(argv)
    try:
        if args.command == "serve":
            return serve(args)
        if args.command == "grade":
            return grade(args)
        if args.command == "course-videos":
            print(json.dumps(course_videos([args.test_case])))
            return 0
        if args.command == "course-names":
            print(json.dumps(names_by_clip(args.test_case)))
            return 0
        if args.command == "event":
            return event(args)
        if args.command == "function-peak-rss":
            function = function_process(args.emulator_pid)
            print(json.dumps(function and peak_rss(function)))
            return 0
        print(" ".join(str(port) for port in free_ports(args.count)))
        return 0
    except HarnessError as error:
        print(f"harness: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
