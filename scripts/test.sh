#!/usr/bin/env bash
# The whole test suite: formatting, lints, every Rust test against real Postgres and
# Redis (started by the tests themselves from the system binaries), the dashboard's
# unit tests, its production build, and browser tests in headless Chromium against the
# real binary with the sample corpus scanned.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--help" ]]; then
  echo "usage: scripts/test.sh   (installs missing Postgres/Redis/Chromium, then fmt, clippy, tests)"
  exit 0
fi

EXTRA_PACKAGES="chromium ${EXTRA_PACKAGES:-}" scripts/install-deps.sh
command -v npm >/dev/null 2>&1 || { echo "error: npm not found; install Node.js 20 or later" >&2; exit 1; }

cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo test --locked --workspace

(
  cd dashboard
  npm ci --no-audit --no-fund
  npx tsc --noEmit -p .
  npm test
  npm run build
  npm run test:browser
)
