#!/usr/bin/env bash
# Prepares this machine for the dashboard's browser tests (Tests/browser/dashboard_test.py):
# installs Debian's chromium and chromium-driver with apt-get when either is missing, and
# Selenium (pinned in Tests/requirements.txt) into .build/venv. Idempotent: a second run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        echo "browser-setup.sh: run as root (or install sudo) to install chromium" >&2; return 1
    fi
}

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "browser-setup.sh: install chromium and its chromedriver with your package manager, then run this again" >&2
        exit 1
    fi
    echo "installing chromium and chromium-driver (apt-get) ..."
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -x .build/venv/bin/python3 ]; then
    mkdir -p .build
    python3 -m venv .build/venv
fi
.build/venv/bin/python3 -m pip install --quiet --disable-pip-version-check -r Tests/requirements.txt
chromium --version 2>/dev/null  # (Debian's launcher script complains on stderr about some /dev/shm mounts)
chromedriver --version | cut -d' ' -f1-2
.build/venv/bin/python3 -c "import selenium; print('selenium', selenium.__version__)"
