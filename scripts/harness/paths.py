"""Where the harness finds what it drives: the built binary, the emulator, models, course data."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("SHARED_DIR", os.path.join(os.path.dirname(ROOT), "shared"))
COURSE = os.path.join(SHARED, "cse546")
BINARY = os.path.join(ROOT, ".build", "release", "classroom-assistant")
RIE = os.environ.get("RIE_PATH") or os.path.join(ROOT, "vendor", "aws-lambda-rie")
MODELS = os.environ.get("MODELS_DIR") or os.path.join(ROOT, "models")
ENCODING = os.path.join(ROOT, "encoding")
MAPPING = os.path.join(ROOT, "mapping")
STUDENT_DATA = os.path.join(ROOT, "student_data.json")
MOTO_ENV = os.path.join(ROOT, "scripts", "moto-env")
MOTO_SERVER = os.path.join(ROOT, "scripts", "moto-server")


def course_folder(test_case):
    return os.path.join(COURSE, "test_cases", f"test_case_{test_case}")
