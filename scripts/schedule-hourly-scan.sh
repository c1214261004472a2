#!/usr/bin/env bash
# Creates the Fly scheduled machine that asks the app to scan every hour. It runs the app's
# own image with `clawtriage trigger` and a per-hour snapshot (`hourly-YYYY-MM-DDTHH`), so
# a second run in the same hour enqueues nothing. See docs/OPERATIONS.md.
#
# Fly facts this relies on: scheduled machines get the app's secrets (OPS_TRIGGER_TOKEN),
# `fly deploy`/`fly scale` ignore them (so they keep their image: use --replace after a
# deploy that changes `clawtriage trigger`), and they restart on failure unless told not
# to -- `--restart no`, so a failing trigger is not fired again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
usage: HOURLY_SCAN_REPOS=owner/repo[,owner/repo] scripts/schedule-hourly-scan.sh [--replace] [--dry-run]

  HOURLY_SCAN_REPOS  required: repositories to scan every hour (each must also be in
                     PUBLIC_SCAN_ALLOWED_REPOS on the server)
  FLY_APP            app name (default: `app` in fly.toml)
  FLY_REGION         region of the scheduled machine (default: `primary_region` in fly.toml)
  CLAWTRIAGE_URL     where to send the trigger (default: https://$FLY_APP.fly.dev)
  IMAGE              image to run (default: the image of the app's `app` machine; needs jq)
  MACHINE_NAME       name of the scheduled machine (default: hourly-scan)

  --replace       destroy the existing machine of that name first (after a deploy)
  --print-caller  print the sh script the machine runs, and exit (tests run it locally)
  --dry-run       print the commands instead of running them (also DRY_RUN=1)
  --help          this text
EOF
}

die() { echo "schedule-hourly-scan: error: $*" >&2; exit 1; }

DRY_RUN="${DRY_RUN:-0}"
REPLACE=0
PRINT_CALLER=0
while (($#)); do
  case "$1" in
    --help | -h) usage; exit 0 ;;
    --dry-run) DRY_RUN=1 ;;
    --replace) REPLACE=1 ;;
    --print-caller) PRINT_CALLER=1 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

# Runs on the scheduled machine (Debian's sh; the image's tini stays the entrypoint).
# OPS_TRIGGER_TOKEN comes from the app's secrets. One snapshot per UTC hour.
# shellcheck disable=SC2016 # expanded on the machine, not here
caller='snapshot="hourly-$(date -u +%Y-%m-%dT%H)"; status=0; IFS=,; for r in $HOURLY_SCAN_REPOS; do clawtriage trigger --url "$CLAWTRIAGE_URL" --owner "${r%%/*}" --repo "${r#*/}" --snapshot "$snapshot" || status=1; done; exit $status'
if [[ "$PRINT_CALLER" == 1 ]]; then
  printf '%s\n' "$caller"
  exit 0
fi

[[ -f fly.toml ]] || die "fly.toml not found in $(pwd)"
toml_value() { sed -n "s/^$1 *= *\"\\([^\"]*\\)\".*/\\1/p" fly.toml | head -n1; }
APP="${FLY_APP:-$(toml_value app)}"
REGION="${FLY_REGION:-$(toml_value primary_region)}"
NAME="${MACHINE_NAME:-hourly-scan}"
[[ -n "$APP" ]] || die "FLY_APP is not set and fly.toml has no app line"
[[ -n "$REGION" ]] || die "FLY_REGION is not set and fly.toml has no primary_region line"
REPOS="${HOURLY_SCAN_REPOS:-}"
[[ -n "$REPOS" ]] || die "HOURLY_SCAN_REPOS is not set: name the repositories to scan (owner/repo,owner/repo)"
IFS=, read -r -a repo_list <<<"$REPOS"
for r in "${repo_list[@]}"; do
  [[ "$r" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || die "HOURLY_SCAN_REPOS: '$r' is not owner/repo"
done
URL="${CLAWTRIAGE_URL:-https://$APP.fly.dev}"

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

# The image of the running app machine, so the caller speaks the server's trigger API.
image="${IMAGE:-}"
if [[ -z "$image" ]]; then
  query='[.[] | select(.config.metadata.fly_process_group == "app")] | first | .config.image // empty'
  if [[ "$DRY_RUN" == 1 ]]; then
    echo "+ $FLY machine list --app $APP --json | jq -r '$query'"
    image='<image of the app machine>'
  else
    command -v jq >/dev/null 2>&1 || die "jq not found: install it or set IMAGE"
    image="$("$FLY" machine list --app "$APP" --json | jq -r "$query")"
    [[ -n "$image" ]] || die "no \`app\` machine found in $APP: deploy first (scripts/deploy-fly.sh) or set IMAGE"
  fi
fi

if [[ "$REPLACE" == 1 ]]; then
  if [[ "$DRY_RUN" == 1 ]]; then
    echo "+ $FLY machine list --app $APP --json | jq -r '.[] | select(.name == \"$NAME\") | .id'"
    echo "+ $FLY machine destroy <id> --app $APP --force   # for each id found"
  else
    command -v jq >/dev/null 2>&1 || die "jq not found: install it to use --replace"
    ids="$("$FLY" machine list --app "$APP" --json | jq -r --arg n "$NAME" '.[] | select(.name == $n) | .id')"
    for id in $ids; do
      run "$FLY" machine destroy "$id" --app "$APP" --force
    done
  fi
fi


run "$FLY" machine run "$image" \
  --app "$APP" \
  --name "$NAME" \
  --region "$REGION" \
  --schedule hourly \
  --restart no \
  --vm-size shared-cpu-1x \
  --vm-memory 256 \
  --env "CLAWTRIAGE_URL=$URL" \
  --env "HOURLY_SCAN_REPOS=$REPOS" \
  --env LOG_FORMAT=json \
  --metadata role=hourly-scan \
  -- sh -c "$caller"
