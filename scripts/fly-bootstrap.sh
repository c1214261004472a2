#!/usr/bin/env bash
# One-time Fly setup: the app, the `data` volume in the primary region, and the secrets.
# Run once before the first scripts/deploy-fly.sh. See docs/OPERATIONS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
usage: PUBLIC_SCAN_ALLOWED_REPOS=owner/repo[,owner/repo] scripts/fly-bootstrap.sh [--dry-run]

Creates the Fly app, its `data` volume and its secrets. Variables:

  PUBLIC_SCAN_ALLOWED_REPOS  required: repositories the trigger may scan
  FLY_APP                    app name (default: `app` in fly.toml)
  FLY_REGION                 volume region (default: `primary_region` in fly.toml)
  FLY_ORG                    organization for `fly apps create` (default: your personal one)
  VOLUME_SIZE_GB             volume size (default 3; grow later with `fly volumes extend`)
  OPS_TRIGGER_TOKEN          trigger token (default: generated and printed once)
  DASHBOARD_TOKEN            dashboard token (default: generated and printed once)
  GITHUB_TOKEN               optional, raises GitHub's rate limit from 60 to 5000 requests/h

Secrets go to `fly secrets import` on stdin (never on a command line) and are staged:
they take effect at the first deploy.

  --dry-run  print the commands instead of running them, secrets redacted (also DRY_RUN=1)
  --help     this text
EOF
}

die() { echo "fly-bootstrap: error: $*" >&2; exit 1; }

DRY_RUN="${DRY_RUN:-0}"
while (($#)); do
  case "$1" in
    --help | -h) usage; exit 0 ;;
    --dry-run) DRY_RUN=1 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

[[ -f fly.toml ]] || die "fly.toml not found in $(pwd)"
toml_value() { sed -n "s/^$1 *= *\"\\([^\"]*\\)\".*/\\1/p" fly.toml | head -n1; }
APP="${FLY_APP:-$(toml_value app)}"
REGION="${FLY_REGION:-$(toml_value primary_region)}"
SIZE="${VOLUME_SIZE_GB:-3}"
[[ -n "$APP" ]] || die "FLY_APP is not set and fly.toml has no app line"
[[ -n "$REGION" ]] || die "FLY_REGION is not set and fly.toml has no primary_region line"
[[ "$SIZE" =~ ^[1-9][0-9]*$ ]] || die "VOLUME_SIZE_GB must be a whole number of GB, got '$SIZE'"
[[ -n "${PUBLIC_SCAN_ALLOWED_REPOS:-}" ]] ||
  die "PUBLIC_SCAN_ALLOWED_REPOS is not set: name the repositories the trigger may scan (owner/repo,owner/repo)"

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

# 32 random bytes as hex.
new_token() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
generated=()
if [[ -z "${OPS_TRIGGER_TOKEN:-}" ]]; then
  if [[ "$DRY_RUN" == 1 ]]; then OPS_TRIGGER_TOKEN=generated; else OPS_TRIGGER_TOKEN="$(new_token)"; fi
  generated+=(OPS_TRIGGER_TOKEN)
fi
if [[ -z "${DASHBOARD_TOKEN:-}" ]]; then
  if [[ "$DRY_RUN" == 1 ]]; then DASHBOARD_TOKEN=generated; else DASHBOARD_TOKEN="$(new_token)"; fi
  generated+=(DASHBOARD_TOKEN)
fi
secrets=(
  "OPS_TRIGGER_TOKEN=$OPS_TRIGGER_TOKEN"
  "DASHBOARD_TOKEN=$DASHBOARD_TOKEN"
  "PUBLIC_SCAN_ALLOWED_REPOS=$PUBLIC_SCAN_ALLOWED_REPOS"
)
if [[ -n "${GITHUB_TOKEN:-}" ]]; then
  secrets+=("GITHUB_TOKEN=$GITHUB_TOKEN")
else
  echo "fly-bootstrap: note: GITHUB_TOKEN not set; scans use GitHub's anonymous limit (60 requests/h)" >&2
fi

create=("$FLY" apps create "$APP")
[[ -n "${FLY_ORG:-}" ]] && create+=(--org "$FLY_ORG")
run "${create[@]}"
run "$FLY" volumes create data --app "$APP" --region "$REGION" --size "$SIZE" \
  --snapshot-retention 7 --yes
if [[ "$DRY_RUN" == 1 ]]; then
  echo "+ $FLY secrets import --app $APP --stage   # stdin, one NAME=VALUE per line:"
  for s in "${secrets[@]}"; do
    name="${s%%=*}"
    [[ "$name" == PUBLIC_SCAN_ALLOWED_REPOS ]] && echo "    $s" || echo "    $name=<redacted>"
  done
else
  printf '%s\n' "${secrets[@]}" | "$FLY" secrets import --app "$APP" --stage
fi

if ((${#generated[@]})) && [[ "$DRY_RUN" != 1 ]]; then
  echo "Generated tokens (shown once; Fly cannot show them again -- keep them in your password manager):"
  for name in "${generated[@]}"; do echo "  $name=${!name}"; done
fi
echo "fly-bootstrap: next: scripts/deploy-fly.sh, then scripts/schedule-hourly-scan.sh" >&2
