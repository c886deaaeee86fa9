#!/usr/bin/env bash
# The installable app against a bare Tauri app (bench/hello-app, built and packaged the same
# way, same release profile, same target directory), in one run (issue 6):
#   - start: from exec to the first painted page (the page's dark header, #0b2239, at
#     (10,10) of the window, read back from the X server with xwd + netpbm);
#   - PSS of the whole process tree (app + WebKit helpers, /proc/<pid>/smaps_rollup) once
#     it has settled;
#   - .deb size and installed size (Installed-Size).
# Both packages are installed with apt-get for the run and removed after it (needs root or
# sudo). Results: a table on stdout and target/bench/package.md.
#
# The launches alternate, Telltale then the bare app, round after round, so that a slower
# spell of the machine weighs on both; the start ratio is also given as the median of the
# rounds' own ratios.
#
#   bench/package.sh                         # 5 rounds
#   TELLTALE_BENCH_RUNS=9 bench/package.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${TELLTALE_BENCH_RUNS:-5}"
settle="${TELLTALE_BENCH_SETTLE:-8}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ---------------------------------------------------------------------------------------
# Inner pass: on the virtual display and private keyring. `--measure name binary title ...`
# launches each app once per round, $runs rounds. Prints one line per launch:
# "<name> <start ms> <pss KiB>".
# ---------------------------------------------------------------------------------------
if [ "${1:-}" = "--measure" ]; then
    shift
    apps=("$@")
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/telltale-pkgbench.XXXXXX")"
    trap 'rm -rf "$scratch"' EXIT
    # Sums the PSS (KiB) of a process and all its descendants.
    tree_pss() {
        local total=0 pid kb
        local pids=("$1") queue=("$1")
        while [ "${#queue[@]}" -gt 0 ]; do
            local children
            children="$(pgrep -P "${queue[0]}" || true)"
            queue=("${queue[@]:1}")
            for pid in $children; do pids+=("$pid"); queue+=("$pid"); done
        done
        for pid in "${pids[@]}"; do
            kb="$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)"
            total=$((total + ${kb:-0}))
        done
        echo "$total"
    }
    painted() {
        local win
        win="$(xwininfo -name "$title" 2>/dev/null | awk '/Window id:/ {print $4}')"
        [ -n "$win" ] || return 1
        [ "$(xwd -id "$win" -silent 2>/dev/null | xwdtopnm 2>/dev/null |
            pamcut -left 10 -top 10 -width 1 -height 1 2>/dev/null |
            pnmtoplainpnm 2>/dev/null | tail -n 1 | tr -s ' ' | sed 's/^ //; s/ $//')" = "11 34 57" ]
    }
    # A launch that dies before painting (seen for both apps under load: GTK fails to set
    # up its application on the session bus) is retried, at most 3 times per run, and
    # counted on stderr.
    launch() {
        rm -rf "$scratch/u" && mkdir -p "$scratch/u/home" "$scratch/u/config" "$scratch/u/data" \
            "$scratch/u/cache" "$scratch/u/runtime" && chmod 700 "$scratch/u/runtime"
        start="$(date +%s%N)"
        HOME="$scratch/u/home" XDG_CONFIG_HOME="$scratch/u/config" XDG_DATA_HOME="$scratch/u/data" \
            XDG_CACHE_HOME="$scratch/u/cache" XDG_RUNTIME_DIR="$scratch/u/runtime" \
            "$binary" >"$scratch/launch.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 3000); do
            if painted; then
                end="$(date +%s%N)"
                return 0
            fi
            kill -0 "$pid" 2>/dev/null || return 1
            sleep 0.01
        done
        kill "$pid" 2>/dev/null || true
        return 1
    }
    for round in $(seq 1 "$runs"); do
        for ((i = 0; i < ${#apps[@]}; i += 3)); do
            name="${apps[i]}" binary="${apps[i + 1]}" title="${apps[i + 2]}"
            ok=""
            for attempt in 1 2 3; do
                if launch; then ok=1; break; fi
                wait "$pid" 2>/dev/null || true
                echo "bench: $binary died or never painted (round $round, attempt $attempt); launching again. Its last words:" >&2
                tail -n 5 "$scratch/launch.log" | sed 's/^/bench:   /' >&2
                sleep 1
            done
            if [ -z "$ok" ]; then
                echo "bench: $binary never painted its page" >&2
                exit 1
            fi
            sleep "$settle"
            pss="$(tree_pss "$pid")"
            echo "$name $(((end - start) / 1000000)) $pss"
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            sleep 1
        done
    done
    exit 0
fi

# ---------------------------------------------------------------------------------------
# Outer pass: build both packages, install, measure, remove, report.
# ---------------------------------------------------------------------------------------
scripts/install-deps.sh package
scripts/package.sh deb
(
    cd bench/hello-app
    export CARGO_TARGET_DIR="$root/target"
    "$root/packaging/node_modules/.bin/tauri" build --ci --bundles deb
)
newest() { find target/release/bundle/deb -maxdepth 1 -name "$1" -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2-; }
app_deb="$(newest 'Telltale_*.deb')"
hello_deb="$(newest 'Hello_*.deb')"
[ -n "$app_deb" ] && [ -n "$hello_deb" ] || { echo "bench: a .deb is missing" >&2; exit 1; }

as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$root/$app_deb" "$root/$hello_deb" >/dev/null
trap 'as_root apt-get remove -y telltale hello >/dev/null 2>&1 || true' EXIT

mkdir -p target/bench
raw="target/bench/package-runs.txt"
: >"$raw"
echo "bench: $runs rounds, each launching telltale then hello-app" >&2
xvfb-run -a -s "-screen 0 1280x900x24" scripts/with-keyring.sh \
    "$0" --measure telltale /usr/bin/telltale Telltale hello-app /usr/bin/hello-app Hello >>"$raw"

deb_kib() { echo $(( $(stat -c %s "$1") / 1024 )); }
inst_kib() { dpkg-deb -f "$1" Installed-Size; }
# Medians of the runs and the ratios, as a Markdown table. (The script is one single-quoted
# shell word: an apostrophe inside it, even in a comment, would cut it short.)
RAW="$raw" APP_DEB="$(deb_kib "$app_deb")" HELLO_DEB="$(deb_kib "$hello_deb")" \
    APP_INST="$(inst_kib "$app_deb")" HELLO_INST="$(inst_kib "$hello_deb")" RUNS="$runs" \
    node -e '
const fs = require("fs"), e = process.env;
const rows = fs.readFileSync(e.RAW, "utf8").trim().split("\n").map((l) => l.split(" "));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
// Column i (1: start ms, 2: PSS KiB) of the launches of one app, in launch order.
const column = (app, i) => rows.filter((r) => r[0] === app).map((r) => Number(r[i]));
const of = (app, i) => median(column(app, i));
const line = (what, a, h, unit, goal) =>
  `| ${what} | ${a} ${unit} | ${h} ${unit} | ${(a / h).toFixed(2)}x | ${goal} |`;
// The start ratio of each round: the Telltale launch over the bare app launch after it.
const [tt, hello] = [column("telltale", 1), column("hello-app", 1)];
const perRound = median(tt.slice(0, hello.length).map((t, i) => t / hello[i]));
const out = [
  `| measure (median of ${e.RUNS} rounds) | Telltale | bare Tauri app | ratio | goal |`,
  "|---|---|---|---|---|",
  line("start to first painted page", of("telltale", 1), of("hello-app", 1), "ms", "<= 1.15x"),
  `| start, median of the per-round ratios | | | ${perRound.toFixed(2)}x | <= 1.15x |`,
  line("PSS, process tree, settled", Math.round(of("telltale", 2) / 1024), Math.round(of("hello-app", 2) / 1024), "MiB", "<= 1.15x"),
  line(".deb size", e.APP_DEB, e.HELLO_DEB, "KiB", "<= 2.5x"),
  line("installed size", e.APP_INST, e.HELLO_INST, "KiB", "-"),
].join("\n");
fs.writeFileSync("target/bench/package.md", out + "\n");
console.log(out);
'
