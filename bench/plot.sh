#!/usr/bin/env bash
# The plot step of bench/run.sh: the in-app render of a week of the wind buoy at 1 Hz in the
# real app (release build) on WebKitGTK under Xvfb, timed by the UI's #plot-timing over
# repeated redraws, with an empty IPC round trip as the same run's baseline.
#
#   bench/plot.sh [results.jsonl]     # appends app.* JSON lines to the results file
#
# Uses the end-to-end harness (src-tauri/tests/e2e/bench_plot.rs) through scripts/e2e.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/bench/results.jsonl}
mkdir -p "$(dirname "$out")"
TELLTALE_E2E_BENCH=1 TELLTALE_E2E_RELEASE=1 TELLTALE_BENCH_OUT="$(realpath "$out")" \
    scripts/e2e.sh bench_plot --nocapture
