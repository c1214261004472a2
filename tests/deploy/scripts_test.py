"""Tests of the Fly scripts without Fly, run by scripts/check-deploy.sh:

- each script's --dry-run output equals tests/deploy/expected/<name>.txt (the exact fly
  commands, secrets redacted); UPDATE_EXPECTED=1 rewrites those files;
- each has `set -euo pipefail` and a --help that exits 0;
- without fly on PATH (and no dry-run) each fails with a message naming flyctl;
- a missing required variable fails with a message naming it; an unknown flag fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).with_name("expected")
failures: list[str] = []

# A fixed environment: no inherited FLY_* or tokens change the output.
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"}

CASES = {
    # name: (script, args, extra env)
    "deploy": ("deploy-fly.sh", ["--dry-run"], {}),
    "deploy-rollback": ("deploy-fly.sh", ["--dry-run", "--app", "ct-staging", "--image",
                                           "registry.fly.io/ct-staging:deployment-01ABC"], {}),
    "bootstrap": ("fly-bootstrap.sh", ["--dry-run"], {"PUBLIC_SCAN_ALLOWED_REPOS": "octo/app,octo/lib"}),
    "bootstrap-all": ("fly-bootstrap.sh", [], {
        "DRY_RUN": "1", "FLY_APP": "ct-staging", "FLY_REGION": "ams", "FLY_ORG": "acme",
        "VOLUME_SIZE_GB": "10", "PUBLIC_SCAN_ALLOWED_REPOS": "octo/app", "OPS_TRIGGER_TOKEN": "s3cret-ops",
        "DASHBOARD_TOKEN": "s3cret-dash", "GITHUB_TOKEN": "ghp_s3cret"}),
    "schedule": ("schedule-hourly-scan.sh", ["--dry-run"], {"HOURLY_SCAN_REPOS": "octo/app,octo/lib"}),
    "schedule-replace": ("schedule-hourly-scan.sh", ["--dry-run", "--replace"], {
        "HOURLY_SCAN_REPOS": "octo/app", "IMAGE": "registry.fly.io/clawtriage:deployment-01ABC",
        "CLAWTRIAGE_URL": "https://triage.example.org"}),
}

# (script, env, text the error must contain)
ERRORS = [
    ("fly-bootstrap.sh", {}, "PUBLIC_SCAN_ALLOWED_REPOS is not set"),
    ("schedule-hourly-scan.sh", {}, "HOURLY_SCAN_REPOS is not set"),
    ("schedule-hourly-scan.sh", {"HOURLY_SCAN_REPOS": "not-a-repo"}, "'not-a-repo' is not owner/repo"),
    ("fly-bootstrap.sh", {"PUBLIC_SCAN_ALLOWED_REPOS": "a/b", "VOLUME_SIZE_GB": "big"}, "VOLUME_SIZE_GB"),
]
NEEDS = {"fly-bootstrap.sh": {"PUBLIC_SCAN_ALLOWED_REPOS": "a/b"},
         "schedule-hourly-scan.sh": {"HOURLY_SCAN_REPOS": "a/b"}, "deploy-fly.sh": {}}


def check(ok: bool, what: str, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}{'' if ok else ': ' + detail}")
    if not ok:
        failures.append(what)


def run(script: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "scripts" / script), *args], env={**BASE_ENV, **env},
                          capture_output=True, text=True, timeout=30)


def main() -> int:
    with tempfile.TemporaryDirectory() as empty:
        # A PATH with the basics but certainly no fly/flyctl.
        bare = Path(empty)
        for tool in ("bash", "sed", "head", "od", "tr", "dirname", "env", "cat"):
            src = subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip()
            (bare / tool).symlink_to(src)
        for script in sorted({c[0] for c in CASES.values()}):
            text = (ROOT / "scripts" / script).read_text()
            check("set -euo pipefail" in text, f"{script}: set -euo pipefail")
            helped = run(script, ["--help"], {})
            check(helped.returncode == 0 and "usage:" in helped.stdout and "--dry-run" in helped.stdout,
                  f"{script} --help", helped.stderr)
            nofly = run(script, [], {**NEEDS[script], "PATH": str(bare)})
            check(nofly.returncode != 0 and "flyctl not found" in nofly.stderr,
                  f"{script} without fly on PATH fails naming flyctl", nofly.stderr + nofly.stdout)
            unknown = run(script, ["--dry-run", "--bogus"], NEEDS[script])
            check(unknown.returncode != 0 and "unknown argument '--bogus'" in unknown.stderr,
                  f"{script} refuses an unknown flag", unknown.stderr)
    for script, env, needle in ERRORS:
        r = run(script, ["--dry-run"], env)
        check(r.returncode != 0 and needle in r.stderr, f"{script}: missing/bad variable -> '{needle}'", r.stderr)

    for name, (script, args, env) in CASES.items():
        r = run(script, args, env)
        expected = EXPECTED / f"{name}.txt"
        if os.environ.get("UPDATE_EXPECTED") == "1" and r.returncode == 0:
            expected.write_text(r.stdout)
        want = expected.read_text() if expected.exists() else "<missing expected file>"
        check(r.returncode == 0 and r.stdout == want, f"dry-run {name} prints the expected commands",
              f"exit {r.returncode}\n--- expected\n{want}--- got\n{r.stdout}{r.stderr}")
        check("s3cret" not in r.stdout + r.stderr, f"dry-run {name} prints no secret value")
        if script == "schedule-hourly-scan.sh":
            check(" --schedule hourly --restart no " in r.stdout, f"dry-run {name}: hourly, no restarts")
        if script == "deploy-fly.sh":
            lines = [l.split(" --")[0] for l in r.stdout.splitlines()]
            order = [l for l in lines if l in ("+ fly deploy", "+ fly scale count app=1", "+ fly status")]
            check(order == ["+ fly deploy", "+ fly scale count app=1", "+ fly status"],
                  f"dry-run {name}: deploy, then scale count app=1, then status", str(lines))
    if failures:
        print(f"script tests: {len(failures)} failed", file=sys.stderr)
        return 1
    print("script tests: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
