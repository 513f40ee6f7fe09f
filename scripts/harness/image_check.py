"""The checks scripts/build-image runs against the built image, called from its bash:

  scripts/python -m harness.image_check cli WHAT VIDEO... < lines
      lines: `classroom-assistant process` summary lines and `csv PATH:CONTENT` lines from the image;
      grades each video's CSV against the mapping (a video without one is wrong).
  scripts/python -m harness.image_check lambda RIE_PORT LOG VIDEO... -- COMMAND...
      with scripts/moto-env's variables in the environment: uploads the videos as the operator; starts
      COMMAND (the image's entry.sh behind a shell that first prints "entry.sh starts at <epoch seconds>",
      all output to LOG) and times its first response (the cold start); invokes it once per video with the
      S3 event; twice more starts it for one invocation each (more cold starts); grades each output object
      the function says it wrote.
Both print what they find on stderr, and on stdout only the number of videos right; they exit 1 unless
every video is right.
  scripts/python -m harness.image_check compressed-size OCI_LAYOUT
      the bytes of the image's gzip-compressed layers (what a push to ECR transfers and stores)
"""
import json
import os
import sys
import time

from .emulator import ServedFunction, last_in_log, output_objects
from .grading import check_csv, cli_results, named_twice, read_mapping
from .moto import LocalAWS
from .processes import HarnessError
from .s3_events import Sequencer, upload_and_event


def say(line):
    print(f"build-image: {line}", file=sys.stderr, flush=True)


def report(what, results, videos):
    """Grades `results` ({video: csv}); a video of `videos` with no result is wrong too."""
    mapping = read_mapping()
    results = {**{os.path.basename(video): "" for video in videos}, **results}
    right = 0
    for video, csv in sorted(results.items()):
        problem = check_csv(video, csv, mapping)
        right += problem is None
        say(f"  {video} -> {csv.strip()!r}" + (f" WRONG: {problem}" if problem else ""))
    twice = named_twice(results)
    if twice:
        say(f"{what}: named for more than one video: {', '.join(twice)}")
    say(f"{what}: {right}/{len(results)} course videos right")
    print(right)
    return 0 if results and right == len(results) and not twice else 1


def check_cli(what, videos):
    lines = sys.stdin.read().splitlines()
    contents = dict(l[len("csv "):].partition(":")[::2] for l in lines if l.startswith("csv "))
    return report(what, dict(cli_results(lines, read=lambda path: contents.get(path, ""))), videos)


def check_lambda(rie_port, log, videos, command):
    aws = LocalAWS.from_environment()
    s3 = aws.operator_s3()
    sequencer = Sequencer()
    events = {}
    for path in videos:
        with open(path, "rb") as video:
            events[os.path.basename(path)] = upload_and_event(s3, aws.values["INPUT_BUCKET"], os.path.basename(path),
                                                               video.read(), aws.region, sequencer)
    outputs = {}

    def serve_and_invoke(keys):
        """One cold start: starts COMMAND, invokes each video in turn, stops it. Returns the cold start in ms."""
        served = ServedFunction(command, rie_port, log, "entry.sh")
        try:
            for number, key in enumerate(keys):
                elapsed, response, problem = served.invoke(events[key], timeout=120)
                if problem:
                    raise HarnessError(f"the function failed on {key}: {problem}")
                outputs[key] = response
                if number == 0:
                    cold = 1000 * (time.time() - last_in_log(log, r"entry.sh starts at ([0-9.]+)"))
                    init = last_in_log(log, r"INIT REPORT.durationMs: ([0-9.]+)")
                    say(f"cold start {cold:.0f} ms from entry.sh to the first response ({key}), "
                        f"{1000 * (time.monotonic() - served.started):.0f} ms from buildah run; the function init {init:.0f} ms")
                else:
                    say(f"warm invocation {key}: {1000 * elapsed:.0f} ms")
            return cold
        finally:
            served.stop()

    keys = sorted(events)
    # All videos after the first cold start, then two more cold starts: this machine is shared, so one figure is noise.
    colds = sorted([serve_and_invoke(keys)] + [serve_and_invoke([key]) for key in keys[1:3]])
    say(f"cold starts: median {colds[len(colds) // 2]:.0f} ms, best {colds[0]:.0f} ms (target 1500 ms)")
    results = {}
    for key, response in outputs.items():
        written = output_objects(response)
        results[key] = s3.get_object(Bucket=written[0][0], Key=written[0][1])["Body"].read().decode() if written else ""
    return report("Lambda function in the image (entry.sh, emulator, moto)", results, videos)


def compressed_size(layout):
    blob = lambda digest: os.path.join(layout, "blobs", "sha256", digest.split(":")[1])
    with open(os.path.join(layout, "index.json")) as index:
        with open(blob(json.load(index)["manifests"][0]["digest"])) as manifest:
            return sum(layer["size"] for layer in json.load(manifest)["layers"])


def main(argv):
    try:
        if argv[:1] == ["compressed-size"] and len(argv) == 2:
            print(compressed_size(argv[1]))
            return 0
        if argv[:1] == ["cli"] and len(argv) >= 3:
            return check_cli(argv[1], argv[2:])
        if argv[:1] == ["lambda"] and "--" in argv:
            separator = argv.index("--")
            return check_lambda(int(argv[1]), argv[2], argv[3:separator], argv[separator + 1:])
    except HarnessError as error:
        say(str(error))
        return 1
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
