"""One fanned-out attendance run through the local Lambda stand-in, for the fan-out tests.

  python3 scripts/harness/fanout_run.py --video V --key K --emulators N --run-dir D [--kill-one]
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

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


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
    env = os.environ
    endpoint, region = env["AWS_ENDPOINT_URL"], env["AWS_REGION"]
    operator = boto3.session.Session(aws_access_key_id=env["OPERATOR_ACCESS_KEY_ID"],
                                     aws_secret_access_key=env["OPERATOR_SECRET_ACCESS_KEY"], region_name=region)
    role = {"aws_access_key_id": env["FUNCTION_ROLE_ACCESS_KEY_ID"], "aws_secret_access_key": env["FUNCTION_ROLE_SECRET_ACCESS_KEY"],
            "aws_session_token": env["FUNCTION_ROLE_SESSION_TOKEN"], "region_name": region}
    s3 = operator.client("s3", endpoint_url=endpoint)
    role_s3 = boto3.session.Session(**role).client("s3", endpoint_url=endpoint)
    inputs, outputs = env["INPUT_BUCKET"], env["OUTPUT_BUCKET"]
    put = s3.put_object(Bucket=inputs, Key=args.key, Body=open(args.video, "rb"))
    os.makedirs(args.run_dir, exist_ok=True)

    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    function_env = {k: v for k, v in env.items() if not k.startswith(("AWS_", "OPERATOR_", "FUNCTION_ROLE_"))}
    function_env.update({
        "AWS_ACCESS_KEY_ID": role["aws_access_key_id"], "AWS_SECRET_ACCESS_KEY": role["aws_secret_access_key"],
        "AWS_SESSION_TOKEN": role["aws_session_token"], "AWS_REGION": region, "AWS_ENDPOINT_URL": endpoint,
        "AWS_ENDPOINT_URL_LAMBDA": f"http://127.0.0.1:{port}", "AWS_LAMBDA_FUNCTION_NAME": "classroom-assistant",
        "AWS_LAMBDA_FUNCTION_TIMEOUT": args.timeout, "INPUT_BUCKET": inputs, "OUTPUT_BUCKET": outputs,
        "STUDENTS_TABLE": env["STUDENTS_TABLE"], "RECOGNITION_MODE": "all", "MIN_FACE_PX": args.min_face,
        "FANOUT_AFTER_SECONDS": "0" if args.no_fanout else "300", "MODELS_DIR": os.path.join(ROOT, "models"), "ENCODING_FILE": os.path.join(os.path.dirname(ROOT), "shared", "cse546", "encoding"),
    })
    if os.path.isdir(os.environ.get("SHARED_DIR", "")):
        function_env["ENCODING_FILE"] = os.path.join(os.environ["SHARED_DIR"], "cse546", "encoding")
    config = {"function_name": "classroom-assistant", "access_key": role["aws_access_key_id"],
              "secret_key": role["aws_secret_access_key"], "region": region, "emulators": args.emulators, "retries": 2,
              "binary": os.path.join(ROOT, ".build", "release", "classroom-assistant"),
              "rie": os.path.join(ROOT, "vendor", "aws-lambda-rie"), "run_dir": args.run_dir, "cwd": ROOT,
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
        event = {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": region,
                              "eventName": "ObjectCreated:Put", "eventTime": "2026-11-30T12:00:00.000Z",
                              "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": inputs, "arn": f"arn:aws:s3:::{inputs}"},
                                     "object": {"key": args.key, "size": os.path.getsize(args.video),
                                                "eTag": put["ETag"].strip('"'), "sequencer": "0"}}}]}
        lam = boto3.session.Session(**role).client("lambda", endpoint_url=base)
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
