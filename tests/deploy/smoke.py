"""Container-like smoke test of the image's command, run by scripts/check-deploy.sh.

Runs the binary the way the image runs it: as root, the runtime stage's ENTRYPOINT + CMD
and ENV read from the Dockerfile (DATA_ROOT on a fresh directory, ports remapped to free
ones), as PID 1 of a new PID namespace (`unshare --pid --fork`, like a container), plus the
secrets Fly would inject. Then:

1. first boot (initdb) reaches GET <health path from fly.toml> within its grace period;
   the supervisor runs as root, Postgres and Redis as an unprivileged user; logs are JSON;
2. the hourly scheduled machine's command (scripts/schedule-hourly-scan.sh --print-caller)
   enqueues a scan once per hour: a second run in the same hour enqueues nothing;
3. the kill_signal from fly.toml stops everything with exit 0 within kill_timeout;
4. a second boot (warm) is healthy again; a `kill -9` of Redis makes the main process exit
   non-zero (on Fly, that is what restarts the machine).

usage: smoke.py BINARY
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from deploylib import ROOT, load_fly, parse_dockerfile, seconds

TOKEN = "smoke-trigger-token"
REPO = "octo/smoke"


def fail(msg: str, log: Path | None = None) -> None:
    print(f"FAIL {msg}", file=sys.stderr)
    if log and log.exists():
        print("---- last log lines ----", file=sys.stderr)
        print("\n".join(log.read_text(errors="replace").splitlines()[-40:]), file=sys.stderr)
    sys.exit(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def tree(pid: int) -> list[int]:
    result, todo = [], [pid]
    while todo:
        p = todo.pop()
        result.append(p)
        todo += children(p)
    return result


def proc_info(pid: int) -> tuple[str, int] | None:
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
        uid = int(re.search(r"^Uid:\s+(\d+)", Path(f"/proc/{pid}/status").read_text(), re.M).group(1))
        return comm, uid
    except (OSError, AttributeError):
        return None


def pss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            m = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
            total += int(m.group(1)) if m else 0
        except OSError:
            pass
    return total


def health(port: int, path: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
            return json.loads(r.read()) if r.status == 200 else None
    except (OSError, ValueError):
        return None


class Boot:
    """One run of the image's command."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path):
        self.log = log
        self.started = time.monotonic()
        self.out = log.open("ab")
        self.proc = subprocess.Popen(argv, env=env, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def main_pid(self) -> int:
        """The process Fly signals: the image's PID 1 (tini), child of `unshare --fork`."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            kids = children(self.proc.pid)
            if kids:
                return kids[0]
            time.sleep(0.02)
        fail("the image's entrypoint did not start", self.log)
        return -1

    def wait_healthy(self, port: int, path: str, limit: float) -> float:
        while time.monotonic() - self.started < limit:
            if self.proc.poll() is not None:
                fail(f"the main process exited ({self.proc.returncode}) before it was healthy", self.log)
            body = health(port, path)
            if body and body.get("ok") is True:
                return time.monotonic() - self.started
            time.sleep(0.1)
        fail(f"not healthy within the grace period ({limit:.0f} s)", self.log)
        return -1

    def wait_exit(self, limit: float) -> tuple[int, float]:
        t0 = time.monotonic()
        try:
            code = self.proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            fail(f"still running {limit:.0f} s after the stop signal (kill_timeout)", self.log)
        self.out.close()
        return code, time.monotonic() - t0


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = Path(sys.argv[1]).resolve()
    if not binary.is_file():
        fail(f"{binary} not found: build it first (cargo build)")
    if os.geteuid() != 0:
        fail("run as root: the image runs the supervisor as root, and privilege dropping is the point")

    fly = load_fly(ROOT / "fly.toml")
    runtime = parse_dockerfile(ROOT / "Dockerfile")[-1]
    image_env = runtime.env()
    command = runtime.exec_form("ENTRYPOINT") + runtime.exec_form("CMD")
    if fly.get("processes", {}).get("app"):
        command = runtime.exec_form("ENTRYPOINT") + fly["processes"]["app"].split()
    kill_signal = fly.get("kill_signal", "SIGINT")
    kill_timeout = seconds(fly.get("kill_timeout", 5))
    check = fly["http_service"]["checks"][0]
    health_path, grace = check["path"], seconds(check["grace_period"])
    print(f"image command: {command}; kill_signal {kill_signal}, kill_timeout {kill_timeout:.0f} s; "
          f"health {health_path}, grace {grace:.0f} s")
    if not Path(command[0]).is_file():
        fail(f"{command[0]} (the image's entrypoint) is not installed here: apt-get install tini")

    work = Path(tempfile.mkdtemp(prefix="clawtriage-smoke-"))
    work.chmod(0o755)  # like `/`, the parent of /data in the image
    bindir = work / "bin"
    bindir.mkdir()
    (bindir / "clawtriage").symlink_to(binary)
    data_root = work / "data"  # fresh, like a new volume: the supervisor creates it
    dashboard = ROOT / "dashboard" / "dist"
    if not (dashboard / "index.html").is_file():
        dashboard = work / "dist"
        dashboard.mkdir()
        (dashboard / "index.html").write_text("<!doctype html><title>smoke</title>")
    port = free_port()
    env = dict(image_env)
    remapped = {
        "PATH": f"{bindir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "DATA_ROOT": str(data_root),
        "DASHBOARD_DIR": str(dashboard),
        "PORT": str(port),
        "EMBEDDED_PG_PORT": str(free_port()),
        "EMBEDDED_REDIS_PORT": str(free_port()),
    }
    secrets = {  # what `fly secrets` would inject; GitHub pointed at a closed port (no egress)
        "OPS_TRIGGER_TOKEN": TOKEN,
        "PUBLIC_SCAN_ALLOWED_REPOS": REPO,
        "GITHUB_API_URL": f"http://127.0.0.1:{free_port()}",
    }
    env.update(remapped)
    env.update(secrets)
    env.update({k: v for k, v in fly.get("env", {}).items() if k not in remapped})
    print(f"image ENV used as is: {sorted(k for k in image_env if k not in remapped)}; "
          f"remapped for the host: {sorted(remapped)}")

    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare, "--pid", "--fork", "--mount-proc", "true"], capture_output=True) \
        if unshare else None
    if probe is None or probe.returncode != 0:
        fail("unshare --pid --fork --mount-proc does not work here (needs root and util-linux)")
    argv = [unshare, "--pid", "--fork", "--mount-proc", "--kill-child"] + command
    log = work / "serve.log"
    results: dict[str, object] = {}
    boot: Boot | None = None
    try:
        # ---- 1. first boot
        boot = Boot(argv, env, log)
        pid1 = boot.main_pid()
        t = boot.wait_healthy(port, health_path, grace)
        results["first boot (initdb) to health"] = f"{t:.1f} s"
        procs = {p: proc_info(p) for p in tree(pid1)}
        by_comm: dict[str, set[str]] = {}
        for info in procs.values():
            if info:
                by_comm.setdefault(info[0], set()).add(pwd.getpwuid(info[1]).pw_name)
        print(f"process tree: { {k: sorted(v) for k, v in by_comm.items()} }")
        if procs[pid1] is None or procs[pid1][0] != "tini":
            fail(f"PID 1 is {procs[pid1]}, expected tini", log)
        if by_comm.get("clawtriage") != {"root"}:
            fail(f"supervisor users {by_comm.get('clawtriage')}, expected root", log)
        want = image_env.get("EMBEDDED_RUN_AS", "postgres")
        for comm in ("postgres", "redis-server"):
            if by_comm.get(comm) != {want}:
                fail(f"{comm} runs as {by_comm.get(comm)}, expected only {want} (not root)", log)
        results["Postgres runs as"] = want
        results["Redis runs as"] = want
        results["idle whole-stack PSS"] = f"{pss_kib(list(procs)) / 1024:.0f} MiB"
        lines = [l for l in log.read_text().splitlines() if l.strip()]
        bad = [l for l in lines if not l.startswith("{")]
        if bad or not lines:
            fail(f"LOG_FORMAT=json but {len(bad)} log lines are not JSON, e.g. {bad[:1]}", log)
        results["log lines, all JSON"] = len(lines)

        # ---- 2. the hourly scheduled machine's command, twice in the same hour
        caller = subprocess.run([str(ROOT / "scripts/schedule-hourly-scan.sh"), "--print-caller"],
                                capture_output=True, text=True, check=True).stdout
        call_env = {"PATH": env["PATH"], "OPS_TRIGGER_TOKEN": TOKEN, "HOURLY_SCAN_REPOS": REPO,
                    "CLAWTRIAGE_URL": f"http://127.0.0.1:{port}"}
        answers = []
        for _ in range(2):
            run = subprocess.run(["sh", "-c", caller], env=call_env, capture_output=True, text=True)
            if run.returncode != 0:
                fail(f"hourly caller failed ({run.returncode}): {run.stdout} {run.stderr}", log)
            answers.append(json.loads(run.stdout.strip().splitlines()[-1]))
        snap = answers[0].get("snapshot", "")
        if not re.fullmatch(r"hourly-\d{4}-\d\d-\d\dT\d\d", snap) or answers[1].get("snapshot") != snap:
            fail(f"hourly snapshots {[a.get('snapshot') for a in answers]}", log)
        if answers[0].get("enqueued") is not True or answers[1].get("enqueued") is not False:
            fail(f"expected enqueued then not: {answers}", log)
        results["hourly caller"] = f"snapshot {snap}: enqueued once, second run a no-op"

        # ---- 3. clean stop on kill_signal within kill_timeout
        os.kill(pid1, getattr(signal, kill_signal))
        code, took = boot.wait_exit(kill_timeout)
        if code != 0:
            fail(f"exit status {code} after {kill_signal}, expected 0", log)
        if not any('"Stopped cleanly"' in l or "Stopped cleanly" in l for l in log.read_text().splitlines()):
            fail("no 'Stopped cleanly' in the log", log)
        left = [p for p in procs if proc_info(p) is not None]
        if left:
            fail(f"processes left after the stop: {left}", log)
        results[f"stop on {kill_signal}"] = f"{took:.1f} s, exit 0 (kill_timeout {kill_timeout:.0f} s)"

        # ---- 4. warm boot, then Redis dies: the main process must exit non-zero
        boot = Boot(argv, env, log)
        pid1 = boot.main_pid()
        t = boot.wait_healthy(port, health_path, grace)
        results["second boot (warm) to health"] = f"{t:.1f} s"
        redis = [p for p in tree(pid1) if (proc_info(p) or ("", 0))[0] == "redis-server"]
        if len(redis) != 1:
            fail(f"expected one redis-server, found {redis}", log)
        os.kill(redis[0], signal.SIGKILL)
        code, took = boot.wait_exit(kill_timeout)
        if code == 0:
            fail("the main process exited 0 after Redis was killed; Fly would not restart it", log)
        results["after kill -9 of Redis"] = f"main process exited {code} in {took:.1f} s"
    finally:
        if boot is not None and boot.proc.poll() is None:
            os.killpg(boot.proc.pid, signal.SIGKILL)  # --kill-child takes the namespace down
            boot.proc.wait()
        for line in json.dumps(results, indent=1).splitlines()[1:-1]:
            print("  " + line.strip().rstrip(","))
        if os.environ.get("KEEP_SMOKE_DIR") != "1":
            shutil.rmtree(work, ignore_errors=True)
    print("smoke test: passed")


if __name__ == "__main__":
    main()
