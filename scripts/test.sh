#!/usr/bin/env bash
# Installs what the tests need, then runs every check and test. Used by .ci/run.
# The tests run inside scripts/with-keyring.sh: a private D-Bus session with a fresh,
# unlocked gnome-keyring, so the keychain tests use the real Secret Service. Last, the
# end-to-end tests drive the real app window (scripts/e2e.sh), and the package test builds,
# installs, launches and removes the .deb (scripts/package-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# A CI run builds each crate once, so incremental data would only take disk space.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi

scripts/install-deps.sh test
scripts/build-ui.sh
(cd ui && npm test)
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
scripts/with-keyring.sh cargo test --workspace --locked
scripts/e2e.sh
# The installable app: build the .deb, install, launch, hand it a link, remove.
scripts/package-test.sh
