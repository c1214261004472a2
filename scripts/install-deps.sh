#!/usr/bin/env bash
# Installs what clawtriage needs on a Debian machine and is missing: the Postgres and
# Redis server binaries (the service runs them as children), plus anything named in
# EXTRA_PACKAGES. Safe to run again: installs nothing when all is present.
set -euo pipefail

if [[ "${1:-}" == "--help" ]]; then
  echo "usage: scripts/install-deps.sh   (Debian/Ubuntu; uses apt-get, via sudo when not root)"
  exit 0
fi

have_postgres() {
  command -v postgres >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
}

packages=()
have_postgres || packages+=(postgresql)
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
# Node builds and tests the dashboard (Debian's nodejs; Node 20+ is what we test with).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
for p in ${EXTRA_PACKAGES:-}; do
  dpkg -s "$p" >/dev/null 2>&1 || packages+=("$p")
done
command -v cargo >/dev/null 2>&1 || { echo "error: cargo not found; install Rust (rustup) first" >&2; exit 1; }

if ((${#packages[@]} == 0)); then
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || {
  echo "error: missing ${packages[*]} and no apt-get; install them with your package manager" >&2
  exit 1
}
sudo=""
[[ "$(id -u)" == 0 ]] || sudo="sudo"
echo "Installing: ${packages[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
