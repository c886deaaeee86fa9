#!/usr/bin/env bash
# Installs what is missing, builds Telltale (release) and starts it. With no Igtimi client id
# configured (TELLTALE_CLIENT_ID or client_id in the config file), the app runs its offline
# demo on a simulator started inside it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh run
scripts/build-ui.sh
exec cargo run --release --locked -p telltale -- "$@"
