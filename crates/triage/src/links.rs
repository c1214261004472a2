//! PR ↔ issue links: explicit ones first (closing keywords, bare `#123` mentions, issue
//! numbers in the head branch name), then *suggested* ones by lexical similarity between
//! the PR (title, body, changed symbols and paths) and issue fingerprints.
//!
//! Suggested score, for the PR's text fingerprint `P` and an issue `I` (weights `w` as
//! in `issue_match`, idf from the same [`TermStats`]):
//!
//! ```text
//! coverage = Σ_{t ∈ P∩I} w_I(t) / Σ_{t ∈ I} w_I(t)     how much of the issue the PR accounts for
//! cosine   = Σ_t w_P(t)·w_I(t) / (‖w_P‖ · ‖w_I‖)
//! score    = c_cov · coverage + c_cos · cosine          (c_cov + c_cos = 1), ∈ [0, 1]
//! ```
//!
//! Unshared PHRASE terms (a title's other n-grams, a symbol's spelling) are left out of
//! the sums and norms: they are alternative names of one subject, not missing content.
//! Coverage matters because a PR legitimately carries much more than the issue (helper
//! symbols, tests, docs), which dilutes the cosine. A suggestion needs
//! `score ≥ links.suggested_threshold` and at least one shared specific term (identifier,
//! path, error line, frame, or a title phrase spelled by a changed symbol: "calculate cache
//! limits" ~ `calculateCacheLimits`): shared prose alone never links. A bug report whose
//! files the PR only *adds* is not suggested: a PR cannot fix a bug in code it creates.

use serde::{Deserialize, Serialize};

use crate::issue_config::IssueRules;
use crate::issue_fingerprint::{IssueFingerprint, IssueKind, TermKind};
use crate::issue_match::{IssueEvidence, TermStats, evidence, shared, weigh};

/// What a PR's link-relevant data is, as plain values: the engine does not care how the
/// caller got the symbols and paths (a PR fingerprint, the files endpoint).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrLinkInput {
    pub number: u64,
    pub title: String,
    pub body: Option<String>,
    /// `head.ref`, e.g. `fix/123-null-total`.
    #[serde(default)]
    pub head_ref: Option<String>,
    /// `owner/name`; `owner/name#12` references count as this repository's.
    #[serde(default)]
    pub repo: Option<String>,
    /// Changed symbols and exports (any order, duplicates allowed).
    #[serde(default)]
    pub symbols: Vec<String>,
    /// Changed file paths.
    #[serde(default)]
    pub paths: Vec<String>,
    /// The changed paths the PR adds (status `added`): a bug in code the PR creates is not
    /// one it fixes.
    #[serde(default)]
    pub added_paths: Vec<String>,
}

impl PrLinkInput {
    /// From the PR as the engine sees it and its fingerprint: changed symbols and exports
    /// (removed ones, `-name`, left out), changed and added paths.
    pub fn from_pr(
        pr: &crate::PrInput,
        fingerprint: &crate::Fingerprint,
        head_ref: Option<&str>,
        repo: Option<&str>,
    ) -> PrLinkInput {
        let mut symbols: Vec<String> = fingerprint
            .exports()
            .iter()
            .chain(fingerprint.symbols())
            .filter(|s| !s.starts_with('-'))
            .cloned()
            .collect();
        crate::setops::normalize(&mut symbols);
        PrLinkInput {
            number: pr.number,
            title: pr.title.clone(),
            body: pr.body.clone(),
            head_ref: head_ref.map(str::to_owned),
            repo: repo.map(str::to_owned),
            symbols,
            paths: pr.files.iter().map(|f| f.path.clone()).collect(),
            added_paths: pr
                .files
                .iter()
                .filter(|f| f.status == "added")
                .map(|f| f.path.clone())
                .collect(),
        }
    }
}

/// How a link was found, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LinkKind {
    /// A closing keyword: `fixes #123`, `closes owner/repo#123`, `resolves <issue URL>`.
    Explicit,
    /// The head branch names the issue: `fix/123-foo`, `issue-123`, `gh-123`, `123-desc`.
    Branch,
    /// A bare `#123` or issue URL without a closing keyword.
    Mentioned,
    /// Lexical similarity only.
    Suggested,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Explicit => "EXPLICIT",
            LinkKind::Branch => "BRANCH",
            LinkKind::Mentioned => "MENTIONED",
            LinkKind::Suggested => "SUGGESTED",
        }
    }
}

/// Why a PR links to an issue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkEvidence {
    /// The references that linked explicitly: `fixes #123`, `#123`, `branch fix/123-x`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Similarity score when the issue's fingerprint was available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Identifiers both mention (the PR's changed symbols or its text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_identifiers: Vec<String>,
    /// Paths the issue mentions that the PR changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issue_paths_touched: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_errors: Vec<String>,
    /// Strongest shared terms of every kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_terms: Vec<crate::issue_match::SharedTerm>,
}

/// One PR → issue link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub issue: u64,
    pub kind: LinkKind,
    /// Confidence in [0, 1]: 1 for closing keywords, `links.branch_score` and
    /// `links.mentioned_score` for branch names and mentions, the similarity for
    /// suggestions.
    pub score: f64,
    pub evidence: LinkEvidence,
}

/// Issue numbers a branch name carries: `fix/123-foo`, `issue-123`, `issues/123`,
/// `gh-123`, `GH123`, `123-short-desc`, `bugfix/PROJ-9` is not one (no issue prefix).
/// Dates (`2024-05-cleanup`) and versions (`lodash-4.17.21`) are not issue numbers.
pub fn branch_issue(head_ref: &str) -> Option<u64> {
    const PREFIXES: &[&str] = &[
        "issues", "issue", "bugfix", "hotfix", "bug", "fix", "gh", "feature", "feat",
    ];
    let segments: Vec<&str> = head_ref.split('/').filter(|s| !s.is_empty()).collect();
    for (i, seg) in segments.iter().enumerate() {
        let lower = seg.to_ascii_lowercase();
        // `issue/123`, `fix/123`: a bare number after an issue-ish directory.
        if lower.bytes().all(|c| c.is_ascii_digit()) {
            let after_prefix =
                i > 0 && PREFIXES.contains(&segments[i - 1].to_ascii_lowercase().as_str());
            if after_prefix && let Some(n) = number(&lower) {
                return Some(n);
            }
            continue;
        }
        // `123-short-desc`
        if let Some(n) = leading_number(&lower) {
            return Some(n);
        }
        // `issue-123`, `gh123`, `fix_123_x`
        for p in PREFIXES {
            if let Some(rest) = lower.strip_prefix(p) {
                let rest = rest.strip_prefix(['-', '_', '#']).unwrap_or(rest);
                if let Some(n) = leading_number(rest) {
                    return Some(n);
                }
                if rest.bytes().all(|c| c.is_ascii_digit())
                    && let Some(n) = number(rest)
                {
                    return Some(n);
                }
            }
        }
    }
    None
}

/// `123-foo` / `123_foo` → 123: digits, a separator, then a letter.
fn leading_number(s: &str) -> Option<u64> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = s.as_bytes().get(digits..)?;
    match rest {
        [b'-' | b'_', c, ..] if c.is_ascii_alphabetic() => number(&s[..digits]),
        _ => None,
    }
}

fn number(d: &str) -> Option<u64> {
    if d.is_empty() || d.len() > 9 {
        return None;
    }
    d.parse().ok().filter(|n| *n > 0)
}

/// The issue number of a normalised reference (`#12`, `owner/repo#12`) when it is this
/// repository's.
fn same_repo_number(r: &str, repo: Option<&str>) -> Option<u64> {
    let (owner_repo, n) = r.split_once('#')?;
    let ours =
        owner_repo.is_empty() || repo.is_some_and(|x| x.trim().eq_ignore_ascii_case(owner_repo));
    if !ours {
        return None;
    }
    number(n)
}

/// Bare mentions: `#12` and issue/pull URLs (never preceded by a closing keyword).
fn mentions(text: &str, repo: Option<&str>) -> Vec<(u64, String)> {
    let mut refs = Vec::new();
    crate::issues::hash_refs(text, &mut refs);
    let mut out: Vec<(u64, String)> = refs
        .iter()
        .filter_map(|r| number(r.trim_start_matches('#')).map(|n| (n, r.clone())))
        .collect();
    if let Some(repo) = repo {
        let prefix = format!("https://github.com/{}/issues/", repo.to_ascii_lowercase());
        let lower = text.to_ascii_lowercase();
        let mut rest = lower.as_str();
        while let Some(i) = rest.find(&prefix) {
            let after = &rest[i + prefix.len()..];
            let d: String = after.chars().take_while(char::is_ascii_digit).collect();
            if let Some(n) = number(&d) {
                out.push((n, format!("{repo}#{n}")));
            }
            rest = after;
        }
    }
    out
}

/// Links of a PR: explicit forms, then suggestions among `candidates` (issue fingerprints
/// retrieved through the issue index). One link per issue, the strongest kind; sorted by
/// kind, then score, then issue number.
pub(crate) fn links_for_pr(
    rules: &IssueRules,
    pr: &PrLinkInput,
    pr_fp: &IssueFingerprint,
    candidates: &[&IssueFingerprint],
    stats: &dyn TermStats,
) -> Vec<Link> {
    let l = &rules.links;
    let repo = pr.repo.as_deref();
    let text = format!("{}\n{}", pr.title, pr.body.as_deref().unwrap_or(""));
    let text = crate::issue_text::truncate_chars(&text, rules.text.max_text_chars);
    let mut links: Vec<Link> = Vec::new();
    let add = |links: &mut Vec<Link>, issue: u64, kind: LinkKind, score: f64, r: String| {
        if issue == pr.number {
            return;
        }
        match links.iter_mut().find(|x| x.issue == issue) {
            Some(x) => {
                if kind < x.kind {
                    x.kind = kind;
                    x.score = score;
                }
                if !x.evidence.references.contains(&r) {
                    x.evidence.references.push(r);
                }
            }
            None => links.push(Link {
                issue,
                kind,
                score,
                evidence: LinkEvidence {
                    references: vec![r],
                    ..LinkEvidence::default()
                },
            }),
        }
    };
    for r in crate::issues::closing_refs(text) {
        if let Some(n) = same_repo_number(&r, repo) {
            add(
                &mut links,
                n,
                LinkKind::Explicit,
                1.0,
                format!("closes {r}"),
            );
        }
    }
    if let Some(n) = pr.head_ref.as_deref().and_then(branch_issue) {
        let r = format!("branch {}", pr.head_ref.as_deref().unwrap_or(""));
        add(&mut links, n, LinkKind::Branch, l.branch_score, r);
    }
    for (n, r) in mentions(text, repo) {
        // "fixes #12" is also a bare "#12": the closing keyword already says it.
        if !links.iter().any(|x| x.issue == n) {
            add(&mut links, n, LinkKind::Mentioned, l.mentioned_score, r);
        }
    }

    let mut suggested: Vec<Link> = Vec::new();
    let wp = weigh(&rules.weights, pr_fp, stats, true);
    for issue in candidates {
        let (score, ev) = similarity(rules, &wp, pr, issue, stats);
        if let Some(x) = links.iter_mut().find(|x| x.issue == issue.number) {
            x.evidence.similarity = Some(score);
            fill(&mut x.evidence, ev);
            continue;
        }
        let specific = ev
            .shared_terms
            .iter()
            .any(|t| t.kind.is_specific() || t.kind == TermKind::Phrase);
        let creates = issue.kind == IssueKind::Bug && creates_subject(pr, &ev);
        if issue.number != pr.number && specific && !creates && score >= l.suggested_threshold {
            let mut evidence = LinkEvidence {
                similarity: Some(score),
                ..LinkEvidence::default()
            };
            fill(&mut evidence, ev);
            suggested.push(Link {
                issue: issue.number,
                kind: LinkKind::Suggested,
                score,
                evidence,
            });
        }
    }
    suggested.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.issue.cmp(&b.issue)));
    suggested.dedup_by_key(|x| x.issue);
    suggested.truncate(l.max_suggested);
    links.extend(suggested);
    links.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.score.total_cmp(&a.score))
            .then(a.issue.cmp(&b.issue))
    });
    links
}

/// Does the PR *create* what a bug report is about? A bug in code the PR adds is not one
/// it fixes: some shared identifier is the name of a file the PR adds
/// (`enrichInvoiceHistory` ~ `src/components/enrichInvoiceHistory.tsx`), or the issue's
/// paths are only matched by added files — and no file the PR modifies is one the issue
/// names.
fn creates_subject(pr: &PrLinkInput, ev: &SimEvidence) -> bool {
    let created: Vec<String> = pr
        .added_paths
        .iter()
        .filter_map(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            let stem = name.split('.').next().unwrap_or(name);
            crate::issue_text::normalize_identifier(stem)
        })
        .collect();
    let created_name = ev
        .shared_terms
        .iter()
        .any(|t| t.kind == TermKind::Identifier && created.contains(&t.text));
    let touched_by = |added: bool| {
        ev.paths_touched.iter().any(|ip| {
            pr.paths
                .iter()
                .any(|p| path_matches(p, ip) && pr.added_paths.contains(p) == added)
        })
    };
    (created_name || touched_by(true)) && !touched_by(false)
}

/// Evidence parts computed by [`similarity`].
struct SimEvidence {
    shared_terms: Vec<crate::issue_match::SharedTerm>,
    shared_errors: Vec<String>,
    paths_touched: Vec<String>,
}

fn fill(e: &mut LinkEvidence, s: SimEvidence) {
    e.shared_identifiers = s
        .shared_terms
        .iter()
        .filter(|t| t.kind == TermKind::Identifier)
        .map(|t| t.text.clone())
        .collect();
    e.issue_paths_touched = s.paths_touched;
    e.shared_errors = s.shared_errors;
    e.shared_terms = s.shared_terms;
}

/// The suggested-link score (module docs) and its evidence.
fn similarity(
    rules: &IssueRules,
    wp: &crate::issue_match::Weighted<'_>,
    pr: &PrLinkInput,
    issue: &IssueFingerprint,
    stats: &dyn TermStats,
) -> (f64, SimEvidence) {
    let wi = weigh(&rules.weights, issue, stats, true);
    let pairs = shared(wp.fp, issue);
    // A title's n-grams (and a PR's symbol spellings) are alternative names of one
    // subject: the ones the other side does not spell are not counted as missing.
    let mut shared_p = vec![false; wp.w.len()];
    let mut shared_i = vec![false; wi.w.len()];
    let mut dot = 0.0;
    let mut covered = 0.0;
    for &(i, j) in &pairs {
        dot += wp.w[i] * wi.w[j];
        covered += wi.w[j];
        shared_p[i] = true;
        shared_i[j] = true;
    }
    let counted = |w: &crate::issue_match::Weighted<'_>, shared: &[bool]| -> (f64, f64) {
        let mut norm2 = 0.0;
        let mut mass = 0.0;
        for (k, t) in w.fp.terms.iter().enumerate() {
            if t.kind == TermKind::Phrase && !shared[k] {
                continue;
            }
            norm2 += w.w[k] * w.w[k];
            mass += w.w[k];
        }
        (norm2.sqrt(), mass)
    };
    let (norm_p, _) = counted(wp, &shared_p);
    let (norm_i, mass_i) = counted(&wi, &shared_i);
    let cosine = if norm_p > 0.0 && norm_i > 0.0 {
        (dot / (norm_p * norm_i)).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let coverage = if mass_i > 0.0 {
        (covered / mass_i).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let c = &rules.links.score_weights;
    let score = (c.coverage * coverage + c.cosine * cosine).clamp(0.0, 1.0);
    let IssueEvidence {
        shared_terms,
        shared_errors,
        ..
    } = evidence(wp, &wi, &pairs, rules.issues.evidence_terms);
    let paths_touched = issue
        .paths
        .iter()
        .filter(|ip| pr.paths.iter().any(|p| path_matches(p, ip)))
        .cloned()
        .collect();
    (
        score,
        SimEvidence {
            shared_terms,
            shared_errors,
            paths_touched,
        },
    )
}

/// A changed path matches a path an issue mentions when one ends with the other at a
/// component boundary (`src/services/orders.ts` ~ `services/orders.ts` ~ `orders.ts`,
/// and `/home/u/app/src/x.ts` ~ `src/x.ts`).
fn path_matches(changed: &str, mentioned: &str) -> bool {
    let (c, m) = (changed.to_lowercase(), mentioned.to_lowercase());
    if let Some(dir) = m.strip_suffix('/') {
        // A directory the issue names: the PR changes something under it.
        return !dir.is_empty() && (c.starts_with(&m) || c.contains(&format!("/{dir}/")));
    }
    let ends = |long: &str, short: &str| {
        long == short || (long.ends_with(short) && long[..long.len() - short.len()].ends_with('/'))
    };
    !m.is_empty() && (ends(&c, &m) || ends(&m, &c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue_fingerprint::{IssueInput, PrCode, build, build_parts, test_ctx};
    use crate::issue_match::{CorpusStats, NoStats};

    fn pr(title: &str, body: &str, head: &str) -> PrLinkInput {
        PrLinkInput {
            number: 7,
            title: title.into(),
            body: Some(body.into()),
            head_ref: Some(head.into()),
            repo: Some("acme/webapp".into()),
            ..PrLinkInput::default()
        }
    }

    fn run(p: &PrLinkInput, issues: &[IssueFingerprint], stats: &dyn TermStats) -> Vec<Link> {
        let (ctx, rules) = test_ctx();
        let pfp = build_parts(
            &ctx,
            p.number,
            &p.title,
            p.body.as_deref(),
            &[],
            Some(PrCode {
                identifiers: &p.symbols,
                paths: &p.paths,
            }),
        );
        let c: Vec<&IssueFingerprint> = issues.iter().collect();
        links_for_pr(&rules, p, &pfp, &c, stats)
    }

    fn kinds(links: &[Link]) -> Vec<(u64, LinkKind)> {
        links.iter().map(|l| (l.issue, l.kind)).collect()
    }

    #[test]
    fn branch_names() {
        for (b, n) in [
            ("fix/123-null-total", Some(123)),
            ("issue-123", Some(123)),
            ("issues/123", Some(123)),
            ("gh-123", Some(123)),
            ("GH123", Some(123)),
            ("123-short-desc", Some(123)),
            ("users/bob/issue_45_retry", Some(45)),
            ("feature/9_export", Some(9)),
            ("fix/123", Some(123)),
            ("fix-2fa-login", None),
            ("release/2024", None),
            ("2024-05-cleanup", None),
            ("dependabot/npm_and_yarn/lodash-4.17.21", None),
            ("feat-v2-api", None),
            ("main", None),
            ("", None),
            ("/", None),
            ("fix/0-zero", None),
            ("issue-99999999999999999999", None),
            ("feat-product---verify-product", None),
        ] {
            assert_eq!(branch_issue(b), n, "{b}");
        }
    }

    #[test]
    fn explicit_mentioned_and_branch_links() {
        let p = pr(
            "Fix invoice totals",
            "Fixes #12 and closes acme/webapp#13, resolves other/repo#14.\nSee #15 and \
             https://github.com/acme/webapp/issues/16; also #7 (this PR).",
            "fix/17-totals",
        );
        let links = run(&p, &[], &NoStats);
        assert_eq!(
            kinds(&links),
            vec![
                (12, LinkKind::Explicit),
                (13, LinkKind::Explicit),
                (17, LinkKind::Branch),
                (15, LinkKind::Mentioned),
                (16, LinkKind::Mentioned),
            ]
        );
        assert_eq!(links[0].score, 1.0);
        assert_eq!(links[0].evidence.references, vec!["closes #12"]);
        // A closing keyword and the branch naming the same issue: one explicit link.
        let p = pr("Fix totals", "fixes #17", "fix/17-totals");
        let links = run(&p, &[], &NoStats);
        assert_eq!(kinds(&links), vec![(17, LinkKind::Explicit)]);
        assert_eq!(
            links[0].evidence.references,
            vec!["closes #17", "branch fix/17-totals"]
        );
    }

    #[test]
    fn suggested_links_need_specific_shared_terms() {
        let (ctx, _) = test_ctx();
        let issue = build(
            &ctx,
            &IssueInput {
                number: 1001,
                title: "computeInvoiceTotal returns NaN for empty invoices".into(),
                body: Some(
                    "In src/billing/invoice.ts the total is NaN when there are no lines.".into(),
                ),
                labels: vec!["bug".into()],
            },
        );
        let prose = build(
            &ctx,
            &IssueInput {
                number: 1002,
                title: "Totals look wrong on empty invoices".into(),
                body: Some("The total is wrong when there are no lines.".into()),
                labels: vec![],
            },
        );
        let mut p = pr(
            "Handle empty invoices",
            "Guard against empty line lists.",
            "handle-empty",
        );
        p.symbols = vec!["computeInvoiceTotal".into(), "sumLines".into()];
        p.paths = vec![
            "src/billing/invoice.ts".into(),
            "src/billing/__tests__/invoice.test.ts".into(),
        ];
        let mut stats = CorpusStats::new();
        stats.add(&issue);
        stats.add(&prose);
        let links = run(&p, &[issue.clone(), prose.clone()], &stats);
        assert_eq!(
            kinds(&links),
            vec![(1001, LinkKind::Suggested)],
            "{links:#?}"
        );
        let e = &links[0].evidence;
        assert_eq!(e.shared_identifiers, vec!["compute_invoice_total"]);
        assert_eq!(e.issue_paths_touched, vec!["src/billing/invoice.ts"]);
        assert!(links[0].score > 0.0 && links[0].score <= 1.0);
        // An explicit link to a candidate carries its similarity.
        let mut q = p.clone();
        q.body = Some("fixes #1001".into());
        let links = run(&q, &[issue], &stats);
        assert_eq!(kinds(&links), vec![(1001, LinkKind::Explicit)]);
        assert!(links[0].evidence.similarity.is_some());
    }

    #[test]
    fn bugs_in_files_the_pr_adds_are_not_suggested() {
        let (ctx, _) = test_ctx();
        let bug = build(
            &ctx,
            &IssueInput {
                number: 1001,
                title: "refreshWebhookWindow crashes".into(),
                body: Some(
                    "RangeError: Invalid time value in src/jobs/refreshWebhookWindow.ts".into(),
                ),
                labels: vec!["bug".into()],
            },
        );
        let mut p = pr(
            "Add refresh webhook window",
            "Adds `refreshWebhookWindow`.",
            "x",
        );
        p.symbols = vec!["refreshWebhookWindow".into()];
        p.paths = vec!["src/jobs/refreshWebhookWindow.ts".into()];
        p.added_paths = p.paths.clone();
        let mut stats = CorpusStats::new();
        stats.add(&bug);
        assert!(run(&p, std::slice::from_ref(&bug), &stats).is_empty());
        // The same PR modifying the file may fix it.
        p.added_paths.clear();
        let links = run(&p, &[bug], &stats);
        assert_eq!(
            kinds(&links),
            vec![(1001, LinkKind::Suggested)],
            "{links:#?}"
        );
    }

    #[test]
    fn title_phrases_meet_symbols() {
        let (ctx, _) = test_ctx();
        let issue = build(
            &ctx,
            &IssueInput {
                number: 1050,
                title: "cache: calculate cache limits".into(),
                body: Some("Nothing can calculate cache limits yet.".into()),
                labels: vec!["enhancement".into()],
            },
        );
        let mut p = pr("Implement the thing", "Adds it.", "impl");
        p.symbols = vec!["calculateCacheLimits".into()];
        p.paths = vec!["src/components/calculateCacheLimits.tsx".into()];
        let mut stats = CorpusStats::new();
        stats.add(&issue);
        let links = run(&p, &[issue], &stats);
        assert_eq!(
            kinds(&links),
            vec![(1050, LinkKind::Suggested)],
            "{links:#?}"
        );
        assert!(
            links[0]
                .evidence
                .shared_terms
                .iter()
                .any(|t| t.kind == TermKind::Phrase)
        );
    }

    #[test]
    fn from_pr_collects_symbols_and_added_paths() {
        let engine = crate::Engine::with_defaults().expect("pr engine");
        let pr_input = crate::PrInput {
            number: 3,
            title: "Add x".into(),
            body: None,
            files: vec![
                crate::FileInput {
                    path: "src/a.ts".into(),
                    status: "added".into(),
                    additions: 1,
                    patch: Some("@@ -0,0 +1 @@\n+export function fooBar() {}".into()),
                    ..crate::FileInput::default()
                },
                crate::FileInput {
                    path: "src/b.ts".into(),
                    status: "modified".into(),
                    ..crate::FileInput::default()
                },
            ],
        };
        let fp = engine.fingerprint(&pr_input);
        let l = PrLinkInput::from_pr(&pr_input, &fp, Some("fix/9-x"), Some("acme/webapp"));
        assert_eq!(l.paths, vec!["src/a.ts", "src/b.ts"]);
        assert_eq!(l.added_paths, vec!["src/a.ts"]);
        assert!(l.symbols.iter().any(|s| s == "fooBar"), "{:?}", l.symbols);
        assert_eq!(l.head_ref.as_deref(), Some("fix/9-x"));
    }

    #[test]
    fn path_matching_at_component_boundaries() {
        assert!(path_matches("src/services/orders.ts", "services/orders.ts"));
        assert!(path_matches("src/services/orders.ts", "orders.ts"));
        assert!(path_matches("src/x.ts", "home/u/app/src/x.ts"));
        assert!(!path_matches("src/services/myorders.ts", "orders.ts"));
        assert!(!path_matches("src/a.ts", ""));
        assert!(path_matches("src/api/orders.ts", "src/api/"));
        assert!(path_matches("web/src/api/orders.ts", "src/api/"));
        assert!(!path_matches("src/apis/orders.ts", "src/api/"));
    }

    #[test]
    fn odd_input_never_panics() {
        for s in [
            "",
            "#",
            "fixes",
            "fixes #",
            "#99999999999999999999",
            "é#1",
            "https://github.com/acme/webapp/issues/",
        ] {
            let p = pr(s, s, s);
            let _ = run(&p, &[], &NoStats);
        }
    }
}
