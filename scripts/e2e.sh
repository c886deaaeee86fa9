#!/usr/bin/env bash
# Runs the end-to-end tests of the Telltale app (src-tauri/tests/e2e) on its real
# WebKitGTK webview: tauri-driver -> WebKitWebDriver -> the app, on a virtual X display
# (Xvfb) and a private, unlocked Secret Service (scripts/with-keyring.sh).
#
#   scripts/e2e.sh                    # all scenarios
#   scripts/e2e.sh closing            # only those whose name contains "closing"
#
# Installs what is missing first: the Debian packages (scripts/install-deps.sh e2e),
# tauri-driver (cargo install, pinned, into ~/.cargo/bin) and the UI (ui/dist, scripts/build-ui.sh). Extra arguments go to the test binary.
# Screenshots and logs: target/tmp/e2e/<test>/. The exit code is the tests'.
# The plot benchmark's scenario (bench_*) is skipped unless TELLTALE_E2E_BENCH=1, which
# bench/plot.sh sets together with TELLTALE_E2E_RELEASE=1 (a release build of app and tests).
set -euo pipefail

TAURI_DRIVER_VERSION="2.1.0"

cd "$(dirname "$0")/.."

scripts/install-deps.sh e2e

export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "e2e: installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked
fi

# The app embeds ui/dist when it is compiled, so the UI is built before the tests.
scripts/build-ui.sh
# The browse test validates an exported GPX file against the GPX 1.1 schema.
scripts/fetch-gpx-schema.sh

# `--workspace` keeps the feature set of the workspace-wide test build, so nothing that
# `cargo test --workspace` built is compiled again.
profile=()
if [ "${TELLTALE_E2E_RELEASE:-0}" = 1 ]; then
    profile=(--release)
fi
skip=(--skip bench_)
if [ "${TELLTALE_E2E_BENCH:-0}" = 1 ]; then
    skip=()
fi
exec xvfb-run -a -s "-screen 0 1280x900x24" \
    scripts/with-keyring.sh \
    cargo test --workspace --locked "${profile[@]}" --test e2e -- --ignored --test-threads=1 \
    "${skip[@]}" "$@"
