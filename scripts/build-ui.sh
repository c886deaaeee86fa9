#!/usr/bin/env bash
# Builds the main window's UI (TypeScript, type-checked, bundled by esbuild) into ui/dist,
# which the Tauri build embeds. Installs the pinned npm packages first when they changed.
set -euo pipefail
cd "$(dirname "$0")/../ui"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
fi
npm run build
