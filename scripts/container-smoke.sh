#!/usr/bin/env bash
# Builds the Dockerfile's runtime stage for real and runs the smoke test inside it, with no
# Docker engine: a Debian bookworm base made with debootstrap and tagged as the
# `debian:bookworm-slim` the Dockerfile names, `podman build --isolation=chroot`, and
# `buildah run --isolation=chroot` (podman run does not work on these machines). The Rust
# and Node builder images cannot be pulled here, so the builder and dashboard stages are
# replaced by the binary and the dist built on the host; the runtime stage is used verbatim.
# Not in CI by default (first run ~3-5 min): CONTAINER_SMOKE=1 scripts/check-deploy.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--help" ]]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  echo "Variables: CLAWTRIAGE_BIN (default \${CARGO_TARGET_DIR:-target}/debug/clawtriage),"
  echo "  CACHE_DIR (default /var/tmp/clawtriage-container: the debootstrap base is kept there)."
  exit 0
fi
die() { echo "container-smoke: error: $*" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || die "run as root (debootstrap and chroot isolation need it)"
for tool in debootstrap podman buildah curl python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: apt-get install -y debootstrap podman buildah curl"
done
bin="${CLAWTRIAGE_BIN:-${CARGO_TARGET_DIR:-target}/debug/clawtriage}"
[[ -x "$bin" ]] || die "$bin not found: cargo build --bin clawtriage (or set CLAWTRIAGE_BIN)"
[[ -f dashboard/dist/index.html ]] || die "dashboard/dist not built: (cd dashboard && npm ci && npm run build)"

started=$(date +%s)
step() { echo "== container-smoke: $* ($(( $(date +%s) - started )) s)"; }
cache="${CACHE_DIR:-/var/tmp/clawtriage-container}"
mkdir -p "$cache"
base="$(sed -n 's/^FROM \([^ ]*\) AS runtime$/\1/p' Dockerfile)"
[[ -n "$base" ]] || die "Dockerfile has no 'FROM <image> AS runtime' stage"
suite="${base#*:}"; suite="${suite%-slim}"

step "base image $base (debootstrap $suite)"
if ! podman image exists "$base"; then
  if [[ ! -f "$cache/$suite.tar" ]]; then
    rm -rf "$cache/rootfs"
    debootstrap --variant=minbase "$suite" "$cache/rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log"
    tar -C "$cache/rootfs" -cf "$cache/$suite.tar" .
    rm -rf "$cache/rootfs"
  fi
  podman import "$cache/$suite.tar" "$base" >/dev/null
fi

step "build the runtime stage"
ctx="$(mktemp -d)"
ctr=""
runner=""
cleanup() {
  if [[ -n "$runner" ]] && kill -0 "$runner" 2>/dev/null; then
    pkill -KILL -P "$runner" 2>/dev/null || true
    kill -KILL "$runner" 2>/dev/null || true
  fi
  [[ -n "$ctr" ]] && buildah rm "$ctr" >/dev/null 2>&1
  rm -rf "$ctx"
}
trap cleanup EXIT
cp "$bin" "$ctx/clawtriage"
cp -r dashboard/dist "$ctx/dist"
{
  echo "FROM $base AS builder"
  echo "COPY clawtriage /usr/local/bin/clawtriage"
  echo "FROM $base AS dashboard"
  echo "COPY dist /src/dashboard/dist"
  sed -n '/ AS runtime$/,$p' Dockerfile
} >"$ctx/Containerfile"
image=localhost/clawtriage:smoke
podman build --isolation=chroot --pull=never -f "$ctx/Containerfile" -t "$image" "$ctx" >"$cache/build.log" 2>&1 ||
  { tail -30 "$cache/build.log"; die "podman build failed (log: $cache/build.log)"; }
echo "built $image in $(( $(date +%s) - started )) s; size $(podman image inspect -f '{{.Size}}' "$image" | numfmt --to=iec)"

step "what the supervisor looks for, inside the image"
ctr="$(buildah from --pull-never "$image")"
inside() { buildah run --isolation=chroot "$ctr" -- "$@"; }
# shellcheck disable=SC2016 # expanded inside the container
inside sh -c 'set -e
  test -x "$PG_BIN_DIR/postgres" && test -x "$PG_BIN_DIR/initdb"
  command -v redis-server; id "$EMBEDDED_RUN_AS"; command -v tini; command -v curl
  test -s /etc/ssl/certs/ca-certificates.crt
  test -f "$DASHBOARD_DIR/index.html"; echo "DATA_ROOT=$DATA_ROOT LOG_FORMAT=$LOG_FORMAT"
  clawtriage --version'

step "serve inside the container: health, users, stop on fly.toml's kill_signal"
read -r kill_signal kill_timeout < <(python3 -c '
import sys; sys.path.insert(0, "tests/deploy")
from deploylib import ROOT, load_fly, seconds
f = load_fly(ROOT / "fly.toml"); print(f.get("kill_signal", "SIGINT"), int(seconds(f.get("kill_timeout", 5))))')
port=$((20000 + RANDOM % 20000))
log="$cache/serve.log"
# Same network and PID namespaces as the host (chroot isolation, which also refuses
# `unshare`): remap the ports only; tini runs as a subreaper (-s) since it is not PID 1.
# (tests/deploy/smoke.py covers the PID-1 case on the host.)
buildah run --isolation=chroot --env "PORT=$port" --env "EMBEDDED_PG_PORT=$((port + 1))" \
  --env "EMBEDDED_REDIS_PORT=$((port + 2))" "$ctr" -- \
  /usr/bin/tini -s -- clawtriage serve >"$log" 2>&1 &
runner=$!
t0=$(date +%s.%N)
healthy=""
for _ in $(seq 900); do
  if curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then healthy=1; break; fi
  kill -0 "$runner" 2>/dev/null || break
  sleep 0.1
done
[[ -n "$healthy" ]] || { tail -30 "$log"; die "not healthy"; }
echo "first boot to health: $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s"
# shellcheck disable=SC2016
inside sh -c "PORT=$port; "'curl -fsS --max-time 4 "http://127.0.0.1:${PORT}/api/health"' && echo " (the image's HEALTHCHECK command)"
tini_pid=""
for p in $(pgrep -x tini); do
  if tr '\0' '\n' <"/proc/$p/environ" | grep -qx "PORT=$port"; then tini_pid=$p; fi
done
[[ -n "$tini_pid" ]] || die "tini not found among the container's processes"
users="$(ps -o user=,comm= --ppid "$(pgrep -P "$tini_pid")" | sort -u | tr '\n' ' ')"
echo "children of the supervisor (user command): $users"
if ! grep -q "postgres  *postgres" <<<"$users" || ! grep -q "postgres  *redis-server" <<<"$users"; then
  die "Postgres and Redis are not both running as postgres: $users"
fi
t0=$(date +%s.%N)
kill -s "${kill_signal#SIG}" "$tini_pid"
for _ in $(seq $((kill_timeout * 10))); do kill -0 "$runner" 2>/dev/null || break; sleep 0.1; done
kill -0 "$runner" 2>/dev/null && die "still running ${kill_timeout}s after $kill_signal"
status=0; wait "$runner" || status=$?
echo "stop on $kill_signal: $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s, exit $status"
[[ "$status" == 0 ]] || { tail -20 "$log"; die "exit status $status"; }
grep -q "Stopped cleanly" "$log" || die "no 'Stopped cleanly' in $log"
step "passed"
