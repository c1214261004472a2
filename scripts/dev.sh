#!/usr/bin/env bash
# The newcomer's first command: install what is missing, build the binary and the
# dashboard, and run the whole service (embedded Postgres and Redis under ./data) on
# http://127.0.0.1:8080 against a local fake GitHub serving the sample corpus, which is
# scanned once at start-up: an offline demo with real duplicate sets.
#
# DEMO=0 skips the fake GitHub and the scan (GITHUB_API_URL/GITHUB_TOKEN then apply).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--help" ]]; then
  echo "usage: scripts/dev.sh   (env: PORT, DATA_ROOT, DEMO=0, and any setting from the README)"
  exit 0
fi

scripts/install-deps.sh
cargo build --locked
bin="${CARGO_TARGET_DIR:-target}/debug/clawtriage"
if command -v npm >/dev/null 2>&1; then
  (cd dashboard && npm ci --no-audit --no-fund --silent && npm run build --silent >/dev/null)
else
  echo "note: npm not found, the dashboard is not built (the API still runs)" >&2
fi

export PORT="${PORT:-8080}" DATA_ROOT="${DATA_ROOT:-./data}" BIND_ADDR="${BIND_ADDR:-127.0.0.1}"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if [[ "${DEMO:-1}" != 0 ]]; then
  github_port="${FAKE_GITHUB_PORT:-8081}"
  "$bin" fake-github --corpus corpus --port "$github_port" &
  pids+=($!)
  export GITHUB_API_URL="http://127.0.0.1:${github_port}"
  export OPS_TRIGGER_TOKEN="${OPS_TRIGGER_TOKEN:-dev-ops-token}"
  export PUBLIC_SCAN_ALLOWED_REPOS="${PUBLIC_SCAN_ALLOWED_REPOS:-acme/webapp}"
  # The corpus is dated 2024: index its merged PRs so "already landed" shows.
  export LANDED_WINDOW_DAYS="${LANDED_WINDOW_DAYS:-3650}"
  # Scan the demo repository once the server answers.
  (
    for _ in $(seq 1 120); do
      (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null && break
      sleep 0.5
    done
    "$bin" trigger --url "http://127.0.0.1:${PORT}" --owner acme --repo webapp --snapshot "demo-$(date +%Y%m%d)" \
      || echo "demo: the scan trigger failed; see the log above" >&2
    echo "demo: open http://127.0.0.1:${PORT}/ to see the duplicate sets"
  ) &
  pids+=($!)
fi

echo "clawtriage: starting on http://127.0.0.1:${PORT} (data in ${DATA_ROOT}; Ctrl-C stops it cleanly)"
"$bin" serve
