#!/usr/bin/env bash
# The whole test suite: formatting, lints, and every test against real Postgres and
# Redis (started by the tests themselves from the system binaries).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--help" ]]; then
  echo "usage: scripts/test.sh   (installs missing Postgres/Redis, then fmt, clippy, tests)"
  exit 0
fi

scripts/install-deps.sh
cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo test --locked --workspace
