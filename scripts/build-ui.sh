#!/usr/bin/env bash
# Builds the main window's UI (TypeScript, type-checked, bundled by esbuild) into ui/dist,
# which the Tauri build embeds. Installs the pinned npm packages first when they changed.
set -euo pipefail
cd "$(dirname "$0")/../ui"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
fi
# Nothing changed since the last build: keep ui/dist as it is, so cargo does not embed the
# same files again and recompile the app.
if [ -f dist/app.js ] && [ -f dist/index.html ] && [ -f dist/styles.css ] &&
    [ -f dist/uplot.css ] && [ -f dist/browse.css ] && [ -f dist/mark.png ] &&
    [ -n "$(find dist/chunks -name 'browse-*.js' -print -quit 2>/dev/null)" ] &&
    [ -z "$(find index.html styles.css tsconfig.json package.json package-lock.json src scripts \
        -newer dist/app.js -print -quit)" ]; then
    echo "build-ui: ui/dist is up to date"
    exit 0
fi
npm run build
