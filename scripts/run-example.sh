#!/usr/bin/env bash
# The README's first command: on a fresh machine, sets up podman (scripts/local-runtime-setup.sh),
# builds tandem, and runs the log-shipping example on this machine for a few seconds — a worker
# writing a log file, a sidecar shipping it from the volume they share — showing the streamed
# logs; then Ctrl-C stops it and removes everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}

bash scripts/local-runtime-setup.sh
echo "building tandem (swift build --product tandem) ..."
swift build --product tandem 2>&1 | tail -1
tandem=$(swift build --show-bin-path)/tandem

echo
echo "\$ tandem up --local examples/log-shipping.yaml     (Ctrl-C after ${seconds}s)"
status=0
timeout --signal=INT --kill-after=30 "$seconds" "$tandem" up --local examples/log-shipping.yaml || status=$?
# 124: timeout sent the Ctrl-C; tandem stopped and removed the application.
if [ "$status" != 124 ] && [ "$status" != 130 ] && [ "$status" != 0 ]; then
    echo "run-example.sh: tandem up --local failed (exit $status)" >&2
    "$tandem" down --local log-shipping >/dev/null 2>&1 || true
    exit "$status"
fi
# Ctrl-C removed everything it started; `tandem down --local log-shipping` would find nothing.
