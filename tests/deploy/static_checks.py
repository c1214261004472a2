"""Static deployment checks, run by scripts/check-deploy.sh:

1. fly.toml against Fly's JSON schema (SchemaStore's, vendored here as fly.schema.json),
   with the schema's known false rejections patched explicitly, and a stricter copy that
   closes every object so a misspelt key fails too; negative controls prove both bite.
2. fly.toml's values against what the image and the supervisor do (ports, paths, signal,
   timeouts measured against the supervisor's own deadlines, health check, process group).
3. The Dockerfile's runtime stage installs what the supervisor looks for, checked against
   the Debian packages' file lists and the supervisor's source.

Prints one line per check; exits 1 if any failed.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from deploylib import ROOT, load_fly, parse_dockerfile, rust_const_secs, seconds

SCHEMA = Path(__file__).with_name("fly.schema.json")
failures: list[str] = []


def check(ok: bool, what: str, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}{'' if ok else ': ' + detail}")
    if not ok:
        failures.append(what)


# ---------------------------------------------------------------- 1. JSON schema


def patched_schema(original: dict) -> dict:
    """The schema with its known false rejections fixed (documented keys it refuses)."""
    s = copy.deepcopy(original)
    props = s["properties"]
    # [deploy] is closed and lacks release_command_timeout (documented, e.g. "10m").
    props["deploy"]["properties"]["release_command_timeout"] = {"type": "string"}
    # [mounts] is closed and lacks scheduled_snapshots (documented boolean).
    s["definitions"]["mounts"]["properties"]["scheduled_snapshots"] = {"type": "boolean"}
    # auto_stop_machines: booleans are the documented legacy form (false = "off").
    for holder in (props["http_service"]["properties"], s["definitions"]["services"]["properties"]):
        enum_form = holder["auto_stop_machines"]
        holder["auto_stop_machines"] = {"oneOf": [enum_form, {"type": "boolean"}]}
    return s


def strict_schema(patched: dict) -> dict:
    """Every object with listed properties closed, plus documented keys the schema omits,
    so that a misspelt key (`kill_sginal`, `[[http_service.checks]] paht`) is an error."""
    s = copy.deepcopy(patched)
    props = s["properties"]
    props["checks"] = {"type": "object"}  # top-level [checks.NAME] machine checks
    props["restart"] = {"type": "array"}
    props["http_service"]["properties"]["processes"] = {"type": "array", "items": {"type": "string"}}
    props["vm"]["items"]["properties"]["memory_mb"] = {"type": "integer"}

    def close(node: object) -> None:
        if isinstance(node, dict):
            if "properties" in node and node.get("additionalProperties", True) is True:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(s)
    return s


def jsonschema_ok(schema: Path, instance: dict, tmp: Path, name: str) -> tuple[bool, str]:
    """check-jsonschema (the CLI) on the real file; the same library in-process for the
    controls, which are many (the CLI takes about a second per call)."""
    if name.startswith(("doc-", "control")):
        import jsonschema  # check-jsonschema's own dependency

        cls = jsonschema.validators.validator_for(json.loads(schema.read_text()))
        errors = list(cls(json.loads(schema.read_text())).iter_errors(instance))
        return not errors, "; ".join(e.message for e in errors[:3])
    path = tmp / f"{name}.json"
    path.write_text(json.dumps(instance))
    run = subprocess.run(
        ["check-jsonschema", "--schemafile", str(schema), str(path)],
        capture_output=True, text=True,
    )
    return run.returncode == 0, (run.stdout + run.stderr).strip()


def schema_checks(fly: dict, tmp: Path) -> None:
    original = json.loads(SCHEMA.read_text())
    schemas = {}
    for name, schema in [("original", original), ("patched", patched_schema(original)),
                         ("strict", strict_schema(patched_schema(original)))]:
        schemas[name] = tmp / f"fly.{name}.schema.json"
        schemas[name].write_text(json.dumps(schema))

    for name in ("original", "strict"):
        ok, out = jsonschema_ok(schemas[name], fly, tmp, f"fly-{name}")
        check(ok, f"fly.toml valid against the {name} schema", out)

    # The workarounds are needed (the original refuses) and work (the patched accepts).
    documented = {
        "boolean auto_stop_machines": {"http_service": {"auto_stop_machines": False}},
        "deploy.release_command_timeout": {"deploy": {"release_command_timeout": "10m"}},
        "mounts.scheduled_snapshots": {"mounts": {"source": "data", "destination": "/data",
                                                  "scheduled_snapshots": True}},
    }
    for what, doc in documented.items():
        ok_orig, _ = jsonschema_ok(schemas["original"], doc, tmp, "doc-orig")
        ok_strict, out = jsonschema_ok(schemas["strict"], doc, tmp, "doc-strict")
        check(not ok_orig and ok_strict,
              f"schema workaround: documented {what} refused by the original, accepted patched",
              f"original accepts={ok_orig}, patched accepts={ok_strict} {out}")

    # Negative controls: each mutation of our fly.toml must be refused.
    def mutated(edit) -> dict:
        doc = copy.deepcopy(fly)
        edit(doc)
        return doc

    controls = {
        "misspelt top-level key kill_sginal": lambda d: d.__setitem__("kill_sginal", d.pop("kill_signal")),
        "kill_signal not a signal name": lambda d: d.__setitem__("kill_signal", "SIGHUP"),
        "force_https as a string": lambda d: d["http_service"].__setitem__("force_https", "yes"),
        "internal_port as a string": lambda d: d["http_service"].__setitem__("internal_port", "8080"),
        "auto_stop_machines = never": lambda d: d["http_service"].__setitem__("auto_stop_machines", "never"),
        "misspelt check key paht": lambda d: d["http_service"]["checks"][0].__setitem__(
            "paht", d["http_service"]["checks"][0].pop("path")),
        "mount without destination": lambda d: d["mounts"][0].pop("destination"),
        "unknown vm size": lambda d: d["vm"][0].__setitem__("size", "shared-cpu-3x"),
        "process command not a string": lambda d: d["processes"].__setitem__("app", ["clawtriage", "serve"]),
    }
    for what, edit in controls.items():
        ok, _ = jsonschema_ok(schemas["strict"], mutated(edit), tmp, "control")
        check(not ok, f"negative control refused: {what}", "the strict schema accepted it")


# ---------------------------------------------------------------- 2. fly.toml values


def fly_checks(fly: dict, runtime, env: dict) -> None:
    sup = ROOT / "src" / "supervisor"
    check(bool(fly.get("app")) and bool(fly.get("primary_region")), "app and primary_region set")
    check(fly.get("processes") == {"app": "clawtriage serve"}, "one process group `app` = clawtriage serve",
          str(fly.get("processes")))
    check(shlex.split(fly["processes"]["app"]) == runtime.exec_form("CMD"),
          "process command equals the image's CMD", str(runtime.exec_form("CMD")))
    mounts = fly.get("mounts")
    mounts = mounts if isinstance(mounts, list) else [mounts]
    check(len(mounts) == 1 and mounts[0].get("source") == "data"
          and mounts[0].get("destination") == env.get("DATA_ROOT") == "/data",
          "volume `data` mounted at /data = the image's DATA_ROOT", str(mounts))
    hs = fly.get("http_service", {})
    port = int(fly.get("env", {}).get("PORT", env.get("PORT", "8080")))
    check(hs.get("internal_port") == port == int(env.get("PORT", "8080")),
          "internal_port = PORT of the image and [env]", f"{hs.get('internal_port')} vs {port}")
    check(hs.get("force_https") is True, "force_https = true")
    check(hs.get("auto_stop_machines") == "off", 'auto_stop_machines = "off"')
    check(hs.get("min_machines_running", 0) >= 1, "min_machines_running >= 1")
    check(hs.get("processes") == ["app"], "http_service serves the app group")
    checks = hs.get("checks", [])
    pg_ready = rust_const_secs(sup / "postgres.rs", "READY_TIMEOUT")
    health = [c for c in checks if c.get("path") == "/api/health"]
    check(len(health) == 1 and health[0].get("method", "GET") == "GET", "GET /api/health check")
    if health:
        grace = seconds(health[0].get("grace_period", "0s"))
        check(grace >= pg_ready, f"grace_period {grace:.0f} s covers first-boot initdb "
              f"(Postgres ready deadline {pg_ready} s)")
    signal = fly.get("kill_signal", "SIGINT")
    stop = runtime.last("STOPSIGNAL")
    check(signal in ("SIGTERM", "SIGINT"), f"kill_signal {signal} is handled by the supervisor")
    check(stop is not None and stop.args == signal, "Dockerfile STOPSIGNAL = kill_signal",
          stop.args if stop else "no STOPSIGNAL")
    timeout = seconds(fly.get("kill_timeout", 5))
    worst = (rust_const_secs(sup / "mod.rs", "APP_STOP_TIMEOUT")
             + rust_const_secs(sup / "redis.rs", "STOP_GRACE")
             + rust_const_secs(sup / "postgres.rs", "STOP_GRACE"))
    check(worst <= timeout <= 300, f"kill_timeout {timeout:.0f} s >= the supervisor's worst-case "
          f"stop {worst} s and <= Fly's 300 s limit")
    strategy = fly.get("deploy", {}).get("strategy", "rolling")
    check(strategy in ("rolling", "immediate"), f"deploy strategy {strategy} works with a volume")
    check("release_command" not in fly.get("deploy", {}), "no release_command (it has no volume)")
    vm = fly.get("vm", [{}])[0]
    mem = vm.get("memory", vm.get("memory_mb", 256))
    mem_mb = mem if isinstance(mem, int) else int(re.fullmatch(r"(\d+)\s*(mb|gb)", mem.lower()).group(1)) * (
        1024 if mem.lower().endswith("gb") else 1)
    check(mem_mb >= 512, f"VM memory {mem_mb} MB >= 512 MB (measured peak ~250 MiB)")
    secretish = re.compile(r"TOKEN|SECRET|PASSWORD|PRIVATE|_KEY|PEM|DATABASE_URL|REDIS_URL")
    leaked = [k for k in fly.get("env", {}) if secretish.search(k)]
    check(not leaked, "no secrets in fly.toml [env]", str(leaked))


# ---------------------------------------------------------------- 3. Dockerfile


def dpkg_files(package: str) -> set[str]:
    run = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True)
    return set(run.stdout.split()) if run.returncode == 0 else set()


def dockerfile_checks(stages, runtime, env: dict) -> None:
    names = [s.name for s in stages]
    check(names == ["dashboard", "builder", "runtime"], "stages dashboard, builder, runtime", str(names))
    check(re.fullmatch(r"debian:[a-z]+-slim", runtime.base) is not None, f"runtime on Debian slim ({runtime.base})")
    by_name = {s.name: s for s in stages}
    dash_runs = " ".join(i.args for i in by_name["dashboard"].all("RUN"))
    check("npm ci" in dash_runs and "npm run build" in dash_runs, "dashboard stage: npm ci && npm run build")
    build_runs = " ".join(i.args for i in by_name["builder"].all("RUN"))
    check(build_runs.count("cargo build --release --locked") == 2,
          "builder: dependency layer then release build (--locked)")
    copied = " ".join(i.args for i in by_name["builder"].all("COPY"))
    check(all(p in copied for p in ("config/", "migrations/", "crates/triage/", "Cargo.lock")),
          "builder copies config/ and migrations/ (embedded at compile time), the workspace and the lock")

    # COPY sources exist and are not in .dockerignore.
    ignored = {l.strip().rstrip("/") for l in (ROOT / ".dockerignore").read_text().splitlines()
               if l.strip() and not l.startswith("#")}
    for stage in stages:
        for ins in stage.all("COPY"):
            words = [w for w in ins.args.split() if not w.startswith("--")]
            if "--from=" in ins.args:
                src_stage = re.search(r"--from=(\S+)", ins.args).group(1)
                check(src_stage in names[: names.index(stage.name)],
                      f"COPY --from={src_stage} names an earlier stage")
                continue
            for src in words[:-1]:
                top = src.rstrip("/").split("/")[0]
                check((ROOT / src).exists() and top not in ignored and src.rstrip("/") not in ignored,
                      f"COPY source {src} exists and is not .dockerignored")
    dash_dest = [i.args.split()[-1] for i in runtime.all("COPY") if "--from=dashboard" in i.args]
    check(dash_dest == [env.get("DASHBOARD_DIR")], "DASHBOARD_DIR is where the dist is copied", str(dash_dest))

    # Environment: the values and names the binary reads.
    check(env.get("DATA_ROOT") == "/data", "ENV DATA_ROOT=/data")
    check(env.get("LOG_FORMAT") == "json", "ENV LOG_FORMAT=json")
    config_src = (ROOT / "src" / "config.rs").read_text() + (ROOT / "src" / "cli.rs").read_text()
    for key in env:
        if key in ("LANG", "LC_ALL", "TZ", "PATH"):
            continue
        check(f'env = "{key}"' in config_src, f"ENV {key} is a setting of src/config.rs")
    secretish = re.compile(r"TOKEN|SECRET|PASSWORD|PRIVATE|_KEY|PEM|DATABASE_URL|REDIS_URL")
    baked = [i.args for s in stages for i in s.all("ENV") + s.all("ARG") if secretish.search(i.args)]
    check(not baked, "no secrets in ENV or ARG", str(baked))

    # What the supervisor looks for, installed by the runtime stage.
    packages = runtime.apt_packages()
    pg = [p for p in packages if re.fullmatch(r"postgresql-\d+", p)]
    check(len(pg) == 1, "runtime installs one postgresql-N server package", str(packages))
    version = pg[0].split("-")[1] if pg else "?"
    bin_dir = env.get("PG_BIN_DIR", "")
    check(bin_dir == f"/usr/lib/postgresql/{version}/bin", f"PG_BIN_DIR matches {pg[0] if pg else '?'}", bin_dir)
    for pkg in ("redis-server", "ca-certificates"):
        check(pkg in packages, f"runtime installs {pkg}")
    entry = runtime.exec_form("ENTRYPOINT")
    check(entry[:1] == ["/usr/bin/tini"] and "tini" in packages,
          "PID 1 is tini (installed), which reaps orphans and forwards the stop signal", str(entry))
    hc = runtime.last("HEALTHCHECK")
    check(hc is not None and "/api/health" in hc.args and ("curl" not in hc.args or "curl" in packages),
          "HEALTHCHECK probes /api/health with an installed tool")
    if hc is not None:
        m = re.search(r"--start-period=(\w+)", hc.args)
        pg_ready = rust_const_secs(ROOT / "src/supervisor/postgres.rs", "READY_TIMEOUT")
        check(m is not None and seconds(m.group(1)) >= pg_ready, "HEALTHCHECK start period covers initdb")

    # The Debian packages really ship those paths (the host is bookworm, like the image).
    pg_files = dpkg_files(pg[0]) if pg else set()
    check({f"{bin_dir}/postgres", f"{bin_dir}/initdb"} <= pg_files,
          f"{pg[0] if pg else 'postgresql-N'} ships {bin_dir}/postgres and initdb (dpkg -L on this host)",
          "package not installed here or paths differ; run scripts/install-deps.sh on Debian bookworm")
    check("/usr/bin/redis-server" in dpkg_files("redis-server"), "redis-server ships /usr/bin/redis-server")
    depends = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", pg[0] if pg else "none"],
                             capture_output=True, text=True).stdout
    postinst = Path("/var/lib/dpkg/info/postgresql-common.postinst")
    creates_user = postinst.is_file() and re.search(r"adduser --system[^\n]*\\?\s*[^\n]*postgres",
                                                    postinst.read_text()) is not None
    check("postgresql-common" in depends and creates_user and env.get("EMBEDDED_RUN_AS") == "postgres",
          "EMBEDDED_RUN_AS=postgres: the user postgresql-common creates (dependency of the server)")

    # ... and the supervisor still looks there.
    sup = ROOT / "src" / "supervisor"
    check('"/usr/lib/postgresql"' in (sup / "postgres.rs").read_text()
          and 'env = "PG_BIN_DIR"' in config_src, "supervisor finds Postgres via PG_BIN_DIR or /usr/lib/postgresql")
    check('"/usr/bin/redis-server"' in (sup / "redis.rs").read_text(), "supervisor finds /usr/bin/redis-server")
    check('vec!["postgres", "nobody"]' in (sup / "datadir.rs").read_text(),
          "supervisor drops to postgres (else nobody) when root")


def main() -> int:
    fly = load_fly(ROOT / "fly.toml")
    stages = parse_dockerfile(ROOT / "Dockerfile")
    runtime = stages[-1]
    env = runtime.env()
    with tempfile.TemporaryDirectory() as tmp:
        schema_checks(fly, Path(tmp))
    fly_checks(fly, runtime, env)
    dockerfile_checks(stages, runtime, env)
    if failures:
        print(f"static checks: {len(failures)} failed", file=sys.stderr)
        return 1
    print("static checks: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
