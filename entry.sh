#!/bin/sh
# Entrypoint of the image. In Lambda, AWS_LAMBDA_RUNTIME_API is set and the binary is the custom runtime.
# Anywhere else (docker run, buildah run) the Runtime Interface Emulator stands in for Lambda: it serves
# POST /2015-03-31/functions/function/invocations on RIE_ADDRESS and runs the binary against its own Runtime API.
set -eu
function_binary=/opt/classroom/bin/classroom-assistant

if [ -n "${AWS_LAMBDA_RUNTIME_API:-}" ]; then
    exec "$function_binary" "$@"
fi
exec /usr/local/bin/aws-lambda-rie \
    --runtime-interface-emulator-address "${RIE_ADDRESS:-0.0.0.0:8080}" \
    --runtime-api-address "${RIE_RUNTIME_API_ADDRESS:-127.0.0.1:9001}" \
    "$function_binary" "$@"
