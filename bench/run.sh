#!/usr/bin/env bash
# Telltale's benchmark, one command: bench/run.sh
#
# 1. builds the bench crate in release (once),
# 2. makes the payload with the simulator (a week of the wind buoy at 1 Hz, 10 channels),
#    as JSON and as the Riot service sends it (base64 protobuf messages),
# 3. times Telltale's decoder, its Riot reader, serde_json::Value, and the charts' view in Rust,
# 4. times Python's json and orjson on the same bytes, and Python's protobuf (upb) on the
#    Riot payload (orjson and protobuf pinned, in a venv),
# 5. times JSON.parse of the view in Node when node is installed (a proxy for the webview),
# 6. the plot step: the in-app render (hook below, filled in by the lead),
# 7. prints one table and writes target/bench/results.md.
#
# Environment: TELLTALE_BENCH_RUNS (timed runs per step, default 5), CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
SECONDS=0
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench
PAYLOAD=$OUT/week-1hz.json
RIOT_PAYLOAD=$OUT/week-1hz.riot.json
RESULTS=$OUT/results.jsonl
ORJSON_VERSION=3.13.0
PROTOBUF_VERSION=7.36.2
export TELLTALE_BENCH_RUNS=${TELLTALE_BENCH_RUNS:-5}
export TELLTALE_BENCH_PAYLOAD=$PAYLOAD
export TELLTALE_BENCH_RIOT_PAYLOAD=$RIOT_PAYLOAD
mkdir -p "$OUT"
: >"$RESULTS"

step() { printf '\n== %s\n' "$*"; }

step "build (release)"
cargo build --release --locked -p telltale-bench --bin make-payload
cargo bench --locked -p telltale-bench --bench decode --no-run

step "payload from the simulator"
# Always made afresh: it takes a few seconds and follows any change of the simulator.
"$TARGET/release/make-payload" "$PAYLOAD" "$RIOT_PAYLOAD" | tee "$OUT/payload.log"
grep '^{' "$OUT/payload.log" >>"$RESULTS"

step "Python venv with orjson $ORJSON_VERSION and protobuf $PROTOBUF_VERSION"
VENV=$OUT/venv
if ! "$VENV/bin/python" -c "
import sys, orjson, google.protobuf
sys.exit(orjson.__version__ != '$ORJSON_VERSION' or google.protobuf.__version__ != '$PROTOBUF_VERSION')
" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "orjson==$ORJSON_VERSION" "protobuf==$PROTOBUF_VERSION"
fi
"$VENV/bin/python" -c "
import orjson, google.protobuf
from google.protobuf.internal import api_implementation
print('orjson', orjson.__version__, '/ protobuf', google.protobuf.__version__, api_implementation.Type())"

step "Rust: Telltale decode, its Riot reader, serde_json::Value, the charts' view"
TELLTALE_BENCH_OUT=$RESULTS cargo bench --locked -p telltale-bench --bench decode

step "Python: json.loads and orjson.loads on the same bytes"
"$VENV/bin/python" bench/py_decode.py "$PAYLOAD" --runs "$TELLTALE_BENCH_RUNS" --out "$RESULTS"

step "Python: protobuf (upb) on the Riot payload"
"$VENV/bin/python" bench/py_riot_decode.py "$RIOT_PAYLOAD" --runs "$TELLTALE_BENCH_RUNS" --out "$RESULTS"

step "JavaScript: unpacking the view, and JSON.parse of it (Node, proxy for the webview)"
if command -v node >/dev/null; then
    scripts/build-ui.sh >/dev/null # the UI's packages (its esbuild bundles the unpacker)
    node bench/js_parse.mjs "$OUT/dataview.json" "$OUT/dataview.bin" --runs 20 --out "$RESULTS"
else
    echo "node not installed: skipped"
fi

# ---- plot step (in-app render in the real WebKit webview) -------------------------------
# Hook for the lead: bench/plot.sh, when present, opens the app on the same week, reads
# #plot-timing's data-view-ms and data-render-ms after a full redraw and appends to the
# results file given as $1 two JSON lines in the same shape as the others:
#   {"id":"app.data_view","label":..,"runs":N,"median_ms":..,"best_ms":..}
#   {"id":"app.render","label":..,"runs":N,"median_ms":..,"best_ms":..}
# report.py puts them into the "data in memory to plotted" table and its sum.
step "plot step (in-app render)"
if [[ -x bench/plot.sh ]]; then
    bench/plot.sh "$RESULTS"
else
    echo "bench/plot.sh not present yet: the in-app render is not measured in this run"
fi
# -------------------------------------------------------------------------------------------

step "results"
elapsed=$SECONDS
python3 bench/report.py "$RESULTS" --md "$OUT/results.md" --elapsed "$elapsed"
echo
echo "written: $OUT/results.md (raw lines: $RESULTS)"
