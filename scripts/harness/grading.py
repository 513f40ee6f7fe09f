"""Grading against the course's `mapping`: each course video shows one student, known by major and year."""
import json
import os
import re

from .paths import MAPPING, STUDENT_DATA, course_folder
from .processes import HarnessError


def read_mapping(path=MAPPING):
    """`test_0.mp4:physics,junior` lines -> {"test_0.mp4": "physics,junior"}."""
    mapping = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if ":" in line:
                name, record = line.split(":", 1)
                mapping[name.strip()] = record.strip()
    return mapping


def normalise(record):
    """The mapping says `freshman` where student_data.json says `freshmen`."""
    return ",".join("freshman" if field == "freshmen" else field for field in record.split(","))


def course_videos(test_cases=(1, 2)):
    """The course videos, test case by test case, each in numeric order (test_2 before test_10)."""
    def number(name):
        digits = re.findall(r"\d+", name)
        return (int(digits[-1]) if digits else -1, name)
    videos = []
    for test_case in test_cases:
        folder = course_folder(test_case)
        try:
            names = sorted((n for n in os.listdir(folder) if n.endswith(".mp4")), key=number)
        except OSError as error:
            raise HarnessError(f"no course data at {folder} ({error.strerror}): set SHARED_DIR to the shared folder")
        if not names:
            raise HarnessError(f"no .mp4 clips in {folder}: set SHARED_DIR to the shared folder holding cse546")
        videos += [os.path.join(folder, name) for name in names]
    return videos


def names_by_clip(test_case=1):
    """Who each course clip of one test case shows, by clip stem (each major,year pair is unique)."""
    with open(STUDENT_DATA, encoding="utf-8") as table:
        by_record = {normalise(f"{s['major']},{s['year']}"): s["name"] for s in json.load(table)}
    mapping = read_mapping()
    return {f[:-len(".mp4")]: by_record[normalise(mapping[f])] for f in os.listdir(course_folder(test_case)) if f in mapping}


def course_names(test_case=1):
    """The students the course clips of one test case show."""
    return set(names_by_clip(test_case).values())


def check_csv(video, csv, mapping, mode="first"):
    """None when `csv` is the one line `name,major,year` (attendance appends fields, not compared) with the
    major and year `mapping` has for `video`; otherwise what is wrong."""
    if video not in mapping:
        return "not in mapping"
    lines = csv.splitlines()
    fields = lines[0].split(",") if len(lines) == 1 else []
    if len(fields) < 3 or (mode == "first" and len(fields) != 3) or not fields[0]:
        return f"not one line name,major,year: {csv[:200]!r}"
    if normalise(",".join(fields[1:3])) != normalise(mapping[video]):
        return f"says {lines[0]!r}, mapping says {mapping[video]!r}"
    return None


def named_twice(results):
    """The names given to more than one of `results` ({video: csv}): each course video shows a different
    person, so such a name is a wrong match that major and year cannot tell apart."""
    names = [csv.split(",")[0] for csv in results.values()]
    return sorted(name for name in set(names) if names.count(name) > 1)


def cli_outputs(summary):
    """(video file name, CSV path) per summary line of `classroom-assistant process`
    (`VIDEO: names -> PATH.csv [...]`), in order: the binary names its own outputs."""
    outputs = []
    for line in summary:
        found = re.match(r"(.*?): .* -> (\S+\.csv)( |$)", line)
        if found:
            outputs.append((os.path.basename(found.group(1)), found.group(2)))
    return outputs


def cli_results(summary, read=lambda path: open(path, encoding="utf-8").read() if os.path.exists(path) else ""):
    """(video file name, csv) per summary line, each CSV read by `read` (from disk unless told)."""
    return [(video, read(path)) for video, path in cli_outputs(summary)]
