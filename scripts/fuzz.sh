#!/usr/bin/env bash
# Fuzzes the readers of untrusted input (callback URLs, the three dialects' token answers,
# the resources/data decoder, the Riot reader, the live frame readers, the device port's
# reader) with cargo-fuzz, each target for a bounded time.
#
#   scripts/fuzz.sh [seconds per target] [target ...]
#
# Needs the nightly toolchain; installs cargo-fuzz into ~/.cargo/bin when missing. The build
# lives in fuzz/target. New inputs the fuzzer finds are kept in fuzz/corpus/<target>/, and
# crashes in fuzz/artifacts/<target>/. Prints one line per target: runs and crashes. Exits
# non-zero if any target crashed. Not part of .ci/run (too slow); the proptests are.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(callback token_standard token_iternio token_api data_decode riot_decode live_frame
        device_frames target_polar tile_path)
fi

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzz.sh: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

cd fuzz
cargo +nightly fuzz build
mkdir -p logs
failed=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    log="logs/$target.log"
    set +e
    cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=1024 -timeout=5 \
        -print_final_stats=1 >"$log" 2>&1
    status=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    # Keep the corpus small: only inputs that add coverage.
    cargo +nightly fuzz cmin "$target" "corpus/$target" >>"$log" 2>&1 || true
    crashes=$(find "artifacts/$target" -type f | wc -l)
    echo "$target: ${runs} runs in ${seconds} s, ${crashes} crashes (exit ${status})"
    if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        failed=1
        tail -n 30 "$log" >&2
    fi
done
exit "$failed"
