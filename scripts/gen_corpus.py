#!/usr/bin/env python3
"""Generate a labelled corpus of GitHub pull requests for clawtriage.

Deterministic by seed, Python 3.11 standard library only.

    scripts/gen_corpus.py --seed 42 --count 300 --out corpus            # corpus/acme/webapp/
    scripts/gen_corpus.py --seed 7 --count 1500 --out /tmp/bench-corpus  # benchmark size

Layout (served verbatim by the fake GitHub server):
    <out>/<owner>/<repo>/repo.json              GitHub REST repository object
    <out>/<owner>/<repo>/pulls/<number>.json    {"pull": <PR as the list endpoint returns it>,
                                                 "files": [<PR file objects>]}
    <out>/<owner>/<repo>/truth.json             labelled clusters, look-alike negatives, landed pairs

See corpus/README.md for the truth format.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
from dataclasses import dataclass, field

# ---------------------------------------------------------------- vocabulary

DOMAINS = [
    "invoice", "customer", "order", "payment", "session", "token", "webhook", "report",
    "cart", "product", "coupon", "shipment", "refund", "subscription", "plan", "tenant",
    "user", "team", "project", "comment", "notification", "audit", "export", "import",
    "search", "cache", "queue", "upload", "avatar", "locale", "currency", "tax", "discount",
    "inventory", "warehouse", "ticket", "message", "channel", "feed", "badge", "review",
    "rating", "wishlist", "address", "calendar", "booking", "schedule", "metric", "alert",
]
VERBS = [
    "calculate", "validate", "normalize", "format", "parse", "fetch", "sync", "merge",
    "reconcile", "archive", "resolve", "render", "group", "filter", "rank", "dedupe",
    "enrich", "serialize", "hydrate", "throttle", "batch", "schedule", "notify", "export",
    "import", "summarize", "score", "migrate", "redact", "verify", "expire", "refresh",
]
QUALIFIERS = ["", "", "", "Totals", "Batch", "Status", "Window", "Preview", "Digest", "Snapshot",
              "Limits", "Rules", "Changes", "History", "Settings", "Index"]
FIELDS = [
    "id", "name", "status", "amount", "currency", "createdAt", "updatedAt", "ownerId",
    "email", "quantity", "price", "total", "dueDate", "priority", "label", "slug", "count",
    "expiresAt", "region", "score", "weight", "version", "parentId", "tags", "kind", "code",
]
AREAS = ["services", "utils", "api", "hooks", "models", "lib", "jobs", "components"]
LOG_LEVELS = ["info", "warn", "debug", "error"]
MSGS = ["not found", "invalid input", "already exists", "limit exceeded", "missing field",
        "unsupported kind", "expired", "not allowed", "conflict", "timed out"]
DEPS = [("lodash", "4.17.20", "4.17.21"), ("axios", "1.6.0", "1.7.2"), ("zod", "3.22.4", "3.23.8"),
        ("react", "18.2.0", "18.3.1"), ("date-fns", "2.30.0", "3.6.0"), ("express", "4.18.2", "4.19.2"),
        ("vitest", "1.2.0", "1.6.0"), ("typescript", "5.3.3", "5.4.5"), ("pino", "8.17.0", "9.1.0"),
        ("uuid", "9.0.0", "9.0.1"), ("dotenv", "16.3.1", "16.4.5"), ("ioredis", "5.3.2", "5.4.1")]
WORDS = ("the a service request handler returns value when configured default option users can "
         "set this field to control how data is stored retried cached validated before it reaches "
         "database each call logs warning error if limit exceeded see section below for details "
         "example shows usage").split()
AUTHORS = ["octo-dev", "mkline", "jpark", "sasha-r", "devon", "lin-w", "agent-claw[bot]",
           "cursor-agent[bot]", "tbrown", "amelia-k", "rj45", "noor", "felixg", "priya-s"]

TYPOS = [("dependancies", "dependencies"), ("recieve", "receive"), ("enviroment", "environment"),
         ("seperately", "separately"), ("occured", "occurred"), ("adress", "address"),
         ("accomodate", "accommodate"), ("definately", "definitely"), ("succesful", "successful"),
         ("wich", "which"), ("untill", "until"), ("begining", "beginning")]

EXISTING_FILES = [
    "src/app.ts", "src/routes/index.ts", "src/server.ts", "src/config.ts", "src/db/client.ts",
    "src/services/billing.ts", "src/services/users.ts", "src/services/orders.ts",
    "src/components/App.tsx", "src/components/Header.tsx", "src/utils/http.ts",
    "src/utils/logger.ts", "src/api/router.ts", "src/jobs/scheduler.ts",
]
DOC_FILES = ["README.md", "docs/getting-started.md", "docs/configuration.md", "docs/api.md",
             "docs/deployment.md", "CONTRIBUTING.md", "docs/architecture.md"]


def camel(*parts: str) -> str:
    parts = [p for p in parts if p]
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def pascal(*parts: str) -> str:
    s = camel(*parts)
    return s[:1].upper() + s[1:]


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


# ---------------------------------------------------------------- code generation

@dataclass
class Feature:
    """One unit of work: a new module, call sites, tests, docs."""
    name: str                      # e.g. reconcileInvoice
    domain: str
    lang: str                      # ts | py | go | rs
    module_path: str
    module_lines: list[str]
    exports: list[str]
    callsites: list["Hunk"] = field(default_factory=list)
    test_path: str = ""
    test_lines: list[str] = field(default_factory=list)
    doc_path: str = ""
    doc_lines: list[str] = field(default_factory=list)


@dataclass
class Hunk:
    """A modification of an existing file."""
    path: str
    start: int
    before: list[str]
    removed: list[str]
    added: list[str]
    after: list[str]
    section: str = ""


class Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.existing: dict[str, list[str]] = {}
        for p in EXISTING_FILES:
            self.existing[p] = self._existing_file(p)

    # -- helpers
    def pick(self, seq):
        return self.rng.choice(seq)

    def ident(self, domain: str) -> str:
        return camel(self.pick(["", "next", "raw", "current", "pending", "valid", "merged", "local"]),
                     domain if self.rng.random() < 0.5 else self.pick(FIELDS),
                     self.pick(["", "s", "List", "Map", "Count", "Value", "Ids", "ById"]))

    def _existing_file(self, path: str) -> list[str]:
        r = random.Random(hashlib.sha256(path.encode()).hexdigest())
        lines = [f"import {{ {camel('load', r.choice(DOMAINS))} }} from './{r.choice(DOMAINS)}';", ""]
        for i in range(r.randint(60, 160)):
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

    def fresh_name(self, domain: str | None = None) -> tuple[str, str]:
        for _ in range(1000):
            d = domain or self.pick(DOMAINS)
            n = camel(self.pick(VERBS), d, self.pick(QUALIFIERS))
            if n not in self.used_names:
                self.used_names.add(n)
                return n, d
        n = f"task{len(self.used_names)}"
        self.used_names.add(n)
        return n, "task"

    def ts_statement(self, d: str, locals_: list[str]) -> list[str]:
        a, b = self.pick(locals_), self.pick(locals_)
        f1, f2 = self.pick(FIELDS), self.pick(FIELDS)
        n = self.rng.randint(1, 500)
        helper = camel(self.pick(["to", "with", "ensure", "pick", "clamp"]), self.pick(FIELDS).capitalize())
        t = self.rng.randrange(16)
        if t == 0:
            return [f"  const {a} = {b}.filter((item) => item.{f1} !== undefined && item.{f2} > {n});"]
        if t == 1:
            return [f"  if (!{a}.{f1}) {{", f"    throw new Error('{d} {self.pick(MSGS)}: ' + {a}.{f2});", "  }"]
        if t == 2:
            return [f"  const {a} = {b}.map((entry) => ({{ ...entry, {f1}: {helper}(entry.{f2}) }}));"]
        if t == 3:
            return [f"  const {a} = await this.{d}Repository.{camel('find', 'by', f1.capitalize())}({b}.{f2}, {{ limit: {n} }});"]
        if t == 4:
            return [f"  for (const item of {a}) {{", f"    {b}.set(item.{f1}, (({b}.get(item.{f1}) ?? 0) + item.{f2}));", "  }"]
        if t == 5:
            return [f"  logger.{self.pick(LOG_LEVELS)}('{d} {self.pick(VERBS)}d', {{ {f1}: {a}.{f1}, count: {b}.length }});"]
        if t == 6:
            return [f"  {a}.{f1} = Math.max({a}.{f1} ?? 0, {b}.{f2} * {n});"]
        if t == 7:
            return [f"  const {a} = new Map<string, {pascal(d)}>();"]
        if t == 8:
            return [f"  const {a} = {b}.reduce((sum, item) => sum + item.{f1} * item.{f2}, 0);"]
        if t == 9:
            return [f"  if ({a}.length > {n}) {{", f"    return {a}.slice(0, {n});", "  }"]
        if t == 10:
            return [f"  const {a} = {b}.sort((x, y) => (x.{f1} < y.{f1} ? -1 : x.{f1} > y.{f1} ? 1 : 0));"]
        if t == 11:
            return [f"  const {a} = await fetchJson<{pascal(d, f1)}>(`/api/{d}s/${{{b}.{f2}}}/{kebab(f1)}`);"]
        if t == 12:
            return ["  try {", f"    await {camel('persist', d)}({a});", "  } catch (err) {",
                    f"    metrics.increment('{d}.{kebab(f1)}.failed');", "    throw err;", "  }"]
        if t == 13:
            return [f"  const {a} = Object.fromEntries({b}.map((x) => [x.{f1}, x.{f2}]));"]
        if t == 14:
            return [f"  const {a} = {b}.{f1}?.trim().toLowerCase() ?? '{d}-{n}';"]
        return [f"  const {a} = {{ ...{b}, {f1}: {b}.{f1} ?? {n}, {f2}: Date.now() }};"]

    def ts_function(self, name: str, d: str, exported: bool, size: int) -> list[str]:
        locals_ = [self.ident(d) for _ in range(5)]
        params = ", ".join(f"{p}: {pascal(d)}[]" for p in locals_[:2])
        kw = "export " if exported else ""
        asy = "async " if self.rng.random() < 0.5 else ""
        ret = f"Promise<{pascal(d)}[]>" if asy else f"{pascal(d)}[]"
        lines = [f"{kw}{asy}function {name}({params}): {ret} {{"]
        for _ in range(size):
            lines += self.ts_statement(d, locals_)
        lines += [f"  return {locals_[0]};", "}", ""]
        return lines

    def py_function(self, name: str, d: str, size: int) -> list[str]:
        snake = kebab(name).replace("-", "_")
        lines = [f"def {snake}({d}s: list[dict], limit: int = {self.rng.randint(10, 500)}) -> list[dict]:"]
        for _ in range(size):
            f1, f2 = self.pick(FIELDS), self.pick(FIELDS)
            lines.append(self.pick([
                f"    {d}s = [x for x in {d}s if x.get('{f1}') is not None]",
                f"    {d}s.sort(key=lambda x: x['{f2}'])",
                f"    logger.info('{d} %s {self.pick(VERBS)}d', len({d}s))",
                f"    totals = {{x['{f1}']: x.get('{f2}', 0) for x in {d}s}}",
                f"    if len({d}s) > limit:\n        {d}s = {d}s[:limit]",
                f"    for item in {d}s:\n        item['{f1}'] = normalize(item.get('{f2}'))",
            ]))
        lines += [f"    return {d}s", "", ""]
        return "\n".join(lines).split("\n")

    def go_function(self, name: str, d: str, size: int) -> list[str]:
        fn = pascal(name)
        t = pascal(d)
        lines = [f"func {fn}(ctx context.Context, items []{t}) ([]{t}, error) {{"]
        for _ in range(size):
            f1 = pascal(self.pick(FIELDS))
            lines += self.pick([
                [f"\tout := make([]{t}, 0, len(items))"],
                ["\tfor _, it := range items {", f"\t\tif it.{f1} == \"\" {{", "\t\t\tcontinue", "\t\t}", "\t\tout = append(out, it)", "\t}"],
                ["\tif len(items) == 0 {", f"\t\treturn nil, fmt.Errorf(\"{d}: {self.pick(MSGS)}\")", "\t}"],
                [f"\tsort.Slice(items, func(i, j int) bool {{ return items[i].{f1} < items[j].{f1} }})"],
                [f"\tlog.Printf(\"{d} {self.pick(VERBS)}: %d\", len(items))"],
            ])
        lines += ["\treturn items, nil", "}", ""]
        return lines

    def rs_function(self, name: str, d: str, size: int) -> list[str]:
        snake = kebab(name).replace("-", "_")
        t = pascal(d)
        lines = [f"pub fn {snake}(items: &[{t}]) -> Vec<{t}> {{", "    let mut out = Vec::new();"]
        for _ in range(size):
            f1 = self.pick(FIELDS).lower()
            lines += self.pick([
                ["    for it in items {", f"        if it.{f1}.is_empty() {{", "            continue;", "        }", "        out.push(it.clone());", "    }"],
                [f"    out.sort_by(|a, b| a.{f1}.cmp(&b.{f1}));"],
                [f"    tracing::debug!(count = out.len(), \"{d} {self.pick(VERBS)}\");"],
                [f"    out.retain(|x| x.{f1} != Default::default());"],
            ])
        lines += ["    out", "}", ""]
        return lines

    def feature(self, lang: str | None = None, area: str | None = None, domain: str | None = None) -> Feature:
        name, d = self.fresh_name(domain)
        lang = lang or self.rng.choices(["ts", "py", "go", "rs"], [88, 5, 4, 3])[0]
        n_exports = self.rng.choice([1, 1, 2, 2, 3])
        exports = [name] + [camel(self.pick(VERBS), d, self.pick(QUALIFIERS[3:])) for _ in range(n_exports - 1)]
        exports = list(dict.fromkeys(exports))
        size = lambda: self.rng.randint(3, 9)  # noqa: E731
        if lang == "ts":
            area = area or self.pick(AREAS)
            ext = "tsx" if area == "components" else "ts"
            path = f"src/{area}/{name}.{ext}"
            lines = [f"import {{ logger }} from '../utils/logger';",
                     f"import type {{ {pascal(d)} }} from '../models/{d}';", ""]
            for e in exports:
                lines += self.ts_function(e, d, True, size())
            for _ in range(self.rng.randint(0, 2)):
                lines += self.ts_function(camel(self.pick(["to", "with", "ensure", "pick"]), d, self.pick(FIELDS).capitalize()), d, False, size())
        elif lang == "py":
            path = f"worker/{d}/{kebab(name).replace('-', '_')}.py"
            lines = ["import logging", "", "logger = logging.getLogger(__name__)", "", ""]
            for e in exports:
                lines += self.py_function(e, d, size())
        elif lang == "go":
            path = f"tools/{d}/{kebab(name).replace('-', '_')}.go"
            lines = [f"package {d}", "", "import (", "\t\"context\"", "\t\"fmt\"", "\t\"log\"", "\t\"sort\"", ")", ""]
            for e in exports:
                lines += self.go_function(e, d, size())
        else:
            path = f"crates/core/src/{kebab(name).replace('-', '_')}.rs"
            lines = [f"use crate::model::{pascal(d)};", ""]
            for e in exports:
                lines += self.rs_function(e, d, size())
        f = Feature(name=name, domain=d, lang=lang, module_path=path, module_lines=lines, exports=exports)
        if lang == "ts":
            for _ in range(self.rng.choice([0, 1, 1, 2])):
                f.callsites.append(self.callsite(f))
        f.test_path, f.test_lines = self.tests(f)
        if self.rng.random() < 0.35:
            f.doc_path, f.doc_lines = self.docs(f)
        return f

    def callsite(self, f: Feature) -> Hunk:
        path = self.pick(EXISTING_FILES)
        body = self.existing[path]
        i = self.rng.randint(4, len(body) - 6)
        rel = "../" * (path.count("/") - 1) or "./"
        mod = f.module_path.removeprefix("src/").rsplit(".", 1)[0]
        added = [f"import {{ {f.exports[0]} }} from '{rel}{mod}';"] if self.rng.random() < 0.6 else []
        loc = self.ident(f.domain)
        added += [f"  const {loc} = await {f.exports[0]}(ctx.{f.domain}s, ctx.{self.pick(FIELDS)}s);"]
        if self.rng.random() < 0.5:
            added.append(f"  logger.info('{f.domain} {self.pick(VERBS)}d', {{ count: {loc}.length }});")
        removed = [body[i]] if self.rng.random() < 0.4 and body[i].strip() else []
        return Hunk(path=path, start=i - 2, before=body[i - 3:i], removed=removed, added=added,
                    after=body[i + len(removed):i + len(removed) + 3],
                    section=f"export function {camel('handle', f.domain)}(ctx: Context) {{")

    def tests(self, f: Feature, style: str | None = None) -> tuple[str, list[str]]:
        e = f.exports[0]
        d = f.domain
        phrases = [f"returns an empty list when there are no {d}s", f"keeps {d}s with a {self.pick(FIELDS)}",
                   f"throws on an invalid {d}", f"sorts {d}s by {self.pick(FIELDS)}",
                   f"caps the result at the {self.pick(FIELDS)} limit", f"merges duplicate {d} entries",
                   f"ignores {d}s without {self.pick(FIELDS)}", f"is idempotent for the same {d}",
                   f"logs a warning when the {d} is {self.pick(MSGS)}"]
        self.rng.shuffle(phrases)
        if f.lang == "py":
            snake = kebab(e).replace("-", "_")
            mod = f.module_path.removesuffix(".py").replace("/", ".")
            lines = ["import pytest", f"from {mod} import {snake}", "", ""]
            for p in phrases[: self.rng.randint(2, 5)]:
                lines += [f"def test_{p.replace(' ', '_')}():", f"    out = {snake}([{{'id': 1}}])",
                          "    assert isinstance(out, list)", ""]
            return f"tests/{d}/test_{snake}.py", lines
        if f.lang == "go":
            lines = [f"package {d}", "", "import \"testing\"", ""]
            for p in phrases[: self.rng.randint(2, 4)]:
                lines += [f"func Test{pascal(*p.split(' ')[:4])}(t *testing.T) {{", f"\tout, err := {pascal(e)}(context.Background(), nil)",
                          "\tif err == nil && out != nil {", "\t\tt.Fatal(\"unexpected\")", "\t}", "}", ""]
            return f.module_path.replace(".go", "_test.go"), lines
        if f.lang == "rs":
            snake = kebab(e).replace("-", "_")
            lines = ["use super::*;", ""]
            for p in phrases[: self.rng.randint(2, 4)]:
                lines += ["#[test]", f"fn {p.replace(' ', '_')}() {{", f"    assert_eq!({snake}(&[]).len(), 0);", "}", ""]
            return f"crates/core/tests/{snake}.rs", lines
        style = style or self.pick(["dunder", "dot"])
        mod = f.module_path.rsplit("/", 1)[1].rsplit(".", 1)[0]
        if style == "dunder":
            path = f.module_path.rsplit("/", 1)[0] + f"/__tests__/{mod}.test.ts"
            imp = f"../{mod}"
        else:
            path = f"test/{f.module_path.split('/')[1]}/{mod}.spec.ts"
            imp = f"../../{f.module_path.removesuffix('.ts').removesuffix('.tsx')}"
        lines = ["import { describe, it, expect, vi } from 'vitest';", f"import {{ {', '.join(f.exports)} }} from '{imp}';", "",
                 f"describe('{e}', () => {{"]
        for p in phrases[: self.rng.randint(2, 5)]:
            m = self.pick(["toEqual([])", "toHaveLength(1)", "toBe(true)", "toThrow()", "toMatchObject({ id: 1 })", "toBeDefined()"])
            lines += [f"  it('{p}', async () => {{", f"    const input = [{{ id: 1, {self.pick(FIELDS)}: '{self.pick(WORDS)}' }}] as any;",
                      f"    const out = await {e}(input, []);", f"    expect(out).{m};", "  });", ""]
        lines += ["});"]
        return path, lines

    def docs(self, f: Feature) -> tuple[str, list[str]]:
        lines = [f"## {f.name[0].upper() + kebab(f.name).replace('-', ' ')[1:]}", ""]
        for _ in range(self.rng.randint(2, 6)):
            lines.append(" ".join(self.pick(WORDS) for _ in range(self.rng.randint(8, 16))).capitalize() + ".")
        lines += ["", "```ts", f"await {f.exports[0]}({f.domain}s, []);", "```", ""]
        return f"docs/{kebab(f.name)}.md", lines

    def meta_files(self) -> list[tuple[str, list[str]]]:
        out = []
        if self.rng.random() < 0.6:
            out.append((".cursor/rules.md", ["# Rules", "- You are an expert TypeScript engineer.",
                                             "- Always add tests with vitest.", f"- Prefer {self.pick(['small', 'pure', 'typed'])} functions."]))
        if self.rng.random() < 0.5:
            out.append(("PLAN.md", ["# Plan", f"1. Read {self.pick(EXISTING_FILES)}", "2. Implement the change",
                                    "3. Add tests", "4. Update docs"]))
        if self.rng.random() < 0.4:
            out.append((f"notes/{self.pick(['agent-trace', 'session', 'scratch'])}.md",
                        [f"step {i}: {' '.join(self.pick(WORDS) for _ in range(6))}" for i in range(1, self.rng.randint(3, 9))]))
        if self.rng.random() < 0.3:
            out.append(("prompts/task.txt", [f"Implement {' '.join(self.pick(WORDS) for _ in range(8))}."]))
        return out

    def harness(self) -> list[str]:
        lines = ["import { beforeEach, afterEach, vi } from 'vitest';", "import { createServer, type Server } from 'node:http';", "",
                 "export interface TestHarness { server: Server; baseUrl: string; requests: string[] }", ""]
        for i in range(self.rng.randint(30, 60)):
            d = self.pick(DOMAINS)
            lines += [f"export function make{pascal(d)}Fixture{i}(overrides: Record<string, unknown> = {{}}) {{",
                      f"  return {{ id: '{d}-{i}', {self.pick(FIELDS)}: {self.rng.randint(1, 99)}, createdAt: new Date(0).toISOString(), ...overrides }};",
                      "}", ""]
        lines += ["export async function startHarness(): Promise<TestHarness> {",
                  "  const requests: string[] = [];", "  const server = createServer((req, res) => {",
                  "    requests.push(`${req.method} ${req.url}`);", "    res.writeHead(200, { 'content-type': 'application/json' });",
                  "    res.end('{}');", "  });", "  await new Promise<void>((r) => server.listen(0, r));",
                  "  const port = (server.address() as any).port;", "  return { server, baseUrl: `http://127.0.0.1:${port}`, requests };", "}"]
        return lines


# ---------------------------------------------------------------- GitHub objects

def new_file_patch(lines: list[str]) -> str:
    return f"@@ -0,0 +1,{len(lines)} @@\n" + "\n".join("+" + l for l in lines)


def hunk_patch(h: Hunk, shift: int = 0) -> str:
    old = len(h.before) + len(h.removed) + len(h.after)
    new = len(h.before) + len(h.added) + len(h.after)
    s = h.start + shift
    out = [f"@@ -{s},{old} +{s},{new} @@ {h.section}".rstrip()]
    out += [" " + l for l in h.before] + ["-" + l for l in h.removed] + ["+" + l for l in h.added] + [" " + l for l in h.after]
    return "\n".join(out)


@dataclass
class FileChange:
    path: str
    status: str
    patch: str | None
    additions: int
    deletions: int
    previous: str | None = None


def fc_new(path: str, lines: list[str]) -> FileChange:
    return FileChange(path, "added", new_file_patch(lines), len(lines), 0)


def fc_hunks(path: str, hunks: list[Hunk], shift: int = 0) -> FileChange:
    hunks = sorted(hunks, key=lambda h: h.start)
    patch = "\n".join(hunk_patch(h, shift) for h in hunks)
    return FileChange(path, "modified", patch, sum(len(h.added) for h in hunks), sum(len(h.removed) for h in hunks))


def feature_changes(f: Feature, tests: bool = True, docs: bool = True, shift: int = 0) -> list[FileChange]:
    out = [fc_new(f.module_path, f.module_lines)]
    by_path: dict[str, list[Hunk]] = {}
    for h in f.callsites:
        by_path.setdefault(h.path, []).append(h)
    for p, hs in by_path.items():
        out.append(fc_hunks(p, hs, shift))
    if tests and f.test_lines:
        out.append(fc_new(f.test_path, f.test_lines))
    if docs and f.doc_lines:
        out.append(fc_new(f.doc_path, f.doc_lines))
    return out


class Corpus:
    def __init__(self, gen: Gen, owner: str, repo: str):
        self.g = gen
        self.owner = owner
        self.repo = repo
        self.prs: list[dict] = []      # pending PRs (number assigned later)
        self.clusters: list[dict] = []
        self.negatives: list[dict] = []
        self.landed: list[tuple[int, int]] = []

    def add(self, title: str, changes: list[FileChange], body: str = "", state: str = "open", merged: bool = False) -> int:
        self.prs.append({"title": title, "body": body, "changes": changes, "state": state, "merged": merged})
        return len(self.prs) - 1   # provisional index


def title_for(f: Feature) -> str:
    g = random.Random(f.name)
    words = kebab(f.name).replace("-", " ")
    return g.choice([f"Add {words}", f"feat({f.domain}): {words}", f"{words[:1].upper() + words[1:]}",
                     f"Implement {words}", f"feat: {words} support"])


def body_for(rng: random.Random, f: Feature | None, issue: int | None) -> str:
    parts = []
    if f is not None:
        parts.append(f"This PR adds `{f.exports[0]}` for {f.domain}s.")
    parts.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 20))).capitalize() + ".")
    if issue is not None:
        parts.append(rng.choice(["Fixes", "Closes", "Resolves", "fixes"]) + f" #{issue}")
    if rng.random() < 0.3:
        parts.append("🤖 Generated with an AI coding agent")
    return "\n\n".join(parts)


def meta_changes(g: Gen) -> list[FileChange]:
    return [fc_new(p, ls) for p, ls in g.meta_files()]


def mutate_feature(g: Gen, f: Feature, ratio: float) -> Feature:
    """Same feature, different hands: replaces or inserts ~ratio of the statements."""
    lines = list(f.module_lines)
    locals_ = [g.ident(f.domain) for _ in range(4)]
    body_idx = [i for i, l in enumerate(lines) if l.startswith("  ") and not l.startswith("  return")]
    n = max(1, int(len(body_idx) * ratio))
    for i in sorted(g.rng.sample(body_idx, min(n, len(body_idx))), reverse=True):
        if g.rng.random() < 0.5:
            lines[i:i + 1] = g.ts_statement(f.domain, locals_)
        else:
            lines[i + 1:i + 1] = g.ts_statement(f.domain, locals_)
    return Feature(**{**f.__dict__, "module_lines": lines, "callsites": list(f.callsites)})


def competitor(g: Gen, f: Feature) -> Feature:
    """Another implementation of the same exported API, tested by the same tests."""
    d = f.domain
    lines = [f"import type {{ {pascal(d)} }} from '../models/{d}';", ""]
    for e in f.exports:
        lines += g.ts_function(e, d, True, g.rng.randint(4, 10))
    for _ in range(g.rng.randint(1, 2)):
        lines += g.ts_function(camel(g.pick(["compute", "apply", "build", "collect"]), d, g.pick(FIELDS).capitalize()), d, False, g.rng.randint(3, 6))
    path = f.module_path
    if g.rng.random() < 0.5:
        area = g.pick(AREAS)
        path = f"src/{area}/{f.name}Impl.ts"
    c = Feature(**{**f.__dict__, "module_path": path, "module_lines": lines, "callsites": []})
    # Same tests, import path adjusted to the new module.
    mod = path.rsplit("/", 1)[1].rsplit(".", 1)[0]
    tl = []
    for l in f.test_lines:
        if l.startswith("import {") and "vitest" not in l:
            l = f"import {{ {', '.join(f.exports)} }} from '../{mod}';"
        tl.append(l)
    c.test_lines = tl
    c.test_path = path.rsplit("/", 1)[0] + f"/__tests__/{mod}.test.ts"
    c.doc_lines = []
    return c


def build(seed: int, count: int, owner: str, repo: str) -> tuple[list[dict], dict]:
    g = Gen(seed)
    rng = g.rng
    C = Corpus(g, owner, repo)
    issue_no = [1000]

    def next_issue():
        issue_no[0] += rng.randint(1, 7)
        return issue_no[0]

    def cluster(kind, members, base, note):
        C.clusters.append({"kind": kind, "members": members, "base": base, "note": note})

    def negative(kind, members, note):
        C.negatives.append({"kind": kind, "members": members, "note": note})

    def scaled(frac, lo=1):
        return max(lo, round(count * frac))

    # SAME_CHANGE: resubmissions (different tests/docs/agent notes), some rebased.
    for _ in range(scaled(0.05)):
        f = g.feature(lang="ts")
        issue = next_issue() if rng.random() < 0.4 else None
        members = []
        any_rebased = False
        for k in range(rng.choice([2, 2, 2, 3])):
            rebased = k > 0 and rng.random() < 0.5
            any_rebased = any_rebased or rebased
            shift = rng.randint(3, 40) if rebased else 0
            fk = f
            if k > 0 and rng.random() < 0.25:
                # A resubmission with one statement touched up.
                fk = mutate_feature(g, f, 0.0)
            if rebased and f.callsites:
                fk = Feature(**{**f.__dict__, "callsites": [Hunk(**{**h.__dict__, "before": g.existing[h.path][h.start + shift - 1:h.start + shift + 2]}) for h in f.callsites]})
            ch = feature_changes(fk, tests=False, docs=False, shift=shift)
            if k == 0 or rng.random() < 0.5:
                ch.append(fc_new(f.test_path, f.test_lines))
            else:
                tp, tl = g.tests(f, style="dot" if "__tests__" in f.test_path else "dunder")
                ch.append(fc_new(tp, tl))
            if rng.random() < 0.4:
                dp, dl = g.docs(f)
                ch.append(fc_new(dp, dl))
            ch += meta_changes(g) if rng.random() < 0.5 else []
            members.append(C.add(title_for(f) if k == 0 else rng.choice([title_for(f), f"{title_for(f)} (v2)", f"Re-submit: {title_for(f)}"]),
                                 ch, body_for(rng, f, issue)))
        cluster("SAME_CHANGE", members, members[0], "resubmission of the same production change" + (" (with rebased copies)" if any_rebased else ""))

    # SAME_FEATURE: same feature, partly rewritten by someone else.
    for _ in range(scaled(0.02)):
        f = g.feature(lang="ts")
        f2 = mutate_feature(g, f, rng.uniform(0.1, 0.3))
        a = C.add(title_for(f), feature_changes(f) + meta_changes(g), body_for(rng, f, None))
        b = C.add(title_for(f) + " (alternative)", feature_changes(f2, docs=False), body_for(rng, f2, None))
        cluster("SAME_FEATURE", [a, b], None, "same feature, 10-30% of the statements differ (no containment, so no base)")

    # Supersets: the smaller PR is the base.
    for _ in range(scaled(0.02)):
        f = g.feature(lang="ts")
        small = C.add(title_for(f), feature_changes(f, docs=False), body_for(rng, f, None))
        extra = g.ts_function(camel(g.pick(VERBS), f.domain, "Extra"), f.domain, False, rng.randint(2, 4))
        f2 = Feature(**{**f.__dict__, "module_lines": f.module_lines + extra})
        big = C.add(title_for(f) + " + follow-ups", feature_changes(f2) + meta_changes(g), body_for(rng, f2, None))
        members = [small, big]
        note = "strict superset: the larger PR contains the smaller one"
        if rng.random() < 0.3:
            extra2 = g.ts_function(camel(g.pick(VERBS), f.domain, "More"), f.domain, False, rng.randint(2, 3))
            f3 = Feature(**{**f2.__dict__, "module_lines": f2.module_lines + extra2})
            members.append(C.add(title_for(f) + " (complete)", feature_changes(f3), body_for(rng, f3, None)))
        cluster("SAME_FEATURE", members, small, note)

    # COMPETING_IMPLEMENTATION: same tests, different production code.
    for _ in range(scaled(0.02)):
        f = g.feature(lang="ts")
        issue = next_issue()
        members = [C.add(title_for(f), feature_changes(f, docs=False), body_for(rng, f, issue))]
        for _ in range(rng.choice([1, 1, 2])):
            c = competitor(g, f)
            members.append(C.add(title_for(c), feature_changes(c), body_for(rng, c, issue)))
        cluster("COMPETING_IMPLEMENTATION", members, None, "different implementations of the same tested API")

    # Docs-only typo fixes (SAME_CHANGE).
    for _ in range(scaled(0.01)):
        path = g.pick(DOC_FILES)
        bad, good = g.pick(TYPOS)
        sentence = " ".join(g.pick(WORDS) for _ in range(6)).capitalize()
        start = rng.randint(5, 120)
        h = Hunk(path, start, [f"## {g.pick(WORDS).capitalize()}", ""], [f"{sentence} {bad} {g.pick(WORDS)}."], [f"{sentence} {good} {g.pick(WORDS)}."], [""])
        h.added = [h.removed[0].replace(bad, good)]
        members = [C.add(f"docs: fix typo '{bad}'", [fc_hunks(path, [h], 0)]),
                   C.add(rng.choice([f"Fix spelling of {good}", f"docs: typo in {path}"]), [fc_hunks(path, [h], rng.randint(1, 9))])]
        cluster("SAME_CHANGE", members, members[0], "docs-only PRs fixing the same typo")

    # Landed: an open PR repeats a merged one.
    for _ in range(scaled(0.015)):
        f = g.feature(lang="ts")
        m = C.add(title_for(f), feature_changes(f), body_for(rng, f, None), state="closed", merged=True)
        o = C.add(title_for(f) + " (again)", feature_changes(f, docs=False) + meta_changes(g), body_for(rng, f, None))
        cluster("SAME_CHANGE", [m, o], m, "open PR repeats a merged one (already landed)")
        C.landed.append((o, m))

    # Negatives ----------------------------------------------------------------
    for _ in range(scaled(0.015)):
        hl = g.harness()
        members = []
        for _ in range(2):
            f = g.feature(lang="ts")
            members.append(C.add(title_for(f), feature_changes(f) + [fc_new("test/harness/server.ts", hl)], body_for(rng, f, None)))
        negative("test-harness-lookalike", members, "unrelated features adding the same large test harness")
    for _ in range(scaled(0.015)):
        meta = [(".cursor/rules.md", ["# Rules", "- Be concise.", "- Always run `pnpm test`.", "- Never edit generated files."]),
                ("PLAN.md", ["# Plan", "1. explore", "2. implement", "3. test", "4. open PR"]),
                ("notes/agent-trace.txt", [f"[{i:02d}] tool=run cmd='pnpm test'" for i in range(12)])]
        members = []
        for _ in range(2):
            f = g.feature(lang="ts")
            members.append(C.add(title_for(f), feature_changes(f) + [fc_new(p, ls) for p, ls in meta], body_for(rng, f, None)))
        negative("shared-agent-metadata", members, "unrelated features carrying identical agent metadata")
    def versions(name: str) -> tuple[str, str]:
        # Distinct versions per bump so two groups never bump the same dependency identically.
        while True:
            major, minor, patch = rng.randint(1, 9), rng.randint(0, 30), rng.randint(0, 20)
            old, new = f"{major}.{minor}.{patch}", f"{major}.{minor + rng.randint(0, 2)}.{patch + rng.randint(1, 5)}"
            if (name, old, new) not in used_bumps:
                used_bumps.add((name, old, new))
                return old, new

    used_bumps: set[tuple[str, str, str]] = set()
    for _ in range(scaled(0.01)):
        deps = [(n, *versions(n)) for n, _, _ in rng.sample(DEPS, rng.choice([2, 3]))]
        members = []
        for name, old, new in deps:
            ctx_before = ["  \"dependencies\": {", "    \"@acme/ui\": \"^2.1.0\","]
            h = Hunk("package.json", rng.randint(12, 30), ctx_before, [f"    \"{name}\": \"^{old}\","], [f"    \"{name}\": \"^{new}\","], ["    \"zod\": \"^3.23.8\""])
            lock = FileChange("pnpm-lock.yaml", "modified", None if rng.random() < 0.5 else
                              "@@ -1200,6 +1200,6 @@ packages:\n-  /{0}@{1}:\n+  /{0}@{2}:\n     resolution: {{integrity: sha512-{3}}}\n-    version: {1}\n+    version: {2}".format(name, old, new, hashlib.sha256(name.encode()).hexdigest()[:20]),
                              rng.randint(20, 200), rng.randint(20, 200))
            members.append(C.add(f"chore(deps): bump {name} from {old} to {new}", [fc_hunks("package.json", [h]), lock],
                                 f"Bumps [{name}](https://github.com/{name}/{name}) from {old} to {new}.", ))
        negative("dependency-bumps", members, "different dependencies bumped in the same manifest")
    for _ in range(scaled(0.01)):
        f = g.feature(lang="ts")
        path = g.pick(EXISTING_FILES)
        body = g.existing[path]
        i = rng.randint(5, len(body) - 8)
        removed = [l for l in body[i:i + 2] if l.strip()] or ["  }"]
        added = g.ts_statement(f.domain, [g.ident(f.domain) for _ in range(3)]) + g.ts_statement(f.domain, [g.ident(f.domain) for _ in range(3)])
        h = Hunk(path, i - 2, body[i - 3:i], removed, added, body[i + len(removed):i + len(removed) + 3])
        r = Hunk(path, i - 2, body[i - 3:i], added, removed, body[i + len(removed):i + len(removed) + 3])
        a = C.add(f"Tune {f.domain} handling in {path.rsplit('/', 1)[1]}", [fc_hunks(path, [h])], state=rng.choice(["open", "closed"]), merged=False)
        b = C.add(f"Revert \"Tune {f.domain} handling in {path.rsplit('/', 1)[1]}\"", [fc_hunks(path, [r])], "This reverts the previous change.")
        negative("revert", [a, b], "a change and its revert")
    for _ in range(scaled(0.015)):
        area = g.pick(AREAS[:6])
        members = []
        for _ in range(2):
            f = g.feature(lang="ts", area=area)
            members.append(C.add(title_for(f), feature_changes(f), body_for(rng, f, None)))
        negative("same-directory", members, f"unrelated changes in src/{area}/")
    for _ in range(scaled(0.01)):
        path = g.pick(EXISTING_FILES)
        body = g.existing[path]
        members = []
        for _ in range(2):
            f = g.feature(lang="ts")
            i = rng.randint(5, len(body) - 8)
            added = g.ts_function(camel(g.pick(VERBS), f.domain, "Inline"), f.domain, False, rng.randint(2, 5))
            h = Hunk(path, i - 2, body[i - 3:i], [], added, body[i:i + 3])
            members.append(C.add(f"Inline {f.domain} helper in {path}", [fc_hunks(path, [h])]))
        negative("no-tests", members, "different edits of the same file, neither with tests")

    for _ in range(scaled(0.01)):
        area = g.pick(AREAS[:6])
        d = g.pick(DOMAINS)
        members = []
        for _ in range(2):
            f = g.feature(lang="ts", area=area, domain=d)
            members.append(C.add(title_for(f), feature_changes(f), body_for(rng, f, None)))
        negative("same-directory", members, f"unrelated {d} features in src/{area}/ (same domain vocabulary)")

    # The same dependency bump opened twice (e.g. a bot and a human).
    for _ in range(max(1, scaled(0.005))):
        name = g.pick(DEPS)[0]
        old, new = versions(name)
        members = []
        for k in range(2):
            h = Hunk("package.json", 18 + k * 3, ["  \"dependencies\": {", "    \"@acme/ui\": \"^2.1.0\","],
                     [f"    \"{name}\": \"^{old}\","], [f"    \"{name}\": \"^{new}\","], ["    \"zod\": \"^3.23.8\""])
            members.append(C.add(f"chore(deps): bump {name} from {old} to {new}" if k == 0 else f"Update {name} to {new}",
                                 [fc_hunks("package.json", [h]), FileChange("pnpm-lock.yaml", "modified", None, 40 + k, 38)]))
        cluster("SAME_CHANGE", members, members[0], "the same dependency bump opened twice")

    # Special shapes.
    if count >= 100:
        files = []
        for i in range(rng.randint(255, 280)):
            name = f"{pascal(g.pick(DOMAINS))}Icon{i}"
            files.append(FileChange(f"src/components/icons/{name}.tsx", "modified",
                                    f"@@ -1,4 +1,4 @@\n import {{ createIcon }} from '../createIcon';\n-export const {name} = createIcon('{kebab(name)}', LEGACY_VIEWBOX);\n+export const {name} = createIcon('{kebab(name)}', {{ viewBox: '0 0 24 24' }});\n \n export default {name};",
                                    1, 1))
        C.add("chore: migrate all icons to the new createIcon API", files, "Mechanical codemod across every icon component.")
    for _ in range(max(1, count // 150)):
        f = g.feature(lang="ts")
        ch = feature_changes(f)
        ch.append(FileChange("src/generated/graphql.ts", "modified", None, rng.randint(9000, 20000), rng.randint(500, 4000)))
        ch.append(FileChange(f"public/images/{f.domain}-hero.png", "added", None, 0, 0))
        C.add(title_for(f) + " (+ regenerated schema)", ch, body_for(rng, f, None))

    # Singletons fill the rest.
    while len(C.prs) < count:
        f = g.feature()
        ch = feature_changes(f)
        if rng.random() < 0.35:
            ch += meta_changes(g)
        if rng.random() < 0.05:
            ch.append(FileChange(f"public/img/{f.domain}.svg", "added", f"@@ -0,0 +1,3 @@\n+<svg xmlns=\"http://www.w3.org/2000/svg\">\n+  <path d=\"M{rng.randint(1, 20)} 0L0 {rng.randint(1, 20)}\"/>\n+</svg>", 3, 0))
        if rng.random() < 0.04:
            ch.append(FileChange(f"public/images/{f.domain}.png", "added", None, 0, 0))
        issue = next_issue() if rng.random() < 0.3 else None
        C.add(title_for(f), ch, body_for(rng, f, issue), state="closed" if rng.random() < 0.08 else "open", merged=False)

    # CRLF in a couple of patches (a Windows contributor): one singleton, one cluster member.
    crlf_targets = [C.clusters[0]["members"][-1]] if C.clusters else []
    crlf_targets.append(len(C.prs) - 1)
    for idx in crlf_targets:
        for fc in C.prs[idx]["changes"]:
            if fc.patch:
                fc.patch = fc.patch.replace("\n", "\r\n")
                break

    # Assign numbers: shuffle so cluster members are scattered; merged PRs come first in time.
    order = list(range(len(C.prs)))
    rng.shuffle(order)
    order.sort(key=lambda i: 0 if C.prs[i]["merged"] else 1)
    number_of = {}
    for pos, idx in enumerate(order):
        number_of[idx] = pos + 1
    # Within a cluster the base (first created) keeps the lowest number: resubmissions come later.
    for c in C.clusters:
        nums = sorted(number_of[m] for m in c["members"])
        for m, n in zip(c["members"], nums):
            number_of[m] = n
    for n in C.negatives:
        if n["kind"] == "revert":
            a, b = n["members"]
            if number_of[a] > number_of[b]:
                number_of[a], number_of[b] = number_of[b], number_of[a]

    truth = {
        "clusters": [
            {"id": f"c{i + 1}", "kind": c["kind"], "members": sorted(number_of[m] for m in c["members"]),
             "base": number_of[c["base"]] if c["base"] is not None else None, "note": c["note"]}
            for i, c in enumerate(C.clusters)
        ],
        "negatives": [
            {"id": f"n{i + 1}", "kind": n["kind"], "members": sorted(number_of[m] for m in n["members"]), "note": n["note"]}
            for i, n in enumerate(C.negatives)
        ],
        "landed": [{"open": number_of[o], "merged": number_of[m]} for o, m in C.landed],
    }

    pulls = []
    base_time = 1_714_000_000  # 2024-04-24
    for idx, pr in enumerate(C.prs):
        pulls.append(github_pull(rng, owner, repo, number_of[idx], pr, base_time))
    pulls.sort(key=lambda p: p["pull"]["number"])
    return pulls, truth


def iso(ts: int) -> str:
    import datetime as dt
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(40))


def user(rng: random.Random) -> dict:
    login = rng.choice(AUTHORS)
    uid = int(hashlib.sha256(login.encode()).hexdigest()[:7], 16)
    bot = login.endswith("[bot]")
    return {"login": login, "id": uid, "node_id": f"U_kgDO{uid:08d}", "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "html_url": f"https://github.com/{login}", "type": "Bot" if bot else "User", "site_admin": False}


def repo_obj(owner: str, repo: str) -> dict:
    rid = int(hashlib.sha256(f"{owner}/{repo}".encode()).hexdigest()[:8], 16)
    oid = int(hashlib.sha256(owner.encode()).hexdigest()[:7], 16)
    api = f"https://api.github.com/repos/{owner}/{repo}"
    return {
        "id": rid, "node_id": f"R_kgDO{rid:010d}", "name": repo, "full_name": f"{owner}/{repo}",
        "private": False,
        "owner": {"login": owner, "id": oid, "node_id": f"O_kgDO{oid:08d}", "avatar_url": f"https://avatars.githubusercontent.com/u/{oid}?v=4",
                  "html_url": f"https://github.com/{owner}", "type": "Organization", "site_admin": False},
        "html_url": f"https://github.com/{owner}/{repo}", "description": "Acme's customer-facing web application (synthetic triage corpus)",
        "fork": False, "url": api, "pulls_url": api + "/pulls{/number}",
        "created_at": "2021-03-02T10:00:00Z", "updated_at": "2024-06-01T12:00:00Z", "pushed_at": "2024-06-01T11:58:00Z",
        "homepage": None, "size": 48213, "stargazers_count": 1843, "watchers_count": 1843, "language": "TypeScript",
        "forks_count": 212, "archived": False, "disabled": False, "open_issues_count": 0, "license": {"key": "mit", "name": "MIT License", "spdx_id": "MIT"},
        "topics": ["webapp", "typescript"], "visibility": "public", "forks": 212, "open_issues": 0, "watchers": 1843,
        "default_branch": "main",
    }


def github_pull(rng: random.Random, owner: str, repo: str, number: int, pr: dict, base_time: int) -> dict:
    created = base_time + number * 3600 + rng.randint(0, 3000)
    updated = created + rng.randint(60, 86_400)
    u = user(rng)
    head_sha, base_sha = sha(rng), sha(rng)
    api = f"https://api.github.com/repos/{owner}/{repo}"
    html = f"https://github.com/{owner}/{repo}"
    merged = pr["merged"]
    closed = pr["state"] == "closed" or merged
    branch = "-".join(pr["title"].lower().replace("'", "").replace('"', "").split()[:5])
    branch = "".join(ch if ch.isalnum() or ch in "-/" else "-" for ch in branch)[:50] or f"pr-{number}"
    rrepo = repo_obj(owner, repo)
    labels = []
    if pr["title"].startswith("chore(deps)"):
        labels.append({"id": 1001, "node_id": "LA_1001", "name": "dependencies", "color": "0366d6", "default": False, "description": "Dependency updates"})
    if pr["title"].startswith("docs"):
        labels.append({"id": 1002, "node_id": "LA_1002", "name": "documentation", "color": "0075ca", "default": True, "description": "Docs"})
    pull = {
        "url": f"{api}/pulls/{number}", "id": 1_800_000_000 + number * 17, "node_id": f"PR_kwDO{number:010d}",
        "html_url": f"{html}/pull/{number}", "diff_url": f"{html}/pull/{number}.diff", "patch_url": f"{html}/pull/{number}.patch",
        "issue_url": f"{api}/issues/{number}", "number": number, "state": "closed" if closed else "open", "locked": False,
        "title": pr["title"], "user": u, "body": pr["body"] or None, "created_at": iso(created), "updated_at": iso(updated),
        "closed_at": iso(updated) if closed else None, "merged_at": iso(updated) if merged else None,
        "merge_commit_sha": sha(rng) if merged else None, "assignee": None, "assignees": [], "requested_reviewers": [],
        "labels": labels, "milestone": None, "draft": (not closed) and rng.random() < 0.07,
        "commits_url": f"{api}/pulls/{number}/commits", "review_comments_url": f"{api}/pulls/{number}/comments",
        "comments_url": f"{api}/issues/{number}/comments", "statuses_url": f"{api}/statuses/{head_sha}",
        "head": {"label": f"{u['login'].replace('[bot]', '')}:{branch}", "ref": branch, "sha": head_sha, "user": u, "repo": rrepo},
        "base": {"label": f"{owner}:main", "ref": "main", "sha": base_sha, "user": rrepo["owner"], "repo": rrepo},
        "author_association": "CONTRIBUTOR", "auto_merge": None, "active_lock_reason": None,
    }
    files = []
    for fc in pr["changes"]:
        blob = sha(rng)
        f = {"sha": blob, "filename": fc.path, "status": fc.status, "additions": fc.additions, "deletions": fc.deletions,
             "changes": fc.additions + fc.deletions,
             "blob_url": f"{html}/blob/{head_sha}/{fc.path}", "raw_url": f"{html}/raw/{head_sha}/{fc.path}",
             "contents_url": f"{api}/contents/{fc.path}?ref={head_sha}"}
        if fc.patch is not None:
            f["patch"] = fc.patch
        if fc.previous:
            f["previous_filename"] = fc.previous
        files.append(f)
    return {"pull": pull, "files": files}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--count", type=int, default=300, help="number of pull requests")
    ap.add_argument("--out", required=True, help="corpus root; files go to <out>/<owner>/<repo>/")
    ap.add_argument("--owner", default="acme")
    ap.add_argument("--repo", default="webapp")
    args = ap.parse_args()
    if args.count < 40:
        ap.error("--count must be at least 40 (every cluster and negative kind is generated)")

    pulls, truth = build(args.seed, args.count, args.owner, args.repo)
    root = os.path.join(args.out, args.owner, args.repo)
    if os.path.isdir(os.path.join(root, "pulls")):
        shutil.rmtree(os.path.join(root, "pulls"))
    os.makedirs(os.path.join(root, "pulls"), exist_ok=True)
    r = repo_obj(args.owner, args.repo)
    r["open_issues_count"] = r["open_issues"] = sum(1 for p in pulls if p["pull"]["state"] == "open")
    with open(os.path.join(root, "repo.json"), "w", encoding="utf-8") as fh:
        json.dump(r, fh, indent=2)
        fh.write("\n")
    for p in pulls:
        with open(os.path.join(root, "pulls", f"{p['pull']['number']}.json"), "w", encoding="utf-8") as fh:
            json.dump(p, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
    with open(os.path.join(root, "truth.json"), "w", encoding="utf-8") as fh:
        json.dump({"seed": args.seed, "count": args.count, **truth}, fh, indent=2)
        fh.write("\n")
    sizes = sorted(len(p["files"]) for p in pulls)
    lines = sorted(sum(f["changes"] for f in p["files"] if "patch" in f) for p in pulls)
    print(f"wrote {len(pulls)} PRs to {root}: {len(truth['clusters'])} clusters, {len(truth['negatives'])} negatives, "
          f"{len(truth['landed'])} landed; median {sizes[len(sizes) // 2]} files, {lines[len(lines) // 2]} changed lines")


if __name__ == "__main__":
    main()
