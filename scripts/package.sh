#!/usr/bin/env bash
# Builds Telltale's Linux packages (.deb and .rpm) with the pinned Tauri CLI
# (packaging/package.json): the UI, then the app in the size-tuned release profile, then the
# bundles. Prints where they land:
#   target/release/bundle/deb/Telltale_<version>_<arch>.deb
#   target/release/bundle/rpm/Telltale-<version>-1.<arch>.rpm
#
#   scripts/package.sh            # deb and rpm
#   scripts/package.sh deb        # only the .deb
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bundles="${1:-deb,rpm}"

# The CLI from npm, at the exact version pinned in packaging/package.json (and its lock file).
# `npm install`, not `npm ci`: the lock file lists only the CLI's Linux builds, and `npm ci`
# refuses a lock file that lacks the other platforms' optional packages.
if [ ! -x packaging/node_modules/.bin/tauri ] ||
    [ packaging/package-lock.json -nt packaging/node_modules/.package-lock.json ]; then
    (cd packaging && npm install --no-audit --no-fund --no-save)
fi
pinned="$(node -p "require('./packaging/package.json').devDependencies['@tauri-apps/cli']")"
installed="$(node -p "require('./packaging/node_modules/@tauri-apps/cli/package.json').version")"
if [ "$pinned" != "$installed" ]; then
    echo "package: @tauri-apps/cli $installed is installed, $pinned is pinned" >&2
    exit 1
fi
scripts/build-ui.sh

# The configuration lives at the root and the app crate in src-tauri. The CLI wants a
# configuration file in the crate's folder and resolves the paths in it from there, so for
# the build the crate gets a link to the root file, and the CLI an overlay with the root's
# relative paths made absolute (the app's build script reads the root file itself).
link="$root/src-tauri/tauri.conf.json"
overlay="$root/target/package/tauri.paths.json"
if [ -e "$link" ] && [ ! -L "$link" ]; then
    echo "package: $link exists and is not our link; remove it first" >&2
    exit 1
fi
ln -sfn ../tauri.conf.json "$link"
trap 'rm -f "$link"' EXIT
mkdir -p "$(dirname "$overlay")"
ROOT="$root" node -e '
const fs = require("fs"), path = require("path");
const root = process.env.ROOT;
const conf = JSON.parse(fs.readFileSync(path.join(root, "tauri.conf.json"), "utf8"));
const abs = (p) => path.resolve(root, p);
const b = conf.bundle, linux = b.linux || {};
const out = {
  build: { frontendDist: abs(conf.build.frontendDist) },
  bundle: { icon: b.icon.map(abs), linux: {} },
};
for (const kind of ["deb", "rpm"]) {
  if (linux[kind] && linux[kind].desktopTemplate) {
    out.bundle.linux[kind] = { desktopTemplate: abs(linux[kind].desktopTemplate) };
  }
}
fs.writeFileSync(process.argv[1], JSON.stringify(out, null, 2));
' "$overlay"

# The workspace's one target directory is used, so nothing is built twice.
export TAURI_APP_PATH="$root/src-tauri"
export TAURI_FRONTEND_PATH="$root/ui"
export CARGO_TARGET_DIR="$root/target"
packaging/node_modules/.bin/tauri build --ci --bundles "$bundles" --config "$overlay"

echo "package: the packages are in $root/target/release/bundle/:"
find "$root/target/release/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' \) -printf '  %p (%s bytes)\n'
