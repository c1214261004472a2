#!/usr/bin/env bash
# One-command deploy to Fly: validate fly.toml, `fly deploy`, pin the app to one machine
# (`fly scale count app=1`), show `fly status`. Also the rollback: `--image REF` deploys
# an image that was built before. See docs/OPERATIONS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
usage: scripts/deploy-fly.sh [--app NAME] [--image REF] [--dry-run]

Deploys the app in fly.toml to Fly (builds the Dockerfile on Fly's remote builder),
then keeps exactly one `app` machine and prints the status.

  --app NAME    Fly app (default: FLY_APP, else `app` in fly.toml)
  --image REF   deploy this existing image instead of building (rollback), e.g.
                registry.fly.io/clawtriage:deployment-01J...  (`fly releases --image`)
  --dry-run     print the commands instead of running them (also DRY_RUN=1)
  --help        this text

Needs: flyctl (`fly` or `flyctl` on PATH), logged in (`fly auth login`).
EOF
}

die() { echo "deploy-fly: error: $*" >&2; exit 1; }

DRY_RUN="${DRY_RUN:-0}"
APP="${FLY_APP:-}"
IMAGE=""
while (($#)); do
  case "$1" in
    --help | -h) usage; exit 0 ;;
    --dry-run) DRY_RUN=1 ;;
    --app) [[ $# -ge 2 && -n "$2" ]] || die "--app needs a value"; APP="$2"; shift ;;
    --image) [[ $# -ge 2 && -n "$2" ]] || die "--image needs a value"; IMAGE="$2"; shift ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

[[ -f fly.toml ]] || die "fly.toml not found in $(pwd)"
if [[ -z "$APP" ]]; then
  APP="$(sed -n 's/^app *= *"\([^"]*\)".*/\1/p' fly.toml | head -n1)"
  [[ -n "$APP" ]] || die "FLY_APP is not set and fly.toml has no app = \"...\" line"
fi

FLY=fly
if [[ "$DRY_RUN" != 1 ]]; then
  if command -v fly >/dev/null 2>&1; then FLY=fly
  elif command -v flyctl >/dev/null 2>&1; then FLY=flyctl
  else die "flyctl not found: install it (https://fly.io/docs/flyctl/install/) or use --dry-run"
  fi
fi

# Prints the command (shell-quoted, copy-pastable) in dry-run mode, runs it otherwise.
run() {
  if [[ "$DRY_RUN" == 1 ]]; then
    local out="+" arg
    for arg in "$@"; do
      if [[ "$arg" =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then out+=" $arg"
      elif [[ "$arg" != *"'"* ]]; then out+=" '$arg'"
      else out+=" $(printf %q "$arg")"
      fi
    done
    printf '%s\n' "$out"
  else
    "$@"
  fi
}

run "$FLY" auth whoami
run "$FLY" config validate --config fly.toml --app "$APP"
deploy=("$FLY" deploy --config fly.toml --app "$APP" --remote-only)
[[ -n "$IMAGE" ]] && deploy+=(--image "$IMAGE")
run "${deploy[@]}"
# The first deploy of an app with a volume can create a second machine; one is the design.
run "$FLY" scale count app=1 --app "$APP" --yes
run "$FLY" status --app "$APP"
echo "deploy-fly: done. The hourly scan machine keeps its image; after a change to" \
  "\`clawtriage trigger\` run scripts/schedule-hourly-scan.sh --replace." >&2
