#!/usr/bin/env bash
# Runs a command against a real, private, unlocked Secret Service.
#
#   scripts/with-keyring.sh cargo test -p telltale-keychain
#
# The command runs inside its own D-Bus session bus (dbus-run-session) where a fresh
# gnome-keyring-daemon (secrets component only) owns org.freedesktop.secrets. The bus has no
# service directories, so nothing can be auto-started against the user's real keyring; the
# daemon keeps its keyrings in a temporary directory that is removed afterwards. Its `login`
# collection is created unlocked with a throwaway password and is the `default` alias, so
# items can be stored without a prompt. TELLTALE_REQUIRE_KEYRING=1 is exported so tests fail
# loudly if the store turns out to be unusable.
#
# Needs: dbus-run-session, dbus-send, gnome-keyring-daemon (scripts/install-deps.sh keyring).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

# ---------------------------------------------------------------------------------------
# Outer pass: make a scratch directory and a bus configuration, then re-run this script
# inside a new private session bus.
# ---------------------------------------------------------------------------------------
if [ -z "${TELLTALE_KEYRING_SCRATCH:-}" ]; then
    for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "with-keyring: '$tool' is missing; run scripts/install-deps.sh keyring" >&2
            exit 1
        fi
    done

    scratch="$(mktemp -d "${TMPDIR:-/tmp}/telltale-keyring.XXXXXX")"
    trap 'rm -rf "$scratch"' EXIT
    mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
    chmod 700 "$scratch" "$scratch/runtime"

    # A session bus like the standard one, minus service activation.
    cat >"$scratch/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$scratch/runtime</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

    set +e
    # dbus-daemon warns about the fd limit when run as root in a container; that is harmless.
    dbus-run-session --config-file="$scratch/bus.conf" -- \
        env TELLTALE_KEYRING_SCRATCH="$scratch" "$0" "$@" \
        2> >(grep -v --line-buffered 'Failed to set fd limit' >&2)
    status=$?
    set -e
    exit "$status"
fi

# ---------------------------------------------------------------------------------------
# Inner pass: inside the private bus; start the keyring daemon, wait for it, run CMD.
# ---------------------------------------------------------------------------------------
scratch="$TELLTALE_KEYRING_SCRATCH"
unset TELLTALE_KEYRING_SCRATCH
supervisor_pid=""

# Runs gnome-keyring-daemon and, should it die while the command runs, reports that with its
# log and starts it again on the same keyring files, as a desktop session's service manager
# would. The login keyring is unlocked again with the same password, so saved items survive.
# (gnome-keyring has crashed once in CI with SIGTRAP between two test binaries and could not
# be made to crash here since; without a restart every later test failed on a missing
# service.) The daemon's pid is kept in $scratch/daemon.pid.
supervise_daemon() {
    local started=0 pid status
    while :; do
        printf '%s' "telltale-throwaway-keyring-password" |
            HOME="$scratch/home" \
            XDG_DATA_HOME="$scratch/data" \
            XDG_CONFIG_HOME="$scratch/config" \
            XDG_CACHE_HOME="$scratch/cache" \
            XDG_RUNTIME_DIR="$scratch/runtime" \
            gnome-keyring-daemon --foreground --unlock --components=secrets \
            >>"$scratch/daemon.log" 2>&1 &
        pid=$!
        echo "$pid" >"$scratch/daemon.pid"
        started=$((started + 1))
        status=0
        wait "$pid" || status=$?
        if [ -e "$scratch/stopping" ]; then
            return 0
        fi
        echo "with-keyring: gnome-keyring-daemon (start $started) exited with status $status;" \
            "restarting it. Its log so far:" >&2
        sed 's/^/with-keyring:   /' "$scratch/daemon.log" >&2 || true
        if [ "$started" -ge 5 ]; then
            echo "with-keyring: gave up after $started starts" >&2
            return 1
        fi
        sleep 0.2
    done
}

stop_daemon() {
    touch "$scratch/stopping"
    if [ -s "$scratch/daemon.pid" ]; then
        kill "$(cat "$scratch/daemon.pid")" 2>/dev/null || true
    fi
    if [ -n "$supervisor_pid" ]; then
        wait "$supervisor_pid" 2>/dev/null || true
    fi
}
trap stop_daemon EXIT

# Only the daemon sees the temporary HOME/XDG directories; the command keeps the caller's
# HOME so cargo and rustup still find their toolchains and caches.
supervise_daemon &
supervisor_pid=$!

# Wait (at most ~10 s) until the daemon owns the name and `default` is the login collection.
ready=""
for _ in $(seq 1 100); do
    if ! kill -0 "$supervisor_pid" 2>/dev/null; then
        break
    fi
    if owner="$(dbus-send --session --print-reply --dest=org.freedesktop.DBus \
        /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
        string:org.freedesktop.secrets 2>/dev/null)" &&
        grep -q 'boolean true' <<<"$owner" &&
        alias_reply="$(dbus-send --session --print-reply --reply-timeout=2000 \
            --dest=org.freedesktop.secrets /org/freedesktop/secrets \
            org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null)" &&
        grep -q '/org/freedesktop/secrets/collection/login' <<<"$alias_reply"; then
        ready=1
        break
    fi
    sleep 0.1
done

if [ -z "$ready" ]; then
    echo "with-keyring: gnome-keyring-daemon did not provide an unlocked login collection" >&2
    cat "$scratch/daemon.log" >&2 || true
    exit 1
fi

export TELLTALE_REQUIRE_KEYRING=1
set +e
"$@"
status=$?
set -e
exit "$status"
