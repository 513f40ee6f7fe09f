# The classroom-assistant Lambda function as a container image (custom runtime, x86_64).
#
# Before building, put the two dlib models and the Runtime Interface Emulator into the build context:
#   scripts/fetch-models   -> models/*.dat
#   scripts/fetch-rie      -> vendor/aws-lambda-rie
# then `docker build -t classroom-assistant .` (or scripts/build-image, which builds this same file with buildah).
# Nothing below downloads anything but Debian packages. The models and the emulator are checked against the digests
# pinned in those two scripts (the "checked" stage): a file that differs fails the build, naming it and both digests.

# The base images, pinned by digest for a real registry, so that a rebuild starts from the same bytes whatever the
# tags point to by then. scripts/pin-base-images looks up the current digests and writes them here; until it has run
# (it needs a registry: none is reachable on the project's machines) the placeholders below fail `docker build`, and
# scripts/deploy refuses to build. scripts/build-image passes its local stand-ins of the same tags instead (made by
# scripts/make-base-images) and prints how it mapped them.
ARG SWIFT_IMAGE=swift:6.3.1-bookworm@sha256:unpinned-run-scripts-pin-base-images
ARG DEBIAN_IMAGE=debian:bookworm-slim@sha256:unpinned-run-scripts-pin-base-images

# ---- Build stage: the official Swift image on Debian 12 plus the -dev packages of libav, dlib, libcurl, OpenSSL.
FROM ${SWIFT_IMAGE} AS build
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends \
        libavformat-dev libavcodec-dev libswscale-dev \
        libdlib-dev libblas-dev liblapack-dev \
        libcurl4-openssl-dev libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.swift declares the test targets too, so their folders must exist for the package to load.
# Package.resolved pins the Swift dependencies' versions and commits.
COPY Package.swift Package.resolved ./
COPY Sources ./Sources
COPY Tests ./Tests
# The Swift runtime and FoundationEssentials are linked in statically: the runtime stage has no Swift toolchain.
# (.build is removed in the same step so that the build stage's layer holds only the binary.)
# save-detector writes dlib's built-in face detector in plain form: every cold start then loads it in
# 3 ms instead of decompressing it (0.27 s of CPU).
RUN swift build -c release --static-swift-stdlib --product classroom-assistant \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/classroom-assistant" /out/classroom-assistant \
    && strip /out/classroom-assistant \
    && rm -rf .build \
    && mkdir -p /out/models && /out/classroom-assistant save-detector --models /out/models

# ---- Checked inputs: the dlib models and the emulator against the SHA-256 digests pinned in scripts/fetch-models and
# scripts/fetch-rie (their --check needs no Python). Checked here, once, so that the function's cold start never hashes.
FROM ${DEBIAN_IMAGE} AS checked
COPY scripts/fetch-models scripts/fetch-rie scripts/sha256-check /check/scripts/
COPY models/shape_predictor_5_face_landmarks.dat models/dlib_face_recognition_resnet_model_v1.dat /check/models/
COPY vendor/aws-lambda-rie /check/vendor/aws-lambda-rie
RUN /check/scripts/fetch-models --check && /check/scripts/fetch-rie --check

# ---- Runtime stage: Debian 12 slim with only the shared libraries the binary loads.
FROM ${DEBIAN_IMAGE}
# Files that packages bring but the function never loads are kept out by dpkg (the packages stay installed):
# libdlib-data, a dependency of libdlib19.1, is 95 MB of a 68-point landmark model; libmfx1, a dependency of
# libavcodec59, carries 26 MB of Intel Quick Sync plugins that libav only dlopens for hardware codecs.
# libopenblas0-pthread provides libblas.so.3 and liblapack.so.3 through Debian's alternatives (the face
# descriptor is ~15x faster than with reference BLAS); ca-certificates is for HTTPS to AWS.
RUN printf '%s\n' 'path-exclude=/usr/share/dlib/*' 'path-exclude=/usr/lib/x86_64-linux-gnu/mfx/*' \
        'path-exclude=/usr/lib/x86_64-linux-gnu/libmfxhw64.so*' 'path-exclude=/usr/lib/x86_64-linux-gnu/libmfx-tracer.so*' \
        > /etc/dpkg/dpkg.cfg.d/unused-package-files \
    && export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends \
        libavformat59 libavcodec59 libavutil57 libswscale6 \
        libdlib19.1 libopenblas0-pthread \
        libcurl4 libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/*

COPY --from=build /out/classroom-assistant /opt/classroom/bin/classroom-assistant
COPY --from=checked /check/models/shape_predictor_5_face_landmarks.dat /check/models/dlib_face_recognition_resnet_model_v1.dat \
    /opt/classroom/models/
COPY --from=build /out/models/frontal_face_detector.dat /opt/classroom/models/
COPY --from=checked /check/vendor/aws-lambda-rie /usr/local/bin/aws-lambda-rie
COPY entry.sh /entry.sh

# Lambda gives the function a read-only root file system; only /tmp is writable.
# No student's data is baked in: the function reads the known faces from ENCODING_URI (an S3 object
# that enroll --add and forget change) and the records from DynamoDB, so an image in a registry
# holds nobody's face.
ENV MODELS_DIR=/opt/classroom/models \
    TMPDIR=/tmp
WORKDIR /tmp
# Lambda runs the image as an unprivileged user of its own; `docker run` and the emulator use this one.
# Everything it needs is readable by all and owned by root, so it can change none of it.
RUN useradd --system --no-create-home --home-dir /tmp --shell /usr/sbin/nologin classroom
USER classroom
ENTRYPOINT ["/entry.sh"]
