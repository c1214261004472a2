//! Golden cases: realistic PRs whose expected relation is known (SPEC 5).

use clawtriage_triage::{Category, Channel, Engine, FileInput, PatchState, PrInput, SetEdge};

fn engine() -> Engine {
    Engine::with_defaults().expect("default config")
}

/// A new file with `lines` added.
fn new_file(path: &str, lines: &[&str]) -> FileInput {
    let mut patch = format!("@@ -0,0 +1,{} @@\n", lines.len());
    for l in lines {
        patch.push('+');
        patch.push_str(l);
        patch.push('\n');
    }
    FileInput {
        path: path.into(),
        previous_path: None,
        status: "added".into(),
        additions: lines.len() as u32,
        deletions: 0,
        patch: Some(patch),
    }
}

/// A modification at `start` with context lines around removed/added ones.
fn modified(path: &str, start: u32, ctx: &[&str], removed: &[&str], added: &[&str]) -> FileInput {
    let old = ctx.len() + removed.len();
    let new = ctx.len() + added.len();
    let half = ctx.len() / 2;
    let mut patch = format!("@@ -{start},{old} +{start},{new} @@ export class Thing {{\n");
    for c in &ctx[..half] {
        patch.push_str(&format!(" {c}\n"));
    }
    for r in removed {
        patch.push_str(&format!("-{r}\n"));
    }
    for a in added {
        patch.push_str(&format!("+{a}\n"));
    }
    for c in &ctx[half..] {
        patch.push_str(&format!(" {c}\n"));
    }
    FileInput {
        path: path.into(),
        previous_path: None,
        status: "modified".into(),
        additions: added.len() as u32,
        deletions: removed.len() as u32,
        patch: Some(patch),
    }
}

fn pr(number: u64, title: &str, files: Vec<FileInput>) -> PrInput {
    PrInput {
        number,
        title: title.into(),
        body: None,
        files,
    }
}

const RETRY_IMPL: &[&str] = &[
    "import { sleep } from './sleep';",
    "",
    "export interface RetryOptions {",
    "  retries: number;",
    "  baseDelayMs: number;",
    "  factor?: number;",
    "}",
    "",
    "export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {",
    "  let attempt = 0;",
    "  let delay = opts.baseDelayMs;",
    "  for (;;) {",
    "    try {",
    "      return await fn();",
    "    } catch (err) {",
    "      attempt += 1;",
    "      if (attempt > opts.retries) {",
    "        throw err;",
    "      }",
    "      await sleep(delay);",
    "      delay = delay * (opts.factor ?? 2);",
    "    }",
    "  }",
    "}",
];

const RETRY_CALLSITE_CTX: &[&str] = &[
    "  constructor(private readonly http: HttpClient) {}",
    "",
    "  async fetchInvoice(id: string): Promise<Invoice> {",
    "    return this.http.get(`/invoices/${id}`);",
];

fn retry_callsite(start: u32, ctx: &[&str]) -> FileInput {
    modified(
        "src/services/billing.ts",
        start,
        ctx,
        &["    const res = await this.http.post('/charges', body);"],
        &[
            "    const res = await withRetry(() => this.http.post('/charges', body), {",
            "      retries: 3,",
            "      baseDelayMs: 200,",
            "    });",
        ],
    )
}

fn retry_tests_a() -> FileInput {
    new_file(
        "src/utils/__tests__/retry.test.ts",
        &[
            "import { describe, it, expect, vi } from 'vitest';",
            "import { withRetry } from '../retry';",
            "",
            "describe('withRetry', () => {",
            "  it('returns the first successful result', async () => {",
            "    const fn = vi.fn().mockResolvedValue(42);",
            "    await expect(withRetry(fn, { retries: 2, baseDelayMs: 0 })).resolves.toBe(42);",
            "  });",
            "  it('gives up after the configured retries', async () => {",
            "    const fn = vi.fn().mockRejectedValue(new Error('boom'));",
            "    await expect(withRetry(fn, { retries: 2, baseDelayMs: 0 })).rejects.toThrow('boom');",
            "    expect(fn).toHaveBeenCalledTimes(3);",
            "  });",
            "});",
        ],
    )
}

fn retry_tests_b() -> FileInput {
    new_file(
        "test/retry.spec.ts",
        &[
            "import { withRetry } from '../src/utils/retry';",
            "",
            "test('retries a flaky call until it works', async () => {",
            "  let calls = 0;",
            "  const out = await withRetry(async () => { calls++; if (calls < 2) throw new Error('x'); return 'ok'; }, { retries: 5, baseDelayMs: 1 });",
            "  expect(out).toEqual('ok');",
            "});",
        ],
    )
}

#[test]
fn same_production_change_with_different_tests_docs_and_notes_is_same_change() {
    let e = engine();
    let a = pr(
        101,
        "Add retry helper for billing calls",
        vec![
            new_file("src/utils/retry.ts", RETRY_IMPL),
            retry_callsite(40, RETRY_CALLSITE_CTX),
            retry_tests_a(),
            new_file(
                "docs/retry.md",
                &["# Retries", "", "Billing calls are retried with backoff."],
            ),
        ],
    );
    let b = pr(
        117,
        "feat: retry billing requests",
        vec![
            retry_callsite(40, RETRY_CALLSITE_CTX),
            new_file("src/utils/retry.ts", RETRY_IMPL),
            retry_tests_b(),
            new_file(
                ".cursor/rules.md",
                &["Always add retries to network calls."],
            ),
            new_file("PLAN.md", &["- [x] add withRetry", "- [x] wire billing"]),
        ],
    );
    let (fa, fb) = (e.fingerprint(&a), e.fingerprint(&b));
    assert_eq!(fa.diff_hash(), fb.diff_hash());
    let c = e.compare(&fa, &fb);
    assert_eq!(c.category, Category::SameChange, "{c:#?}");
    assert!(c.evidence.same_diff_hash);
    assert!(
        c.evidence
            .production_paths
            .contains(&"src/utils/retry.ts".to_string())
    );
    assert!(c.evidence.exports.contains(&"withRetry".to_string()));
    assert!(!c.evidence.lines_a.is_empty() && c.evidence.lines_a.len() <= 20);
    let json = serde_json::to_value(&c).expect("serialize");
    assert!(json["scores"]["issueRefs"].is_null());
    assert!(json["evidence"]["productionPaths"].is_array());
    assert_eq!(json["category"], "SAME_CHANGE");
}

#[test]
fn rebased_copy_with_other_hunk_headers_and_context_is_same_change() {
    let e = engine();
    let a = pr(
        1,
        "retry",
        vec![
            new_file("src/utils/retry.ts", RETRY_IMPL),
            retry_callsite(40, RETRY_CALLSITE_CTX),
        ],
    );
    let other_ctx = &[
        "  // Invoices are immutable once issued.",
        "  private cache = new Map<string, Invoice>();",
        "  async fetchInvoice(id: string, opts?: FetchOpts): Promise<Invoice> {",
        "    return this.http.get(`/v2/invoices/${id}`, opts);",
    ];
    let b = pr(
        2,
        "retry (rebased)",
        vec![
            new_file("src/utils/retry.ts", RETRY_IMPL),
            retry_callsite(57, other_ctx),
        ],
    );
    let c = e.compare(&e.fingerprint(&a), &e.fingerprint(&b));
    assert_eq!(c.category, Category::SameChange);
    assert!(c.evidence.same_diff_hash);
}

#[test]
fn same_tests_with_different_production_code_is_competing() {
    let e = engine();
    let impl_a = new_file(
        "src/utils/slugify.ts",
        &[
            "const NON_ALNUM = /[^a-z0-9]+/g;",
            "",
            "export function slugify(input: string): string {",
            "  return input",
            "    .normalize('NFKD')",
            "    .toLowerCase()",
            "    .replace(NON_ALNUM, '-')",
            "    .replace(/^-+|-+$/g, '');",
            "}",
        ],
    );
    let impl_b = new_file(
        "src/lib/slug.ts",
        &[
            "function isWordChar(ch: string): boolean {",
            "  const code = ch.charCodeAt(0);",
            "  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122);",
            "}",
            "",
            "export function slugify(text: string): string {",
            "  let out = '';",
            "  let dash = false;",
            "  for (const ch of text.toLowerCase()) {",
            "    if (isWordChar(ch)) { out += ch; dash = false; }",
            "    else if (!dash && out.length > 0) { out += '-'; dash = true; }",
            "  }",
            "  return dash ? out.slice(0, -1) : out;",
            "}",
        ],
    );
    let tests = |path: &str, module: &str| {
        new_file(
            path,
            &[
                "import { describe, it, expect } from 'vitest';",
                &format!("import {{ slugify }} from '{module}';"),
                "describe('slugify', () => {",
                "  it('lower-cases and dashes words', () => {",
                "    expect(slugify('Hello World')).toBe('hello-world');",
                "  });",
                "  it('trims leading and trailing dashes', () => {",
                "    expect(slugify('  --Hi--  ')).toBe('hi');",
                "  });",
                "  it('collapses repeated separators', () => {",
                "    expect(slugify('a   b')).toEqual('a-b');",
                "  });",
                "});",
            ],
        )
    };
    let a = pr(
        10,
        "Add slugify",
        vec![
            impl_a,
            tests("src/utils/__tests__/slugify.test.ts", "../slugify"),
        ],
    );
    let b = pr(
        11,
        "slug helper for URLs",
        vec![impl_b, tests("src/lib/__tests__/slug.test.ts", "../slug")],
    );
    let c = e.compare(&e.fingerprint(&a), &e.fingerprint(&b));
    assert_eq!(
        c.category,
        Category::CompetingImplementation,
        "{:#?}",
        c.scores
    );
    assert!(
        c.evidence
            .test_names
            .contains(&"trims leading and trailing dashes".to_string())
    );
}

fn harness(n: usize) -> Vec<String> {
    let mut v = vec![
        "import { beforeEach, afterEach, vi } from 'vitest';".to_string(),
        "import { createServer, type Server } from 'node:http';".to_string(),
        "".to_string(),
        "export interface Harness { server: Server; baseUrl: string; calls: string[] }".to_string(),
    ];
    for i in 0..n {
        v.push(format!(
            "export function fixture{i}(h: Harness, overrides: Record<string, unknown> = {{}}) {{"
        ));
        v.push(format!(
            "  const body = {{ id: 'fx-{i}', createdAt: new Date(0).toISOString(), ...overrides }};"
        ));
        v.push("  h.calls.push(JSON.stringify(body));".to_string());
        v.push("  return body;".to_string());
        v.push("}".to_string());
    }
    v
}

#[test]
fn unrelated_prs_sharing_a_large_test_harness_are_not_duplicates() {
    let e = engine();
    let h = harness(50);
    let h: Vec<&str> = h.iter().map(String::as_str).collect();
    let mut h2: Vec<&str> = h.clone();
    h2.push("export const HARNESS_VERSION = 2;");
    let a = pr(
        20,
        "Export invoices as CSV",
        vec![
            new_file(
                "src/services/export.ts",
                &[
                    "import { Invoice } from '../models/invoice';",
                    "export function toCsv(rows: Invoice[]): string {",
                    "  const header = 'id,amount,currency';",
                    "  return [header, ...rows.map((r) => `${r.id},${r.amount},${r.currency}`)].join('\\n');",
                    "}",
                ],
            ),
            new_file("test/harness/server.ts", &h),
            new_file(
                "test/export.test.ts",
                &[
                    "import { toCsv } from '../src/services/export';",
                    "describe('toCsv', () => {",
                    "  it('writes a header row', () => {",
                    "    expect(toCsv([])).toBe('id,amount,currency');",
                    "  });",
                    "});",
                ],
            ),
        ],
    );
    let b = pr(
        21,
        "Rate-limit login attempts",
        vec![
            new_file(
                "src/auth/rateLimit.ts",
                &[
                    "const attempts = new Map<string, number[]>();",
                    "export function allowLogin(user: string, now: number): boolean {",
                    "  const recent = (attempts.get(user) ?? []).filter((t) => now - t < 60_000);",
                    "  recent.push(now);",
                    "  attempts.set(user, recent);",
                    "  return recent.length <= 5;",
                    "}",
                ],
            ),
            new_file("test/harness/server.ts", &h2),
            new_file(
                "test/rateLimit.test.ts",
                &[
                    "import { allowLogin } from '../src/auth/rateLimit';",
                    "describe('allowLogin', () => {",
                    "  it('blocks the sixth attempt within a minute', () => {",
                    "    for (let i = 0; i < 5; i++) expect(allowLogin('u', i)).toBe(true);",
                    "    expect(allowLogin('u', 6)).toBe(false);",
                    "  });",
                    "});",
                ],
            ),
        ],
    );
    let c = e.compare(&e.fingerprint(&a), &e.fingerprint(&b));
    assert!(!c.category.is_strong(), "{c:#?}");
    assert_eq!(c.category, Category::NotRelated, "{:#?}", c.scores);
}

#[test]
fn unrelated_prs_sharing_agent_metadata_are_not_duplicates() {
    let e = engine();
    let meta = || {
        vec![
            new_file(
                ".cursor/rules.md",
                &[
                    "You are a senior engineer.",
                    "Always write tests.",
                    "Prefer small functions.",
                ],
            ),
            new_file(
                "PLAN.md",
                &[
                    "## Plan",
                    "1. read the code",
                    "2. write the change",
                    "3. run the tests",
                ],
            ),
            new_file(
                "notes/agent-trace.txt",
                &[
                    "step 1: opened repo",
                    "step 2: ran npm test",
                    "step 3: done",
                ],
            ),
            new_file("prompts/system.txt", &["You are Claw, a coding agent."]),
        ]
    };
    let mut fa = meta();
    fa.push(modified(
        "src/components/Button.tsx",
        12,
        &["  return (", "  );"],
        &["    <button className=\"btn\">"],
        &["    <button className=\"btn\" aria-busy={loading}>"],
    ));
    let mut fb = meta();
    fb.push(modified(
        "src/services/mailer.ts",
        30,
        &["  async send(msg: Mail) {", "  }"],
        &["    await this.smtp.send(msg);"],
        &["    await this.queue.enqueue('mail', msg);"],
    ));
    let (a, b) = (
        e.fingerprint(&pr(30, "Button loading state", fa)),
        e.fingerprint(&pr(31, "Queue outgoing mail", fb)),
    );
    for f in a.files() {
        if f.path != "src/components/Button.tsx" {
            assert_eq!(f.channel, Channel::Meta, "{}", f.path);
        }
    }
    let c = e.compare(&a, &b);
    assert_eq!(c.category, Category::NotRelated, "{:#?}", c.scores);
    // Only META on both sides: nothing to compare at all.
    let (m1, m2) = (
        e.fingerprint(&pr(32, "notes", meta())),
        e.fingerprint(&pr(33, "notes", meta())),
    );
    assert_eq!(e.compare(&m1, &m2).category, Category::NotRelated);
}

#[test]
fn strict_superset_suggests_the_smaller_pr_as_base() {
    let e = engine();
    let small = pr(
        40,
        "retry helper",
        vec![new_file("src/utils/retry.ts", RETRY_IMPL)],
    );
    let big = pr(
        45,
        "retry helper + billing",
        vec![
            new_file("src/utils/retry.ts", RETRY_IMPL),
            retry_callsite(40, RETRY_CALLSITE_CTX),
            retry_tests_a(),
        ],
    );
    let mut bigger_files = vec![
        new_file("src/utils/retry.ts", RETRY_IMPL),
        retry_callsite(40, RETRY_CALLSITE_CTX),
    ];
    bigger_files.push(new_file(
        "src/utils/jitter.ts",
        &[
            "export function jitter(ms: number, ratio = 0.2): number {",
            "  const spread = ms * ratio;",
            "  return ms - spread + Math.random() * 2 * spread;",
            "}",
        ],
    ));
    let bigger = pr(52, "retry helper + billing + jitter", bigger_files);
    let (fs, fb, fbb) = (
        e.fingerprint(&small),
        e.fingerprint(&big),
        e.fingerprint(&bigger),
    );
    assert!(
        e.compare(&fs, &fb).category.is_strong(),
        "{:#?}",
        e.compare(&fs, &fb).scores
    );
    for order in [
        [(45, &fb), (40, &fs), (52, &fbb)],
        [(52, &fbb), (45, &fb), (40, &fs)],
    ] {
        let s = e.infer_base(&order);
        assert_eq!(s.base, Some(40), "{s:#?}");
        assert!(s.reason.contains("contained"));
    }
    // Identical changes: the earliest PR.
    let s = e.infer_base(&[(9, &fb), (7, &fb)]);
    assert_eq!(s.base, Some(7));
}

#[test]
fn a_revert_is_not_a_duplicate_of_the_change_it_reverts() {
    let e = engine();
    let removed = ["  const ttl = 60;", "  return cache.get(key, { ttl });"];
    let added = [
        "  const ttl = config.cacheTtlSeconds ?? 300;",
        "  const hit = cache.get(key, { ttl, stale: true });",
        "  metrics.increment(hit ? 'cache.hit' : 'cache.miss');",
        "  return hit;",
    ];
    let ctx = ["export function lookup(key: string) {", "}"];
    let change = pr(
        60,
        "Configurable cache TTL",
        vec![modified("src/cache/lookup.ts", 10, &ctx, &removed, &added)],
    );
    let revert = pr(
        61,
        "Revert \"Configurable cache TTL\"",
        vec![modified("src/cache/lookup.ts", 10, &ctx, &added, &removed)],
    );
    let c = e.compare(&e.fingerprint(&change), &e.fingerprint(&revert));
    assert!(!c.category.is_strong(), "{c:#?}");
    assert!(c.scores.jaccard.or(c.scores.minhash).unwrap_or(0.0) < 0.2);
}

#[test]
fn different_dependency_bumps_in_the_same_manifest_are_not_duplicates() {
    let e = engine();
    let ctx = ["  \"dependencies\": {", "    \"zod\": \"^3.23.8\""];
    let a = pr(
        70,
        "chore(deps): bump lodash",
        vec![
            modified(
                "package.json",
                14,
                &ctx,
                &["    \"lodash\": \"^4.17.20\","],
                &["    \"lodash\": \"^4.17.21\","],
            ),
            FileInput {
                path: "pnpm-lock.yaml".into(),
                previous_path: None,
                status: "modified".into(),
                additions: 40,
                deletions: 38,
                patch: Some("@@ -1,3 +1,3 @@\n-  lodash: 4.17.20\n+  lodash: 4.17.21\n".into()),
            },
        ],
    );
    let b = pr(
        71,
        "chore(deps): bump axios",
        vec![
            modified(
                "package.json",
                14,
                &ctx,
                &["    \"axios\": \"^1.6.0\","],
                &["    \"axios\": \"^1.7.2\","],
            ),
            FileInput {
                path: "pnpm-lock.yaml".into(),
                previous_path: None,
                status: "modified".into(),
                additions: 40,
                deletions: 38,
                patch: Some("@@ -1,3 +1,3 @@\n-  lodash: 4.17.20\n+  lodash: 4.17.21\n".into()),
            },
        ],
    );
    let (fa, fb) = (e.fingerprint(&a), e.fingerprint(&b));
    assert!(fa.files().iter().any(|f| f.generated));
    let c = e.compare(&fa, &fb);
    assert!(!c.category.is_strong(), "{c:#?}");
    assert_eq!(c.category, Category::NotRelated, "{:#?}", c.scores);
    // The same bump twice is the same change.
    let a2 = pr(72, "bump lodash again", a.files.clone());
    assert_eq!(
        e.compare(&fa, &e.fingerprint(&a2)).category,
        Category::SameChange
    );
}

#[test]
fn prs_without_tests_are_never_competing() {
    let e = engine();
    let a = pr(
        80,
        "x",
        vec![new_file(
            "src/utils/format.ts",
            &[
                "export function formatCurrency(v: number, c: string) {",
                "  return new Intl.NumberFormat('en', { style: 'currency', currency: c }).format(v);",
                "}",
            ],
        )],
    );
    let b = pr(
        81,
        "y",
        vec![new_file(
            "src/utils/format.ts",
            &[
                "export function formatCurrency(value: number) {",
                "  return `$${value.toFixed(2)}`;",
                "}",
            ],
        )],
    );
    let c = e.compare(&e.fingerprint(&a), &e.fingerprint(&b));
    assert_ne!(c.category, Category::CompetingImplementation);
    assert_eq!(c.scores.tests, None);
    assert_eq!(c.scores.docs, None);
}

#[test]
fn docs_only_prs_fixing_the_same_typo_are_duplicates_but_not_of_code_prs() {
    let e = engine();
    let typo = |n: u64, start: u32| {
        pr(
            n,
            "docs: fix typo",
            vec![modified(
                "docs/getting-started.md",
                start,
                &["## Install", "", "Then run the server:"],
                &["Run `npm instal` to install the dependancies."],
                &["Run `npm install` to install the dependencies."],
            )],
        )
    };
    let (a, b) = (e.fingerprint(&typo(90, 3)), e.fingerprint(&typo(91, 5)));
    assert_eq!(a.primary_channel(), Some(Channel::Docs));
    let c = e.compare(&a, &b);
    assert_eq!(c.category, Category::SameChange, "{c:#?}");
    assert_eq!(c.evidence.compared_channel, Some(Channel::Docs));
    // A code PR that happens to carry the same docs fix is not a duplicate of either.
    let mut files = typo(92, 3).files;
    files.push(new_file(
        "src/server.ts",
        &[
            "export function start(port = 3000) {",
            "  return app.listen(port);",
            "}",
        ],
    ));
    let code = e.fingerprint(&pr(92, "server start + docs", files));
    let c = e.compare(&a, &code);
    assert!(!c.category.is_strong(), "{c:#?}");
    assert!(c.final_score < 0.55);
}

#[test]
fn compare_is_symmetric_and_sets_are_order_independent() {
    let e = engine();
    let prs = [
        pr(
            1,
            "a",
            vec![
                new_file("src/utils/retry.ts", RETRY_IMPL),
                retry_callsite(40, RETRY_CALLSITE_CTX),
            ],
        ),
        pr(
            2,
            "b",
            vec![
                new_file("src/utils/retry.ts", RETRY_IMPL),
                retry_callsite(88, RETRY_CALLSITE_CTX),
                retry_tests_b(),
            ],
        ),
        pr(3, "c", vec![new_file("src/utils/retry.ts", RETRY_IMPL)]),
        pr(
            4,
            "d",
            vec![new_file("src/utils/format.ts", &["export const x = 1;"])],
        ),
    ];
    let fps: Vec<_> = prs.iter().map(|p| e.fingerprint(p)).collect();
    let mut edges = Vec::new();
    for i in 0..fps.len() {
        for j in 0..fps.len() {
            if i == j {
                continue;
            }
            let x = e.compare(&fps[i], &fps[j]);
            let y = e.compare(&fps[j], &fps[i]);
            assert_eq!(x.category, y.category);
            assert_eq!(x.scores, y.scores);
            assert_eq!(x.final_score, y.final_score);
            if i < j {
                edges.push(SetEdge {
                    a: i as i64 + 1,
                    b: j as i64 + 1,
                    category: x.category,
                    score: x.final_score,
                });
            }
        }
    }
    let sets = e.duplicate_sets(&edges, 25);
    assert_eq!(sets, vec![vec![1, 2, 3]]);
    let mut rev: Vec<SetEdge> = edges
        .iter()
        .rev()
        .map(|x| SetEdge {
            a: x.b,
            b: x.a,
            ..*x
        })
        .collect();
    assert_eq!(e.duplicate_sets(&rev, 25), sets);
    rev.rotate_left(1);
    assert_eq!(e.duplicate_sets(&rev, 25), sets);
}

#[test]
fn degraded_reasons_and_json_round_trip() {
    let e = engine();
    let p = pr(
        5,
        "Big asset drop; fixes #12 and closes acme/webapp#7",
        vec![
            FileInput {
                path: "src/generated/schema.ts".into(),
                previous_path: None,
                status: "modified".into(),
                additions: 900,
                deletions: 100,
                patch: None,
            },
            FileInput {
                path: "public/logo.png".into(),
                previous_path: None,
                status: "added".into(),
                additions: 0,
                deletions: 0,
                patch: None,
            },
            FileInput {
                path: "src/a.ts".into(),
                previous_path: Some("src/old_a.ts".into()),
                status: "renamed".into(),
                additions: 0,
                deletions: 0,
                patch: None,
            },
            new_file("src/b.ts", &["export const b = 2;\r"]),
        ],
    );
    let fp = e.fingerprint(&p);
    assert_eq!(
        fp.degraded_reasons(),
        &["1 file without patch (truncated by GitHub)".to_string()]
    );
    let states: Vec<PatchState> = fp.files().iter().map(|f| f.patch_state).collect();
    assert_eq!(
        states,
        vec![
            PatchState::Truncated,
            PatchState::Binary,
            PatchState::Missing,
            PatchState::Present
        ]
    );
    assert_eq!(
        fp.issue_refs(),
        &["#12".to_string(), "acme/webapp#7".to_string()]
    );
    let json = serde_json::to_string(&fp).expect("serialize");
    let back: clawtriage_triage::Fingerprint = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, fp);
    assert!(json.contains("\"channel\":\"PRODUCTION\""));
    let keys = e.index_keys(&fp);
    assert!(keys.windows(2).all(|w| w[0] < w[1]));
    // Issue refs retrieve candidates.
    let other = e.fingerprint(&pr(6, "Fixes #12", vec![new_file("docs/x.md", &["# X"])]));
    let ko = e.index_keys(&other);
    assert!(keys.iter().any(|k| ko.contains(k)));
}

#[test]
fn rewrite_mode_for_huge_prs() {
    let e = engine();
    let files: Vec<FileInput> = (0..260)
        .map(|i| {
            new_file(
                &format!("src/icons/Icon{i}.tsx"),
                &[&format!(
                    "export const Icon{i} = () => <svg data-id=\"{i}\" />;"
                )],
            )
        })
        .collect();
    let fp = e.fingerprint(&pr(7, "icons", files));
    assert!(fp.rewrite_mode());
    assert!(
        fp.degraded_reasons()
            .iter()
            .any(|r| r.starts_with("rewrite mode (260 files"))
    );
    let c = e.compare(&fp, &fp);
    assert_eq!(c.category, Category::SameChange);
}
