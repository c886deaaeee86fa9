#!/usr/bin/env bash
# Installs what is missing, builds and runs Telltale. Until the desktop app lands, this runs
# the Igtimi simulator with the demo data on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh run
exec cargo run --release --locked -p igtimi-sim -- --port "${TELLTALE_SIM_PORT:-8080}" "$@"
