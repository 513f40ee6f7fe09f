"""One fanned-out attendance run through the local Lambda stand-in, for the fan-out tests.

  scripts/python scripts/harness/fanout_run.py --video V --key K --emulators N --run-dir D [--kill-one]
      [--timeout S] [--no-fanout] [--min-face PX]

Needs the `export` lines of scripts/moto-env in the environment (moto with signatures and IAM
enforced, provisioned). Uploads V as K to the input bucket, starts scripts/lambda-dispatcher
with N emulators running the binary, sends the S3 event as Lambda would (an Event invocation,
signed), waits until no event is queued or running, and prints one JSON line: the CSV (or null),
the keys of its fan-out job, the failed events and the dispatcher's counts.
--kill-one kills an emulator while it runs a segment; a short --timeout makes every segment
miss its deadline (the S3-event invocation only reads the duration and invokes them).
"""
import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

import boto3

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from harness.moto import LocalAWS  # noqa: E402
from harness.paths import BINARY, ENCODING, MODELS, RIE, ROOT, SHARED  # noqa: E402
from harness.processes import clean_environment, free_ports  # noqa: E402
from harness.s3_events import Sequencer, s3_event  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--video", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--emulators", type=int, default=1)
    ap.add_argument("--run-dir", required=True)
    ap.add_argument("--min-face", default="160")
    ap.add_argument("--kill-one", action="store_true")
    ap.add_argument("--timeout", default="900", help="the function's timeout in seconds")
    ap.add_argument("--no-fanout", action="store_true", help="one invocation processes the whole video")
    args = ap.parse_args()
    aws = LocalAWS.from_environment()
    role = aws.function_environment()
    session = boto3.session.Session(aws_access_key_id=role["AWS_ACCESS_KEY_ID"], aws_secret_access_key=role["AWS_SECRET_ACCESS_KEY"],
                                    aws_session_token=role["AWS_SESSION_TOKEN"], region_name=aws.region)
    s3 = aws.operator_s3()
    role_s3 = session.client("s3", endpoint_url=aws.endpoint)
    inputs, outputs = aws.values["INPUT_BUCKET"], aws.values["OUTPUT_BUCKET"]
    put = s3.put_object(Bucket=inputs, Key=args.key, Body=open(args.video, "rb"))
    os.makedirs(args.run_dir, exist_ok=True)

    port = free_ports(1)[0]
    encoding = os.path.join(SHARED, "cse546", "encoding") if os.path.isdir(SHARED) else ENCODING
    function_env = clean_environment({
        **role, "AWS_ENDPOINT_URL_LAMBDA": f"http://127.0.0.1:{port}", "AWS_LAMBDA_FUNCTION_NAME": "classroom-assistant",
        "AWS_LAMBDA_FUNCTION_TIMEOUT": args.timeout, "RECOGNITION_MODE": "all", "MIN_FACE_PX": args.min_face,
        "FANOUT_AFTER_SECONDS": "0" if args.no_fanout else "300", "MODELS_DIR": MODELS, "ENCODING_FILE": encoding,
    })
    config = {"function_name": "classroom-assistant", "access_key": role["AWS_ACCESS_KEY_ID"],
              "secret_key": role["AWS_SECRET_ACCESS_KEY"], "region": aws.region, "emulators": args.emulators, "retries": 2,
              "binary": BINARY, "rie": RIE, "run_dir": args.run_dir, "cwd": ROOT,
              "environment": function_env, "port": port}
    config_path = os.path.join(args.run_dir, "dispatcher.json")
    with open(config_path, "w") as f:
        json.dump(config, f)
    dispatcher = subprocess.Popen([os.path.join(ROOT, "scripts", "lambda-dispatcher"), "--config", config_path],
                                  stdout=subprocess.PIPE, text=True)
    try:
        assert dispatcher.stdout.readline().startswith("listening")
        base = f"http://127.0.0.1:{port}"
        # S3 invokes the function asynchronously with its notification: so does this, signed.
        event = s3_event(inputs, args.key, os.path.getsize(args.video), aws.region, Sequencer(), put["ETag"], put)
        lam = session.client("lambda", endpoint_url=base)
        lam.invoke(FunctionName="classroom-assistant", InvocationType="Event", Payload=json.dumps(event).encode())

        def status():
            with urllib.request.urlopen(base + "/control/status") as r:
                return json.load(r)
        killed = False
        while True:
            time.sleep(0.5)
            state = status()
            jobs = [o["Key"] for o in role_s3.list_objects_v2(Bucket=outputs, Prefix="fanout/").get("Contents", [])]
            if args.kill_one and not killed and state["running"] > 0 and any("job.json" in k for k in jobs):
                time.sleep(3)
                with urllib.request.urlopen(urllib.request.Request(base + "/control/kill-busy", data=b"", method="POST")) as r:
                    killed = json.load(r)["killed"]
            if state["queued"] == 0 and state["running"] == 0 and state["delivered"] + state["failed"] > 0:
                break
        stem = args.key.rsplit(".", 1)[0]
        try:
            csv = s3.get_object(Bucket=outputs, Key=stem + ".csv")["Body"].read().decode()
        except s3.exceptions.NoSuchKey:
            csv = None
        failed_path = os.path.join(args.run_dir, "failed-events.jsonl")
        failed = [json.loads(l) for l in open(failed_path)] if os.path.exists(failed_path) else []
        # This video's job only: the folder whose job.json names its key.
        keys = [o["Key"] for o in role_s3.list_objects_v2(Bucket=outputs, Prefix="fanout/").get("Contents", [])]
        folders = {k[:-len("job.json")] for k in keys if k.endswith("/job.json")
                   and json.loads(role_s3.get_object(Bucket=outputs, Key=k)["Body"].read())["key"] == args.key}
        keys = [k for k in keys if any(k.startswith(f) for f in folders)]
        print(json.dumps({"csv": csv, "fanout_keys": keys, "failed": failed, "state": state, "killed": killed}))
    finally:
        dispatcher.terminate()
        dispatcher.wait()


if __name__ == "__main__":
    main()
