#!/usr/bin/env bash
# Builds the tandem image with podman from a local release build, pulling nothing: the binary
# (Swift standard library linked statically), the shared libraries it loads, CA certificates
# and a non-root user, imported as one layer. Then checks it: podman run --rm IMAGE --version.
#
#   bash scripts/controller-image.sh [IMAGE]      (default: localhost/tandem:VERSION)
set -euo pipefail
cd "$(dirname "$0")/.."

command -v podman >/dev/null || { echo "podman is not installed: apt-get install podman" >&2; exit 2; }
version=$(sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/TandemCLI/TandemCommand.swift)
image=${1:-localhost/tandem:$version}

echo "building tandem (release, static Swift standard library) ..."
swift build -c release --static-swift-stdlib --product tandem
binary="$(swift build -c release --show-bin-path)/tandem"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -D "$binary" "$root/usr/local/bin/tandem"
# The C libraries the binary loads, at the paths it looks for them.
ldd "$binary" | grep -o '/[^ ]*' | while read -r library; do
    install -D "$(readlink -f "$library")" "$root$library"
done
mkdir -p "$root/etc/ssl/certs" "$root/tmp"
chmod 1777 "$root/tmp"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" 2>/dev/null || true
echo 'nonroot:x:65532:65532:nonroot:/:/sbin/nologin' > "$root/etc/passwd"
echo 'nonroot:x:65532:' > "$root/etc/group"

tar -C "$root" -cf "$root.tar" .
podman import \
    --change 'ENTRYPOINT ["/usr/local/bin/tandem"]' \
    --change 'CMD ["controller"]' \
    --change 'USER 65532:65532' \
    "$root.tar" "$image" >/dev/null
rm -f "$root.tar"

echo "built $image; checking it:"
podman run --rm "$image" --version
