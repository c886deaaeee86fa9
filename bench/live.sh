#!/usr/bin/env bash
# The live benchmark: ten emulated devices push at 10 Hz over the simulator's Riot device
# port, the real app (release build) shows them in Live on WebKitGTK under Xvfb. Latency
# from the device's send to the page (p50, p95) against an empty IPC round trip; CPU share
# against the same app idle; PSS after the run against one minute in.
#
#   bench/live.sh [results.jsonl]      # TELLTALE_BENCH_LIVE_SECS=600 by default
#
# Uses the end-to-end harness (src-tauri/tests/e2e/bench_live.rs) through scripts/e2e.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/bench/results.jsonl}
mkdir -p "$(dirname "$out")"
TELLTALE_E2E_BENCH=1 TELLTALE_E2E_RELEASE=1 TELLTALE_BENCH_OUT="$(realpath "$out")" \
    scripts/e2e.sh bench_live --nocapture
