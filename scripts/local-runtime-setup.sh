#!/usr/bin/env bash
# Prepares this machine for `tandem up --local`: installs podman (with netavark and aardvark-dns), runc and busybox-static with
# apt-get when podman is missing, configures podman for a machine without systemd (runc,
# cgroupfs, events in a file, no default ulimits) when /etc/containers/containers.conf does not
# exist yet, and imports the busybox image the examples use (scripts/busybox-image.sh).
# Idempotent: a second run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        echo "local-runtime-setup.sh: run as root (or install sudo) to install podman" >&2; return 1
    fi
}

# netavark and aardvark-dns: podman's DNS, which answers Services' names inside the pods.
if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 || [ ! -x /bin/busybox ] || ! command -v nsenter >/dev/null 2>&1 \
    || { [ ! -x /usr/lib/podman/aardvark-dns ] && [ ! -x /usr/libexec/podman/aardvark-dns ]; }; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "local-runtime-setup.sh: install podman, runc and a static busybox with your package manager, then run this again" >&2
        exit 1
    fi
    echo "installing podman, runc and busybox-static (apt-get) ..."
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc busybox-static util-linux netavark aardvark-dns >/dev/null
fi

# Without systemd (containers, CI sandboxes), podman's defaults (systemd cgroups, journald)
# do not work; a machine that runs systemd keeps its own settings.
if [ ! -e /etc/containers/containers.conf ] && [ ! -d /run/systemd/system ]; then
    echo "writing /etc/containers/containers.conf (runc, cgroupfs, file events: no systemd here)"
    as_root mkdir -p /etc/containers
    as_root tee /etc/containers/containers.conf >/dev/null <<'CONF'
# Written by tandem's scripts/local-runtime-setup.sh for a machine without systemd.
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
fi

bash scripts/busybox-image.sh  # into the podman store of whoever runs tandem
podman --version
