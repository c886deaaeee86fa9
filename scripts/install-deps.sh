#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the Telltale workspace needs for its tests.
#
# Only packages that are missing are installed (apt-get update + apt-get install -y),
# as root or through sudo. Each area of the project has its own section; name sections
# (`install-deps.sh keyring`) or a purpose: `run` (what running the app needs), `test`
# (everything the tests need; the default), `e2e` (the end-to-end tests, scripts/e2e.sh) or
# `package` (the installed-package test, scripts/package-test.sh, and bench/package.sh).
set -euo pipefail

# Runs a command as root: directly when we are root, otherwise through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "install-deps: need root or sudo to run: $*" >&2
        exit 1
    fi
}

# Installs those of the given Debian packages that are not installed yet.
install_missing() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "install-deps: already installed: $*"
        return 0
    fi
    echo "install-deps: installing: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# The real Secret Service used by crates/telltale-keychain's tests (scripts/with-keyring.sh):
# a private D-Bus session bus (dbus-run-session, dbus-send) and gnome-keyring-daemon.
install_keyring_deps() {
    wanted+=(dbus-daemon dbus-bin gnome-keyring)
}

# The end-to-end tests (scripts/e2e.sh), besides the Tauri libraries: a virtual X display
# (xvfb-run needs xauth), the WebDriver server of WebKitGTK that tauri-driver starts,
# xwininfo (x11-utils) to see the app's native windows, xdotool to type into the native save
# dialog, and xwd (x11-apps) with netpbm to take screenshots of it.
install_e2e_deps() {
    wanted+=(xvfb xauth webkit2gtk-driver x11-utils xdotool x11-apps netpbm)
}

# The package test (scripts/package-test.sh): gtk-launch (libgtk-3-bin) starts the installed
# app from its desktop entry; xwd (x11-apps) and netpbm take the screenshot; the desktop
# entry tools (desktop-file-utils, xdg-utils) come with the Tauri section; curl probes the
# installed app's embedded demo server for test machinery that must not be there.
install_package_deps() {
    wanted+=(xvfb xauth x11-utils x11-apps netpbm libgtk-3-bin curl)
}

# Checking exported GPX against the GPX 1.1 schema: xmllint (libxml2-utils). The schema
# itself is fetched by scripts/fetch-gpx-schema.sh with apt-get download (no install).
install_data_deps() {
    wanted+=(libxml2-utils)
}

# What builds the workspace: a Rust toolchain (rustup's; Debian's cargo is too old), a C
# compiler for the crates that build C, and OpenSSL's headers for the HTTP client's TLS.
check_toolchain() {
    wanted+=(gcc pkg-config libssl-dev)
    if ! command -v cargo >/dev/null 2>&1; then
        echo "install-deps: Rust is needed: install it with rustup, then run this again." >&2
        exit 1
    fi
    ensure_pinned_toolchain
}

# The toolchain rust-toolchain.toml pins. Where rustup cannot download it (no internet), a
# stable toolchain of exactly that version is linked under the pinned name.
ensure_pinned_toolchain() {
    local file pinned stable
    file="$(dirname "$0")/../rust-toolchain.toml"
    pinned="$(sed -n 's/^channel = "\(.*\)"$/\1/p' "$file")"
    if [ -z "$pinned" ] || ! command -v rustup >/dev/null 2>&1; then
        return 0
    fi
    if rustup toolchain list | grep -q "^$pinned"; then
        return 0
    fi
    stable="$(rustup run stable rustc --version 2>/dev/null | cut -d' ' -f2 || true)"
    if [ "$stable" = "$pinned" ]; then
        echo "install-deps: linking stable ($stable) as the pinned toolchain $pinned"
        rustup toolchain link "$pinned" "$(rustup run stable rustc --print sysroot)"
    else
        rustup toolchain install "$pinned" --profile minimal -c clippy -c rustfmt
    fi
}

# What builds and runs the Tauri app on Linux: WebKitGTK 4.1, GTK 3 and friends, and
# desktop-file-utils for registering the sign-in link scheme.
install_tauri_deps() {
    wanted+=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libsoup-3.0-dev
        libayatana-appindicator3-dev desktop-file-utils xdg-utils)
}

# Node.js and npm build the UI (scripts/build-ui.sh); the machines have them, a bare Debian
# gets its own.
check_node() {
    if ! command -v npm >/dev/null 2>&1; then
        wanted+=(nodejs npm)
    fi
}

main() {
    local sections=("$@")
    if [ "${#sections[@]}" -eq 0 ]; then
        sections=(test)
    fi
    local section
    for section in "${sections[@]}"; do
        case "$section" in
            keyring) install_keyring_deps ;;
            tauri) install_tauri_deps ;;
            run) check_toolchain; check_node; install_tauri_deps ;;
            test) check_toolchain; check_node; install_tauri_deps; install_keyring_deps; install_e2e_deps; install_data_deps; install_package_deps ;;
            e2e) check_toolchain; check_node; install_tauri_deps; install_keyring_deps; install_e2e_deps; install_data_deps ;;
            package) check_toolchain; check_node; install_tauri_deps; install_keyring_deps; install_package_deps ;;
            data) install_data_deps ;;
            *)
                echo "install-deps: unknown section '$section' (known: run, test, keyring, tauri, e2e, package, data)" >&2
                exit 2
                ;;
        esac
    done
    # One apt-get run for everything the sections want.
    install_missing "${wanted[@]}"
}

# The Debian packages the chosen sections want; the sections only add to it.
wanted=()
main "$@"
