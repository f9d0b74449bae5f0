#!/usr/bin/env bash
# Builds a tiny container image from this machine's static busybox (Debian: busybox-static) and
# imports it into podman as docker.io/library/busybox:1.36 (and :latest), the image the
# examples and the local-runtime tests use. Nothing is pulled: machines without a registry
# can run the examples. Does nothing when the image is already there (--force rebuilds it).
set -euo pipefail

tags=(docker.io/library/busybox:1.36 docker.io/library/busybox:latest)
busybox=${BUSYBOX:-/bin/busybox}

if [ "${1:-}" != "--force" ] && podman image exists "${tags[0]}"; then
    echo "podman image ${tags[0]} is already there"
    exit 0
fi
if ! "$busybox" --list >/dev/null 2>&1; then
    echo "busybox-image.sh: $busybox is not a busybox binary; install busybox-static (apt-get install busybox-static)" >&2
    exit 1
fi
if ldd "$busybox" >/dev/null 2>&1; then
    echo "busybox-image.sh: $busybox is linked dynamically; the image needs busybox-static" >&2
    exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,tmp,var/log,root,proc,sys,dev,run}
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
tar -C "$root" -cf "$root.tar" .
trap 'rm -rf "$root" "$root.tar"' EXIT
podman import --quiet --change 'CMD ["sh"]' --change 'ENV PATH=/bin' "$root.tar" "${tags[0]}" >/dev/null
for tag in "${tags[@]:1}"; do podman tag "${tags[0]}" "$tag"; done
echo "podman image ${tags[*]} imported from $busybox"
