#!/usr/bin/env python3
"""Add labelled GitHub issues, PR<->issue links and scope fixtures to a PR corpus.

Deterministic by seed, Python 3.11 standard library only. Reads the PRs written by
scripts/gen_corpus.py (pulls/1..count.json and truth.json) and never rewrites them.

    scripts/gen_issues.py --seed 42 --corpus corpus/acme/webapp          # write
    scripts/gen_issues.py --seed 42 --corpus corpus/acme/webapp --check  # verify invariants + determinism

Writes, under --corpus:
    issues/<number>.json    {"issue": <GitHub REST GET /repos/{o}/{r}/issues/{n} object>}
    pulls/<count+1..>.json  out-of-scope PR fixtures for the vision/scope assist (same shape as the others)
    VISION.md               the repository's vision (In scope / Out of scope / Policies)
    truth.json              adds issue_clusters, issue_negatives, pr_issue_links, link_negatives, scope
                            (existing keys are left untouched)

See corpus/README.md for the format.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import json
import os
import random
import re
import sys
from dataclasses import dataclass, field

NOW = dt.datetime(2024, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
FIRST_ISSUE = 1000
ISSUE_T0 = dt.datetime(2023, 7, 3, 9, 0, 0, tzinfo=dt.timezone.utc)
ISSUE_T1 = dt.datetime(2024, 5, 31, 18, 0, 0, tzinfo=dt.timezone.utc)
RECENT = NOW - dt.timedelta(days=30)
NEW_PR_FIRST = 301          # scope fixtures start here (truth "count" stays 300)
CLOSING = re.compile(r"(?i)\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+#(\d+)\b")

# ---------------------------------------------------------------- vocabulary shared with gen_corpus.py

DOMAINS = [
    "invoice", "customer", "order", "payment", "session", "token", "webhook", "report",
    "cart", "product", "coupon", "shipment", "refund", "subscription", "plan", "tenant",
    "user", "team", "project", "comment", "notification", "audit", "export", "import",
    "search", "cache", "queue", "upload", "avatar", "locale", "currency", "tax", "discount",
    "inventory", "warehouse", "ticket", "message", "channel", "feed", "badge", "review",
    "rating", "wishlist", "address", "calendar", "booking", "schedule", "metric", "alert",
]
FIELDS = [
    "id", "name", "status", "amount", "currency", "createdAt", "updatedAt", "ownerId",
    "email", "quantity", "price", "total", "dueDate", "priority", "label", "slug", "count",
    "expiresAt", "region", "score", "weight", "version", "parentId", "tags", "kind", "code",
]
EXISTING_FILES = [
    "src/app.ts", "src/routes/index.ts", "src/server.ts", "src/config.ts", "src/db/client.ts",
    "src/services/billing.ts", "src/services/users.ts", "src/services/orders.ts",
    "src/components/App.tsx", "src/components/Header.tsx", "src/utils/http.ts",
    "src/utils/logger.ts", "src/api/router.ts", "src/jobs/scheduler.ts",
]
PR_AUTHORS = ["octo-dev", "mkline", "jpark", "sasha-r", "devon", "lin-w", "agent-claw[bot]",
              "cursor-agent[bot]", "tbrown", "amelia-k", "rj45", "noor", "felixg", "priya-s"]
MAINTAINERS = ["octo-dev", "mkline", "jpark", "sasha-r", "amelia-k", "priya-s"]
CONTRIBUTORS = ["devon", "lin-w", "tbrown", "rj45", "noor", "felixg"]
REPORTERS = ["kmurphy", "dana-ops", "htanaka", "maria-gz", "ewan-b", "chenyu", "rafael-m",
             "beatrix-o", "lukas-w", "ops-bjorn", "ines-c", "tomasz-k", "aiko-n", "jdoe-acmecorp",
             "pvelasquez", "sunita-r", "zoe-h", "gkowalski", "m-okafor", "samir-t", "elena-v",
             "finance-tools-bot", "harper-l", "nils-e"]


def camel(*parts: str) -> str:
    parts = [p for p in parts if p]
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def kebab(*parts: str) -> str:
    out = []
    for p in parts:
        if not p:
            continue
        buf = ""
        for ch in p:
            if ch.isupper() and buf:
                out.append(buf.lower())
                buf = ch
            else:
                buf += ch
        out.append(buf.lower())
    return "-".join(out)


def existing_file(path: str) -> list[str]:
    """The synthetic content gen_corpus.py assumes for an existing file on main (same algorithm)."""
    r = random.Random(hashlib.sha256(path.encode()).hexdigest())
    lines = [f"import {{ {camel('load', r.choice(DOMAINS))} }} from './{r.choice(DOMAINS)}';", ""]
    for _ in range(r.randint(60, 160)):
        d = r.choice(DOMAINS)
        f = r.choice(FIELDS)
        lines.append(r.choice([
            f"  const {camel(d, 'value')} = await {camel('load', d)}(ctx, {{ {f}: input.{f} }});",
            f"  if (!{d}.{f}) return null;",
            f"  logger.debug('{d} {f} resolved', {{ id: {d}.id }});",
            f"  {d}s.push({{ ...{d}, {f}: normalize({d}.{f}) }});",
            "  }",
            "",
            f"export function {camel('get', d, f.capitalize())}(ctx: Context) {{",
            f"  return ctx.{d}Repository.findBy{f.capitalize()}(ctx.params.{f});",
        ]))
    return lines


IRREGULAR = {"tax": "taxes", "address": "addresses", "search": "searches", "currency": "currencies",
             "inventory": "inventory items", "batch": "batches", "status": "statuses"}


def plural(d: str) -> str:
    if d in IRREGULAR:
        return IRREGULAR[d]
    if d.endswith(("s", "x", "ch", "sh")):
        return d + "es"
    if d.endswith("y") and d[-2:-1] not in "aeiou":
        return d[:-1] + "ies"
    return d + "s"


def fix_plurals(text: str) -> str:
    """gen_corpus pluralises naively ('taxs'); people do not."""
    for d in DOMAINS:
        naive = d + "s"
        if plural(d) != naive:
            text = re.sub(rf"\b{naive}\b", plural(d), text)
    return text


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(s: str) -> dt.datetime:
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def stable_int(*parts) -> int:
    return int(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def user_obj(login: str) -> dict:
    uid = int(hashlib.sha256(login.encode()).hexdigest()[:7], 16)
    bot = login.endswith("[bot]")
    return {"login": login, "id": uid, "node_id": f"U_kgDO{uid:08d}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "html_url": f"https://github.com/{login}", "type": "Bot" if bot else "User", "site_admin": False}


def association(login: str) -> str:
    if login in MAINTAINERS:
        return "MEMBER"
    if login in PR_AUTHORS:
        return "CONTRIBUTOR"
    return "NONE"


LABELS = {
    "bug": ("d73a4a", True, "Something isn't working"),
    "enhancement": ("a2eeef", True, "New feature or request"),
    "question": ("d876e3", True, "Further information is requested"),
    "duplicate": ("cfd3d7", True, "This issue or pull request already exists"),
    "documentation": ("0075ca", True, "Improvements or additions to documentation"),
    "wontfix": ("ffffff", True, "This will not be worked on"),
    "good first issue": ("7057ff", True, "Good for newcomers"),
    "help wanted": ("008672", True, "Extra attention is needed"),
    "needs-triage": ("ededed", False, "Not looked at by a maintainer yet"),
    "regression": ("b60205", False, "Worked in an earlier release"),
    "performance": ("fbca04", False, "Slow or resource hungry"),
    "security": ("ee0701", False, "Security relevant"),
    "ci": ("c5def5", False, "Continuous integration and flaky tests"),
    "dependencies": ("0366d6", False, "Dependency updates"),
    "area/billing": ("1d76db", False, "Invoices, payments, refunds, taxes, plans"),
    "area/orders": ("1d76db", False, "Carts, orders, shipments, inventory"),
    "area/accounts": ("1d76db", False, "Users, teams, tenants, sessions, auth"),
    "area/notifications": ("1d76db", False, "Notifications, alerts, webhooks, messages"),
    "area/ui": ("1d76db", False, "Frontend components"),
    "area/worker": ("1d76db", False, "Python background workers"),
    "area/tools": ("1d76db", False, "Go command line tools"),
    "area/core": ("1d76db", False, "Rust core crate"),
    "area/api": ("1d76db", False, "Public REST API"),
    "area/reports": ("1d76db", False, "Reports, exports, imports, search, audit"),
    "area/infra": ("1d76db", False, "Docker, deployment, configuration"),
}

# ---------------------------------------------------------------- traces and bodies

EXPRESS_TAIL = [
    "    at Layer.handle [as handle_request] ({nm}express/lib/router/layer.js:95:5)",
    "    at next ({nm}express/lib/router/route.js:149:13)",
    "    at Route.dispatch ({nm}express/lib/router/route.js:119:3)",
]
TICKS_TAIL = ["    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"]
REACT_TAIL = [
    "    at renderWithHooks ({nm}react-dom/cjs/react-dom.development.js:16305:18)",
    "    at mountIndeterminateComponent ({nm}react-dom/cjs/react-dom.development.js:20074:13)",
    "    at beginWork ({nm}react-dom/cjs/react-dom.development.js:21587:16)",
]
RUSTC = "/rustc/25ef9e3d85d934b27d9dada2f9dd52b1dc63bb04"


def prod_js(path: str) -> str:
    p = path[4:] if path.startswith("src/") else path
    return "/app/dist/" + re.sub(r"\.tsx?$", ".js", p)


def trace(t: dict, variant: str, root: str = "") -> str:
    """Render the topic's error + stack in the requested variant."""
    lang = t["lang"]
    err = t.get("error", "")
    out: list[str] = []
    if lang == "node":
        frames = t["frames"]
        if variant == "top2":
            frames = frames[:2]
        for fn, path, line, col, asy in frames:
            a = "async " if asy else ""
            if path.startswith("<"):
                out.append(f"    at {a}{fn} ({path})")
            elif path.startswith("node:"):
                out.append(f"    at {a}{fn} ({path}:{line}:{col})")
            elif variant in ("prod", "json"):
                out.append(f"    at {a}{fn} ({prod_js(path)}:{max(1, line - 9)}:{col + 6})")
            else:
                out.append(f"    at {a}{fn} ({root}{path}:{line}:{col})")
        if variant != "top2":
            nm = "/app/node_modules/" if variant in ("prod", "json") else (root or "") + "node_modules/"
            tail = {"express": EXPRESS_TAIL, "ticks": TICKS_TAIL}.get(t.get("tail", ""), [])
            out += [l.format(nm=nm) for l in tail]
        text = "\n".join(t.get("error_lines", [err]) + out)
        if variant == "json":
            rec = {"level": 50, "time": t.get("json_time", 1715082341123), "pid": 7,
                   "hostname": t.get("json_host", "web-6d9f8c7b5-x2k4q"), "reqId": t.get("json_req_id", "req-1f3a"),
                   **({"req": t["json_req"]} if t.get("json_req") else {}),
                   "err": {"type": err.split(":", 1)[0], "message": err.split(": ", 1)[1] if ": " in err else err,
                           "stack": text}, "msg": t.get("json_msg", "request failed")}
            return json.dumps(rec, ensure_ascii=False)
        return text
    if lang == "browser":
        frames = t["frames"]
        if variant == "top2":
            frames = frames[:2]
        if variant == "min":
            mins = ["Xk", "Ei", "Ck", "Ah", "Ff"]
            for i, _ in enumerate(frames):
                out.append(f"    at {mins[i % len(mins)]} (https://app.acme.example/assets/index-4f9c2a1b.js:{40 + i}:{9921 + 731 * i})")
        else:
            for fn, path, line, col, _ in frames:
                where = path if path.startswith("<") else f"webpack-internal:///./{path}:{line}:{col}"
                out.append(f"    at {fn} ({where})")
            if variant != "top2":
                out += [l.format(nm="webpack-internal:///./node_modules/") for l in REACT_TAIL]
        return "\n".join(t.get("error_lines", [err]) + out)
    if lang == "py":
        frames = t["frames"] if variant != "last" else t["frames"][-1:]
        out.append("Traceback (most recent call last):")
        for fn, path, line, code in frames:
            out.append(f'  File "{root}{path}", line {line}, in {fn}')
            out.append(f"    {code}")
        out.append(err)
        return "\n".join(out)
    if lang == "go":
        out.append(err)
        out += t.get("go_header", [])
        if variant == "short":
            return "\n".join(out)
        out += ["", t.get("goroutine", "goroutine 1 [running]:")]
        for fn, args, path, line, off in t["frames"]:
            out.append(f"{fn}({args})")
            out.append(f"\t{root or '/build/webapp/'}{path}:{line} +0x{off}")
        out.append("exit status 2")
        return "\n".join(out)
    if lang == "rs":
        path, line, col = t["loc"]
        out.append(f"thread '{t.get('thread', 'main')}' panicked at {path}:{line}:{col}:")
        out.append(err)
        if variant == "short":
            out.append("note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace")
            return "\n".join(out)
        out.append("stack backtrace:")
        std = [("rust_begin_unwind", f"{RUSTC}/library/std/src/panicking.rs:647:5"),
               ("core::panicking::panic_fmt", f"{RUSTC}/library/core/src/panicking.rs:72:14")]
        std += t.get("rs_std", [])
        i = 0
        for fn, at in std:
            out += [f"  {i:>2}: {fn}", f"             at {at}"]
            i += 1
        for fn, fpath, fline, fcol in t["frames"]:
            out += [f"  {i:>2}: {fn}", f"             at ./{fpath}:{fline}:{fcol}"]
            i += 1
        out.append("note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.")
        return "\n".join(out)
    return err


RELEASES = [("2.12.3", dt.datetime(2023, 6, 12, tzinfo=dt.timezone.utc)), ("2.13.0", dt.datetime(2023, 11, 15, tzinfo=dt.timezone.utc)),
            ("2.13.2", dt.datetime(2024, 1, 22, tzinfo=dt.timezone.utc)), ("2.14.0", dt.datetime(2024, 3, 20, tzinfo=dt.timezone.utc)),
            ("2.14.1", dt.datetime(2024, 5, 6, tzinfo=dt.timezone.utc))]
# Merged features of the PR corpus (pulls 1-4) exist on main only from their merge date on.
MERGED_FEATURES_AT = dt.datetime(2024, 4, 27, tzinfo=dt.timezone.utc)


def release_at(when: dt.datetime, rng: random.Random) -> str:
    out = [v for v, d in RELEASES if d <= when]
    return out[-1] if len(out) < 2 or rng.random() < 0.7 else out[-2]


def _rel(*pairs: str) -> list[tuple[str, dt.datetime]]:
    return [(v, dt.datetime.strptime(d, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)) for v, d in zip(pairs[::2], pairs[1::2])]


# Upstream releases, so a report never mentions a version that did not exist yet.
TOOL_RELEASES = {
    "node": _rel("18.16.1", "2023-06-20", "20.3.1", "2023-06-20", "18.17.0", "2023-07-18", "20.5.0", "2023-07-20", "18.18.2", "2023-10-13", "20.9.0", "2023-10-24",
                 "20.10.0", "2023-11-22", "20.11.0", "2024-01-09", "18.19.1", "2024-02-14", "20.11.1", "2024-02-14",
                 "20.12.2", "2024-04-10"),
    "python": _rel("3.11.4", "2023-06-06", "3.11.5", "2023-08-24", "3.11.6", "2023-10-02", "3.12.1", "2023-12-08",
                   "3.11.8", "2024-02-06", "3.12.2", "2024-02-06", "3.11.9", "2024-04-02"),
    "go": _rel("1.20.5", "2023-06-06", "1.20.6", "2023-07-11", "1.21.1", "2023-09-06", "1.21.4", "2023-11-07", "1.21.6", "2024-01-09",
               "1.22.1", "2024-03-05", "1.22.2", "2024-04-03"),
    "rust": _rel("1.70.0", "2023-06-01", "1.71.0", "2023-07-13", "1.72.0", "2023-08-24", "1.73.0", "2023-10-05", "1.75.0", "2023-12-28",
                 "1.76.0", "2024-02-08", "1.77.2", "2024-04-09", "1.78.0", "2024-05-02"),
    "Chrome": _rel("Chrome 114", "2023-05-30", "Chrome 115", "2023-07-18", "Chrome 117", "2023-09-12", "Chrome 119", "2023-10-31",
                   "Chrome 120", "2023-12-06", "Chrome 121", "2024-01-23", "Chrome 122", "2024-02-20", "Chrome 123", "2024-03-19",
                   "Chrome 124", "2024-04-16", "Chrome 125", "2024-05-14"),
    "Firefox": _rel("Firefox 114", "2023-06-06", "Firefox 115", "2023-07-04", "Firefox 117", "2023-08-29", "Firefox 119", "2023-10-24", "Firefox 121", "2023-12-19",
                    "Firefox 123", "2024-02-20", "Firefox 125", "2024-04-16", "Firefox 126", "2024-05-14"),
    "Safari": _rel("Safari 16.5", "2023-05-18", "Safari 17.0", "2023-09-18", "Safari 17.2", "2023-12-11", "Safari 17.4", "2024-03-05",
                   "Safari 17.5", "2024-05-13"),
    "Edge": _rel("Edge 114", "2023-06-02", "Edge 115", "2023-07-21", "Edge 119", "2023-11-02", "Edge 121", "2024-01-25", "Edge 124", "2024-04-18"),
    "macOS": _rel("macOS 13.4", "2023-05-18", "macOS 13.5", "2023-07-24", "macOS 14.1", "2023-10-25", "macOS 14.2", "2023-12-11",
                  "macOS 14.4", "2024-03-07", "macOS 14.5", "2024-05-13"),
}
OSES = ["macOS", "Windows 11", "Ubuntu 22.04", "macOS", "Debian 12"]
BROWSER_FAMILIES = ["Chrome", "Chrome", "Chrome", "Firefox", "Safari", "Edge"]
DEPLOYS = ["Docker (acme/webapp image)", "Kubernetes (Helm chart)", "bare metal, pm2", "local dev (`pnpm dev`)"]


def tool_at(tool: str, when: dt.datetime, rng: random.Random) -> str:
    """A version of `tool` someone would run at `when`: the newest, or one or two behind."""
    if tool not in TOOL_RELEASES:
        return tool
    out = [v for v, d in TOOL_RELEASES[tool] if d <= when] or [TOOL_RELEASES[tool][0][0]]
    back = 0 if rng.random() < 0.6 else rng.randint(1, 2)
    return out[max(0, len(out) - 1 - back)]


DATE_TOKEN = re.compile(r"@(D|M|MY)([+-]?\d+)@")


def resolve_dates(text: str, when: dt.datetime) -> str:
    """@D-1@ → ISO date one day before `when`, @M+9@ → 'May 14', @MY0@ → 'May 14, 2024'."""
    def sub(m: re.Match) -> str:
        d = when + dt.timedelta(days=int(m.group(2)))
        if m.group(1) == "D":
            return d.strftime("%Y-%m-%d")
        if m.group(1) == "M":
            return f"{d.strftime('%b')} {d.day}"
        return f"{d.strftime('%b')} {d.day}, {d.year}"
    return DATE_TOKEN.sub(sub, text)


def pick_env(rng: random.Random, t: dict, m: dict, when: dt.datetime) -> dict:
    env = {"version": m.get("version") or t.get("version") or release_at(when, rng)}
    lang = t.get("lang")
    if lang in ("node", None, "ui", "browser"):
        env["node"] = tool_at("node", when, rng)
    if lang in ("browser", "ui"):
        env["browser"] = tool_at(rng.choice(BROWSER_FAMILIES), when, rng)
    if lang == "py":
        env["python"] = tool_at("python", when, rng)
    if lang == "go":
        env["go"] = tool_at("go", when, rng)
    if lang == "rs":
        env["rust"] = tool_at("rust", when, rng)
    env["os"] = tool_at(rng.choice(OSES), when, rng)
    env["deploy"] = rng.choice(DEPLOYS)
    for k, v in m.get("env", {}).items():
        env[k] = tool_at(v, when, rng)     # a family name ("Safari") resolves to the version of the day
    return env


ENV_NAMES = {"version": "webapp version", "node": "Node.js", "browser": "Browser", "python": "Python",
             "go": "Go", "rust": "Rust", "os": "OS", "deploy": "Deployment"}


def env_lines(env: dict) -> list[str]:
    return [f"- {ENV_NAMES[k]}: {v}" for k, v in env.items()]


def fence(text: str, lang: str = "") -> str:
    return f"```{lang}\n{text}\n```"


def render_member(t: dict, m: dict, rng: random.Random, when: dt.datetime) -> str | None:
    """Body of one cluster/negative member, filed at `when`: its prose plus the evidence its `ev` selects."""
    t = dict(t, json_time=int((when - dt.timedelta(hours=rng.randint(2, 30))).timestamp()) * 1000 + rng.randint(0, 999))
    style = m.get("style", "prose")
    if style == "null":
        return None
    ev = m.get("ev", "").split()
    root = m.get("root", "")
    blocks: list[str] = []           # evidence blocks (code)
    for tok in ev:
        if tok.startswith("stack"):
            variant = tok.split(":", 1)[1] if ":" in tok else "full"
            blocks.append(fence(trace(t, variant, root), "json" if variant == "json" else ""))
        elif tok == "error":
            blocks.append(fence("\n".join(t.get("error_lines", [t["error"]]))))
        elif tok.startswith("snip:"):
            lang, text = t["snippets"][tok[5:]]
            blocks.append(fence(text, lang))
    env = pick_env(rng, t, m, when) if "env" in ev else None
    repro = m.get("repro", t.get("repro")) if "repro" in ev else None
    expected = m.get("expected", t.get("expected")) if "expected" in ev else None
    text = m["text"].strip()
    parts: list[str] = []
    if style == "form":
        parts += ["### Describe the bug", text]
        if repro:
            parts += ["### Steps to reproduce", "\n".join(f"{i}. {s}" for i, s in enumerate(repro, 1))]
        if expected:
            parts += ["### Expected behavior", expected]
        if blocks:
            parts += ["### Logs", "\n\n".join(blocks)]
        if env:
            parts += ["### Environment", "\n".join(env_lines(env))]
        if m.get("extra"):
            parts += ["### Additional context", m["extra"]]
    elif style == "classic":
        parts += ["**Describe the bug**\n" + text]
        if repro:
            parts += ["**To Reproduce**\nSteps to reproduce the behavior:\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(repro, 1))]
        if expected:
            parts += ["**Expected behavior**\n" + expected]
        if blocks:
            parts += ["**Logs**\n" + "\n\n".join(blocks)]
        if env:
            parts += ["**Environment (please complete the following information):**\n" + "\n".join(" " + l for l in env_lines(env))]
        if m.get("extra"):
            parts += ["**Additional context**\n" + m["extra"]]
    elif style == "feature":
        parts += ["### Is your feature request related to a problem? Please describe.", text,
                  "### Describe the solution you'd like", m.get("sol", "_No response_"),
                  "### Describe alternatives you've considered", m.get("alt", "_No response_")]
        if blocks:
            parts += ["### Additional context", "\n\n".join(blocks)]
        elif m.get("extra"):
            parts += ["### Additional context", m["extra"]]
    else:  # prose, terse, logs, question
        parts.append(text)
        parts += blocks
        if repro:
            parts.append("Steps:\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(repro, 1)))
        if expected:
            parts.append("Expected: " + expected)
        if env:
            parts.append(", ".join(f"{ENV_NAMES[k]} {v}" for k, v in env.items() if k in ("version", "node", "browser", "python", "go", "rust")))
        if m.get("extra"):
            parts.append(m["extra"])
    return resolve_dates("\n\n".join(parts), when)

# ---------------------------------------------------------------- duplicate clusters
# Each topic is one underlying bug or request; `members` are the reports in the order they were
# filed. `ev` picks the evidence a report carries (error line, stack variant, snippets, repro, env),
# so members share the decisive evidence in varying amounts. `difficulty` goes to the truth note.

TOPICS: list[dict] = [
    dict(key="invoice-total", lang="node", area="billing", kind="bug", difficulty="medium", version="2.14.0", after=RELEASES[3][1],
         note="invoice endpoint crashes on invoices without line items: same error line; dev stack vs JSON log with dist paths; one report only names the function; one only pastes the error",
         error="TypeError: Cannot read properties of undefined (reading 'total')",
         frames=[("getInvoiceTotals", "src/services/billing.ts", 88, 31, False),
                 ("buildInvoiceSummary", "src/services/billing.ts", 131, 22, False),
                 ("handleInvoice", "src/api/router.ts", 57, 18, True)],
         tail="express", files=["src/services/billing.ts", "src/api/router.ts"],
         json_req={"method": "GET", "url": "/api/invoices/inv_8Hq2Lx"},
         repro=["Create an invoice through `POST /api/invoices` with `\"lineItems\": []`",
                "Open it under Billing → Invoices", "The page shows \"Something went wrong\" and the API returns 500"],
         expected="The invoice renders with a total of 0.00.",
         members=[
             dict(title="Invoice detail returns 500 for invoices without line items", style="form", ev="stack repro expected env",
                  text="Opening an invoice that was created through the API without any line items crashes the invoice endpoint. Invoices with at least one line work fine."),
             dict(title="500s on GET /api/invoices/:id after upgrading to 2.14.0", style="logs", ev="stack:json", version="2.14.0",
                  text="We upgraded our self-hosted instance to 2.14.0 yesterday and a handful of invoice requests now fail. This is the pino line we get for each of them:",
                  extra="Rolling back to 2.13.2 makes it go away."),
             dict(title="getInvoiceTotals assumes at least one line item", style="terse", ev="",
                  text="`getInvoiceTotals` in `src/services/billing.ts` reads `invoice.lineItems[0].total` to seed the reduce. For an empty invoice that is `undefined`, hence `Cannot read properties of undefined (reading 'total')`. Seeding the reduce with `0` should be enough."),
             dict(title="Billing page error for draft invoice", style="prose", ev="error", close="duplicate",
                  text="Customer support reports that one of our customers cannot open a draft invoice (INV-2024-0412). Browser shows the generic error page; the server log has:"),
         ]),
    dict(key="webhook-window", lang="node", area="notifications", kind="bug", difficulty="medium", version="2.14.0", after=MERGED_FEATURES_AT,
         note="refreshWebhookWindow crashes on webhooks that never delivered: full stack vs two top frames plus prose",
         error="RangeError: Invalid time value",
         frames=[("Date.toISOString", "<anonymous>", 0, 0, False),
                 ("refreshWebhookWindow", "src/jobs/refreshWebhookWindow.ts", 23, 41, False),
                 ("runScheduledJobs", "src/jobs/scheduler.ts", 88, 11, True)],
         tail="ticks", files=["src/jobs/refreshWebhookWindow.ts", "src/jobs/scheduler.ts"],
         members=[
             dict(title="Scheduler crash loop: RangeError: Invalid time value", style="prose", ev="stack env",
                  text="Since the webhook window refresh job shipped, our scheduler process restarts every few minutes. It seems to happen for webhooks that never delivered anything (`lastDeliveredAt` is `null` for them)."),
             dict(title="refreshWebhookWindow fails for webhooks with no deliveries yet", style="form", ev="stack:top2 expected",
                  text="Webhooks created after the last release never get their delivery window refreshed. The job logs an \"Invalid time value\" error for each of them and skips the rest of the batch.",
                  expected="Webhooks without deliveries get a window starting at `createdAt`."),
         ]),
    dict(key="session-ttl", lang="node", area="accounts", kind="bug", difficulty="hard",
         note="no error message: sessions expire after minutes; members share only identifiers (createSession, SESSION_TTL, expiresAt) and the symptom",
         files=["src/services/users.ts", "docs/configuration.md"],
         members=[
             dict(title="Users are logged out after ~10 minutes instead of 7 days", style="prose", ev="",
                  text="Several customers complained that they are sent back to the login page after a few minutes.\n\nI looked at `createSession` in `src/services/users.ts`: `expiresAt` is computed as `Date.now() + SESSION_TTL`, but `SESSION_TTL` is configured in seconds (`604800`), so the session expires after 604.8 seconds."),
             dict(title="SESSION_TTL is treated as milliseconds", style="terse", ev="",
                  text="`SESSION_TTL` is documented in seconds in docs/configuration.md, but `createSession` adds it to `Date.now()`. Setting `SESSION_TTL=604800000` works around it."),
             dict(title="Why do I have to sign in again every few minutes?", style="question", ev="",
                  text="Since last week the app keeps asking me to sign in again, usually within ten minutes. Cookies are enabled and it is the same in Chrome and Firefox. The `session` cookie's `Expires` is only a few minutes in the future, and the `expiresAt` in the `/api/me` response matches that."),
         ]),
    dict(key="orders-csv-currency", lang="node", area="reports", kind="bug", difficulty="medium",
         note="orders CSV export lacks a currency column: both quote the same CSV header line",
         files=["src/services/orders.ts"],
         snippets={"header": ("csv", "id,number,customer,amount,dueDate,status\nord_8812,10412,Globex,100.00,@D-12@,paid")},
         members=[
             dict(title="Orders CSV export is missing the currency column", style="prose", ev="snip:header",
                  text="The CSV from Orders → Export has no currency column. First lines of the file:",
                  extra="`exportOrdersCsv` builds the header from a hard-coded list that never had `currency`."),
             dict(title="Exported order amounts are ambiguous for multi-currency accounts", style="classic", ev="snip:header",
                  text="We sell in EUR and USD. The exported file only contains `amount` and no currency, so our accountant cannot tell 100 EUR from 100 USD."),
         ]),
    dict(key="duplicate-shipped-email", lang="node", area="notifications", kind="bug", difficulty="medium",
         note="'order shipped' email sent twice after a queue retry: log lines with the same orderId, identifiers notifyOrderShipped / idempotency",
         files=["src/jobs/scheduler.ts"],
         snippets={"log": ("", "@D-1@T08:14:02.114Z info  notification sent {\"orderId\":\"ord_8812\",\"channel\":\"email\",\"template\":\"order-shipped\"}\n@D-1@T08:14:41.530Z warn  queue job retried {\"job\":\"shipment.update\",\"attempt\":2}\n@D-1@T08:14:42.007Z info  notification sent {\"orderId\":\"ord_8812\",\"channel\":\"email\",\"template\":\"order-shipped\"}")},
         members=[
             dict(title="Customers receive the 'order shipped' email twice", style="form", ev="snip:log env",
                  text="Some customers get two identical \"Your order has shipped\" emails about 40 seconds apart. Happens a few times a day, always after a queue retry in the logs.",
                  expected="Exactly one email per order and channel."),
             dict(title="notifyOrderShipped is not idempotent across queue retries", style="prose", ev="",
                  text="When the `shipment.update` job is retried by the queue (e.g. after a Redis hiccup), `notifyOrderShipped` runs again without checking whether the notification was already sent. We need an idempotency key on `(orderId, channel)` before calling the mailer."),
             dict(title="Duplicate shipping notifications", style="terse", ev="",
                  text="Got 2 identical \"order shipped\" emails for order ord_8812, 40s apart. Logs show `notification sent` twice for the same orderId with a `queue job retried` in between."),
         ]),
    dict(key="fetchjson-html", lang="browser", area="ui", kind="bug", difficulty="medium",
         note="fetchJson parses an HTML 502 page: same error line, one with browser stack, one describing the cause in fetchJson",
         error="SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON",
         frames=[("JSON.parse", "<anonymous>", 0, 0, False), ("fetchJson", "src/utils/http.ts", 41, 23, True),
                 ("useSearchResults", "src/hooks/useSearchResults.ts", 27, 18, True)],
         files=["src/utils/http.ts", "src/hooks/useSearchResults.ts"],
         members=[
             dict(title="Search dropdown goes blank when the API is unavailable", style="classic", ev="stack env",
                  text="During the outage this morning the search box simply showed an empty dropdown. The console had this:",
                  expected="An error message like \"Search is unavailable, try again\"."),
             dict(title="fetchJson should not call res.json() on non-JSON error responses", style="prose", ev="error",
                  text="When the gateway answers with its HTML 502 page, `fetchJson` in `src/utils/http.ts` calls `res.json()` unconditionally, so callers get a parse error instead of an HTTP error. It should check `res.ok` and the `content-type` first."),
         ]),
    dict(key="coupon-exists", lang="node", area="orders", kind="bug", difficulty="hard",
         note="hard: the two reports share only the error line (one has a repro, the other only a log line)",
         error="Error: coupon already exists: SPRING24",
         frames=[("applyCoupon", "src/services/orders.ts", 212, 11, False), ("handleCart", "src/api/router.ts", 40, 9, True)],
         tail="express", files=["src/services/orders.ts"],
         members=[
             dict(title="Re-applying a promo code after removing it fails", style="form", ev="stack repro",
                  repro=["Add any product to the cart", "Apply promo code `SPRING24`", "Remove it again", "Apply `SPRING24` a second time"],
                  text="Removing a promo code and applying it again shows the \"Something went wrong\" toast."),
             dict(title="Intermittent checkout failures with promo codes", style="prose", ev="error",
                  text="A few checkouts per day fail for us. No idea how to reproduce it, the customers just see the generic toast. Only thing in the server log:"),
         ]),
    dict(key="subscription-unique", lang="node", area="billing", kind="bug", difficulty="easy",
         note="plan change hits the same unique constraint; all quote the constraint name",
         error="QueryFailedError: duplicate key value violates unique constraint \"subscriptions_tenant_id_plan_id_key\"",
         error_lines=["QueryFailedError: duplicate key value violates unique constraint \"subscriptions_tenant_id_plan_id_key\"",
                      "  detail: 'Key (tenant_id, plan_id)=(t_4821, plan_pro) already exists.'"],
         frames=[("changePlan", "src/services/billing.ts", 301, 5, True), ("handlePlan", "src/api/router.ts", 63, 12, True)],
         tail="ticks", files=["src/services/billing.ts"],
         members=[
             dict(title="Switching back to a previous plan fails with a database error", style="prose", ev="error",
                  text="Downgraded a tenant from Pro to Starter last week, today tried to upgrade back to Pro and got a 500:"),
             dict(title="QueryFailedError when downgrading and then upgrading a plan", style="logs", ev="stack", close="duplicate",
                  text="Reproducible on staging: change plan Pro → Starter → Pro."),
             dict(title="Plan change returns 500", style="terse", ev="",
                  text="Log says duplicate key value violates unique constraint \"subscriptions_tenant_id_plan_id_key\". Looks like `changePlan` only marks the old subscription `cancelled` instead of deleting it, so the insert for the same plan collides."),
         ]),
    dict(key="due-date-utc", lang="ui", area="billing", kind="bug", difficulty="hard",
         note="due dates a day early: two mention formatDueDate/toISOString, the third only describes the symptom with timezone",
         files=["src/utils/formatDueDate.ts", "src/components/InvoiceList.tsx"],
         members=[
             dict(title="Invoice due dates shown one day early for US customers", style="prose", ev="",
                  text="A customer in America/Los_Angeles sees due date @D+9@ in the dashboard while the PDF says @D+10@. `formatDueDate` uses `toISOString().slice(0, 10)`, which converts to UTC first."),
             dict(title="formatDueDate should use the account timezone, not UTC", style="terse", ev="",
                  text="In `src/components/InvoiceList.tsx` the due date column goes through `formatDueDate`, which does `new Date(invoice.dueDate).toISOString().slice(0, 10)`. Any account west of UTC sees the previous day."),
             dict(title="Dashboard and email disagree on the due date", style="question", ev="",
                  text="The reminder email says the invoice is due @M+10@, the dashboard says @M+9@. We are in Chicago. Is this a timezone thing?"),
         ]),
    dict(key="redis-optional", lang="node", area="infra", kind="bug", difficulty="easy",
         note="server exits without Redis although the cache is optional: both quote the ioredis error",
         error="Error: connect ECONNREFUSED 127.0.0.1:6379",
         error_lines=["[ioredis] Unhandled error event: Error: connect ECONNREFUSED 127.0.0.1:6379"],
         frames=[("TCPConnectWrap.afterConnect [as oncomplete]", "node:net", 1555, 16, False)],
         files=["src/db/client.ts", "docs/getting-started.md"],
         members=[
             dict(title="Dev server exits when Redis is not running", style="form", ev="stack repro expected", close="completed",
                  repro=["Unset `REDIS_URL`", "Run `pnpm dev`"],
                  expected="The app starts with the cache disabled, as docs/getting-started.md says.",
                  text="`createCache` in `src/db/client.ts` always connects to localhost even when `REDIS_URL` is unset."),
             dict(title="[ioredis] Unhandled error event: connect ECONNREFUSED 127.0.0.1:6379", style="terse", ev="error", close="completed",
                  text="Running `pnpm dev` without a local Redis spams this line and then the process exits. The getting started guide says Redis is optional."),
         ]),
    dict(key="scheduler-oom", lang="node", area="infra", kind="bug", difficulty="medium",
         note="scheduler leaks memory through jobHistory: two quote the heap OOM line, one only names jobHistory/startJobs",
         error="FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
         files=["src/jobs/scheduler.ts"],
         snippets={"gc": ("", "<--- Last few GCs --->\n\n[7:0x5a1c2e0] 172801234 ms: Mark-Compact 2042.1 (2083.4) -> 2039.8 (2084.9) MB, 1712.44 / 0.00 ms  (average mu = 0.112, current mu = 0.031) allocation failure; scavenge might not succeed\n\n<--- JS stacktrace --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xb7b3e0 node::Abort() [node]\n 2: 0xa8e823  [node]")},
         members=[
             dict(title="Scheduler container OOM-killed every ~2 days", style="prose", ev="snip:gc", labels=["performance"],
                  text="Memory of the scheduler pod grows linearly until it dies. A heap snapshot shows a huge `jobHistory` array in `src/jobs/scheduler.ts` retaining every run."),
             dict(title="Memory leak: jobHistory is never trimmed", style="terse", ev="",
                  text="`startJobs` pushes every run result into `jobHistory` and nothing ever removes entries. After 48h that is millions of objects. Keep the last N per job?"),
             dict(title="Worker pod restarts with 'JavaScript heap out of memory'", style="prose", ev="error",
                  text="Our scheduler deployment restarts roughly every 50 hours; the memory graph is a perfect sawtooth. Last log line before each restart:"),
         ]),
    dict(key="ordertable-key", lang="browser", area="ui", kind="bug", difficulty="easy",
         note="exact re-post (same author, same text, minutes apart)",
         error="Warning: Each child in a list should have a unique \"key\" prop.",
         error_lines=["Warning: Each child in a list should have a unique \"key\" prop.", "", "Check the render method of `OrderTable`. See https://reactjs.org/link/warning-keys for more information."],
         frames=[("OrderRow", "src/components/OrderTable.tsx", 58, 7, False), ("OrderTable", "src/components/OrderTable.tsx", 112, 9, False)],
         files=["src/components/OrderTable.tsx"],
         members=[
             dict(title="React key warning in OrderTable", style="prose", ev="stack:top2", author="lin-w",
                  text="The orders page logs this warning on every render. `OrderTable` maps rows with `key={index}` in one branch and no key in the grouped branch."),
             dict(repost=True, close="duplicate"),
         ]),
    dict(key="header-hydration", lang="browser", area="ui", kind="bug", difficulty="medium",
         note="hydration mismatch from the last-login date in Header: one pastes the React errors, the other explains lastLoginAt/toLocaleDateString",
         error="Error: Hydration failed because the initial UI does not match what was rendered on the server.",
         error_lines=["Warning: Text content did not match. Server: \"@MY-1@\" Client: \"@MY0@\"",
                      "Error: Hydration failed because the initial UI does not match what was rendered on the server."],
         frames=[("LastLogin", "src/components/Header.tsx", 44, 13, False), ("Header", "src/components/Header.tsx", 21, 5, False)],
         files=["src/components/Header.tsx"],
         members=[
             dict(title="Hydration error on the dashboard", style="classic", ev="stack env",
                  text="Every full page load of /dashboard logs a hydration error and the header flickers."),
             dict(title="Header shows a different 'last login' date after page load", style="prose", ev="",
                  text="`Header.tsx` renders `lastLoginAt` with `toLocaleDateString()` on the server (UTC) and again on the client (local time), so around midnight the text changes after hydration and React throws away the server HTML."),
         ]),
    dict(key="postal-code-number", lang="browser", area="orders", kind="bug", difficulty="medium",
         note="postal code sent as a number: ZodError JSON (shared path shippingAddress.postalCode) vs explanation of AddressForm",
         error="ZodError",
         error_lines=["ZodError: [", "  {", "    \"code\": \"invalid_type\",", "    \"expected\": \"string\",", "    \"received\": \"number\",",
                      "    \"path\": [", "      \"shippingAddress\",", "      \"postalCode\"", "    ],", "    \"message\": \"Expected string, received number\"", "  }", "]"],
         frames=[("submitCheckout", "src/components/CheckoutForm.tsx", 77, 19, True)],
         files=["src/components/AddressForm.tsx", "src/components/CheckoutForm.tsx"],
         members=[
             dict(title="US ZIP codes rejected at checkout (Expected string, received number)", style="form", ev="error repro",
                  repro=["Go to checkout", "Enter a US address with ZIP `02134`", "Click *Pay now*"],
                  text="Checkout fails for US addresses, the form shows \"Invalid address\"."),
             dict(title="AddressForm sends postalCode as a number", style="terse", ev="",
                  text="`AddressForm` uses `<input type=\"number\">` for the postal code, so the payload has `postalCode: 2134` (the leading zero is lost too) and `addressSchema` rejects it because it expects a string."),
             dict(title="Error on checkout", style="prose", ev="error",
                  text="Trying to pay for my order, the page says the address is invalid. Console shows:"),
         ]),
    dict(key="ratelimit-headers", lang=None, area="api", kind="feature", difficulty="medium",
         note="feature request for rate-limit headers, three phrasings; shared identifiers X-RateLimit-Remaining / Retry-After",
         files=["src/api/router.ts"],
         members=[
             dict(title="Expose rate limit headers on the public API", style="feature", ev="",
                  text="Our integration gets `429 Too Many Requests` without any hint how long to wait.",
                  sol="Return `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `Retry-After` from the rate limiter in `src/api/router.ts`.",
                  alt="Hard-coding a sleep on our side."),
             dict(title="Please send Retry-After with 429 responses", style="prose", ev="",
                  text="The API answers 429 when we sync orders, but there is no `Retry-After` header, so our client retries immediately and gets throttled even harder. `X-RateLimit-Remaining` would also help to pace requests."),
             dict(title="API: document and return rate limit information", style="feature", ev="",
                  text="docs/api.md does not say what the limits are and responses carry no rate limit headers.",
                  sol="Document the limits and add the usual `X-RateLimit-*` headers plus `Retry-After` on 429."),
         ]),
    dict(key="audit-cursor", lang="node", area="reports", kind="bug", difficulty="hard",
         note="hard: keyset pagination skips rows with equal createdAt; one names listAuditEvents/cursor, the other only counts missing rows",
         files=["src/services/users.ts"],
         members=[
             dict(title="Audit log pagination skips events", style="prose", ev="",
                  text="When many events share the same `createdAt` (bulk imports write hundreds per millisecond), page 2 starts strictly after the last timestamp of page 1, so the remaining events with that timestamp are never shown. `listAuditEvents` uses `WHERE created_at > $cursor` without a tie-breaker on `id`."),
             dict(title="Missing entries when exporting the audit log through the API", style="classic", ev="",
                  text="We export audit events through `/api/audit?cursor=…` page by page. For @D-3@ we get 1,000 events, the database has 1,143. All missing ones have the same timestamp as the last event of a page."),
         ]),
    dict(key="heic-avatar", lang="node", area="accounts", kind="bug", difficulty="medium", close="completed",
         note="HEIC avatar uploads rejected: both quote 'upload unsupported kind: image/heic'",
         error="Error: upload unsupported kind: image/heic",
         files=["src/services/users.ts"],
         members=[
             dict(title="Can't upload a profile picture from my iPhone", style="question", ev="",
                  text="Picking a photo from my iPhone gives \"Upload failed\". The network tab shows a 415 with `{\"error\":\"upload unsupported kind: image/heic\"}`. Other photos from my laptop work."),
             dict(title="Accept HEIC avatars (convert server-side)", style="prose", ev="",
                  text="`validateUpload` only allows `image/png`, `image/jpeg` and `image/webp`. iOS uploads HEIC by default, so they fail with `upload unsupported kind: image/heic`. Converting to JPEG on upload would fix it."),
         ]),
    dict(key="de-notification-strings", lang="browser", area="notifications", kind="bug", difficulty="hard",
         note="missing German strings in notification settings: two quote the i18n key, the third (in German UI terms) only describes the page",
         error="[i18n] Missing key \"notifications.settings.digest\" for locale \"de\"",
         files=["locales/de.json"],
         members=[
             dict(title="Notification settings partly in English when the language is German", style="prose", ev="error",
                  text="With the UI set to Deutsch, the notification settings page shows \"Daily digest\" and \"Quiet hours\" in English. Console:"),
             dict(title="[i18n] Missing key notifications.settings.digest for de", style="terse", ev="",
                  text="Also `notifications.settings.quietHours`. `locales/de.json` has no `notifications.settings` block at all."),
             dict(title="Einstellungen → Benachrichtigungen: untranslated strings", style="prose", ev="",
                  text="Under Einstellungen → Benachrichtigungen the options \"Daily digest\" and \"Quiet hours\" are shown in English, everything else on the page is German."),
         ]),
    dict(key="tax-rounding", lang="node", area="billing", kind="bug", difficulty="medium",
         note="tax rounded per line instead of on the sum: both name calculateTaxTotals, only one has numbers",
         files=["src/services/billing.ts"],
         members=[
             dict(title="Tax total off by one cent on multi-line invoices", style="prose", ev="",
                  text="Invoice with 3 × 19.99 at 8.875 % shows tax 5.31; our accounting system (and the PDF) say 5.32. Looks like `calculateTaxTotals` rounds every line before summing."),
             dict(title="calculateTaxTotals rounds each line item", style="terse", ev="",
                  text="`calculateTaxTotals` in `src/services/billing.ts` calls `Math.round` per line. Tax must be rounded once on the invoice total, otherwise totals drift by a cent."),
         ]),
    dict(key="refund-remaining", lang="node", area="billing", kind="bug", difficulty="easy",
         note="second partial refund rejected: both quote 'refund limit exceeded: 1999'",
         error="Error: refund limit exceeded: 1999",
         frames=[("createRefund", "src/services/billing.ts", 402, 13, True), ("handleRefund", "src/api/router.ts", 71, 20, True)],
         tail="express", files=["src/services/billing.ts"],
         members=[
             dict(title="Can't refund the rest of a partially refunded payment", style="form", ev="stack repro expected",
                  repro=["Take a payment of 29.99", "Refund 10.00", "Refund the remaining 19.99"],
                  expected="The second refund succeeds and the payment is fully refunded.",
                  text="The second partial refund is rejected although the amount is exactly what is left."),
             dict(title="Second partial refund fails with 'refund limit exceeded'", style="prose", ev="error",
                  text="`createRefund` seems to compare against the already refunded amount instead of the remaining one."),
         ]),
    dict(key="reconcile-currency-keyerror", lang="py", area="worker", kind="bug", difficulty="medium",
         note="KeyError 'currency' in reconcile_payment_batch: full traceback, last frame only, and a traceback with /app paths",
         error="KeyError: 'currency'",
         frames=[("main", "worker/main.py", 44, "result = job.run(batch)"),
                 ("run", "worker/payment/jobs.py", 19, "return reconcile_payment_batch(rows)"),
                 ("reconcile_payment_batch", "worker/payment/reconcile_payments.py", 88, "totals[row[\"currency\"]] += row[\"amount\"]")],
         files=["worker/payment/reconcile_payments.py"],
         members=[
             dict(title="Payment reconciliation job fails for legacy payments", style="form", ev="stack expected env",
                  expected="Rows without a currency fall back to the account currency.",
                  text="The nightly reconciliation stops at the first payment imported before 2022 (those rows have no currency)."),
             dict(title="reconcile_payment_batch: KeyError for rows without currency", style="terse", ev="stack:last",
                  text="Old rows don't have the key:"),
             dict(title="Nightly reconciliation didn't run", style="logs", ev="stack", root="/app/", close="duplicate",
                  text="No reconciliation report this morning. Worker log:"),
         ]),
    dict(key="import-empty-quantity", lang="py", area="worker", kind="bug", difficulty="easy",
         note="CSV import ValueError on an empty cell; includes an exact re-post",
         error="ValueError: invalid literal for int() with base 10: ''",
         frames=[("main", "worker/import/cli.py", 22, "import_customers(args.path)"),
                 ("import_customers", "worker/import/import_customers.py", 61, "for row in map(parse_row, reader):"),
                 ("parse_row", "worker/import/import_customers.py", 34, "quantity=int(raw[\"quantity\"]),")],
         files=["worker/import/import_customers.py"],
         members=[
             dict(title="Customer CSV import fails if a quantity cell is empty", style="prose", ev="stack", author="ines-c",
                  text="Importing our customer list stops with the traceback below. Row 212 has an empty `quantity`."),
             dict(repost=True, close="duplicate"),
             dict(title="import_customers: ValueError: invalid literal for int() with base 10: ''", style="terse", ev="",
                  text="`parse_row` calls `int()` on the raw cell; empty cells should become `None` or 0."),
         ]),
    dict(key="summaries-none-duedate", lang="py", area="worker", kind="bug", difficulty="medium", close="completed",
         note="sort on None dueDate in summarize_reports: same error line, different framing",
         error="TypeError: '<' not supported between instances of 'NoneType' and 'str'",
         frames=[("weekly", "worker/report/cron.py", 15, "summarize_reports(load_reports(week))"),
                 ("summarize_reports", "worker/report/summarize_reports.py", 73, "reports.sort(key=lambda x: x[\"dueDate\"])")],
         files=["worker/report/summarize_reports.py"],
         members=[
             dict(title="Weekly report summary crashes when a report has no due date", style="classic", ev="stack",
                  text="The weekly summary email was not sent. The worker failed with:"),
             dict(title="summarize_reports: sorting breaks on reports without dueDate", style="terse", ev="error",
                  text="`summarize_reports` sorts by `x[\"dueDate\"]`, which is `None` for drafts."),
         ]),
    dict(key="export-since-nil", lang="go", area="tools", kind="bug", difficulty="medium",
         note="Go export CLI nil dereference when --since is omitted: full goroutine trace vs one-line panic + identifiers",
         error="panic: runtime error: invalid memory address or nil pointer dereference",
         go_header=["[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b2f3e]"],
         frames=[("github.com/acme/webapp/tools/export.ExportOrders", "{0x7f3c2a, 0xc0000b6000}, 0x0", "tools/export/export_orders.go", 57, "1de"),
                 ("main.main", "", "tools/export/cmd/main.go", 31, "2a5")],
         files=["tools/export/export_orders.go"],
         members=[
             dict(title="export CLI panics when --since is not given", style="prose", ev="stack", root="/home/runner/work/webapp/webapp/",
                  text="`go run ./tools/export/cmd orders --format csv` without `--since`:"),
             dict(title="tools/export: nil pointer dereference in ExportOrders", style="terse", ev="stack:short",
                  text="`ExportOrders` dereferences `opts.Since` without a nil check."),
         ]),
    dict(key="inventory-map-race", lang="go", area="tools", kind="bug", difficulty="medium",
         note="concurrent map writes in SyncInventory with several workers",
         error="fatal error: concurrent map writes",
         goroutine="goroutine 23 [running]:",
         frames=[("github.com/acme/webapp/tools/inventory.(*Syncer).record", "0xc000122000, {0xc00001a0f0, 0x6}, 0x3", "tools/inventory/sync_inventory.go", 88, "8c"),
                 ("github.com/acme/webapp/tools/inventory.SyncInventory.func1", "", "tools/inventory/sync_inventory.go", 54, "1a5")],
         files=["tools/inventory/sync_inventory.go"],
         members=[
             dict(title="inventory sync crashes with 'concurrent map writes'", style="prose", ev="stack env",
                  text="Running the inventory sync with `-workers 8` dies after a few seconds, with `-workers 1` it works."),
             dict(title="Data race on stockByWarehouse in SyncInventory", style="terse", ev="error",
                  text="The worker goroutines in `SyncInventory` all write to `stockByWarehouse` without a mutex (`go test -race` complains too)."),
         ]),
    dict(key="currency-unwrap", lang="rs", area="core", kind="bug", difficulty="medium",
         note="Rust panic on unknown currency code in convert_amount: backtrace vs panic line only",
         error="called `Option::unwrap()` on a `None` value",
         loc=("crates/core/src/currency.rs", 57, 41), thread="tokio-runtime-worker",
         rs_std=[("core::panicking::panic", f"{RUSTC}/library/core/src/panicking.rs:146:5"),
                 ("core::option::unwrap_failed", f"{RUSTC}/library/core/src/option.rs:1985:5")],
         frames=[("acme_core::currency::convert_amount", "crates/core/src/currency.rs", 57, 41),
                 ("acme_core::invoice::invoice_totals", "crates/core/src/invoice.rs", 112, 23)],
         files=["crates/core/src/currency.rs"],
         members=[
             dict(title="Core panics converting amounts in currencies missing from the rate table", style="prose", ev="stack",
                  text="An invoice in HRK (removed from our rate table in 2023) takes down the worker:"),
             dict(title="thread panicked at crates/core/src/currency.rs:57:41", style="terse", ev="stack:short",
                  text="`convert_amount` unwraps `rates.get(code)`. Should return an error for unknown codes."),
         ]),
    dict(key="schedule-underflow", lang="rs", area="core", kind="bug", difficulty="hard",
         note="hard: one pastes the overflow panic, the other describes the root cause (end before start) in schedule_window",
         error="attempt to subtract with overflow",
         loc=("crates/core/src/schedule.rs", 112, 19),
         frames=[("acme_core::schedule::schedule_window", "crates/core/src/schedule.rs", 112, 19)],
         files=["crates/core/src/schedule.rs"],
         members=[
             dict(title="Debug build panics: attempt to subtract with overflow", style="prose", ev="stack:short",
                  text="Running the booking import in debug mode:"),
             dict(title="schedule_window should reject bookings that end before they start", style="prose", ev="",
                  text="`schedule_window` computes `end - start` on `u64` seconds. A booking whose end is before its start (bad import data) underflows; in release builds the window becomes ~584 billion years long."),
         ]),
    dict(key="dark-header", lang="ui", area="ui", kind="bug", difficulty="medium",
         note="header unreadable in dark mode: user-facing description vs inline style in Header.tsx",
         files=["src/components/Header.tsx"],
         members=[
             dict(title="Header text is invisible in dark mode", style="classic", ev="env",
                  text="With dark mode enabled, the account name and the navigation links in the header are white on a white background."),
             dict(title="Header.tsx hard-codes a white background", style="terse", ev="",
                  text="`src/components/Header.tsx` sets `background: '#fff'` inline, so the dark theme's `--header-bg` is ignored while `--header-fg` turns white."),
         ]),
    dict(key="safari-invalid-date", lang="ui", area="ui", kind="bug", difficulty="medium",
         note="booking calendar 'Invalid Date' in WebKit: three reports, one names parseSlot",
         files=["src/components/BookingCalendar.tsx"],
         members=[
             dict(title="Booking calendar shows 'Invalid Date' on Safari", style="form", ev="env", env={"browser": "Safari"},
                  text="Every time slot in the booking calendar reads \"Invalid Date\" in Safari. Chrome is fine."),
             dict(title="parseSlot builds a non-ISO date string (breaks in WebKit)", style="terse", ev="",
                  text="`parseSlot` in `src/components/BookingCalendar.tsx` does ``new Date(`${day} ${time}`)``. WebKit returns Invalid Date for `@D+2@ 10:00`; it needs a `T` separator."),
             dict(title="iPad: can't pick a time slot", style="question", ev="",
                  text="On my iPad the calendar shows \"Invalid Date\" in every slot so I cannot book anything."),
         ]),
    dict(key="docker-dist", lang="node", area="infra", kind="bug", difficulty="medium", after=RELEASES[3][1],
         note="2.14.0 image does not start: two quote the missing module error, one explains the Dockerfile paths",
         error="Error: Cannot find module '/app/dist/server.js'",
         error_lines=["node:internal/modules/cjs/loader:1143", "  throw err;", "  ^", "",
                      "Error: Cannot find module '/app/dist/server.js'"],
         frames=[("Module._resolveFilename", "node:internal/modules/cjs/loader", 1140, 15, False),
                 ("Module._load", "node:internal/modules/cjs/loader", 981, 27, False)],
         files=["Dockerfile"],
         members=[
             dict(title="Crash on startup with the 2.14.0 Docker image", style="prose", ev="stack", close="completed",
                  text="`docker run acme/webapp:2.14.0` exits immediately:"),
             dict(title="2.14.0 container exits: Cannot find module '/app/dist/server.js'", style="terse", ev="", close="completed",
                  text="Same with `docker compose up`. 2.13.2 starts fine."),
             dict(title="Dockerfile build stage writes build/ but CMD runs dist/server.js", style="terse", ev="", close="completed",
                  text="After the tsconfig change the build output moved to `build/`, but the runtime stage still copies `dist/` and runs `node dist/server.js`."),
         ]),
    dict(key="invoice-csv-export", lang=None, area="billing", kind="feature", difficulty="medium",
         note="feature: export invoices to CSV, three phrasings (UI, accounting, API)",
         files=[],
         members=[
             dict(title="Export invoices as CSV", style="feature", ev="",
                  text="Our finance team copies invoices from the list by hand every month.",
                  sol="An *Export* button on Billing → Invoices that downloads the filtered list as CSV (number, customer, amount, currency, due date, status)."),
             dict(title="Download the invoice list as a spreadsheet for accounting", style="prose", ev="",
                  text="Would be great to get all invoices of a month into Excel for our accountant. Right now there is no way to download the invoice list."),
             dict(title="API: GET /api/invoices?format=csv", style="feature", ev="",
                  text="We pull invoices into our ERP. JSON pagination over thousands of invoices is slow.",
                  sol="Support `format=csv` on the invoice list endpoint, streaming all matching invoices."),
         ]),
    dict(key="totp-2fa", lang=None, area="accounts", kind="feature", difficulty="medium",
         note="feature: two-factor authentication with authenticator apps, four phrasings",
         files=[],
         members=[
             dict(title="Support two-factor authentication (TOTP)", style="feature", ev="",
                  text="Accounts are protected by a password only.",
                  sol="Optional TOTP second factor with QR-code enrolment and recovery codes."),
             dict(title="Allow authenticator apps for login", style="prose", ev="",
                  text="Could we get 2FA with Google Authenticator / 1Password one-time codes? Most of our other tools support it."),
             dict(title="MFA for admin accounts (needed for our SOC 2 audit)", style="feature", ev="",
                  text="Our auditors require multi-factor authentication for every admin of the billing system.",
                  sol="Let tenant owners enforce TOTP-based MFA for admins."),
             dict(title="2FA?", style="question", ev="",
                  text="Is two-factor auth on the roadmap? One-time codes from an authenticator app would be enough for us."),
         ]),
    dict(key="bulk-archive-tickets", lang=None, area="ui", kind="feature", difficulty="medium",
         note="feature: bulk archive in the ticket list",
         files=[],
         members=[
             dict(title="Bulk archive tickets", style="feature", ev="",
                  text="Cleaning up after a release means archiving 50+ tickets one by one.",
                  sol="Checkboxes in the ticket list and an *Archive selected* action."),
             dict(title="Select several tickets and archive them at once", style="prose", ev="",
                  text="A multi-select in the tickets table with an archive action would save us a lot of clicking."),
         ]),
    dict(key="webhook-secret-rotation", lang=None, area="notifications", kind="feature", difficulty="medium",
         note="feature: rotate the webhook signing secret without downtime (two active secrets)",
         files=["src/api/router.ts"],
         members=[
             dict(title="Rotate the webhook signing secret without downtime", style="feature", ev="",
                  text="Rotating the signing secret breaks verification for all receivers until they deploy the new one.",
                  sol="Keep the old secret valid for a grace period and sign with both (two `X-Acme-Signature` values)."),
             dict(title="Support two active webhook secrets during rotation", style="prose", ev="",
                  text="Stripe-style rotation: new secret + old secret both accepted/sent for 24h. Today a rotation is an outage for our receivers."),
         ]),
    dict(key="orders-saved-views", lang=None, area="ui", kind="feature", difficulty="medium",
         note="feature: save filter combinations on the orders list",
         files=[],
         members=[
             dict(title="Saved filter presets on the orders page", style="feature", ev="",
                  text="Every morning I set the same filters on the orders page (status = pending, region = EU, last 7 days).",
                  sol="Let me save a filter combination under a name and pick it from a dropdown."),
             dict(title="Saved views for the orders list", style="prose", ev="",
                  text="Named views (status + region + date range) for the orders list, like saved searches in other tools."),
         ]),
    dict(key="ticket-shortcuts", lang=None, area="ui", kind="feature", difficulty="easy",
         note="exact re-post of a feature request",
         files=[],
         members=[
             dict(title="Keyboard shortcuts for the ticket list (j/k, e to archive)", style="prose", ev="", author="chenyu",
                  text="Moving through tickets with the mouse is slow. Gmail-style shortcuts would help: `j`/`k` to move, `o` to open, `e` to archive."),
             dict(repost=True, close="duplicate"),
         ]),
    dict(key="slack-alerts", lang=None, area="notifications", kind="feature", difficulty="medium",
         note="feature: deliver alerts to Slack, three phrasings",
         files=[],
         members=[
             dict(title="Send alert notifications to Slack", style="feature", ev="",
                  text="We only get alerts by email and nobody reads those at night.",
                  sol="A Slack channel as an alert destination (incoming webhook URL per alert rule)."),
             dict(title="Slack integration for metric alerts", style="prose", ev="",
                  text="When a metric alert fires we'd like a message in #ops. Is a Slack integration planned?"),
             dict(title="Post alerts to a Slack channel via incoming webhook", style="feature", ev="",
                  text="Email-only alerting is not enough for on-call.",
                  sol="Allow an incoming-webhook URL on an alert rule and post the alert summary there."),
         ]),
    dict(key="docs-database-uri", lang=None, area="infra", kind="bug", difficulty="medium",
         note="docs name DATABASE_URI but the app reads DATABASE_URL: docs report vs user symptom",
         files=["docs/configuration.md", "src/config.ts"],
         members=[
             dict(title="docs/configuration.md says DATABASE_URI but the app reads DATABASE_URL", style="terse", ev="", labels=["documentation"],
                  text="`src/config.ts` reads `process.env.DATABASE_URL`; the configuration docs list `DATABASE_URI`."),
             dict(title="App ignores DATABASE_URI and connects to localhost", style="prose", ev="",
                  text="I followed docs/configuration.md and set `DATABASE_URI=postgres://…` in the environment, but the app still tries `localhost:5432`."),
         ]),
    dict(key="flaky-scheduler-spec", lang="node", area="infra", kind="bug", difficulty="medium",
         note="flaky test: same test name and timeout in both",
         error="Error: Test timed out in 5000ms.",
         files=["test/jobs/scheduler.spec.ts"],
         snippets={"vitest": ("", " FAIL  test/jobs/scheduler.spec.ts > scheduler > retries failed jobs with backoff\nError: Test timed out in 5000ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with \"testTimeout\".\n ❯ test/jobs/scheduler.spec.ts:41:3")},
         members=[
             dict(title="Flaky: scheduler.spec.ts 'retries failed jobs with backoff'", style="prose", ev="snip:vitest", author="github-actions[bot]", labels=["ci"], close="completed",
                  text="This test failed on `main`."),
             dict(title="CI red again: scheduler backoff test times out", style="terse", ev="", labels=["ci"], close="completed",
                  text="`retries failed jobs with backoff` in test/jobs/scheduler.spec.ts hits the 5000ms timeout about one run in ten. It uses real timers; should use `vi.useFakeTimers()`."),
         ]),
    dict(key="reset-link-prefetch", lang="node", area="accounts", kind="bug", difficulty="hard",
         note="password reset links consumed by mail scanners: only one report knows the cause (GET consumes the token); the others describe the symptom",
         files=["src/services/users.ts"],
         members=[
             dict(title="Password reset link already expired when clicked (Outlook users)", style="prose", ev="",
                  text="Several customers on Microsoft 365 say the reset link shows \"This link has expired or was already used\" the first time they click it."),
             dict(title="Reset token is consumed by GET; email security scanners invalidate it", style="terse", ev="",
                  text="`GET /reset-password/:token` calls `consumeResetToken` immediately. Safe Links and similar scanners fetch the URL before the user does. The GET should only render the form; consume on POST."),
             dict(title="Can't reset my password: 'This link has expired or was already used'", style="question", ev="",
                  text="I requested a reset three times, every link says it has expired or was already used. I click it within a minute. Our company uses Outlook."),
         ]),
    dict(key="customers-n-plus-one", lang="node", area="orders", kind="bug", difficulty="medium",
         note="customers page N+1 query: query log vs symptom + function name",
         files=["src/services/orders.ts"],
         snippets={"sql": ("sql", "SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 5  -- repeated 200×\nSELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 5\nSELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 5")},
         members=[
             dict(title="N+1 queries in getCustomerOrders", style="prose", ev="snip:sql", labels=["performance"],
                  text="The customers page runs one orders query per customer row. `getCustomerOrders` is called inside the `map` over customers."),
             dict(title="Customers page takes 12 seconds to load", style="classic", ev="",
                  text="With ~200 customers on a page, the list takes 12s. The database log shows the same `SELECT * FROM orders WHERE customer_id = $1` query hundreds of times per page load."),
         ]),
    dict(key="webhook-410", lang="node", area="notifications", kind="bug", difficulty="medium",
         note="webhook retries never stop on 410 Gone",
         files=["src/jobs/scheduler.ts"],
         snippets={"log": ("", "webhook delivery failed {\"webhookId\":\"wh_77\",\"status\":410,\"attempt\":312}\nwebhook delivery failed {\"webhookId\":\"wh_77\",\"status\":410,\"attempt\":313}")},
         members=[
             dict(title="Webhook deliveries retried forever after 410 Gone", style="prose", ev="snip:log",
                  text="A receiver that was decommissioned answers 410 and we keep retrying it every minute for weeks:"),
             dict(title="deliverWebhook should disable the endpoint on 410", style="terse", ev="",
                  text="`deliverWebhook` treats every non-2xx as retryable. 410 Gone means the endpoint is gone for good; we should stop and disable the webhook."),
         ]),
]

# ---------------------------------------------------------------- look-alikes that are NOT duplicates
# One-report topics; NEGATIVE_PAIRS pairs them with each other or with a cluster member
# ("topic-key:index").

SAME_ENV = {"version": "2.13.2", "node": "20.11.0", "browser": "Chrome 121", "os": "macOS 14.2", "deploy": "Docker (acme/webapp image)"}
SAME_ENV_AFTER = dt.datetime(2024, 1, 25, tzinfo=dt.timezone.utc)

NEG_ISSUES: list[dict] = [
    dict(key="neg-cart-total", lang="browser", area="orders", kind="bug", files=["src/components/CartSummary.tsx"],
         error="TypeError: Cannot read properties of undefined (reading 'total')",
         frames=[("CartSummary", "src/components/CartSummary.tsx", 31, 42, False), ("CartPage", "src/components/CartPage.tsx", 18, 7, False)],
         member=dict(title="Cart summary crashes right after login", style="classic", ev="stack env",
                     text="If I log in while my cart is still being merged with the anonymous cart, the cart sidebar goes blank. `CartSummary` renders before `cart.totals` is loaded.")),
    dict(key="neg-refund-currency", lang="node", area="billing", kind="bug", files=["src/services/billing.ts"],
         error="TypeError: Cannot read properties of null (reading 'currency')",
         frames=[("getPaymentCurrency", "src/services/billing.ts", 214, 30, False), ("listRefunds", "src/services/billing.ts", 388, 17, True),
                 ("handleRefunds", "src/api/router.ts", 74, 11, True)],
         tail="express",
         member=dict(title="Refunds list returns 500 for payments from the legacy importer", style="form", ev="stack env",
                     text="Billing → Refunds fails to load for tenants migrated from the old system. Their payments have no `method` row, so `getPaymentCurrency` gets `null`.",
                     expected="Refunds list loads; refunds of legacy payments use the account currency.")),
    dict(key="neg-warehouse-startup", lang="go", area="tools", kind="bug", files=["tools/warehouse/cmd/main.go"], close="completed",
         error="panic: runtime error: index out of range [2] with length 2",
         frames=[("main.parseFlags", "{0xc00001e0a0, 0x2, 0x2}", "tools/warehouse/cmd/main.go", 48, "3b4"),
                 ("main.main", "", "tools/warehouse/cmd/main.go", 19, "45")],
         member=dict(title="Crash on startup after upgrading", style="prose", ev="stack",
                     text="The warehouse CLI crashes immediately after upgrading when it is called by our old wrapper script (it passes `--region` without a value):")),
    dict(key="neg-sso-loop", lang=None, area="accounts", kind="bug", files=["src/api/router.ts"],
         member=dict(title="Can't log in: Google SSO sends me back to the login page", style="prose", ev="",
                     text="After choosing my Google account I land on /login again, in a loop. The `acme_session` cookie is set on `/auth/callback` with `SameSite=Strict`, so the browser drops it on the cross-site redirect.")),
    dict(key="neg-safari-login", lang="browser", area="accounts", kind="bug", files=["src/components/LoginForm.tsx"],
         error="TypeError: undefined is not an object (evaluating 'window.PasswordCredential.prototype')",
         frames=[("handleSubmit", "src/components/LoginForm.tsx", 33, 28, False)],
         member=dict(title="Can't log in on Safari: the login button does nothing", style="classic", ev="stack:top2", env={"browser": "Safari"},
                     text="Clicking *Log in* on Safari does nothing; no request is sent. Console:")),
    dict(key="neg-orders-filter", lang="ui", area="ui", kind="bug", files=["src/components/OrdersPage.tsx"], close="completed", after=SAME_ENV_AFTER,
         member=dict(title="Orders page: status filter resets when changing the page", style="form", ev="repro expected env", env=SAME_ENV,
                     repro=["Log in as an admin", "Open Orders", "Set the status filter to *Pending*", "Go to page 2"],
                     expected="The filter stays applied on every page.",
                     text="On the orders page the status filter is lost as soon as I move to another page; page 2 shows every status again.")),
    dict(key="neg-reports-range", lang="ui", area="reports", kind="bug", files=["src/components/ReportsPage.tsx"], after=SAME_ENV_AFTER,
         member=dict(title="Reports page: date range ignored when exporting", style="form", ev="repro expected env", env=SAME_ENV,
                     repro=["Log in as an admin", "Open Reports", "Set the date range to *Last 7 days*", "Click *Export*"],
                     expected="The export only contains reports in the selected range.",
                     text="On the reports page the exported file contains every report, whatever date range is selected.")),
    dict(key="neg-os-dark-mode", lang=None, area="ui", kind="feature", files=[],
         member=dict(title="Follow the operating system's dark mode setting", style="feature", ev="",
                     text="Dark mode has to be switched on by hand in the profile settings.",
                     sol="Default the theme to `prefers-color-scheme` until the user picks one explicitly.")),
    dict(key="neg-webhook-unicode", lang="node", area="notifications", kind="bug", files=["src/api/router.ts"],
         member=dict(title="Webhook signature verification fails for payloads with non-ASCII characters", style="prose", ev="",
                     text="Our receiver rejects `X-Acme-Signature` whenever a customer name contains e.g. \"Müller\". The HMAC is computed over `JSON.stringify(payload)` but the body that goes out is re-encoded with `\\u00fc` escapes, so the bytes differ.")),
    dict(key="neg-smtp-question", lang=None, area="notifications", kind="question", files=["docs/configuration.md"], close="completed",
         member=dict(title="How do I configure SMTP for notification emails?", style="question", ev="",
                     text="We self-host and want notification emails to go through our own mail server. Which environment variables does the mailer read? docs/configuration.md only mentions `SMTP_HOST`.")),
    dict(key="neg-checkout-502", lang="node", area="billing", kind="bug", files=["src/services/billing.ts", "src/services/orders.ts"], close="completed",
         error="AxiosError: Request failed with status code 502",
         frames=[("settle", "node_modules/axios/lib/core/settle.js", 19, 12, False), ("createPaymentIntent", "src/services/billing.ts", 356, 22, True),
                 ("submitOrder", "src/services/orders.ts", 148, 9, True)],
         tail="ticks",
         member=dict(title="Error on checkout", style="prose", ev="stack",
                     text="Since this morning every checkout fails. The payment provider's status page reports an incident, but we show a generic error and the order stays `pending` forever.")),
    dict(key="neg-reconcile-zerodiv", lang="py", area="worker", kind="bug", files=["worker/payment/reconcile_payments.py"],
         error="ZeroDivisionError: division by zero",
         frames=[("main", "worker/main.py", 44, "result = job.run(batch)"),
                 ("run", "worker/payment/jobs.py", 19, "return reconcile_payment_batch(rows)"),
                 ("reconcile_payment_batch", "worker/payment/reconcile_payments.py", 97, "stats[\"average\"] = average_amount(amounts)"),
                 ("average_amount", "worker/payment/reconcile_payments.py", 112, "return sum(amounts) / len(amounts)")],
         member=dict(title="Reconciliation fails for a day without payments", style="form", ev="stack env",
                     text="On public holidays there are no payments and the reconciliation job crashes instead of writing an empty report.")),
    dict(key="neg-export-batches", lang="go", area="tools", kind="bug", files=["tools/export/batches.go", "tools/export/export_orders.go"],
         error="panic: runtime error: index out of range [5] with length 5",
         frames=[("github.com/acme/webapp/tools/export.splitBatches", "{0xc0001a4000, 0x5, 0x5}, 0x64", "tools/export/batches.go", 23, "f4"),
                 ("github.com/acme/webapp/tools/export.ExportOrders", "{0x7f3c2a, 0xc0000b6000}, 0xc000012180", "tools/export/export_orders.go", 71, "2b1"),
                 ("main.main", "", "tools/export/cmd/main.go", 31, "2a5")],
         member=dict(title="export: index out of range when --batch-size is bigger than the row count", style="prose", ev="stack",
                     text="`export orders --since @D-30@ --batch-size 100` on a tenant with only 5 orders:")),
    dict(key="neg-minor-units", lang="rs", area="core", kind="bug", files=["crates/core/src/currency.rs"],
         error="attempt to multiply with overflow",
         loc=("crates/core/src/currency.rs", 88, 9),
         frames=[("acme_core::currency::to_minor_units", "crates/core/src/currency.rs", 88, 9),
                 ("acme_core::invoice::invoice_totals", "crates/core/src/invoice.rs", 97, 30)],
         member=dict(title="to_minor_units overflows for large amounts", style="prose", ev="stack",
                     text="An invoice total of 2e17 IDR overflows `i64` when converted to minor units (debug build):")),
    dict(key="neg-due-date-locale", lang="ui", area="billing", kind="bug", files=["src/utils/formatDueDate.ts"],
         member=dict(title="formatDueDate ignores the user's locale (MM/DD/YYYY for en-GB)", style="terse", ev="",
                     text="`formatDueDate` always formats with `en-US`, so British users read 05/14/2024 as nonsense. It should use the account locale.")),
    dict(key="neg-product-csv-import", lang=None, area="orders", kind="feature", files=[],
         member=dict(title="Import products from a CSV file", style="feature", ev="",
                     text="Setting up a new shop means creating hundreds of products by hand.",
                     sol="Upload a CSV of products (sku, name, price, stock) on Products → Import.")),
    dict(key="neg-passkeys", lang=None, area="accounts", kind="feature", files=[],
         member=dict(title="Support passkeys (WebAuthn) for sign-in", style="feature", ev="",
                     text="Passwords are the weakest part of our login flow and users reuse them.",
                     sol="Passkeys as a passwordless sign-in method, registered from the profile page.")),
    dict(key="neg-flaky-router", lang="node", area="infra", kind="bug", files=["test/api/router.spec.ts"], close="completed",
         error="Error: Test timed out in 5000ms.",
         snippets={"vitest": ("", " FAIL  test/api/router.spec.ts > router > returns 404 for unknown routes\nError: Test timed out in 5000ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with \"testTimeout\".\n ❯ test/api/router.spec.ts:88:5")},
         member=dict(title="Flaky: router.spec.ts 'returns 404 for unknown routes'", style="prose", ev="snip:vitest", author="github-actions[bot]", labels=["ci"],
                     text="This test failed on `main`.")),
    dict(key="neg-migrate-econnrefused", lang="node", area="infra", kind="bug", files=[".github/workflows/ci.yml"], close="completed",
         error="Error: connect ECONNREFUSED 127.0.0.1:5432",
         member=dict(title="Migrations fail in CI: connect ECONNREFUSED 127.0.0.1:5432", style="terse", ev="error", labels=["ci"],
                     text="`pnpm db:migrate` in the CI job fails because the Postgres service container is not ready when the step starts. Needs a health check.")),
    dict(key="neg-build-oom", lang="node", area="infra", kind="bug", files=["package.json"], close="completed",
         error="FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
         member=dict(title="`pnpm build` fails with JavaScript heap out of memory", style="prose", ev="error",
                     text="Building on our 4 GB CI runners fails since the icon set grew past 250 components; `NODE_OPTIONS=--max-old-space-size=6144` works around it.")),
    dict(key="neg-notificationlist-key", lang="browser", area="ui", kind="bug", files=["src/components/NotificationList.tsx"], close="completed",
         error="Warning: Each child in a list should have a unique \"key\" prop.",
         error_lines=["Warning: Each child in a list should have a unique \"key\" prop.", "", "Check the render method of `NotificationList`. See https://reactjs.org/link/warning-keys for more information."],
         frames=[("NotificationItem", "src/components/NotificationList.tsx", 22, 5, False)],
         member=dict(title="Unique key warning in NotificationList", style="terse", ev="stack:top2",
                     text="Shows up whenever the bell dropdown opens:")),
    dict(key="neg-users-email-unique", lang="node", area="accounts", kind="bug", files=["src/services/users.ts"],
         error="QueryFailedError: duplicate key value violates unique constraint \"users_email_key\"",
         error_lines=["QueryFailedError: duplicate key value violates unique constraint \"users_email_key\"",
                      "  detail: 'Key (email)=(jane@globex.com) already exists.'"],
         frames=[("createUser", "src/services/users.ts", 57, 5, True), ("handleSignup", "src/api/router.ts", 22, 14, True)],
         tail="ticks",
         member=dict(title="Sign-up fails with a 500 if the email differs only in case", style="prose", ev="stack",
                     text="Signing up as Jane@Globex.com while jane@globex.com exists gives a 500 instead of \"email already in use\". The existence check is case-sensitive, the unique index is on `lower(email)`.")),
    dict(key="neg-remember-me", lang=None, area="accounts", kind="bug", files=["src/services/users.ts"], close="completed",
         member=dict(title="'Remember me' doesn't keep me signed in after closing the browser", style="prose", ev="",
                     text="When *Remember me* is checked the session cookie still has no `Expires`/`Max-Age`, so the browser drops it on exit. Within one browser session I stay logged in for days as expected.")),
]

NEGATIVE_PAIRS = [
    ("same-error-different-component", "neg-cart-total", "invoice-total:0", "same TypeError reading 'total', but in the cart UI (CartSummary) instead of getInvoiceTotals on the server"),
    ("same-file-different-error", "neg-refund-currency", "invoice-total:0", "both stacks go through src/services/billing.ts and api/router.ts, different function and error (null 'currency' vs undefined 'total')"),
    ("same-component-different-bug", "neg-refund-currency", "refund-remaining:1", "both about refunds in billing.ts: listing legacy refunds crashes vs a partial refund rejected"),
    ("generic-words", "neg-warehouse-startup", "docker-dist:0", "'crash on startup': Go warehouse CLI flag parsing vs the 2.14.0 Docker image missing dist/"),
    ("generic-words", "neg-sso-loop", "neg-safari-login", "'can't log in': SameSite cookie on the SSO callback vs a Safari-only JS error in LoginForm"),
    ("template-boilerplate", "neg-orders-filter", "neg-reports-range", "same bug form, identical environment and step skeleton, different pages and bugs"),
    ("bug-vs-feature", "neg-os-dark-mode", "dark-header:0", "feature (follow OS theme) vs bug (header unreadable in dark mode)"),
    ("bug-vs-feature", "neg-webhook-unicode", "webhook-secret-rotation:0", "webhook signatures: encoding bug vs secret rotation request"),
    ("question-vs-bug", "neg-smtp-question", "duplicate-shipped-email:0", "notification emails: SMTP configuration question vs duplicate emails bug"),
    ("same-title-different-bug", "neg-checkout-502", "postal-code-number:2", "both titled 'Error on checkout': payment provider 502 vs postal code validation"),
    ("same-file-different-error", "neg-reconcile-zerodiv", "reconcile-currency-keyerror:0", "same traceback entry frames and file reconcile_payments.py, ZeroDivisionError in average_amount vs KeyError 'currency'"),
    ("same-file-different-error", "neg-export-batches", "export-since-nil:0", "same Go tool and ExportOrders/main frames, index out of range in splitBatches vs nil dereference"),
    ("same-file-different-error", "neg-minor-units", "currency-unwrap:0", "both panic in crates/core/src/currency.rs (invoice_totals caller), overflow in to_minor_units vs unwrap in convert_amount"),
    ("same-identifier-different-bug", "neg-due-date-locale", "due-date-utc:0", "both about formatDueDate: locale format vs UTC conversion"),
    ("same-identifier-different-bug", "neg-due-date-locale", "due-date-utc:1", "terse reports naming formatDueDate: en-US format vs toISOString/UTC"),
    ("related-feature-request", "neg-product-csv-import", "invoice-csv-export:0", "CSV import of products vs CSV export of invoices"),
    ("related-feature-request", "neg-passkeys", "totp-2fa:0", "passkeys vs TOTP second factor"),
    ("same-error-different-component", "neg-flaky-router", "flaky-scheduler-spec:0", "same vitest timeout and bot template, different test file and test"),
    ("same-error-different-component", "neg-migrate-econnrefused", "redis-optional:1", "ECONNREFUSED to Postgres 5432 in CI vs Redis 6379 in dev"),
    ("same-error-different-component", "neg-build-oom", "scheduler-oom:2", "same heap OOM line: build-time vs runtime leak in the scheduler"),
    ("same-error-different-component", "neg-notificationlist-key", "ordertable-key:0", "same React key warning, different component"),
    ("same-error-different-component", "neg-users-email-unique", "subscription-unique:0", "same unique-violation error class, different constraint (users_email_key vs subscriptions_tenant_id_plan_id_key)"),
    ("generic-words", "neg-remember-me", "session-ttl:0", "'logged out' symptoms: no Max-Age with Remember me vs SESSION_TTL unit bug"),
    ("bug-vs-feature", "orders-csv-currency:0", "invoice-csv-export:0", "CSV export: missing column in the orders export vs a new invoice export"),
]

# ---------------------------------------------------------------- unrelated single issues

FILLER: list[dict] = [
    dict(key="f-node20", kind="task", area="infra", old=True, close="completed", title="Upgrade the Docker image to Node 20 LTS",
         text="Node 18 leaves active LTS in October. The runtime stage of the Dockerfile should move to `node:20-slim`."),
    dict(key="f-proxy-docs", kind="docs", area="infra", close="completed", title="Document running behind a reverse proxy",
         text="docs/deployment.md should explain `TRUST_PROXY` and which `X-Forwarded-*` headers are honoured. We lost a day on wrong client IPs in the audit log."),
    dict(key="f-team-members-api", kind="question", area="api", close="completed", title="Is there an API to list team members?",
         text="We want to sync team membership into our HR tool. I only found `/api/teams/:id` which returns the team without members."),
    dict(key="f-recieve-typo", kind="docs", area="infra", labels=["good first issue"], title="Typo 'recieve' in docs/api.md",
         text="In the webhooks section of docs/api.md: \"you will recieve a POST request\"."),
    dict(key="f-aria-labels", kind="bug", area="ui", close="completed", title="Icon buttons in the header have no accessible name",
         text="Screen readers announce the search, notifications and account buttons in `Header.tsx` as \"button\". They need `aria-label`s."),
    dict(key="f-channel-prefs", kind="feature", area="notifications", title="Per-channel notification preferences (email vs in-app)",
         text="I want comment mentions in-app only and invoices by email only. Today notifications are either all on or all off."),
    dict(key="f-vat-number", kind="feature", area="billing", title="Show the company VAT number on invoice PDFs",
         text="EU customers need our VAT ID and theirs on the invoice. There is a `vatId` on the tenant but it is not rendered."),
    dict(key="f-billing-contacts", kind="feature", area="billing", title="Multiple billing contacts per customer",
         text="Invoices can only go to one email address. Larger customers want them sent to accounts payable and the project owner."),
    dict(key="f-transfer-ownership", kind="feature", area="accounts", title="Allow team owners to transfer ownership",
         text="Our team owner is leaving the company. There is no way to make someone else the owner without contacting support."),
    dict(key="f-webhook-retry-question", kind="question", area="notifications", close="completed", title="How often are failed webhooks retried?",
         text="Couldn't find the retry schedule in the docs. Is it exponential? How long until a delivery is given up?"),
    dict(key="f-date-fns-locales", kind="task", area="ui", close="completed", labels=["performance"], title="Bundle size: every date-fns locale is bundled",
         text="The main chunk contains all date-fns locales (~300 kB). Only import the locales we ship translations for."),
    dict(key="f-wishlist-sort", kind="feature", area="orders", title="Sort the wishlist by date added",
         text="The wishlist is sorted by name only. Newest first would be more useful."),
    dict(key="f-tracking-link", kind="feature", area="orders", close="completed", title="Show the carrier tracking link in order details",
         text="We store `trackingNumber` and `carrier` on shipments but the order details page only shows the number as plain text."),
    dict(key="f-tenant-logs", kind="task", area="infra", close="completed", title="Add tenantId to structured logs",
         text="Every request log line should carry `tenantId` so we can filter per customer in Loki."),
    dict(key="f-revoked-token", kind="bug", area="api", close="completed", title="Revoked API tokens get a 500 instead of 401",
         text="Calling the API with a revoked token returns `500 Internal Server Error`. It should be `401` with `{\"error\":\"token revoked\"}`."),
    dict(key="f-pagination-mobile", kind="bug", area="ui", close="completed", title="Pagination controls overflow on small screens",
         text="On a 375px wide screen the page numbers of any list overflow to the right and the *Next* button is unreachable."),
    dict(key="f-bell-count", kind="bug", area="notifications", close="completed", title="Notification bell count only updates after a reload",
         text="New notifications arrive (I get the toast), but the red counter on the bell stays the same until I reload the page."),
    dict(key="f-rating-chart", kind="feature", area="ui", title="Rating distribution chart on product reviews",
         text="Show how many 1–5 star ratings a product has, like most shops do, above the review list."),
    dict(key="f-metrics-docs", kind="docs", area="infra", close="completed", title="Document the /metrics endpoint",
         text="There is a Prometheus endpoint at `/metrics` but nothing in the docs about it or the metric names."),
    dict(key="f-warehouse-search", kind="feature", area="orders", title="Warehouse picker: search by code",
         text="We have 80 warehouses. The picker only matches on name; our staff know them by code (e.g. `FRA-3`)."),
    dict(key="f-archive-project-q", kind="question", area="ui", close="completed", title="Does archiving a project archive its tickets too?",
         text="Before I archive an old project: what happens to its open tickets and can I restore the project later?"),
    dict(key="f-week-start", kind="bug", area="ui", close="completed", title="Calendar week starts on Sunday for German users",
         text="The booking calendar starts weeks on Sunday even with the locale set to `de`; it should start on Monday."),
    dict(key="f-contributing-py", kind="docs", area="worker", close="completed", title="CONTRIBUTING.md: explain how to run the Python worker tests",
         text="CONTRIBUTING.md only covers `pnpm test`. How do I run the pytest suite under `tests/` for the workers?"),
    dict(key="f-invoice-email-template", kind="feature", area="billing", title="Custom email templates for invoice emails",
         text="We'd like our own wording and logo in the email that goes out with each invoice."),
    dict(key="f-chf-format", kind="bug", area="billing", close="completed", title="Swiss number format for CHF amounts",
         text="With locale `de-CH`, amounts are shown as `1.234,50 CHF`; Swiss users expect `CHF 1'234.50`."),
    dict(key="f-reset-rate-limit", kind="feature", area="accounts", labels=["security"], title="Rate limit password reset requests",
         text="Anyone can trigger unlimited reset emails for any address. Limit it per email and per IP."),
    dict(key="f-dependabot-groups", kind="task", area="infra", old=True, close="completed", title="Group Dependabot updates",
         text="We get ~20 separate dependency PRs a week. Dependabot supports grouped updates now; let's group dev dependencies."),
    dict(key="f-comment-draft", kind="bug", area="ui", close="completed", title="Comment editor loses the draft when switching tabs",
         text="Typing a long comment on a ticket, switching to the *Activity* tab and back: the comment box is empty."),
    dict(key="f-upload-99", kind="bug", area="ui", title="Upload progress bar stuck at 99% for large files",
         text="Attachments over ~50 MB show 99% for a long time and then succeed. The bar should include server-side processing or show \"processing\"."),
    dict(key="f-feed-double-page", kind="bug", area="ui", close="completed", title="Activity feed loads the same page twice when scrolling fast",
         text="Scrolling quickly to the bottom of the activity feed fires two requests for the same cursor and every entry of that page appears twice."),
    dict(key="f-reverse-charge", kind="feature", area="billing", title="EU reverse charge for B2B invoices",
         text="For EU business customers with a valid VAT ID, invoices must show 0 % VAT and the note \"Reverse charge\"."),
    dict(key="f-low-stock", kind="feature", area="orders", title="Low-stock threshold per product",
         text="Low-stock alerts use one global threshold. Fast movers need a higher one than spare parts."),
    dict(key="f-openapi", kind="feature", area="api", title="Publish an OpenAPI spec for the public API",
         text="An OpenAPI document would let us generate clients instead of hand-writing them from docs/api.md."),
    dict(key="f-enrich-history-owner", kind="bug", area="billing", files=["src/components/enrichInvoiceHistory.tsx"], after=MERGED_FEATURES_AT,
         title="Invoice history panel drops system events",
         text="`enrichInvoiceHistory` filters out history entries without an `ownerId`, so system-generated events (payment reminders, dunning) never show up in the invoice history panel."),
    dict(key="f-ie11", kind="feature", area="ui", old=True, close="not_planned", title="Support Internet Explorer 11",
         text="Some of our customers' finance departments are still on IE11 and get a blank page."),
    dict(key="f-buffer-deprecation", kind="bug", area="infra", old=True, close="completed", title="DeprecationWarning: Buffer() is deprecated on startup",
         text="`(node:7) [DEP0005] DeprecationWarning: Buffer() is deprecated due to security and usability issues.` is printed on every start, coming from our signing helper."),
]

# ---------------------------------------------------------------- PR analysis

VERBS = [
    "calculate", "validate", "normalize", "format", "parse", "fetch", "sync", "merge",
    "reconcile", "archive", "resolve", "render", "group", "filter", "rank", "dedupe",
    "enrich", "serialize", "hydrate", "throttle", "batch", "schedule", "notify", "export",
    "import", "summarize", "score", "migrate", "redact", "verify", "expire", "refresh",
]
VERB_PHRASE = {"dedupe": "deduplicate", "notify": "send notifications for", "batch": "batch up",
               "group": "group", "rank": "rank", "score": "score", "enrich": "enrich", "hydrate": "hydrate"}
VERB_PAST = {"calculate": "calculated", "validate": "validated", "normalize": "normalized", "format": "formatted",
             "parse": "parsed", "fetch": "fetched", "sync": "synced", "merge": "merged", "reconcile": "reconciled",
             "archive": "archived", "resolve": "resolved", "render": "rendered", "group": "grouped", "filter": "filtered",
             "rank": "ranked", "dedupe": "deduplicated", "enrich": "enriched", "serialize": "serialized",
             "hydrate": "hydrated", "throttle": "throttled", "batch": "batched", "schedule": "scheduled",
             "notify": "announced", "export": "exported", "import": "imported", "summarize": "summarized",
             "score": "scored", "migrate": "migrated", "redact": "redacted", "verify": "verified",
             "expire": "expired", "refresh": "refreshed"}
AREA_OF_DOMAIN = {
    "invoice": "billing", "payment": "billing", "refund": "billing", "subscription": "billing", "plan": "billing",
    "coupon": "billing", "tax": "billing", "discount": "billing", "currency": "billing",
    "order": "orders", "cart": "orders", "product": "orders", "shipment": "orders", "inventory": "orders",
    "warehouse": "orders", "address": "orders", "wishlist": "orders", "booking": "orders", "calendar": "orders",
    "schedule": "orders",
    "customer": "accounts", "session": "accounts", "token": "accounts", "tenant": "accounts", "user": "accounts",
    "team": "accounts", "project": "accounts", "avatar": "accounts", "locale": "accounts",
    "webhook": "notifications", "notification": "notifications", "message": "notifications", "channel": "notifications",
    "feed": "notifications", "alert": "notifications", "comment": "notifications", "badge": "notifications",
    "review": "notifications", "rating": "notifications", "ticket": "notifications",
    "report": "reports", "export": "reports", "import": "reports", "search": "reports", "audit": "reports",
    "metric": "reports", "cache": "reports", "queue": "reports", "upload": "reports",
}


@dataclass
class PRInfo:
    number: int
    state: str
    merged: bool
    draft: bool
    title: str
    body: str
    created: dt.datetime
    closed: dt.datetime | None
    files: list[str]
    refs: list[int]                      # closing-keyword references
    name: str | None = None              # feature name (camelCase)
    verb: str = ""
    domain: str = ""
    qual: str = ""
    lang: str = ""
    module_path: str = ""
    exports: list[str] = field(default_factory=list)
    callsites: list[tuple[str, str]] = field(default_factory=list)   # (path, handler)
    test_path: str = ""
    phrases: list[str] = field(default_factory=list)
    doc_path: str = ""


def split_camel(s: str) -> list[str]:
    return kebab(s).split("-")


def analyse_pr(p: dict) -> PRInfo:
    pr = p["pull"]
    body = pr["body"] or ""
    info = PRInfo(number=pr["number"], state=pr["state"], merged=bool(pr["merged_at"]), draft=bool(pr.get("draft")),
                  title=pr["title"], body=body, created=parse_iso(pr["created_at"]),
                  closed=parse_iso(pr["closed_at"]) if pr["closed_at"] else None,
                  files=[f["filename"] for f in p["files"]],
                  refs=[int(m.group(2)) for m in CLOSING.finditer(body)])
    m = re.search(r"This PR adds `(\w+)` for", body)
    if not m:
        return info
    info.name = m.group(1)
    words = split_camel(info.name)
    info.verb = words[0]
    mod = p["files"][0]
    info.module_path = mod["filename"]
    src = "\n".join(l[1:] for l in (mod.get("patch") or "").split("\n") if l.startswith("+"))
    path = info.module_path
    if path.startswith("src/"):
        info.lang = "ts"
        dm = re.search(r"from '\.\./models/(\w+)'", src)
        info.domain = dm.group(1) if dm else words[1]
        info.exports = re.findall(r"^export (?:async )?function (\w+)", src, re.M)
    elif path.startswith("worker/"):
        info.lang, info.domain = "py", path.split("/")[1]
        info.exports = re.findall(r"^def (\w+)\(", src, re.M)
    elif path.startswith("tools/"):
        info.lang, info.domain = "go", path.split("/")[1]
        info.exports = re.findall(r"^func (\w+)\(", src, re.M)
    else:
        info.lang = "rs"
        dm = re.search(r"use crate::model::(\w+);", src)
        info.domain = dm.group(1).lower() if dm else words[1]
        info.exports = re.findall(r"^pub fn (\w+)\(", src, re.M)
    rest = words[1:]
    dwords = split_camel(info.domain)
    info.qual = " ".join(rest[len(dwords):])
    for f in p["files"][1:]:
        fn = f["filename"]
        if f["status"] == "modified" and fn in EXISTING_FILES and f.get("patch"):
            hm = re.search(r"@@ [^@]+ @@ export function (\w+)\(", f["patch"])
            info.callsites.append((fn, hm.group(1) if hm else ""))
        elif ("__tests__" in fn or fn.startswith(("test/", "tests/", "crates/core/tests/")) or fn.endswith("_test.go")) and not info.test_path:
            info.test_path = fn
            t = "\n".join(l[1:] for l in (f.get("patch") or "").split("\n") if l.startswith("+"))
            if fn.endswith((".ts", ".tsx")):
                info.phrases = re.findall(r"^  it\('([^']+)'", t, re.M)
            elif fn.endswith(".py"):
                info.phrases = [x.replace("_", " ") for x in re.findall(r"^def test_(\w+)\(", t, re.M)]
            elif fn.endswith(".rs"):
                info.phrases = [x.replace("_", " ") for x in re.findall(r"^fn (\w+)\(\)", t, re.M)]
            else:
                # Go test names are cut to four words by gen_corpus; describe the module's behaviour instead.
                d = info.domain
                out = [f"returns the error \"{e}\" for an empty list" for e in re.findall(r'fmt\.Errorf\("([^"]+)"\)', src)[:1]]
                out += [f"skips {d}s without {kebab(x).replace('-', ' ')}" for x in dict.fromkeys(re.findall(r'if it\.(\w+) == ""', src))][:2]
                out += [f"sorts {d}s by {kebab(x).replace('-', ' ')}" for x in dict.fromkeys(re.findall(r"items\[i\]\.(\w+) <", src))][:1]
                full = [" ".join(split_camel(x)) for x in re.findall(r"^func Test(\w+)\(", t, re.M)]
                info.phrases = out + [x for x in full if x.startswith(("merges duplicate", "sorts ", "ignores "))]
        elif fn.startswith("docs/") and f["status"] == "added":
            info.doc_path = fn
    return info


def qual_phrase(domain: str, qual: str) -> str:
    d = domain
    return {
        "": plural(d), "totals": f"{d} totals", "batch": f"{d} batches", "status": f"{d} status",
        "window": f"the {d} time window", "preview": f"{d} previews", "digest": f"the {d} digest",
        "snapshot": f"{d} snapshots", "limits": f"{d} limits", "rules": f"{d} rules", "changes": f"{d} changes",
        "history": f"{d} history", "settings": f"{d} settings", "index": f"the {d} index",
    }.get(qual, f"{d} {qual}".strip())


def snake(name: str) -> str:
    return kebab(name).replace("-", "_")


def ident_for(info: PRInfo, name: str) -> str:
    if info.lang == "py" or info.lang == "rs":
        return snake(name)
    if info.lang == "go":
        return name[:1].upper() + name[1:]
    return name


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {x}" for x in items)


SINGULAR_QUALS = {"status", "window", "digest", "history", "index"}
BASE_FORM = {"sorts": "sort", "throws": "throw", "returns": "return", "keeps": "keep", "caps": "cap", "merges": "merge",
             "ignores": "ignore", "is": "be", "logs": "log", "skips": "skip"}


def base_form(phrase: str) -> str:
    w, _, rest = phrase.partition(" ")
    return f"{BASE_FORM.get(w, w)} {rest}".strip()


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def link_issue(info: PRInfo, level: str, rng: random.Random) -> tuple[str, str]:
    """An issue describing what the PR implements. level: strong (identifiers + paths), medium
    (words + the call site it changes), weak (words + acceptance criteria only)."""
    vp = VERB_PHRASE.get(info.verb, info.verb)
    obj = qual_phrase(info.domain, info.qual)
    one = info.qual in SINGULAR_QUALS
    are, it = ("is", "it") if one else ("are", "they")
    past = VERB_PAST[info.verb]
    area = AREA_OF_DOMAIN.get(info.domain, "core")
    ident = ident_for(info, info.name)
    directory = info.module_path.rsplit("/", 1)[0]
    crit = info.phrases[: rng.randint(2, 4)] or [f"handles an empty list of {plural(info.domain)}"]
    if level != "strong":
        crit = [fix_plurals(c) for c in crit]
    cs = info.callsites[0] if info.callsites else None
    if level == "strong":
        title = rng.choice([f"Add `{ident}` to {directory}", f"Need {'an' if ident[:1].lower() in 'aeiou' else 'a'} {ident} helper for {plural(info.domain)}",
                            f"[Feature] {cap(vp)} {obj}", f"{cap(vp)} {obj} (`{ident}`)"])
        problem = rng.choice([
            f"There is no way to {vp} {obj} today, so every caller in `{directory}/` does it slightly differently.",
            f"We keep re-implementing the logic to {vp} {obj} inline, and the copies have drifted apart.",
            f"{cap(obj)} {are} not {past} anywhere, which makes the {area} screens inconsistent.",
            f"Support tickets about {obj} keep coming back to the same gap: nothing in the {area} code can {vp} {it if one else 'them'}."])
        sol = f"Add `{ident}` in `{info.module_path}`"
        if cs:
            sol += f" and call it from `{cs[1]}` in `{cs[0]}`" if cs[1] else f" and use it in `{cs[0]}`"
        sol += ". It should:\n\n" + bullets([base_form(c) for c in crit])
        others = [ident_for(info, e) for e in info.exports if e != info.name]
        parts = ["### Is your feature request related to a problem? Please describe.", problem,
                 "### Describe the solution you'd like", sol,
                 "### Describe alternatives you've considered",
                 rng.choice(["_No response_", "Doing it in the handler directly, but it is needed in more than one place."])]
        if others:
            parts += ["### Additional context", "Related helpers that could live next to it: " + ", ".join(f"`{o}`" for o in others) + "."]
        return title, "\n\n".join(parts)
    if level == "medium":
        if cs and cs[1]:
            title = rng.choice([f"{cs[1]} should {vp} {obj}", f"{cap(vp)} {obj} in {cs[1]}"])
            first = (f"`{cs[1]}` in `{cs[0]}` passes `ctx.{info.domain}s` through as they come in. "
                     f"It should {vp} {obj} first.")
        else:
            where = {"py": f"the {info.domain} worker", "go": f"the {info.domain} CLI", "rs": "the core crate"}.get(info.lang, f"`{directory}/`")
            title = rng.choice([f"{cap(vp)} {obj} in {directory}/", f"{info.domain}: {vp} {obj}"])
            first = f"Nothing in {where} (`{directory}/`) can {vp} {obj} yet." if info.lang != "ts" else \
                f"Nothing in `{directory}/` can {vp} {obj} yet; the {area} code needs it."
        return title, first + "\n\nAcceptance criteria:\n\n" + bullets(crit)
    title = rng.choice([f"{cap(obj)} should be {past}", f"Please {vp} {obj}", f"{cap(vp)} {obj} automatically"])
    body = rng.choice([
        f"As an operator I'd like {obj} to be {past} without manual work.\n\nWhat I'd expect:\n\n{bullets(crit)}",
        f"Today {obj} {are} never {past}, and we notice it in the {area} pages. It would be great if the app did it.\n\nExpected behaviour:\n\n{bullets(crit)}",
        f"Small request: {vp} {obj}.\n\n{bullets(crit)}",
        f"Coming out of the {area} planning: we want to {vp} {obj}.\n\nDone when it:\n\n{bullets(crit)}"])
    return title, body


SPECIAL_LINK_ISSUES = [
    # (key, title, body, PRs it is implicitly fixed by: selected by their first changed line)
    dict(key="typo-which", kind="docs", area="infra", labels=["documentation", "good first issue"], match=("docs/deployment.md", "wich"),
         title="Typo in the deployment docs: 'wich'",
         text="docs/deployment.md, section *Reaches*: \"Set section logs data exceeded the wich when.\" — should be \"which\"."),
    dict(key="zod-bump", kind="task", area="infra", labels=["dependencies"], match=("package.json", "\"zod\": \"^7.26.22\""),
         title="Upgrade zod to 7.26.22",
         text="zod 7.26.22 fixes `z.coerce.date()` accepting invalid dates, which bites our address and invoice schemas. We pin `^7.26.17` in package.json."),
    dict(key="lodash-bump", kind="task", area="infra", labels=["dependencies", "security"], match=("package.json", "\"lodash\": \"^9.15.22\""),
         title="Bump lodash to 9.15.22 (prototype pollution advisory)",
         text="`pnpm audit` reports a high severity prototype pollution advisory for lodash < 9.15.22. package.json still allows `^9.13.17`."),
]

# ---------------------------------------------------------------- out-of-scope PR fixtures

def f_added(path: str, lines: list[str]) -> dict:
    return {"filename": path, "status": "added", "additions": len(lines), "deletions": 0,
            "patch": f"@@ -0,0 +1,{len(lines)} @@\n" + "\n".join("+" + l for l in lines)}


def f_removed(path: str, lines: list[str]) -> dict:
    return {"filename": path, "status": "removed", "additions": 0, "deletions": len(lines),
            "patch": f"@@ -1,{len(lines)} +0,0 @@\n" + "\n".join("-" + l for l in lines)}


def f_modified(path: str, hunks: list[tuple]) -> dict:
    """hunks: (old_start, before, removed, added, after, section) in file order."""
    out, adds, dels, shift = [], 0, 0, 0
    for start, before, removed, added, after, section in hunks:
        old = len(before) + len(removed) + len(after)
        new = len(before) + len(added) + len(after)
        out.append(f"@@ -{start},{old} +{start + shift},{new} @@ {section}".rstrip())
        out += [" " + l for l in before] + ["-" + l for l in removed] + ["+" + l for l in added] + [" " + l for l in after]
        adds += len(added)
        dels += len(removed)
        shift += len(added) - len(removed)
    return {"filename": path, "status": "modified", "additions": adds, "deletions": dels, "patch": "\n".join(out)}


def insert_in_existing(path: str, at: int, added: list[str], section: str = "") -> tuple:
    """A hunk inserting `added` before line `at` (1-based) of an existing main-branch file."""
    body = existing_file(path)
    i = at - 1
    return (at - 3, body[i - 3:i], [], added, body[i:i + 3], section)


DEPS_BEFORE = ["  \"dependencies\": {", "    \"@acme/ui\": \"^2.1.0\","]
DEPS_AFTER = ["    \"zod\": \"^3.23.8\""]

MIT = ["MIT License", "", "Copyright (c) 2021 Acme Inc.", "",
       "Permission is hereby granted, free of charge, to any person obtaining a copy",
       "of this software and associated documentation files (the \"Software\"), to deal",
       "in the Software without restriction, including without limitation the rights",
       "to use, copy, modify, merge, publish, distribute, sublicense, and/or sell",
       "copies of the Software, and to permit persons to whom the Software is",
       "furnished to do so, subject to the following conditions:", "",
       "The above copyright notice and this permission notice shall be included in all",
       "copies or substantial portions of the Software.", "",
       "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR",
       "IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,",
       "FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE",
       "AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER",
       "LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,",
       "OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE",
       "SOFTWARE."]


def scope_prs() -> list[dict]:
    """Twelve PRs that VISION.md puts out of scope. Each: login, title, body, files, note."""
    prs = []
    prs.append(dict(login="satoshi-fan", title="feat(payments): accept Bitcoin, Ethereum and USDC at checkout",
        note="cryptocurrency payments (VISION: Out of scope)",
        body="## Summary\n\nAdds cryptocurrency checkout for invoices. Customers pick BTC, ETH or USDC, get a deposit address derived from our xpub and a 15 minute quote.\n\n## Changes\n\n- `src/services/cryptoPayments.ts`: quotes via Coinbase exchange rates, HD-wallet deposit addresses\n- billing: new `paymentMethod: 'crypto'` branch\n- deps: `ethers`, `bitcoinjs-lib`\n\n## Testing\n\n`pnpm vitest run test/services/cryptoPayments.spec.ts`",
        files=[
            f_added("src/services/cryptoPayments.ts", [
                "import { ethers } from 'ethers';", "import * as bitcoin from 'bitcoinjs-lib';",
                "import { logger } from '../utils/logger';", "import type { Invoice } from '../models/invoice';", "",
                "export type CryptoAsset = 'BTC' | 'ETH' | 'USDC';", "",
                "const RATE_URL = 'https://api.coinbase.com/v2/exchange-rates?currency=';", "",
                "export interface CryptoCheckout {", "  invoiceId: string;", "  asset: CryptoAsset;", "  address: string;",
                "  amount: string;", "  expiresAt: number;", "}", "",
                "export async function quoteCryptoAmount(invoice: Invoice, asset: CryptoAsset): Promise<string> {",
                "  const res = await fetch(RATE_URL + invoice.currency);", "  const { data } = await res.json();",
                "  const rate = Number(data.rates[asset]);", "  return (invoice.total * rate).toFixed(asset === 'BTC' ? 8 : 6);", "}", "",
                "export function deriveDepositAddress(asset: CryptoAsset, index: number): string {",
                "  const xpub = process.env.CRYPTO_XPUB ?? '';", "  if (asset === 'BTC') {",
                "    const node = bitcoin.bip32.fromBase58(xpub).derive(0).derive(index);",
                "    return bitcoin.payments.p2wpkh({ pubkey: node.publicKey }).address!;", "  }",
                "  return ethers.HDNodeWallet.fromExtendedKey(xpub).deriveChild(index).address;", "}", "",
                "export async function createCryptoCheckout(invoice: Invoice, asset: CryptoAsset): Promise<CryptoCheckout> {",
                "  const amount = await quoteCryptoAmount(invoice, asset);",
                "  const address = deriveDepositAddress(asset, invoice.number);",
                "  logger.info('crypto checkout created', { invoiceId: invoice.id, asset });",
                "  return { invoiceId: invoice.id, asset, address, amount, expiresAt: Date.now() + 15 * 60_000 };", "}"]),
            f_modified("src/services/billing.ts", [
                (1, [existing_file("src/services/billing.ts")[0]], [], ["import { createCryptoCheckout } from './cryptoPayments';"],
                 existing_file("src/services/billing.ts")[1:3], ""),
                insert_in_existing("src/services/billing.ts", 64, ["  if (input.paymentMethod === 'crypto') {",
                                   "    return createCryptoCheckout(invoice, input.asset ?? 'BTC');", "  }"],
                                   "export function getPaymentPriority(ctx: Context) {")]),
            f_modified("package.json", [(22, DEPS_BEFORE, [], ["    \"bitcoinjs-lib\": \"^6.1.5\",", "    \"ethers\": \"^6.12.1\","], DEPS_AFTER, "")]),
            f_added("test/services/cryptoPayments.spec.ts", [
                "import { describe, it, expect, vi } from 'vitest';",
                "import { quoteCryptoAmount } from '../../src/services/cryptoPayments';", "",
                "describe('quoteCryptoAmount', () => {", "  it('converts the invoice total with the BTC rate', async () => {",
                "    vi.stubGlobal('fetch', async () => ({ json: async () => ({ data: { rates: { BTC: '0.0000148' } } }) }));",
                "    const out = await quoteCryptoAmount({ total: 100, currency: 'USD' } as any, 'BTC');",
                "    expect(out).toBe('0.00148000');", "  });", "});"]),
        ]))
    prs.append(dict(login="growth-eng-kai", title="chore: vendor telemetry-kit 3.2.0 and enable product analytics",
        note="vendored third-party telemetry SDK under vendor/ (VISION: Out of scope, twice)",
        body="Copies the telemetry-kit 3.2.0 release (unminified build) into `vendor/telemetry-kit/` so we don't need the npm package, and initialises it in `src/app.ts`.\n\nWe get page views, clicks and session recordings in the telemetry-kit dashboard. Needs `TELEMETRY_KIT_KEY` in the environment.",
        files=[
            f_added("vendor/telemetry-kit/package.json", ["{", "  \"name\": \"telemetry-kit\",", "  \"version\": \"3.2.0\",",
                    "  \"main\": \"index.js\",", "  \"license\": \"Apache-2.0\",", "  \"homepage\": \"https://telemetrykit.io\"", "}"]),
            f_added("vendor/telemetry-kit/index.js", [
                "/*! telemetry-kit v3.2.0 | (c) TelemetryKit Inc. | Apache-2.0 */", "'use strict';", "",
                "const ENDPOINT = 'https://ingest.telemetrykit.io/v1/batch';", "",
                "class TelemetryKit {", "  constructor() {", "    this.queue = [];", "    this.apiKey = null;",
                "    this.sessionId = Math.random().toString(36).slice(2);", "  }", "",
                "  init(apiKey, opts = {}) {", "    this.apiKey = apiKey;", "    this.recordSessions = opts.recordSessions !== false;",
                "    setInterval(() => this.flush(), opts.flushInterval || 5000);",
                "    if (typeof window !== 'undefined') {", "      window.addEventListener('click', (e) => this.track('$click', { target: e.target.tagName }));",
                "      window.addEventListener('beforeunload', () => this.flush(true));", "    }", "  }", "",
                "  identify(userId, traits) {", "    this.track('$identify', { userId, ...traits });", "  }", "",
                "  track(event, props = {}) {", "    this.queue.push({ event, props, ts: Date.now(), sessionId: this.sessionId });", "  }", "",
                "  flush(beacon = false) {", "    if (!this.queue.length) return;",
                "    const body = JSON.stringify({ apiKey: this.apiKey, events: this.queue.splice(0) });",
                "    if (beacon && navigator.sendBeacon) return navigator.sendBeacon(ENDPOINT, body);",
                "    return fetch(ENDPOINT, { method: 'POST', body, keepalive: true });", "  }", "}", "",
                "module.exports = new TelemetryKit();"]),
            f_added("vendor/telemetry-kit/LICENSE", ["                                 Apache License",
                    "                           Version 2.0, January 2004", "                        http://www.apache.org/licenses/", "",
                    "   Copyright 2023 TelemetryKit Inc.", "",
                    "   Licensed under the Apache License, Version 2.0 (the \"License\");",
                    "   you may not use this file except in compliance with the License."]),
            f_modified("src/app.ts", [
                (1, [existing_file("src/app.ts")[0]], [], ["import telemetry from '../vendor/telemetry-kit';"], existing_file("src/app.ts")[1:3], ""),
                insert_in_existing("src/app.ts", 10, ["  telemetry.init(process.env.TELEMETRY_KIT_KEY, { recordSessions: true });",
                                   "  telemetry.identify(ctx.user.id, { email: ctx.user.email, plan: ctx.tenant.plan });"],
                                   "export function getInventoryUpdatedat(ctx: Context) {")]),
        ]))
    prs.append(dict(login="mobile-mia", title="feat(ios): native iOS app shell",
        note="native iOS app (VISION: Out of scope: native mobile apps)",
        body="First step towards an App Store release: a SwiftUI app that wraps the dashboard in a `WKWebView`, with push notification entitlement and a native tab bar.\n\nOpen `ios/AcmeWebapp.xcodeproj` in Xcode 15 and run on the simulator.",
        files=[
            f_added("ios/AcmeWebapp/AcmeWebappApp.swift", ["import SwiftUI", "", "@main", "struct AcmeWebappApp: App {",
                    "    @UIApplicationDelegateAdaptor(AppDelegate.self) var appDelegate", "", "    var body: some Scene {",
                    "        WindowGroup {", "            ContentView()", "        }", "    }", "}"]),
            f_added("ios/AcmeWebapp/ContentView.swift", ["import SwiftUI", "import WebKit", "",
                    "struct WebView: UIViewRepresentable {", "    let url: URL", "",
                    "    func makeUIView(context: Context) -> WKWebView {", "        let config = WKWebViewConfiguration()",
                    "        config.websiteDataStore = .default()", "        let view = WKWebView(frame: .zero, configuration: config)",
                    "        view.allowsBackForwardNavigationGestures = true", "        return view", "    }", "",
                    "    func updateUIView(_ view: WKWebView, context: Context) {", "        view.load(URLRequest(url: url))", "    }", "}", "",
                    "struct ContentView: View {", "    var body: some View {", "        TabView {",
                    "            WebView(url: URL(string: \"https://app.acme.example/invoices\")!)",
                    "                .tabItem { Label(\"Invoices\", systemImage: \"doc.text\") }",
                    "            WebView(url: URL(string: \"https://app.acme.example/orders\")!)",
                    "                .tabItem { Label(\"Orders\", systemImage: \"shippingbox\") }", "        }", "    }", "}"]),
            f_added("ios/AcmeWebapp/Info.plist", ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
                    "<plist version=\"1.0\">", "<dict>", "    <key>CFBundleDisplayName</key>", "    <string>Acme</string>",
                    "    <key>CFBundleIdentifier</key>", "    <string>com.acme.webapp</string>",
                    "    <key>UIBackgroundModes</key>", "    <array>", "        <string>remote-notification</string>", "    </array>",
                    "</dict>", "</plist>"]),
            f_added("ios/README.md", ["# Acme iOS", "", "Native shell around the web dashboard.", "",
                    "- Xcode 15, iOS 16+", "- `fastlane beta` uploads to TestFlight"]),
        ]))
    prs.append(dict(login="droid-dev-raj", title="Android app (Kotlin, WebView wrapper)",
        note="native Android app (VISION: Out of scope: native mobile apps)",
        body="Adds an Android project under `android/` so customers can install Acme from Google Play. It is a Kotlin `WebView` wrapper with file upload support and FCM push.\n\nBuild with `./gradlew :app:assembleDebug`.",
        files=[
            f_added("android/app/src/main/java/com/acme/webapp/MainActivity.kt", ["package com.acme.webapp", "",
                    "import android.os.Bundle", "import android.webkit.WebChromeClient", "import android.webkit.WebView",
                    "import android.webkit.WebViewClient", "import androidx.appcompat.app.AppCompatActivity", "",
                    "class MainActivity : AppCompatActivity() {", "    private lateinit var webView: WebView", "",
                    "    override fun onCreate(savedInstanceState: Bundle?) {", "        super.onCreate(savedInstanceState)",
                    "        webView = WebView(this)", "        webView.settings.javaScriptEnabled = true",
                    "        webView.settings.domStorageEnabled = true", "        webView.webViewClient = WebViewClient()",
                    "        webView.webChromeClient = WebChromeClient()", "        webView.loadUrl(\"https://app.acme.example\")",
                    "        setContentView(webView)", "    }", "",
                    "    @Deprecated(\"Deprecated in Java\")", "    override fun onBackPressed() {",
                    "        if (webView.canGoBack()) webView.goBack() else super.onBackPressed()", "    }", "}"]),
            f_added("android/app/src/main/AndroidManifest.xml", ["<?xml version=\"1.0\" encoding=\"utf-8\"?>",
                    "<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">",
                    "    <uses-permission android:name=\"android.permission.INTERNET\" />",
                    "    <uses-permission android:name=\"android.permission.POST_NOTIFICATIONS\" />",
                    "    <application android:label=\"Acme\" android:icon=\"@mipmap/ic_launcher\">",
                    "        <activity android:name=\".MainActivity\" android:exported=\"true\">", "            <intent-filter>",
                    "                <action android:name=\"android.intent.action.MAIN\" />",
                    "                <category android:name=\"android.intent.category.LAUNCHER\" />", "            </intent-filter>",
                    "        </activity>", "    </application>", "</manifest>"]),
            f_added("android/app/build.gradle.kts", ["plugins {", "    id(\"com.android.application\")", "    kotlin(\"android\")",
                    "    id(\"com.google.gms.google-services\")", "}", "", "android {", "    namespace = \"com.acme.webapp\"",
                    "    compileSdk = 34", "    defaultConfig {", "        applicationId = \"com.acme.webapp\"", "        minSdk = 26",
                    "        targetSdk = 34", "        versionCode = 1", "        versionName = \"0.1.0\"", "    }", "}", "",
                    "dependencies {", "    implementation(\"androidx.appcompat:appcompat:1.6.1\")",
                    "    implementation(\"com.google.firebase:firebase-messaging-ktx:23.4.1\")", "}"]),
            f_added("android/settings.gradle.kts", ["pluginManagement {", "    repositories {", "        google()",
                    "        mavenCentral()", "    }", "}", "rootProject.name = \"AcmeAndroid\"", "include(\":app\")"]),
        ]))
    readme_ctx = ["## License", ""]
    prs.append(dict(login="bizdev-tom", title="chore: relicense under the Business Source License 1.1",
        note="relicensing / LICENSE change (VISION: Out of scope + Policies)",
        body="Switches the project from MIT to BSL 1.1 with a 4-year change date to Apache 2.0, so competitors cannot resell the app as a hosted service.\n\nUpdates `LICENSE` and the license section of the README.",
        files=[
            f_modified("LICENSE", [(1, [], MIT, [
                "Business Source License 1.1", "", "Parameters", "", "Licensor:             Acme Inc.",
                "Licensed Work:        acme/webapp. The Licensed Work is (c) 2024 Acme Inc.",
                "Additional Use Grant: You may make production use of the Licensed Work, provided",
                "                      your use does not include offering the Licensed Work to third",
                "                      parties on a hosted or embedded basis.",
                "Change Date:          2028-06-01", "Change License:       Apache License, Version 2.0", "",
                "Terms", "",
                "The Licensor hereby grants you the right to copy, modify, create derivative works,",
                "redistribute, and make non-production use of the Licensed Work. The Licensor may",
                "make an Additional Use Grant, above, permitting limited production use.", "",
                "Effective on the Change Date, or the fourth anniversary of the first publicly",
                "available distribution of a specific version of the Licensed Work under this",
                "License, whichever comes first, the Licensor hereby grants you rights under the",
                "terms of the Change License, and the rights granted in the paragraph above",
                "terminate."], [], "")]),
            f_modified("README.md", [(88, readme_ctx, ["MIT © Acme Inc."],
                                      ["Business Source License 1.1 © Acme Inc. Converts to Apache 2.0 on 2028-06-01, see [LICENSE](LICENSE)."], [], "")]),
        ]))
    app_tsx = existing_file("src/components/App.tsx")
    prs.append(dict(login="vue-vincent", title="refactor: migrate the frontend from React to Vue 3",
        note="rewriting the frontend framework (VISION: Out of scope)",
        body="Vue 3 with `<script setup>` is simpler than our React setup and Vite builds are 3x faster. This PR starts the migration: new entry point, `App.vue` and `Header.vue`, and removes `App.tsx`. The remaining components follow in later PRs.\n\n- replaces `react`/`react-dom` with `vue`\n- adds `vite.config.ts` with `@vitejs/plugin-vue`",
        files=[
            f_added("src/main.ts", ["import { createApp } from 'vue';", "import { createRouter, createWebHistory } from 'vue-router';",
                    "import App from './components/App.vue';", "import { routes } from './routes';", "",
                    "const router = createRouter({ history: createWebHistory(), routes });", "",
                    "createApp(App).use(router).mount('#app');"]),
            f_added("src/components/App.vue", ["<script setup lang=\"ts\">", "import Header from './Header.vue';",
                    "import { useSession } from '../hooks/useSession';", "", "const { user, tenant } = useSession();", "</script>", "",
                    "<template>", "  <div class=\"app\">", "    <Header :user=\"user\" :tenant=\"tenant\" />", "    <main>",
                    "      <RouterView />", "    </main>", "  </div>", "</template>", "", "<style scoped>",
                    ".app {", "  display: grid;", "  grid-template-rows: 56px 1fr;", "  min-height: 100vh;", "}", "</style>"]),
            f_added("src/components/Header.vue", ["<script setup lang=\"ts\">",
                    "defineProps<{ user: { name: string }; tenant: { name: string } }>();", "</script>", "", "<template>",
                    "  <header class=\"header\">", "    <RouterLink to=\"/\">{{ tenant.name }}</RouterLink>",
                    "    <nav>", "      <RouterLink to=\"/invoices\">Invoices</RouterLink>",
                    "      <RouterLink to=\"/orders\">Orders</RouterLink>", "    </nav>",
                    "    <span class=\"user\">{{ user.name }}</span>", "  </header>", "</template>"]),
            f_removed("src/components/App.tsx", app_tsx),
            f_added("vite.config.ts", ["import { defineConfig } from 'vite';", "import vue from '@vitejs/plugin-vue';", "",
                    "export default defineConfig({", "  plugins: [vue()],", "  server: { port: 3000 },", "});"]),
            f_modified("package.json", [(19, DEPS_BEFORE, ["    \"react\": \"^18.3.1\",", "    \"react-dom\": \"^18.3.1\","],
                                         ["    \"vue\": \"^3.4.27\",", "    \"vue-router\": \"^4.3.2\","], DEPS_AFTER, "")]),
        ]))
    prs.append(dict(login="pm-olivia", title="feat: Mixpanel analytics on every page",
        note="third-party analytics SDK (VISION: Out of scope; also a new runtime dependency)",
        body="Product wants funnels for onboarding and checkout. This adds Mixpanel:\n\n- `src/lib/analytics.ts` initialises `mixpanel-browser`, tracks page views and identifies the signed-in user (email, name, plan)\n- `src/app.ts` calls `initAnalytics()` on boot\n\nToken comes from `MIXPANEL_TOKEN`.",
        files=[
            f_added("src/lib/analytics.ts", ["import mixpanel from 'mixpanel-browser';", "import type { User } from '../models/user';", "",
                    "let ready = false;", "", "export function initAnalytics(token = process.env.MIXPANEL_TOKEN): void {",
                    "  if (!token || ready) return;", "  mixpanel.init(token, { track_pageview: 'url-with-path', persistence: 'localStorage' });",
                    "  ready = true;", "}", "", "export function identifyUser(user: User): void {", "  if (!ready) return;",
                    "  mixpanel.identify(user.id);", "  mixpanel.people.set({ $email: user.email, $name: user.name, plan: user.plan });", "}", "",
                    "export function trackEvent(name: string, props: Record<string, unknown> = {}): void {",
                    "  if (ready) mixpanel.track(name, props);", "}"]),
            f_modified("src/app.ts", [insert_in_existing("src/app.ts", 24, ["  initAnalytics();", "  identifyUser(ctx.user);"],
                                                         "export function getAlertAmount(ctx: Context) {")]),
            f_modified("package.json", [(27, DEPS_BEFORE, [], ["    \"mixpanel-browser\": \"^2.50.0\","], DEPS_AFTER, "")]),
        ]))
    prs.append(dict(login="web3-wes", title="feat(badges): mint achievement badges as NFTs on Polygon",
        note="blockchain / NFT (VISION: Out of scope: cryptocurrency and blockchain)",
        body="Badges become ERC-721 tokens on Polygon so users own them and can show them off in their wallets.\n\n- `contracts/BadgeNFT.sol` (OpenZeppelin ERC721)\n- `src/services/nftBadges.ts` mints when a badge is awarded\n- `hardhat.config.ts` for deployment",
        files=[
            f_added("contracts/BadgeNFT.sol", ["// SPDX-License-Identifier: MIT", "pragma solidity ^0.8.20;", "",
                    "import \"@openzeppelin/contracts/token/ERC721/ERC721.sol\";", "import \"@openzeppelin/contracts/access/Ownable.sol\";", "",
                    "contract BadgeNFT is ERC721, Ownable {", "    uint256 public nextId;", "    mapping(uint256 => string) public badgeKind;", "",
                    "    constructor() ERC721(\"Acme Badge\", \"ACMEB\") Ownable(msg.sender) {}", "",
                    "    function mint(address to, string calldata kind) external onlyOwner returns (uint256) {",
                    "        uint256 id = ++nextId;", "        badgeKind[id] = kind;", "        _safeMint(to, id);", "        return id;", "    }", "}"]),
            f_added("src/services/nftBadges.ts", ["import { ethers } from 'ethers';", "import abi from '../../artifacts/BadgeNFT.json';",
                    "import { logger } from '../utils/logger';", "", "const provider = new ethers.JsonRpcProvider(process.env.POLYGON_RPC_URL);",
                    "const signer = new ethers.Wallet(process.env.BADGE_MINTER_KEY ?? '', provider);",
                    "const contract = new ethers.Contract(process.env.BADGE_CONTRACT ?? '', abi, signer);", "",
                    "export async function mintBadge(walletAddress: string, kind: string): Promise<string> {",
                    "  const tx = await contract.mint(walletAddress, kind);", "  const receipt = await tx.wait();",
                    "  logger.info('badge minted', { kind, tx: receipt.hash });", "  return receipt.hash;", "}"]),
            f_added("hardhat.config.ts", ["import { HardhatUserConfig } from 'hardhat/config';", "import '@nomicfoundation/hardhat-toolbox';", "",
                    "const config: HardhatUserConfig = {", "  solidity: '0.8.20',", "  networks: {",
                    "    polygon: { url: process.env.POLYGON_RPC_URL ?? '', accounts: [process.env.BADGE_MINTER_KEY ?? ''] },",
                    "  },", "};", "", "export default config;"]),
            f_modified("package.json", [(24, DEPS_BEFORE, [], ["    \"@openzeppelin/contracts\": \"^5.0.2\",", "    \"ethers\": \"^6.12.1\",", "    \"hardhat\": \"^2.22.4\","], DEPS_AFTER, "")]),
        ]))
    prs.append(dict(login="chartfix-ana", title="fix(vendor): legacy-charts tooltip renders off-canvas",
        note="edits vendored code under vendor/ (VISION: Out of scope: vendored code is synced from upstream only)",
        body="The vendored legacy-charts library positions tooltips outside the canvas on the right edge of the revenue chart. Patched `vendor/legacy-charts/src/render.js` to clamp the tooltip x position and bumped the vendored version string.",
        files=[
            f_modified("vendor/legacy-charts/src/render.js", [
                (212, ["  function drawTooltip(ctx, point, label) {", "    var width = ctx.measureText(label).width + 12;"],
                 ["    var x = point.x + 8;"],
                 ["    var x = Math.min(point.x + 8, ctx.canvas.width - width - 4);", "    if (x < 4) x = 4;"],
                 ["    var y = point.y - 24;", "    ctx.fillStyle = 'rgba(0, 0, 0, 0.75)';", "    ctx.fillRect(x, y, width, 20);"],
                 "function Renderer(canvas, options) {"),
                (340, ["  Renderer.prototype.resize = function () {"], ["    this.canvas.width = this.canvas.parentNode.clientWidth;"],
                 ["    var ratio = window.devicePixelRatio || 1;", "    this.canvas.width = this.canvas.parentNode.clientWidth * ratio;",
                  "    this.ctx.scale(ratio, ratio);"],
                 ["    this.draw();", "  };"], "function Renderer(canvas, options) {")]),
            f_modified("vendor/legacy-charts/package.json", [(2, ["  \"name\": \"legacy-charts\","], ["  \"version\": \"1.4.2\","],
                                                                ["  \"version\": \"1.4.2-acme.1\","], ["  \"main\": \"src/index.js\","], "")]),
        ]))
    prs.append(dict(login="electron-ed", title="feat(desktop): Electron desktop client",
        note="desktop app (VISION: Out of scope: native desktop and mobile apps)",
        body="A desktop app for Windows/macOS/Linux built with Electron: tray icon with unread notification count, native notifications, auto-update through GitHub releases.\n\n`cd desktop && pnpm install && pnpm start`",
        files=[
            f_added("desktop/main.js", ["const { app, BrowserWindow, Tray, Notification } = require('electron');",
                    "const { autoUpdater } = require('electron-updater');", "const path = require('path');", "",
                    "let win;", "let tray;", "", "function createWindow() {", "  win = new BrowserWindow({", "    width: 1280,",
                    "    height: 800,", "    webPreferences: { preload: path.join(__dirname, 'preload.js'), contextIsolation: true },", "  });",
                    "  win.loadURL('https://app.acme.example');", "}", "", "app.whenReady().then(() => {", "  createWindow();",
                    "  tray = new Tray(path.join(__dirname, 'tray.png'));", "  autoUpdater.checkForUpdatesAndNotify();", "});", "",
                    "app.on('window-all-closed', () => {", "  if (process.platform !== 'darwin') app.quit();", "});", "",
                    "exports.notify = (title, body) => new Notification({ title, body }).show();"]),
            f_added("desktop/preload.js", ["const { contextBridge, ipcRenderer } = require('electron');", "",
                    "contextBridge.exposeInMainWorld('acmeDesktop', {", "  setBadge: (count) => ipcRenderer.send('badge', count),",
                    "  notify: (title, body) => ipcRenderer.send('notify', { title, body }),", "});"]),
            f_added("desktop/package.json", ["{", "  \"name\": \"acme-desktop\",", "  \"version\": \"0.1.0\",", "  \"main\": \"main.js\",",
                    "  \"scripts\": { \"start\": \"electron .\", \"dist\": \"electron-builder\" },",
                    "  \"devDependencies\": { \"electron\": \"^30.0.6\", \"electron-builder\": \"^24.13.3\" },",
                    "  \"dependencies\": { \"electron-updater\": \"^6.1.8\" }", "}"]),
        ]))
    server = existing_file("src/server.ts")
    prs.append(dict(login="nest-nadia", title="refactor(server): replace Express with NestJS",
        note="rewriting the backend framework (VISION: Out of scope)",
        body="Express has no structure; NestJS gives us modules, DI and decorators. This PR boots the app with `NestFactory`, adds `AppModule` and moves the invoice endpoints into `InvoicesController` as the first module. Other routes will be ported next.",
        files=[
            f_added("src/nest/main.ts", ["import 'reflect-metadata';", "import { NestFactory } from '@nestjs/core';",
                    "import { AppModule } from './app.module';", "", "export async function bootstrap(port = Number(process.env.PORT ?? 3000)) {",
                    "  const app = await NestFactory.create(AppModule);", "  app.setGlobalPrefix('api');", "  await app.listen(port);", "}"]),
            f_added("src/nest/app.module.ts", ["import { Module } from '@nestjs/common';", "import { InvoicesController } from './invoices.controller';",
                    "import { BillingService } from './billing.service';", "", "@Module({", "  controllers: [InvoicesController],",
                    "  providers: [BillingService],", "})", "export class AppModule {}"]),
            f_added("src/nest/invoices.controller.ts", ["import { Controller, Get, Param, Query } from '@nestjs/common';",
                    "import { BillingService } from './billing.service';", "", "@Controller('invoices')", "export class InvoicesController {",
                    "  constructor(private readonly billing: BillingService) {}", "", "  @Get()",
                    "  list(@Query('status') status?: string) {", "    return this.billing.listInvoices({ status });", "  }", "",
                    "  @Get(':id')", "  get(@Param('id') id: string) {", "    return this.billing.getInvoice(id);", "  }", "}"]),
            f_modified("src/server.ts", [(1, [], [server[0]], ["import { bootstrap } from './nest/main';"], server[1:4], ""),
                                         insert_in_existing("src/server.ts", 60, ["  await bootstrap();"], "export function getNotificationPriority(ctx: Context) {")]),
            f_modified("package.json", [(20, DEPS_BEFORE, ["    \"express\": \"^4.19.2\","],
                                         ["    \"@nestjs/common\": \"^10.3.8\",", "    \"@nestjs/core\": \"^10.3.8\",",
                                          "    \"@nestjs/platform-express\": \"^10.3.8\",", "    \"reflect-metadata\": \"^0.2.2\","], DEPS_AFTER, "")]),
        ]))
    prs.append(dict(login="ads-partner-lee", title="feat: sponsored banner slot in the dashboard sidebar",
        note="advertising / third-party ad network script (VISION: Out of scope)",
        body="Adds a sponsored banner to the sidebar served by the AdNexus partner network (revenue share 60/40). The script is loaded lazily and only for tenants on the free plan.",
        files=[
            f_added("src/lib/adNetwork.ts", ["const TAG_URL = 'https://cdn.adnexus-partners.com/tag.js';", "",
                    "let loading: Promise<void> | null = null;", "", "export function loadAdNetwork(publisherId: string): Promise<void> {",
                    "  if (loading) return loading;", "  loading = new Promise((resolve, reject) => {",
                    "    const s = document.createElement('script');", "    s.src = `${TAG_URL}?pub=${publisherId}`;", "    s.async = true;",
                    "    s.onload = () => resolve();", "    s.onerror = reject;", "    document.head.appendChild(s);", "  });",
                    "  return loading;", "}", "", "export function renderSlot(el: HTMLElement, slotId: string): void {",
                    "  (window as any).adnexus?.display(el, { slot: slotId, size: '300x250' });", "}"]),
            f_added("src/components/SponsoredBanner.tsx", ["import { useEffect, useRef } from 'react';",
                    "import { loadAdNetwork, renderSlot } from '../lib/adNetwork';", "",
                    "export function SponsoredBanner({ placement, plan }: { placement: string; plan: string }) {",
                    "  const ref = useRef<HTMLDivElement>(null);", "  useEffect(() => {", "    if (plan !== 'free' || !ref.current) return;",
                    "    loadAdNetwork('pub-acme-7731').then(() => renderSlot(ref.current!, `acme-${placement}`));",
                    "  }, [placement, plan]);", "  return <aside className=\"sponsored\" ref={ref} aria-label=\"Sponsored\" />;", "}"]),
            f_modified("src/components/App.tsx", [insert_in_existing("src/components/App.tsx", 52,
                                                  ["  const banner = <SponsoredBanner placement=\"sidebar\" plan={ctx.tenant.plan} />;"],
                                                  "export function getInventoryTotal(ctx: Context) {")]),
        ]))
    return prs

# ---------------------------------------------------------------- VISION.md

VISION = """# acme/webapp vision

acme/webapp is Acme's customer-facing web application: the place where our customers manage
their account, billing and orders, and where they are notified about what happens to them. We
want it to be fast, correct with money, accessible, and boring to operate. The product is a
responsive web app backed by a TypeScript/Express API, with Python background workers, Go
command line tools and a small Rust core library.

## In scope

- Billing: invoices, payments, refunds, subscriptions, plans, coupons, discounts, taxes and currencies
- Orders and commerce: carts, orders, products, inventory, warehouses, shipments, addresses, wishlists, bookings and calendars
- Accounts: users, teams, tenants, projects, sessions, API tokens, avatars and locales
- Communication: notifications, alerts, webhooks, messages, channels, feeds, comments, reviews, ratings, badges and tickets
- Operations: reports, exports, imports, search, the audit log, metrics, caching, queues and scheduled jobs
- Code under `src/` (`api`, `services`, `models`, `lib`, `utils`, `hooks`, `jobs`, `components`, `routes`), `worker/` (Python workers), `tools/` (Go CLIs) and `crates/core/` (Rust core)
- Bug fixes, new features and refactors in the areas above, with tests (vitest, pytest, Go and Rust tests)
- Documentation under `docs/`, `README.md` and `CONTRIBUTING.md`
- Performance, accessibility and internationalisation work on the web app
- Dependency updates (Dependabot and manual bumps of existing dependencies)
- Continuous integration, the Docker image and deployment configuration

## Out of scope

- Native mobile apps (iOS, Android) and native desktop apps (Electron, Tauri): the web app is responsive and installable as a PWA
- Cryptocurrency, blockchain and NFT features, including crypto payments
- Third-party telemetry, analytics or session-recording SDKs (Mixpanel, Segment, Google Analytics, vendored trackers): we only use our first-party metrics
- Advertising, sponsored content, ad banners and ad-network scripts
- Changes to vendored code under `vendor/`: it is synced from upstream by `scripts/sync-vendor.sh`, fix it upstream
- Rewriting the frontend framework (React) or the backend framework (Express), or porting the app to another framework or language (Vue, Angular, Svelte, NestJS, Fastify, ...)
- Relicensing or changes to `LICENSE`

## Non-goals

- Becoming a general-purpose ERP or accounting system: we export to them instead
- Supporting browsers without ES2020 (Internet Explorer)
- Self-hosted plugin or theme marketplaces

## Policies

- No new runtime dependencies without an issue discussing them first
- No changes to `LICENSE`
- Generated files (`src/generated/`) are regenerated, never edited by hand
- Every behaviour change comes with tests
"""

# ---------------------------------------------------------------- assembly

@dataclass
class Spec:
    key: str
    title: str
    body: str | None
    kind: str                      # bug | feature | question | docs | task
    area: str | None
    author: str
    labels: list[str]
    group: str                     # cluster | negative | filler | explicit | implicit
    fixed: int | None = None       # issue number referenced by an existing PR body
    early: bool = False            # must predate the PRs (implicit links)
    old: bool = False              # filed and closed long ago
    close: str | None = None       # completed | not_planned | duplicate
    close_after: dt.datetime | None = None
    repost_of: str | None = None
    files: list[str] = field(default_factory=list)
    after: dt.datetime | None = None   # cannot have been filed before this (mentions a release or merged code)
    render: object = None              # body as a function of the filing time
    meta: dict = field(default_factory=dict)
    number: int = 0
    created: dt.datetime | None = None


class Sub:
    """Independent deterministic random streams, one per purpose."""

    def __init__(self, seed: int):
        self.seed = seed

    def __call__(self, tag: str) -> random.Random:
        return random.Random(f"{self.seed}/{tag}")


def pick_author(rng: random.Random, kind: str) -> str:
    r = rng.random()
    if kind in ("task", "docs") and r < 0.5:
        return rng.choice(MAINTAINERS)
    if r < 0.62:
        return rng.choice(REPORTERS)
    if r < 0.82:
        return rng.choice(CONTRIBUTORS)
    return rng.choice(MAINTAINERS)


KIND_LABEL = {"bug": "bug", "feature": "enhancement", "question": "question", "docs": "documentation", "task": None}


def base_labels(rng: random.Random, kind: str, area: str | None, extra: list[str]) -> list[str]:
    out = []
    if KIND_LABEL.get(kind) and rng.random() < 0.85:
        out.append(KIND_LABEL[kind])
    if area and rng.random() < 0.55:
        out.append(f"area/{area}")
    for l in extra:
        if l not in out:
            out.append(l)
    return out


NULL_BODY = {"f-wishlist-sort", "f-openapi", "f-low-stock"}


def load_corpus(root: str) -> tuple[dict, dict]:
    with open(os.path.join(root, "truth.json"), encoding="utf-8") as fh:
        truth = json.load(fh)
    pulls = {}
    for n in range(1, truth["count"] + 1):
        with open(os.path.join(root, "pulls", f"{n}.json"), encoding="utf-8") as fh:
            pulls[n] = json.load(fh)
    return truth, pulls


def build(seed: int, root: str) -> tuple[dict[str, str], dict]:
    """Returns {relative path: file content} and a summary."""
    R = Sub(seed)
    truth, pulls = load_corpus(root)
    count = truth["count"]
    with open(os.path.join(root, "repo.json"), encoding="utf-8") as fh:
        repo = json.load(fh)
    owner, name = repo["owner"]["login"], repo["name"]
    infos = {n: analyse_pr(p) for n, p in pulls.items()}
    in_pr_truth: set[int] = set()
    for c in truth["clusters"] + truth["negatives"]:
        in_pr_truth.update(c["members"])
    for l in truth["landed"]:
        in_pr_truth.update([l["open"], l["merged"]])
    pr_cluster_of = {m: c["id"] for c in truth["clusters"] for m in c["members"]}

    specs: list[Spec] = []
    by_key: dict[str, Spec] = {}

    def add(s: Spec) -> Spec:
        assert s.key not in by_key, s.key
        specs.append(s)
        by_key[s.key] = s
        return s

    # Duplicate clusters.
    for t in TOPICS:
        for i, m in enumerate(t["members"]):
            rng = R(f"topic/{t['key']}/{i}")
            key = f"{t['key']}:{i}"
            if m.get("repost"):
                o = by_key[f"{t['key']}:{i - 1}"]
                add(Spec(key, o.title, o.body, o.kind, o.area, o.author, list(o.labels), "cluster",
                         close=m.get("close"), repost_of=o.key, files=list(o.files)))
                continue
            kind = "question" if m.get("style") == "question" else t["kind"]
            add(Spec(key, m["title"], None, kind, t["area"], m.get("author") or pick_author(rng, kind),
                     base_labels(rng, kind, t["area"], m.get("labels", [])), "cluster", close=m.get("close") or t.get("close"),
                     files=list(t.get("files", [])), after=t.get("after"),
                     render=lambda when, t=t, m=m, rng=rng: render_member(t, m, rng, when)))
    # Look-alikes.
    for t in NEG_ISSUES:
        rng = R(f"neg/{t['key']}")
        m = t["member"]
        add(Spec(t["key"], m["title"], None, t["kind"], t["area"], m.get("author") or pick_author(rng, t["kind"]),
                 base_labels(rng, t["kind"], t["area"], m.get("labels", [])), "negative", close=t.get("close"),
                 files=list(t.get("files", [])), after=t.get("after"),
                 render=lambda when, t=t, m=m, rng=rng: render_member(t, m, rng, when)))
    # Unrelated singles.
    for f in FILLER:
        rng = R(f"filler/{f['key']}")
        body = None if f["key"] in NULL_BODY else f["text"]
        add(Spec(f["key"], f["title"], body, f["kind"], f["area"], f.get("author") or pick_author(rng, f["kind"]),
                 base_labels(rng, f["kind"], f["area"], f.get("labels", [])), "filler", old=f.get("old", False),
                 close=f.get("close"), files=list(f.get("files", [])), after=f.get("after")))

    # Issues the existing PR bodies reference (explicit links).
    refs: dict[int, list[int]] = {}
    for n, info in infos.items():
        for r in dict.fromkeys(info.refs):
            refs.setdefault(r, []).append(n)
    levels = ["strong", "medium", "weak"]
    for num in sorted(refs):
        prs = refs[num]
        base = next((infos[p] for p in prs if infos[p].name), infos[prs[0]])
        rng = R(f"explicit/{num}")
        level = rng.choice(levels)
        title, body = link_issue(base, level, rng)
        area = AREA_OF_DOMAIN.get(base.domain, "api")
        s = add(Spec(f"explicit-{num}", title, body, "feature", area, pick_author(rng, "feature"),
                     base_labels(rng, "feature", area, []), "explicit", fixed=num, files=[base.module_path],
                     meta={"pr": base.number, "level": level}))
        if all(infos[p].state == "closed" and not infos[p].merged for p in prs):
            s.close = "not_planned"
            s.close_after = max(infos[p].closed for p in prs)

    # Implicit links: open singleton feature PRs that reference nothing.
    cands = [n for n, i in sorted(infos.items())
             if i.name and i.state == "open" and not i.refs and n not in in_pr_truth and i.phrases]
    rng = R("implicit/pick")
    by_lang: dict[str, list[int]] = {}
    for n in cands:
        by_lang.setdefault(infos[n].lang, []).append(n)
    chosen = []
    for lang, k in (("py", 2), ("go", 1), ("rs", 2)):
        chosen += rng.sample(by_lang.get(lang, []), min(k, len(by_lang.get(lang, []))))
    rest = [n for n in cands if n not in chosen and infos[n].lang == "ts"]
    chosen += rng.sample(rest, 36 - len(chosen))
    chosen.sort()
    implicit_links: list[tuple[int, str]] = []
    for i, n in enumerate(chosen):
        info = infos[n]
        lrng = R(f"implicit/{n}")
        title, body = link_issue(info, levels[i % 3], lrng)
        area = AREA_OF_DOMAIN.get(info.domain, "api")
        key = f"implicit-{n}"
        add(Spec(key, title, body, "feature", area, pick_author(lrng, "feature"), base_labels(lrng, "feature", area, []),
                 "implicit", early=True, files=[info.module_path] + [c[0] for c in info.callsites],
                 meta={"pr": n, "level": levels[i % 3]}))
        implicit_links.append((n, key))
    for sp in SPECIAL_LINK_ISSUES:
        path, needle = sp["match"]
        prs = [n for n, p in sorted(pulls.items()) if not infos[n].refs and p["pull"]["state"] == "open" and
               any(f["filename"] == path and needle in (f.get("patch") or "") for f in p["files"])]
        assert prs, sp["key"]
        lrng = R(f"special/{sp['key']}")
        add(Spec(sp["key"], sp["title"], sp["text"], sp["kind"], sp["area"], pick_author(lrng, sp["kind"]),
                 list(sp["labels"]), "implicit", early=True, files=[path]))
        implicit_links += [(n, sp["key"]) for n in prs]

    # ------------------------------------------------------------ numbers and dates
    total = len(specs)
    explicit_nums = {s.fixed for s in specs if s.fixed}
    free = [n for n in range(FIRST_ISSUE, FIRST_ISSUE + total) if n not in explicit_nums]
    assert max(explicit_nums) < FIRST_ISSUE + total
    step = (ISSUE_T1 - ISSUE_T0) / (total - 1)

    def min_number(after: dt.datetime) -> int:
        return FIRST_ISSUE + max(0, -(-(after - ISSUE_T0) // step))

    def simple(s: Spec) -> bool:
        return s.group in ("negative", "filler") and not s.old and not s.early and not s.after

    nrng = R("numbers")
    movable = [s for s in specs if not s.fixed]
    keyed = []
    for s in movable:
        lo = (s.after - ISSUE_T0) / (ISSUE_T1 - ISSUE_T0) if s.after else 0.0
        hi = 0.1 if s.old else 0.72 if s.early else 1.0
        keyed.append((lo + nrng.random() * (hi - lo), s.key))
    keyed.sort()
    for (k, key), num in zip(keyed, free):
        by_key[key].number = num
    for s in specs:
        if s.fixed:
            s.number = s.fixed
    for s in sorted(specs, key=lambda x: x.key):
        if s.after and s.number < min_number(s.after):
            other = min((x for x in specs if simple(x) and x.number >= min_number(s.after)), key=lambda x: x.number)
            s.number, other.number = other.number, s.number
    for t in TOPICS:
        ms = [by_key[f"{t['key']}:{i}"] for i in range(len(t["members"]))]
        for s, num in zip(ms, sorted(s.number for s in ms)):
            s.number = num
    holder = {s.number: s for s in specs}
    free_set = set(free)

    for t in TOPICS:
        ms = [by_key[f"{t['key']}:{i}"] for i in range(len(t["members"]))]
        for i, s in enumerate(ms):
            if not s.repost_of:
                continue
            o = ms[i - 1]
            lo = ms[i - 2].number if i >= 2 else FIRST_ISSUE - 1
            hi = ms[i + 1].number if i + 1 < len(ms) else FIRST_ISSUE + total
            if s.number == o.number + 1:
                continue
            for j in sorted(free_set):
                if j <= lo or j + 1 >= hi or j + 1 not in free_set:
                    continue
                a, b = holder[j], holder[j + 1]
                if not ((a is o or simple(a)) and (b is s or simple(b))) or a is s or b is o:
                    continue
                if a is not o:
                    on = o.number
                    a.number, o.number = on, j
                    holder[on], holder[j] = a, o
                if b is not s:
                    sn = s.number
                    b.number, s.number = sn, j + 1
                    holder[sn], holder[j + 1] = b, s
                break
            assert s.number == o.number + 1, (s.key, o.number, s.number)
    assert sorted(s.number for s in specs) == list(range(FIRST_ISSUE, FIRST_ISSUE + total))

    for s in specs:
        jitter = R(f"time/{s.number}").uniform(0, 0.6) * step
        s.created = (ISSUE_T0 + (s.number - FIRST_ISSUE) * step + jitter).replace(microsecond=0)
    for s in specs:
        if s.repost_of:
            s.created = by_key[s.repost_of].created + dt.timedelta(minutes=R(f"repost/{s.key}").randint(3, 40))
    for s in specs:
        assert not s.after or s.created >= s.after, s.key
        if s.render:
            s.body = s.render(s.created)
    for s in specs:
        if s.repost_of:
            s.body = by_key[s.repost_of].body

    # ------------------------------------------------------------ states, labels, objects
    api = f"https://api.github.com/repos/{owner}/{name}"
    html = f"https://github.com/{owner}/{name}"
    milestone_members: list[Spec] = []
    mrng = R("milestone")
    for s in specs:
        if s.group in ("cluster", "negative") and s.kind == "bug" and not s.close and mrng.random() < 0.12:
            milestone_members.append(s)
    objs: dict[int, dict] = {}
    for s in sorted(specs, key=lambda x: x.number):
        rng = R(f"issue/{s.number}")
        closed_at = None
        if s.close:
            if s.old:
                closed_at = s.created + dt.timedelta(hours=rng.uniform(2, 24 * 40))
                assert closed_at < dt.datetime(2024, 1, 15, tzinfo=dt.timezone.utc)
            else:
                lo = max(s.created + dt.timedelta(hours=2), RECENT + dt.timedelta(hours=1),
                         (s.close_after or s.created) + dt.timedelta(hours=1))
                hi = NOW - dt.timedelta(hours=1)
                closed_at = lo + (hi - lo) * rng.random() if hi > lo else lo
            closed_at = closed_at.replace(microsecond=0)
            updated = min(NOW, closed_at + dt.timedelta(minutes=rng.randint(0, 180)))
        else:
            span = min(dt.timedelta(days=45), NOW - s.created)
            updated = s.created + span * rng.random()
        updated = updated.replace(microsecond=0)
        labels = list(s.labels)
        if not s.close and NOW - s.created < dt.timedelta(days=14) and s.group != "implicit" and rng.random() < 0.5:
            labels = ["needs-triage"]
        if s.close == "duplicate" and "duplicate" not in labels:
            labels.append("duplicate")
        if s.close == "not_planned" and rng.random() < 0.5:
            labels.append("wontfix")
        comments = rng.choice([0, 0, 1, 1, 2, 3, 4, 6, 9])
        if s.close == "duplicate":
            comments = max(1, comments)
        assignee = None
        if s.group != "filler" and rng.random() < 0.15 or (s.close == "completed" and s.kind == "bug" and rng.random() < 0.5):
            assignee = user_obj(rng.choice(MAINTAINERS))
        closer = user_obj(rng.choice(MAINTAINERS)) if s.close else None
        if s.close and s.kind == "question" and rng.random() < 0.5:
            closer = user_obj(s.author)
        reactions = {k: 0 for k in ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")}
        if s.kind == "feature":
            reactions["+1"] = rng.choice([0, 1, 2, 3, 5, 8, 13])
        elif rng.random() < 0.3:
            reactions["+1"] = rng.randint(1, 4)
        if rng.random() < 0.1:
            reactions["eyes"] = 1
        n = s.number
        obj = {
            "url": f"{api}/issues/{n}", "repository_url": api, "labels_url": f"{api}/issues/{n}/labels{{/name}}",
            "comments_url": f"{api}/issues/{n}/comments", "events_url": f"{api}/issues/{n}/events",
            "html_url": f"{html}/issues/{n}", "id": 2_100_000_000 + n, "node_id": f"I_kwDO{n:010d}", "number": n,
            "title": s.title, "user": user_obj(s.author),
            "labels": [label_obj(api, l) for l in labels],
            "state": "closed" if s.close else "open", "locked": False, "assignee": assignee,
            "assignees": [assignee] if assignee else [], "milestone": None, "comments": comments,
            "created_at": iso(s.created), "updated_at": iso(updated), "closed_at": iso(closed_at) if closed_at else None,
            "author_association": association(s.author), "active_lock_reason": None, "body": s.body,
            "closed_by": closer,
            "reactions": {"url": f"{api}/issues/{n}/reactions", "total_count": sum(reactions.values()), **reactions},
            "timeline_url": f"{api}/issues/{n}/timeline", "performed_via_github_app": None,
            "state_reason": s.close,
        }
        objs[n] = obj
    if milestone_members:
        ms = milestone_obj(api, html, milestone_members, objs)
        for s in milestone_members:
            objs[s.number]["milestone"] = ms

    files: dict[str, str] = {}
    for n, obj in objs.items():
        files[f"issues/{n}.json"] = json.dumps({"issue": obj}, indent=1, ensure_ascii=False) + "\n"

    # ------------------------------------------------------------ scope fixtures (new PRs)
    template = pulls[count]["pull"]
    new_prs = scope_prs()
    prng = R("scope-prs")
    t0 = dt.datetime(2024, 5, 10, 8, 0, 0, tzinfo=dt.timezone.utc)
    scope = []
    for i, sp in enumerate(new_prs):
        number = count + 1 + i
        created = (t0 + dt.timedelta(hours=i * 40 + prng.randint(0, 1800) / 60)).replace(microsecond=0)
        created = created.replace(second=prng.randint(0, 59))
        pr_obj = new_pull(template, owner, name, number, sp, created, prng)
        files[f"pulls/{number}.json"] = json.dumps(pr_obj, indent=1, ensure_ascii=False) + "\n"
        scope.append({"pr": number, "expected": "OUT_OF_SCOPE", "note": sp["note"]})

    # In-scope labels on existing PRs: ordinary work in the core areas.
    srng = R("scope-in")
    ok = [n for n, i in sorted(infos.items()) if i.name and i.state == "open" and n not in in_pr_truth]
    pick_in = []
    for lang in ("py", "go", "rs"):
        opts = [n for n in ok if infos[n].lang == lang]
        if opts:
            pick_in.append(srng.choice(opts))
    areas_seen: set[str] = set()
    ts = [n for n in ok if infos[n].lang == "ts"]
    srng.shuffle(ts)
    for n in ts:
        a = infos[n].module_path.split("/")[1]
        if len(pick_in) >= 16:
            break
        if a in areas_seen and len(areas_seen) < 8:
            continue
        areas_seen.add(a)
        pick_in.append(n)
    docs_pr = next(n for n, i in sorted(infos.items()) if i.title.startswith("docs: fix typo") and i.state == "open")
    bump_pr = next(n for n, i in sorted(infos.items()) if i.title.startswith("chore(deps): bump") and i.state == "open")
    in_scope = []
    for n in sorted(pick_in):
        i = infos[n]
        words = kebab(i.name).replace("-", " ")
        in_scope.append({"pr": n, "expected": "IN_SCOPE",
                         "note": f"{words} in {i.module_path.rsplit('/', 1)[0]}/ ({AREA_OF_DOMAIN.get(i.domain, 'core')} area, with tests)"})
    in_scope.append({"pr": docs_pr, "expected": "IN_SCOPE", "note": "documentation typo fix"})
    in_scope.append({"pr": bump_pr, "expected": "IN_SCOPE", "note": "bump of an existing dependency"})
    scope = sorted(in_scope, key=lambda x: x["pr"]) + scope

    # ------------------------------------------------------------ truth
    num = lambda ref: by_key[ref].number  # noqa: E731
    issue_clusters = []
    for i, t in enumerate(TOPICS):
        members = sorted(num(f"{t['key']}:{j}") for j in range(len(t["members"])))
        issue_clusters.append({"id": f"i{i + 1}", "kind": "DUPLICATE", "members": members,
                               "note": f"{t['difficulty']}: {t['note']}"})
    neg_pairs = list(NEGATIVE_PAIRS)
    # Feature requests written from the same template about the same domain (different features).
    same_dom = []
    link_specs = sorted((s for s in specs if s.meta.get("pr")), key=lambda s: s.number)
    for x, a in enumerate(link_specs):
        for b in link_specs[x + 1:]:
            ia, ib = infos[a.meta["pr"]], infos[b.meta["pr"]]
            if ia.domain != ib.domain or ia.name == ib.name or a.meta["level"] != b.meta["level"]:
                continue
            ha = ia.callsites[0][1] if ia.callsites else ""
            hb = ib.callsites[0][1] if ib.callsites else ""
            prio = (0 if a.meta["level"] == "medium" else 1) if ha and ha == hb else 2
            same_dom.append((prio, a.number, b.number, a.key, b.key, ia, ib))
    same_dom.sort(key=lambda x: x[:3])
    for _, _, _, ka, kb, ia, ib in same_dom[:4]:
        neg_pairs.append(("same-domain-different-feature", ka, kb,
                          f"same request template about {plural(ia.domain)}, different features ({ia.name} vs {ib.name})"))
    issue_negatives = [{"id": f"in{i + 1}", "kind": kind, "members": sorted([num(a), num(b)]), "note": note}
                       for i, (kind, a, b, note) in enumerate(neg_pairs)]
    links = []
    for n, info in sorted(infos.items()):
        for r in dict.fromkeys(info.refs):
            links.append({"pr": n, "issue": r, "kind": "explicit"})
    for n, key in implicit_links:
        links.append({"pr": n, "issue": num(key), "kind": "implicit"})
    links.sort(key=lambda l: (l["pr"], l["issue"]))
    linked = {(l["pr"], l["issue"]) for l in links}

    # Look-related-but-unfixed pairs.
    lrng = R("link-negatives")
    link_neg: list[dict] = []
    issue_of_pr: dict[int, list[tuple[int, str]]] = {}
    for l in links:
        issue_of_pr.setdefault(l["pr"], []).append((l["issue"], l["kind"]))
    feature_issues = [(l["issue"], l["pr"]) for l in links if infos[l["pr"]].name]
    lrng.shuffle(feature_issues)
    used_issues: set[int] = set()
    for iss, pr_y in feature_issues:
        if len(link_neg) >= 7:
            break
        d, y = infos[pr_y].domain, infos[pr_y]
        if iss in used_issues:
            continue
        fixers = {l["pr"] for l in links if l["issue"] == iss}
        xs = [n for n, i in sorted(infos.items()) if i.name and i.domain == d and i.state == "open" and n not in fixers
              and i.name not in {infos[f].name for f in fixers}
              and not any(pr_cluster_of.get(n) and pr_cluster_of.get(n) == pr_cluster_of.get(f) for f in fixers)
              and (n, iss) not in linked]
        if xs:
            link_neg.append({"pr": lrng.choice(xs), "issue": iss})
            used_issues.add(iss)
    # Same existing file: the PR edits a file a bug report's stack points at.
    for topic_key in ("invoice-total", "coupon-exists", "session-ttl", "duplicate-shipped-email"):
        t = next(t for t in TOPICS if t["key"] == topic_key)
        target = t["files"][0]
        xs = [n for n, i in sorted(infos.items()) if i.state == "open" and i.name and any(c[0] == target for c in i.callsites)
              and n not in in_pr_truth]
        if xs:
            link_neg.append({"pr": lrng.choice(xs), "issue": num(f"{topic_key}:0")})
    bumps = {n: i for n, i in infos.items() if i.title.startswith("chore(deps): bump")}
    lodash = num("lodash-bump")
    for n, i in sorted(bumps.items()):
        if "lodash" not in i.title and ("zod" in i.title or "pino" in i.title):
            link_neg.append({"pr": n, "issue": lodash})
    typo_prs = [n for n, i in sorted(infos.items()) if i.title.startswith("docs: fix typo") and "wich" not in i.title]
    if typo_prs:
        link_neg.append({"pr": typo_prs[0], "issue": num("typo-which")})
        link_neg.append({"pr": typo_prs[-1], "issue": num("f-recieve-typo")})
    # The merged change that introduced a bug, and its open re-submission, do not fix that bug.
    for l in truth["landed"]:
        if infos[l["merged"]].name == "enrichInvoiceHistory":
            link_neg.append({"pr": l["open"], "issue": num("f-enrich-history-owner")})
        if infos[l["merged"]].name == "refreshWebhookWindow":
            link_neg.append({"pr": l["open"], "issue": num("webhook-window:1")})
            link_neg.append({"pr": l["merged"], "issue": num("webhook-window:0")})
    link_neg = [l for l in link_neg if (l["pr"], l["issue"]) not in linked]
    link_neg = list({(l["pr"], l["issue"]): l for l in link_neg}.values())
    link_neg.sort(key=lambda l: (l["pr"], l["issue"]))

    new_truth = {k: v for k, v in truth.items() if k not in TRUTH_KEYS}
    new_truth.update({"issue_clusters": issue_clusters, "issue_negatives": issue_negatives,
                      "pr_issue_links": links, "link_negatives": link_neg, "scope": scope})
    files["truth.json"] = json.dumps(new_truth, indent=2) + "\n"
    files["VISION.md"] = VISION
    summary = {
        "issues": total, "open": sum(1 for o in objs.values() if o["state"] == "open"),
        "closed_recent": sum(1 for o in objs.values() if o["closed_at"] and parse_iso(o["closed_at"]) >= RECENT),
        "closed_old": sum(1 for o in objs.values() if o["closed_at"] and parse_iso(o["closed_at"]) < RECENT),
        "null_bodies": sum(1 for o in objs.values() if o["body"] is None),
        "clusters": len(issue_clusters), "cluster_issues": sum(len(c["members"]) for c in issue_clusters),
        "negatives": len(issue_negatives),
        "links_explicit": sum(1 for l in links if l["kind"] == "explicit"),
        "links_implicit": sum(1 for l in links if l["kind"] == "implicit"),
        "link_negatives": len(link_neg),
        "scope_in": sum(1 for s in scope if s["expected"] == "IN_SCOPE"),
        "scope_out": sum(1 for s in scope if s["expected"] == "OUT_OF_SCOPE"),
        "new_prs": len(new_prs),
    }
    return files, summary


TRUTH_KEYS = ("issue_clusters", "issue_negatives", "pr_issue_links", "link_negatives", "scope")
ORIGINAL_TRUTH_KEYS = ("seed", "count", "clusters", "negatives", "landed")


def label_obj(api: str, name: str) -> dict:
    color, default, desc = LABELS[name]
    lid = 6_000_000_000 + stable_int("label", name) % 1_000_000_000
    return {"id": lid, "node_id": f"LA_kwDO{lid:012d}", "url": f"{api}/labels/{name.replace(' ', '%20').replace('/', '%2F')}",
            "name": name, "color": color, "default": default, "description": desc}


def milestone_obj(api: str, html: str, members: list[Spec], objs: dict) -> dict:
    open_n = sum(1 for s in members if objs[s.number]["state"] == "open")
    creator = user_obj("octo-dev")
    return {"url": f"{api}/milestones/12", "html_url": f"{html}/milestone/12", "labels_url": f"{api}/milestones/12/labels",
            "id": 10_480_012, "node_id": "MI_kwDO0010480012", "number": 12, "title": "v2.15",
            "description": "Bug fixes and billing improvements for the June release.", "creator": creator,
            "open_issues": open_n, "closed_issues": len(members) - open_n, "state": "open",
            "created_at": "2024-04-22T09:12:40Z", "updated_at": "2024-05-30T16:03:11Z", "due_on": "2024-06-28T07:00:00Z",
            "closed_at": None}


def new_pull(template: dict, owner: str, repo: str, number: int, sp: dict, created: dt.datetime, rng: random.Random) -> dict:
    def sha() -> str:
        return "".join(rng.choice("0123456789abcdef") for _ in range(40))
    api = f"https://api.github.com/repos/{owner}/{repo}"
    html = f"https://github.com/{owner}/{repo}"
    u = user_obj(sp["login"])
    head_sha, base_sha = sha(), sha()
    branch = "-".join(sp["title"].lower().replace("'", "").replace('"', "").split()[:5])
    branch = "".join(ch if ch.isalnum() or ch in "-/" else "-" for ch in branch)[:50]
    updated = created + dt.timedelta(minutes=rng.randint(5, 3000))
    pull = copy.deepcopy(template)
    pull.update({
        "url": f"{api}/pulls/{number}", "id": 1_800_000_000 + number * 17, "node_id": f"PR_kwDO{number:010d}",
        "html_url": f"{html}/pull/{number}", "diff_url": f"{html}/pull/{number}.diff", "patch_url": f"{html}/pull/{number}.patch",
        "issue_url": f"{api}/issues/{number}", "number": number, "state": "open", "locked": False,
        "title": sp["title"], "user": u, "body": sp["body"], "created_at": iso(created), "updated_at": iso(updated),
        "closed_at": None, "merged_at": None, "merge_commit_sha": None, "assignee": None, "assignees": [],
        "requested_reviewers": [], "labels": [], "milestone": None, "draft": False,
        "commits_url": f"{api}/pulls/{number}/commits", "review_comments_url": f"{api}/pulls/{number}/comments",
        "comments_url": f"{api}/issues/{number}/comments", "statuses_url": f"{api}/statuses/{head_sha}",
        "author_association": "FIRST_TIME_CONTRIBUTOR", "auto_merge": None, "active_lock_reason": None,
    })
    pull["head"] = {**template["head"], "label": f"{u['login']}:{branch}", "ref": branch, "sha": head_sha, "user": u}
    pull["base"] = {**template["base"], "sha": base_sha}
    files = []
    for f in sp["files"]:
        blob = sha()
        obj = {"sha": blob, "filename": f["filename"], "status": f["status"], "additions": f["additions"],
               "deletions": f["deletions"], "changes": f["additions"] + f["deletions"],
               "blob_url": f"{html}/blob/{head_sha}/{f['filename']}", "raw_url": f"{html}/raw/{head_sha}/{f['filename']}",
               "contents_url": f"{api}/contents/{f['filename']}?ref={head_sha}", "patch": f["patch"]}
        files.append(obj)
    return {"pull": pull, "files": files}

# ---------------------------------------------------------------- validation

ISSUE_KEYS = ["url", "repository_url", "labels_url", "comments_url", "events_url", "html_url", "id", "node_id", "number",
              "title", "user", "labels", "state", "locked", "assignee", "assignees", "milestone", "comments", "created_at",
              "updated_at", "closed_at", "author_association", "body", "state_reason"]
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def check_patch(patch: str) -> tuple[int, int, list[str]]:
    """Counts +/- lines and verifies every hunk header against its body."""
    errors, adds, dels = [], 0, 0
    lines = patch.split("\n")
    i = 0
    while i < len(lines):
        m = HUNK.match(lines[i])
        if not m:
            errors.append(f"expected a hunk header, got {lines[i][:40]!r}")
            break
        old_n = int(m.group(2) if m.group(2) is not None else 1)
        new_n = int(m.group(4) if m.group(4) is not None else 1)
        i += 1
        o = n = 0
        while i < len(lines) and not HUNK.match(lines[i]):
            c = lines[i][:1]
            if c == "+":
                n += 1
                adds += 1
            elif c == "-":
                o += 1
                dels += 1
            elif c == " ":
                o += 1
                n += 1
            else:
                errors.append(f"bad patch line {lines[i][:40]!r}")
            i += 1
        if (o, n) != (old_n, new_n):
            errors.append(f"hunk {m.group(0)} has {o} old / {n} new lines")
    return adds, dels, errors


def validate(root: str) -> list[str]:
    errs: list[str] = []
    truth, pulls = load_corpus(root)
    count = truth["count"]
    if list(truth)[:5] != list(ORIGINAL_TRUTH_KEYS):
        errs.append(f"truth.json key order changed: {list(truth)}")
    try:
        import subprocess
        rel = os.path.relpath(os.path.join(root, "truth.json"))
        head = subprocess.run(["git", "show", f"HEAD:{rel}"], capture_output=True, text=True, check=True).stdout
        old = json.loads(head)
        for k in ORIGINAL_TRUTH_KEYS:
            if old.get(k) != truth.get(k):
                errs.append(f"truth.json[{k!r}] differs from HEAD")
    except Exception as e:  # no git, or not committed yet
        print(f"note: not comparing truth.json with git HEAD ({type(e).__name__})")
    # All PRs, including the fixtures.
    all_prs = dict(pulls)
    n = count + 1
    while os.path.exists(os.path.join(root, "pulls", f"{n}.json")):
        with open(os.path.join(root, "pulls", f"{n}.json"), encoding="utf-8") as fh:
            all_prs[n] = json.load(fh)
        n += 1
    ids = set()
    for n, p in all_prs.items():
        pr = p["pull"]
        if pr["number"] != n or pr["id"] in ids:
            errs.append(f"pull {n}: bad number or duplicate id")
        ids.add(pr["id"])
        if n > count:
            if set(pr) != set(pulls[count]["pull"]) or set(p) != {"pull", "files"}:
                errs.append(f"pull {n}: keys differ from the existing PR objects")
            for f in p["files"]:
                a, d, e = check_patch(f["patch"])
                errs += [f"pull {n} {f['filename']}: {x}" for x in e]
                if (a, d) != (f["additions"], f["deletions"]) or f["changes"] != a + d:
                    errs.append(f"pull {n} {f['filename']}: +{a}/-{d} vs additions {f['additions']}/deletions {f['deletions']}")
            if re.search(r"#\d", pr["body"] or ""):
                errs.append(f"pull {n}: body references an issue")
    # Issues.
    issues: dict[int, dict] = {}
    idir = os.path.join(root, "issues")
    for fn in sorted(os.listdir(idir)):
        with open(os.path.join(idir, fn), encoding="utf-8") as fh:
            doc = json.load(fh)
        if set(doc) != {"issue"}:
            errs.append(f"{fn}: top level keys {set(doc)}")
            continue
        it = doc["issue"]
        num = it["number"]
        if fn != f"{num}.json" or num in issues or num < FIRST_ISSUE:
            errs.append(f"{fn}: bad or duplicate number {num}")
        issues[num] = it
        missing = [k for k in ISSUE_KEYS if k not in it]
        if missing or "pull_request" in it:
            errs.append(f"{fn}: missing {missing} or has pull_request")
            continue
        if set(it["user"]) != {"login", "id", "node_id", "avatar_url", "html_url", "type", "site_admin"}:
            errs.append(f"{fn}: user shape")
        for l in it["labels"]:
            if set(l) != {"id", "node_id", "url", "name", "color", "default", "description"}:
                errs.append(f"{fn}: label shape")
        created, updated = parse_iso(it["created_at"]), parse_iso(it["updated_at"])
        if not created <= updated <= NOW:
            errs.append(f"{fn}: created/updated out of order")
        if it["state"] == "open":
            if it["closed_at"] or it["state_reason"] is not None:
                errs.append(f"{fn}: open with closed_at/state_reason")
        elif it["state"] == "closed":
            if not it["closed_at"] or it["state_reason"] not in ("completed", "not_planned", "duplicate"):
                errs.append(f"{fn}: closed without closed_at/state_reason")
            elif not created <= parse_iso(it["closed_at"]) <= updated:
                errs.append(f"{fn}: closed_at out of range")
        else:
            errs.append(f"{fn}: state {it['state']}")
        for m in re.finditer(r"(?<![\w&])#(\d+)\b", it["body"] or ""):
            if int(m.group(1)) not in range(FIRST_ISSUE, FIRST_ISSUE + 10_000):
                errs.append(f"{fn}: body mentions #{m.group(1)}")
    if len({it["id"] for it in issues.values()}) != len(issues):
        errs.append("duplicate issue ids")
    # Every issue an existing PR body references exists.
    refs = {}
    for n, p in pulls.items():
        body = p["pull"]["body"] or ""
        for m in re.finditer(r"#(\d+)", body):
            if int(m.group(1)) not in issues:
                errs.append(f"pull {n} references missing issue #{m.group(1)}")
        refs[n] = {int(m.group(2)) for m in CLOSING.finditer(body)}
    # Truth references.
    seen: dict[int, str] = {}
    for c in truth.get("issue_clusters", []):
        if not 2 <= len(c["members"]) <= 4 or c["kind"] != "DUPLICATE":
            errs.append(f"{c['id']}: size/kind")
        for m in c["members"]:
            if m not in issues:
                errs.append(f"{c['id']}: missing issue {m}")
            if m in seen:
                errs.append(f"{c['id']}: issue {m} also in {seen[m]}")
            seen[m] = c["id"]
    for c in truth.get("issue_negatives", []):
        a, b = c["members"]
        if a not in issues or b not in issues:
            errs.append(f"{c['id']}: missing issue")
        if a in seen and seen.get(a) == seen.get(b):
            errs.append(f"{c['id']}: both members in cluster {seen[a]}")
    links = truth.get("pr_issue_links", [])
    linked = set()
    for l in links:
        pr, iss = l["pr"], l["issue"]
        linked.add((pr, iss))
        if pr not in all_prs or iss not in issues:
            errs.append(f"link {pr}->{iss}: missing PR or issue")
            continue
        body = all_prs[pr]["pull"]["body"] or ""
        if l["kind"] == "explicit" and iss not in refs.get(pr, set()):
            errs.append(f"explicit link {pr}->{iss} not in the PR body")
        if l["kind"] == "implicit":
            if re.search(rf"#{iss}\b", body):
                errs.append(f"implicit link {pr}->{iss}: PR body mentions the issue")
            if re.search(rf"#{pr}\b", issues[iss]["body"] or ""):
                errs.append(f"implicit link {pr}->{iss}: issue mentions the PR")
            if parse_iso(issues[iss]["created_at"]) >= parse_iso(all_prs[pr]["pull"]["created_at"]):
                errs.append(f"implicit link {pr}->{iss}: issue is newer than the PR")
            if all_prs[pr]["pull"]["state"] != "open":
                errs.append(f"implicit link {pr}->{iss}: PR not open")
        if l["kind"] not in ("explicit", "implicit"):
            errs.append(f"link {pr}->{iss}: kind {l['kind']}")
    for n, rs in refs.items():
        for r in rs:
            if (n, r) not in linked:
                errs.append(f"PR {n} closes #{r} but there is no explicit link")
    for l in truth.get("link_negatives", []):
        if (l["pr"], l["issue"]) in linked or l["pr"] not in all_prs or l["issue"] not in issues:
            errs.append(f"link negative {l}: linked or missing")
        if re.search(rf"#{l['issue']}\b", all_prs[l["pr"]]["pull"]["body"] or ""):
            errs.append(f"link negative {l}: PR body mentions the issue")
    for s in truth.get("scope", []):
        if s["pr"] not in all_prs or s["expected"] not in ("IN_SCOPE", "OUT_OF_SCOPE"):
            errs.append(f"scope {s}: bad")
    return errs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--corpus", required=True, help="e.g. corpus/acme/webapp (must contain pulls/ and truth.json)")
    ap.add_argument("--check", action="store_true", help="verify the files on disk: invariants and byte-for-byte regeneration")
    args = ap.parse_args()
    root = args.corpus
    files, summary = build(args.seed, root)
    truth, _ = load_corpus(root)
    count = truth["count"]
    if args.check:
        errs = validate(root)
        for rel, content in sorted(files.items()):
            path = os.path.join(root, rel)
            if not os.path.exists(path):
                errs.append(f"{rel}: missing (run without --check)")
                continue
            with open(path, encoding="utf-8", newline="") as fh:
                if fh.read() != content:
                    errs.append(f"{rel}: differs from a regeneration with --seed {args.seed}")
        extra = [f"issues/{fn}" for fn in os.listdir(os.path.join(root, "issues")) if f"issues/{fn}" not in files]
        errs += [f"{rel}: not produced by the generator" for rel in extra]
        for e in errs:
            print("ERROR", e)
        print(json.dumps(summary))
        sys.exit(1 if errs else 0)
    idir = os.path.join(root, "issues")
    os.makedirs(idir, exist_ok=True)
    for fn in os.listdir(idir):
        if fn.endswith(".json") and f"issues/{fn}" not in files:
            os.remove(os.path.join(idir, fn))
    n = count + 1
    while os.path.exists(os.path.join(root, "pulls", f"{n}.json")):
        if f"pulls/{n}.json" not in files:
            os.remove(os.path.join(root, "pulls", f"{n}.json"))
        n += 1
    for rel, content in sorted(files.items()):
        path = os.path.join(root, rel)
        if rel.startswith("pulls/") and int(rel[6:-5]) <= count:
            raise SystemExit(f"refusing to overwrite {rel}")
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
