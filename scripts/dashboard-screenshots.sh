#!/usr/bin/env bash
# Writes the README's dashboard screenshots, docs/images/dashboard-topology.png and
# docs/images/dashboard-editor.png (1280x800), from the browser tests' own setup: the API test
# server, two applications deployed with `tandem up`, `tandem dashboard`, headless chromium.
# Installs chromium and Selenium first when missing (scripts/browser-setup.sh); builds tandem.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/browser-setup.sh >/dev/null
swift build --product tandem
swift build --product kube-test-server
CI=1 .build/venv/bin/python3 Tests/browser/dashboard_test.py .build/debug/tandem --only topology,editor --screenshots docs/images
