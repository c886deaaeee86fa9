#!/usr/bin/env bash
# Tests the installable app the way a user gets it (issue 6): builds the .deb
# (scripts/package.sh), installs it with apt-get, validates its desktop entry, checks that
# the desktop names it the handler of the io.telltale.app: scheme, starts it from its desktop
# entry (gtk-launch) on a virtual X display and sees its window (a screenshot), sends it a
# sign-in link with xdg-open and sees the running instance receive and refuse it (no sign-in
# is waiting) with no second instance left running, then removes the package and checks its
# files are gone.
#
# Needs root (or sudo) for apt-get; CI runs it as root on Debian 12 (scripts/test.sh).
# Screenshot and the app's log: target/tmp/package-test/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scheme="io.telltale.app"
package="telltale"
out="$root/target/tmp/package-test"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
fail() {
    echo "package-test: FAILED: $*" >&2
    exit 1
}

# ---------------------------------------------------------------------------------------
# Inner pass: on the virtual display (xvfb-run) inside a private D-Bus session with an
# unlocked keyring (scripts/with-keyring.sh). Starts the installed app and talks to it.
# ---------------------------------------------------------------------------------------
if [ "${1:-}" = "--inside" ]; then
    entry_id="$2"
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/telltale-pkgtest.XXXXXX")"
    mkdir -p "$scratch/home" "$scratch/config" "$scratch/data" "$scratch/cache" "$scratch/runtime"
    chmod 700 "$scratch/runtime"
    # A fresh user: no configuration (so the offline demo), no accounts, no desktop
    # preferences overriding the system's scheme handler. The marker finds our processes.
    marker="TELLTALE_PACKAGE_TEST=$$"
    export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
    export XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"
    export RUST_LOG=info NO_COLOR=1 "$marker"
    log="$out/app.log"
    : >"$log"

    # The installed app's processes started by this test (found by the marker in their
    # environment, so nothing else named telltale on the machine is counted).
    our_pids() {
        local pid
        for pid in $(pgrep -x telltale || true); do
            if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/bin/telltale ] &&
                tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "$marker"; then
                echo "$pid"
            fi
        done
    }
    stop_app() {
        local pid
        for pid in $(our_pids); do kill "$pid" 2>/dev/null || true; done
        for _ in $(seq 1 50); do
            [ -z "$(our_pids)" ] && break
            sleep 0.1
        done
        for pid in $(our_pids); do kill -9 "$pid" 2>/dev/null || true; done
        rm -rf "$scratch"
    }
    trap stop_app EXIT
    # Waits up to $1 seconds for the command in the other arguments to succeed.
    wait_for() {
        local seconds="$1"
        shift
        for _ in $(seq 1 $((seconds * 10))); do
            if "$@"; then return 0; fi
            sleep 0.1
        done
        return 1
    }
    window_viewable() {
        xwininfo -name Telltale 2>/dev/null | grep -q 'Map State: IsViewable'
    }
    log_says() { grep -q "$1" "$log"; }

    echo "package-test: gtk-launch $entry_id"
    gtk-launch "$entry_id" 2>>"$log" || fail "gtk-launch $entry_id failed"
    wait_for 60 window_viewable || { cat "$log" >&2; fail "no window titled Telltale appeared"; }
    first="$(our_pids)"
    [ "$(wc -w <<<"$first")" -eq 1 ] || fail "expected one app process, found: ${first:-none}"
    echo "package-test: the window is up (process $first)"
    sleep 2 # let the page paint before the screenshot
    xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$out/window.png" ||
        fail "could not take a screenshot"
    echo "package-test: screenshot $out/window.png"

    link="$scheme:/oauth/callback?code=x&state=y"
    echo "package-test: xdg-open '$link'"
    xdg-open "$link" 2>>"$log" || fail "xdg-open could not hand the link to the app"
    wait_for 30 log_says "a sign-in link arrived from the system" ||
        { cat "$log" >&2; fail "the running app never received the link"; }
    wait_for 30 log_says "ignored a sign-in link" ||
        { cat "$log" >&2; fail "the running app did not refuse the link"; }
    echo "package-test: the running app received the link and refused it"
    # The second launch (the link's) hands over and exits; only the first stays.
    only_first() { [ "$(our_pids)" = "$first" ]; }
    wait_for 15 only_first ||
        fail "other app processes stay running: $(our_pids | tr '\n' ' ')"
    sleep 1
    [ "$(our_pids)" = "$first" ] || fail "app processes now: $(our_pids | tr '\n' ' ') (expected $first)"
    window_viewable || fail "the window went away after the link"
    echo "package-test: one instance running, window still up"

    # The embedded demo server is built without igtimi-sim's `testing` feature: no admin
    # endpoints, no fault injection, no hostile page, and it refuses foreign Host headers.
    command -v curl >/dev/null || fail "curl is needed to probe the demo server"
    demo_base() {
        grep 'simulator started in-process' "$log" | grep -oE 'http://127\.0\.0\.1:[0-9]+' | tail -1
    }
    wait_for 30 demo_base >/dev/null || true
    base="$(demo_base || true)"
    if [ -z "$base" ] && command -v ss >/dev/null; then
        # No log line: the one loopback port the app process listens on.
        ports="$(ss -ltnpH src 127.0.0.1 | grep "pid=$first," | awk '{print $4}' | sed 's/.*://' | sort -u || true)"
        [ "$(wc -w <<<"$ports")" -eq 1 ] && base="http://127.0.0.1:$ports"
    fi
    [ -n "$base" ] || { cat "$log" >&2; fail "could not learn the demo server's port (log or ss)"; }
    echo "package-test: the demo server is $base"
    # The status code a request gets, 000 when none came.
    status_of() {
        local code
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@")" || true
        echo "${code:-000}"
    }
    reached="$(status_of "$base/oauth/authorize")"
    [ "$reached" != 404 ] && [ "$reached" != 000 ] ||
        fail "$base/oauth/authorize answered $reached: the probe did not reach the demo server"
    for path in /__admin/faults /__admin/demo /__admin/secrets /__admin/tokens/expire_all; do
        got="$(status_of "$base$path")"
        [ "$got" = 404 ] || fail "GET $base$path answered $got, expected 404 (admin is in the app)"
    done
    got="$(status_of -X POST -H 'Content-Type: application/json' -d '"reset"' "$base/__admin/faults")"
    [ "$got" = 404 ] || fail "POST $base/__admin/faults answered $got, expected 404 (faults are in the app)"
    port="${base##*:}"
    got="$(status_of -H "Host: evil.example:$port" "$base/oauth/authorize")"
    [ "$got" = 421 ] || fail "GET /oauth/authorize with Host evil.example:$port answered $got, expected 421"
    echo "package-test: demo server: /oauth/authorize $reached, admin paths 404, foreign Host 421"
    # The hostile page has no path of its own (it is the sign-in form with a script), so its
    # absence shows in the binary: none of its markup, nor the admin routes or fault bodies.
    grep -qaF 'is not this server' /usr/bin/telltale ||
        fail "/usr/bin/telltale lacks the demo server's own text; the string check below would prove nothing"
    for marker in 'hostile-results' 'Hostile page: starting' '/__admin/faults' 'Fault injected by the simulator'; do
        ! grep -qaF "$marker" /usr/bin/telltale || fail "/usr/bin/telltale contains '$marker' (test machinery)"
    done
    echo "package-test: the binary holds no hostile page, admin routes or fault injection"
    exit 0
fi

# ---------------------------------------------------------------------------------------
# Outer pass: build, install, check the entry, run the inner pass, remove.
# ---------------------------------------------------------------------------------------
scripts/install-deps.sh package
mkdir -p "$out"
rm -f "$out"/*.png "$out"/*.log

scripts/package.sh deb
deb="$(find target/release/bundle/deb -maxdepth 1 -name '*.deb' -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2-)"
[ -n "$deb" ] || fail "no .deb under target/release/bundle/deb"
echo "package-test: installing $deb"
dpkg-deb -I "$deb"

if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    as_root apt-get remove -y "$package"
fi
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$root/$deb"
dpkg-query -L "$package" >"$out/files.txt"
trap 'dpkg-query -W "$package" >/dev/null 2>&1 && as_root apt-get remove -y "$package" >/dev/null 2>&1 || true' EXIT

[ -x /usr/bin/telltale ] || fail "/usr/bin/telltale is not installed"

# Depends is complete: each shared library the binary loads belongs to a package it depends
# on, directly or through those packages' own dependencies.
depends="$(dpkg-query -W -f='${Depends}' "$package" | tr ',|' '\n\n' | sed 's/(.*)//; s/ //g')"
# shellcheck disable=SC2086 # one package name per word
closure="$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances $depends | grep -v '^ ' | sort -u)"
for lib in $(objdump -p /usr/bin/telltale | awk '$1 == "NEEDED" {print $2}'); do
    owner="$(dpkg -S "*/$lib" 2>/dev/null | head -1 | cut -d: -f1)"
    [ -n "$owner" ] || fail "no installed package provides $lib"
    grep -qx "$owner" <<<"$closure" ||
        fail "the binary needs $lib from $owner, which Depends ($depends) does not bring"
done
echo "package-test: Depends brings every library the binary loads"
# The stylesheet's colours are light-dark() pairs, which WebKitGTK has from 2.44 on.
dpkg-query -W -f='${Depends}' "$package" | grep -qF 'libwebkit2gtk-4.1-0 (>= 2.44)' ||
    fail "Depends does not ask for WebKitGTK 2.44 or later (the stylesheet's light-dark())"
entry="$(grep -E '^/usr/share/applications/[^/]+\.desktop$' "$out/files.txt" | head -1)"
[ -n "$entry" ] || fail "the package has no desktop entry"
entry_id="$(basename "$entry" .desktop)"
desktop-file-validate "$entry" || fail "$entry is not a valid desktop entry"
grep -qx 'Exec=telltale %u' "$entry" || fail "$entry: Exec does not pass the link (%u)"
grep -qx "MimeType=x-scheme-handler/$scheme;" "$entry" || fail "$entry: no MimeType for $scheme"
grep -q '^/usr/share/icons/hicolor/.*/apps/telltale.png$' "$out/files.txt" ||
    fail "the package has no hicolor icons"
echo "package-test: $entry is valid"

handler="$(env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent XDG_DATA_HOME=/nonexistent \
    xdg-mime query default "x-scheme-handler/$scheme")"
[ "$handler" = "$entry_id.desktop" ] ||
    fail "xdg-mime names '$handler' as the $scheme handler, expected $entry_id.desktop"
echo "package-test: xdg-mime: the $scheme handler is $handler"

xvfb-run -a -s "-screen 0 1280x900x24" scripts/with-keyring.sh "$0" --inside "$entry_id"

as_root apt-get remove -y "$package"
trap - EXIT
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    fail "$package is still installed"
fi
left=()
while IFS= read -r path; do
    if [ -f "$path" ] || [ -L "$path" ]; then left+=("$path"); fi
done <"$out/files.txt"
[ "${#left[@]}" -eq 0 ] || fail "files left after removal: ${left[*]}"
handler="$(env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent XDG_DATA_HOME=/nonexistent \
    xdg-mime query default "x-scheme-handler/$scheme" || true)"
[ -z "$handler" ] || fail "after removal xdg-mime still names '$handler' for $scheme"
echo "package-test: removed cleanly; all passed"
