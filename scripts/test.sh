#!/usr/bin/env bash
# Installs what the tests need, then runs every check and test. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
