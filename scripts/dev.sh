#!/usr/bin/env bash
# The newcomer's first command: install what is missing, build, and run the whole
# service (embedded Postgres and Redis under ./data) on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--help" ]]; then
  echo "usage: scripts/dev.sh   (env: PORT, DATA_ROOT, and any setting from the README)"
  exit 0
fi

scripts/install-deps.sh
cargo build --locked
export PORT="${PORT:-8080}" DATA_ROOT="${DATA_ROOT:-./data}" BIND_ADDR="${BIND_ADDR:-127.0.0.1}"
echo "clawtriage: starting on http://127.0.0.1:${PORT} (data in ${DATA_ROOT}; Ctrl-C stops it cleanly)"
exec target/debug/clawtriage serve
