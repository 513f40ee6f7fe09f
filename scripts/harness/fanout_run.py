"""One fanned-out attendance run through the local Lambda stand-in, for the fan-out tests.

  scripts/python scripts/harness/fanout_run.py --video V --key K --emulators N --run-dir D [--kill-one]
      [--timeout S] [--no-fanout] [--min-face PX] [--plant NAME] [--foreign-segment]
      [--tamper NAME] [--replace-with FILE] [--max-segments N]

Needs the `export` lines of scripts/moto-env in the environment (moto with signatures and IAM
enforced, provisioned). Uploads V as K to the input bucket, starts scripts/lambda-dispatcher
with N emulators running the binary, sends the S3 event as Lambda would (an Event invocation,
signed), waits until no event is queued or running, and prints one JSON line: the CSV (or null),
the keys under fanout/ that appeared during the run ("fanout_seen") and those still there at the
end ("fanout_keys"), how many unknown people's crops the partials it read held, the failed events
and the dispatcher's counts.
--kill-one kills an emulator while it runs a segment; a short --timeout makes every segment
miss its deadline (the S3-event invocation only reads the duration and invokes them).
Hostile runs, each acting once the job's description is stored: --plant NAME stores partials naming
NAME in the job's folder as an earlier run, an older layout and an extra segment would; --foreign-
segment invokes a segment event naming another bucket; --tamper NAME rewrites this run's first
stored partial to name NAME; --replace-with FILE uploads FILE under the video's key.
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
from harness.paths import BINARY, ENCODING, MODELS, ROOT, SHARED  # noqa: E402
from harness.processes import clean_environment, free_ports, read_line  # noqa: E402
from harness.s3_events import Sequencer, s3_event  # noqa: E402

# How long the dispatcher may take to start its emulators, and the whole run: only a hang takes that long.
DISPATCHER_START_TIMEOUT = 300  # seconds
RUN_TIMEOUT = 4 * 3600  # seconds


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
    ap.add_argument("--max-segments", default="", help="FANOUT_MAX_SEGMENTS (default: the function's)")
    ap.add_argument("--plant", help="a name the planted partials give a track")
    ap.add_argument("--foreign-segment", action="store_true")
    ap.add_argument("--tamper", help="the name a tampered partial gives a track")
    ap.add_argument("--replace-with", help="a file uploaded under the key while the job runs")
    args = ap.parse_args()
    aws = LocalAWS.from_environment()
    role = aws.function_environment()
    session = boto3.session.Session(aws_access_key_id=role["AWS_ACCESS_KEY_ID"], aws_secret_access_key=role["AWS_SECRET_ACCESS_KEY"],
                                    aws_session_token=role["AWS_SESSION_TOKEN"], region_name=aws.region)
    s3 = aws.operator_s3()
    role_s3 = session.client("s3", endpoint_url=aws.endpoint)
    inputs, outputs = aws.values["INPUT_BUCKET"], aws.values["OUTPUT_BUCKET"]
    def fanout_keys():
        keys, token = [], None
        while True:
            page = role_s3.list_objects_v2(Bucket=outputs, Prefix="fanout/", **({"ContinuationToken": token} if token else {}))
            keys += [o["Key"] for o in page.get("Contents", [])]
            token = page.get("NextContinuationToken")
            if not token:
                return keys
    before = set(fanout_keys())
    put = s3.put_object(Bucket=inputs, Key=args.key, Body=open(args.video, "rb"))
    os.makedirs(args.run_dir, exist_ok=True)

    port = free_ports(1)[0]
    encoding = os.path.join(SHARED, "cse546", "encoding") if os.path.isdir(SHARED) else ENCODING
    function_env = clean_environment({
        **role, "AWS_ENDPOINT_URL_LAMBDA": f"http://127.0.0.1:{port}", "AWS_LAMBDA_FUNCTION_NAME": "classroom-assistant",
        "AWS_LAMBDA_FUNCTION_TIMEOUT": args.timeout, "RECOGNITION_MODE": "all", "MIN_FACE_PX": args.min_face,
        "FANOUT_AFTER_SECONDS": "0" if args.no_fanout else "300", "MODELS_DIR": MODELS, "ENCODING_FILE": encoding,
        "FANOUT_MAX_SEGMENTS": args.max_segments,
    })
    config = {"function_name": "classroom-assistant", "access_key": role["AWS_ACCESS_KEY_ID"],
              "secret_key": role["AWS_SECRET_ACCESS_KEY"], "region": aws.region, "emulators": args.emulators, "retries": 2,
              "binary": BINARY, "run_dir": args.run_dir, "cwd": ROOT,
              "environment": function_env, "port": port}
    config_path = os.path.join(args.run_dir, "dispatcher.json")
    with open(config_path, "w") as f:
        json.dump(config, f)
    dispatcher = subprocess.Popen([os.path.join(ROOT, "scripts", "lambda-dispatcher"), "--config", config_path],
                                  stdout=subprocess.PIPE, text=True)
    try:
        if not read_line(dispatcher.stdout, DISPATCHER_START_TIMEOUT).startswith("listening"):
            raise SystemExit(f"fanout_run: scripts/lambda-dispatcher did not start within {DISPATCHER_START_TIMEOUT} s: see {args.run_dir}")
        base = f"http://127.0.0.1:{port}"
        # S3 invokes the function asynchronously with its notification: so does this, signed.
        event = s3_event(inputs, args.key, os.path.getsize(args.video), aws.region, Sequencer(), put["ETag"], put)
        lam = session.client("lambda", endpoint_url=base)
        lam.invoke(FunctionName="classroom-assistant", InvocationType="Event", Payload=json.dumps(event).encode())

        def status():
            with urllib.request.urlopen(base + "/control/status", timeout=30) as r:
                return json.load(r)
        if args.foreign_segment:
            foreign = {"classroomSegment": {"object": {"bucket": "another-classroom-input", "key": args.key,
                                                       "eTag": put["ETag"]}, "nonce": "0" * 32, "segment": 0}}
            lam.invoke(FunctionName="classroom-assistant", InvocationType="Event", Payload=json.dumps(foreign).encode())
        killed, seen, acted, planted, inspected, unknown_crops, unknown_tracks = False, set(), set(), [], set(), 0, 0
        # A hang is a dispatcher whose state stays the same for longer than one invocation may run, or a
        # run longer than RUN_TIMEOUT however its state changes.
        stalled_after = int(args.timeout) + 60
        last_state, changed_at, give_up = None, time.monotonic(), time.monotonic() + RUN_TIMEOUT
        while True:
            time.sleep(0.5)
            state = status()
            if state != last_state:
                last_state, changed_at = state, time.monotonic()
            elif time.monotonic() - changed_at > stalled_after:
                raise SystemExit(f"fanout_run: the dispatcher made no progress for {stalled_after} s ({state}): see {args.run_dir}")
            if time.monotonic() > give_up:
                raise SystemExit(f"fanout_run: the run did not end within {RUN_TIMEOUT} s ({state}): see {args.run_dir}")
            jobs = [k for k in fanout_keys() if k not in before]
            seen.update(jobs)
            # The function's own partials: how many unknown people's crops they hold.
            for key in jobs:
                if "/segment-" in key and key not in inspected and key not in planted:
                    inspected.add(key)
                    try:
                        partial = json.loads(role_s3.get_object(Bucket=outputs, Key=key)["Body"].read())
                    except role_s3.exceptions.NoSuchKey:
                        continue
                    unknown_tracks += sum(1 for chunk in partial.get("chunks", []) for track in chunk["tracks"]
                                          if track["identity"].get("name") is None)
                    unknown_crops += sum(1 for chunk in partial.get("chunks", []) for track in chunk["tracks"]
                                         if track["identity"].get("name") is None and track.get("face"))
            job = next((k for k in jobs if k.endswith("/job.json")), None)
            if job and "hostile" not in acted and (args.plant or args.replace_with):
                acted.add("hostile")
                planted = act_on_job(args, role_s3, s3, outputs, inputs, job)
            current = None
            if job and args.tamper:
                try:
                    current = json.loads(role_s3.get_object(Bucket=outputs, Key=job)["Body"].read())["nonce"]
                except role_s3.exceptions.NoSuchKey:
                    pass
            partial = next((k for k in jobs if current and f"/segment-{current}-" in k), None)
            if args.tamper and partial and "tamper" not in acted:
                acted.add("tamper")
                tamper(role_s3, outputs, partial, args.tamper)
                planted.append(partial)
            if args.kill_one and not killed and state["running"] > 0 and any("job.json" in k for k in jobs):
                time.sleep(3)
                with urllib.request.urlopen(urllib.request.Request(base + "/control/kill-busy", data=b"", method="POST"),
                                            timeout=30) as r:
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
        keys = [k for k in fanout_keys() if k not in before]
        seen.update(keys)
        print(json.dumps({"csv": csv, "fanout_keys": keys, "fanout_seen": sorted(seen), "planted": planted,
                          "partials_read": len(inspected), "unknown_crops": unknown_crops, "unknown_tracks": unknown_tracks, "failed": failed,
                          "state": state, "killed": killed}))
    finally:
        dispatcher.terminate()
        try:
            dispatcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            dispatcher.kill()
            dispatcher.wait()


def planted_partial(nonce, name):
    """A partial as a segment stores it, its one track named `name`."""
    track = {"identity": {"name": name, "distance": 0.3, "bestDistance": 0.25}, "meanDescriptor": [0.0] * 128,
             "times": [0.0, 1.0, 2.0], "face": None}
    partial = {"segment": 0, "chunks": [{"index": 0, "sampledTimes": [0.0, 1.0, 2.0], "tracks": [track], "framesDecoded": 3}]}
    if nonce is not None:
        partial["nonce"] = nonce
    return json.dumps(partial).encode()


def act_on_job(args, role_s3, operator_s3, outputs, inputs, job):
    """--plant and --replace-with, once the job's description is stored; the keys planted."""
    folder = job[:-len("job.json")]
    nonce = json.loads(role_s3.get_object(Bucket=outputs, Key=job)["Body"].read())["nonce"]
    planted = []
    if args.plant:
        earlier = "f" * 32 if nonce != "f" * 32 else "e" * 32
        for key, body in ((f"{folder}segment-{earlier}-00000.json", planted_partial(earlier, args.plant)),
                          (f"{folder}segment-00000.json", planted_partial(None, args.plant)),
                          (f"{folder}segment-{nonce}-09999.json", planted_partial(nonce, args.plant))):
            role_s3.put_object(Bucket=outputs, Key=key, Body=body)
            planted.append(key)
    if args.replace_with:
        operator_s3.put_object(Bucket=inputs, Key=args.key, Body=open(args.replace_with, "rb"))
    return planted


def tamper(role_s3, outputs, key, name):
    """Rewrites a stored partial so that its first track (or a new one) is named `name`."""
    partial = json.loads(role_s3.get_object(Bucket=outputs, Key=key)["Body"].read())
    chunk = partial["chunks"][0]
    track = {"identity": {"name": name, "distance": 0.3, "bestDistance": 0.25}, "meanDescriptor": [0.0] * 128,
             "times": chunk["sampledTimes"][:1], "face": None}
    chunk["tracks"] = [track] + chunk["tracks"][1:]
    role_s3.put_object(Bucket=outputs, Key=key, Body=json.dumps(partial).encode())


if __name__ == "__main__":
    main()
