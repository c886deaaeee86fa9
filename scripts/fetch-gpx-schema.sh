#!/usr/bin/env bash
# Puts the official GPX 1.1 schema (Topografix) at target/gpx-schema/gpx11.xsd for the GPX
# export test (xmllint --schema). The schema ships in Debian's pytrainer package; the package
# is only downloaded and unpacked in a temporary directory, not installed. Does nothing when
# the file is already there. Never commit the schema.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/target/gpx-schema/gpx11.xsd"
if [[ -s "$dest" ]]; then
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download pytrainer >/dev/null 2>&1; then
    echo "fetch-gpx-schema: 'apt-get download pytrainer' failed (run 'apt-get update' first?)" >&2
    exit 1
fi
dpkg-deb -x pytrainer_*.deb unpacked
schema="unpacked/usr/share/pytrainer/schemas/Topografix_gpx11.xsd"
if [[ ! -s "$schema" ]]; then
    echo "fetch-gpx-schema: $schema not found in the pytrainer package" >&2
    exit 1
fi
mkdir -p "$(dirname "$dest")"
cp "$schema" "$dest.$$.partial"
mv "$dest.$$.partial" "$dest"
echo "fetch-gpx-schema: wrote $dest"
