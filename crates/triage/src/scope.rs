//! Vision/scope assist: does a PR fit what the repository says it wants? Advisory only —
//! it names its reasons and answers UNCERTAIN whenever signals are weak or disagree.
//!
//! Inputs: a vision markdown document (headings such as "In scope", "Goals", "Out of
//! scope", "Non-goals", "Policies"; bullets under them become phrase lists, backticked
//! paths/globs become path rules), the configured path rules (`scope.paths.in`/`out`) and
//! policy flags (LICENSE touched, dependency manifest changed, dependency added, vendored
//! code, exports changed).
//!
//! A bullet is split into phrases at `, ; ( ) :` and the words "and"/"or"; a phrase
//! matches when all its content words occur in the PR. Phrases in parentheses are
//! examples of the phrase before them ("the frontend framework (React)"): alone, without
//! any word of that head, they count as a body mention only — a React version bump is not
//! a frontend rewrite. In out-of-scope and policy sections the text after a bullet's
//! first colon is rationale ("X: fix it upstream") and is ignored, globs included.
//!
//! ```text
//! path rule  weight = weights.path_rule · (changed lines under the rule / all changed lines)
//! phrase     weight = weights.keyword_subject when found in the title, changed paths,
//!                     exports or added dependencies; weights.keyword_body with the body's help
//! policy     weight = weights.policy (effect out → OUT; uncertain → blocks IN_SCOPE)
//! in, out    = 1 − Π (1 − min(1, weight))   noisy-OR over the reasons of each direction
//! OUT_OF_SCOPE  out ≥ min_evidence                         confidence out · (1 − in/2)
//! IN_SCOPE      in ≥ min_evidence, out < max_opposing,     confidence in · (1 − out)
//!               and no "uncertain" reason
//! UNCERTAIN     otherwise                                  confidence 0
//! ```
//!
//! Exclusions refine inclusions: an out-of-scope bullet exists to carve an exception out
//! of the in-scope areas (crypto payments are payments), so in-scope evidence does not
//! cancel a strong out-of-scope match. Policy sections hold conditional rules ("no new
//! dependency without an issue", "generated files are regenerated, not hand-edited"): a
//! PR touching their paths needs a human (UNCERTAIN), their words are informational.

use std::collections::BTreeSet;

use globset::GlobSet;
use serde::{Deserialize, Serialize};

use crate::config::ConfigError;
use crate::issue_config::{PolicyEffect, ScopeRules, glob_set, one_glob};
use crate::issue_fingerprint::TextCtx;
use crate::issue_text::{self, split_identifier, truncate_chars};

/// What a vision section says about the work under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SectionKind {
    InScope,
    OutOfScope,
    Policy,
    Other,
}

/// One bullet (or paragraph line) of a vision section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisionItem {
    pub text: String,
    pub phrases: Vec<VisionPhrase>,
    /// Path globs found in backticks (`src/billing/**`, `vendor/`, `LICENSE`).
    pub globs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisionSection {
    pub heading: String,
    pub kind: SectionKind,
    pub items: Vec<VisionItem>,
}

/// A phrase of a vision item as content words (stemmed, sorted): it matches when all its
/// words occur in the PR.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisionPhrase {
    pub words: Vec<String>,
    /// For an example in parentheses, the words of the phrase it exemplifies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<String>,
}

/// A parsed vision document (store or cache it per repository and content).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vision {
    pub sections: Vec<VisionSection>,
}

impl Vision {
    /// Has at least one in/out/policy item to judge by.
    pub fn is_usable(&self) -> bool {
        self.sections
            .iter()
            .any(|s| s.kind != SectionKind::Other && !s.items.is_empty())
    }
}

/// A changed file as the scope assist needs it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeFile {
    pub path: String,
    pub additions: u32,
    pub deletions: u32,
}

/// A PR as the scope assist sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeInput {
    pub title: String,
    pub body: Option<String>,
    pub files: Vec<ScopeFile>,
    /// Exported (public) symbols the PR adds or changes.
    #[serde(default)]
    pub exports_changed: Vec<String>,
    /// A dependency manifest changed (manifest paths, `scope.policies.manifest_globs`, are
    /// also detected from `files`).
    #[serde(default)]
    pub manifest_changed: bool,
    /// Dependencies added, not only bumped (see [`crate::manifest_deps::new_dependencies`]).
    #[serde(default)]
    pub new_dependencies: Vec<String>,
}

impl ScopeInput {
    /// From the PR as the engine sees it: files with line counts, added dependencies from
    /// the manifests' patches, and the exports the caller says changed.
    pub fn from_pr(pr: &crate::PrInput, exports_changed: &[String]) -> ScopeInput {
        ScopeInput {
            title: pr.title.clone(),
            body: pr.body.clone(),
            files: pr
                .files
                .iter()
                .map(|f| ScopeFile {
                    path: f.path.clone(),
                    additions: f.additions,
                    deletions: f.deletions,
                })
                .collect(),
            exports_changed: exports_changed.to_vec(),
            manifest_changed: false,
            new_dependencies: crate::manifest_deps::new_dependencies(&pr.files),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScopeVerdict {
    InScope,
    OutOfScope,
    Uncertain,
}

impl ScopeVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeVerdict::InScope => "IN_SCOPE",
            ScopeVerdict::OutOfScope => "OUT_OF_SCOPE",
            ScopeVerdict::Uncertain => "UNCERTAIN",
        }
    }
}

/// Where a reason comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScopeReasonKind {
    /// A path glob: `scope.paths.in`/`out`, or a backticked glob of a vision section.
    PathRule,
    /// A phrase of a vision bullet found in the PR's title, body, paths or symbols.
    VisionKeyword,
    /// A policy flag: LICENSE, vendored code, dependency manifest, dependency added.
    Policy,
    ExportsChanged,
    /// Neither a vision document nor path rules: nothing to judge by.
    NoVision,
}

/// Which way a reason pushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScopeDirection {
    In,
    Out,
    /// Needs a human: prevents a confident IN_SCOPE.
    Uncertain,
    /// Informational (a policy the PR's words touch, a flag configured to be ignored).
    Neutral,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeReason {
    pub kind: ScopeReasonKind,
    pub direction: ScopeDirection,
    pub weight: f64,
    /// `config scope.paths.out`, `vision § Out of scope`, `policy license`, …
    pub source: String,
    /// The glob or bullet text that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Paths, words or symbols that matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeAssessment {
    pub verdict: ScopeVerdict,
    pub confidence: f64,
    pub reasons: Vec<ScopeReason>,
}

/// Most items kept per section, and items per document (bounded work on any input).
const MAX_ITEMS: usize = 200;
const MAX_VISION_CHARS: usize = 100_000;
/// Paths listed in a reason.
const MAX_MATCHED: usize = 10;

/// Compiled scope rules.
#[derive(Debug)]
pub(crate) struct ScopeCtx {
    rules: ScopeRules,
    paths_in: GlobSet,
    paths_out: GlobSet,
    license: GlobSet,
    manifest: GlobSet,
    vendored: GlobSet,
    headings_out: Vec<String>,
    headings_in: Vec<String>,
    headings_policy: Vec<String>,
}

impl ScopeCtx {
    pub(crate) fn new(rules: &ScopeRules) -> Result<ScopeCtx, ConfigError> {
        let p = &rules.policies;
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        Ok(ScopeCtx {
            paths_in: glob_set("scope.paths.in", &rules.paths.in_)?,
            paths_out: glob_set("scope.paths.out", &rules.paths.out)?,
            license: glob_set("scope.policies.license_globs", &p.license_globs)?,
            manifest: glob_set("scope.policies.manifest_globs", &p.manifest_globs)?,
            vendored: glob_set("scope.policies.vendored_globs", &p.vendored_globs)?,
            headings_out: lower(&rules.headings.out),
            headings_in: lower(&rules.headings.in_),
            headings_policy: lower(&rules.headings.policy),
            rules: rules.clone(),
        })
    }

    fn classify_heading(&self, heading: &str) -> SectionKind {
        let h = heading.to_lowercase();
        let any = |v: &[String]| v.iter().any(|p| h.contains(p.as_str()));
        if any(&self.headings_out) {
            SectionKind::OutOfScope
        } else if any(&self.headings_policy) {
            SectionKind::Policy
        } else if any(&self.headings_in) {
            SectionKind::InScope
        } else {
            SectionKind::Other
        }
    }
}

/// Parses a vision document. Total on any input; sub-headings without a kind of their
/// own inherit their parent's ("## Out of scope" / "### Payments").
pub(crate) fn parse_vision(ctx: &ScopeCtx, text: &TextCtx, md: &str) -> Vision {
    let md = truncate_chars(md, MAX_VISION_CHARS);
    let mut sections: Vec<VisionSection> = Vec::new();
    // (level, kind) of the enclosing headings.
    let mut stack: Vec<(usize, SectionKind)> = Vec::new();
    let mut in_fence = false;
    let mut items = 0;
    let max_words = ctx.rules.max_phrase_words;
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || t.is_empty() {
            continue;
        }
        if let Some((level, heading)) = heading(t) {
            while stack.last().is_some_and(|(l, _)| *l >= level) {
                stack.pop();
            }
            let kind = match ctx.classify_heading(heading) {
                SectionKind::Other => stack.last().map_or(SectionKind::Other, |(_, k)| *k),
                k => k,
            };
            stack.push((level, kind));
            sections.push(VisionSection {
                heading: heading.to_string(),
                kind,
                items: Vec::new(),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        let (is_bullet, content) = bullet(t);
        let continuation =
            !is_bullet && line.starts_with(char::is_whitespace) && !section.items.is_empty();
        if continuation {
            // An indented continuation line belongs to the bullet above.
            if let Some(last) = section.items.last_mut() {
                let joined = format!("{} {content}", last.text);
                *last = item(text, section.kind, &joined, max_words);
            }
        } else if items < MAX_ITEMS {
            section
                .items
                .push(item(text, section.kind, content, max_words));
            items += 1;
        }
    }
    Vision { sections }
}

/// ATX heading (`## Out of scope`) or a whole-line bold pseudo-heading (`**Non-goals**`).
fn heading(t: &str) -> Option<(usize, &str)> {
    let level = t.bytes().take_while(|c| *c == b'#').count();
    if (1..=6).contains(&level) && t[level..].starts_with(' ') {
        let h = t[level..].trim().trim_end_matches('#').trim();
        return (!h.is_empty()).then_some((level, h));
    }
    let inner = t.strip_prefix("**")?.strip_suffix("**")?;
    let inner = inner.trim().trim_end_matches(':').trim();
    (!inner.is_empty() && !inner.contains("**")).then_some((7, inner))
}

/// `- x`, `* x`, `+ x`, `1. x`, `2) x` → (true, x); anything else → (false, line).
fn bullet(t: &str) -> (bool, &str) {
    for p in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(p) {
            let rest = rest.trim_start();
            let rest = rest
                .strip_prefix("[ ] ")
                .or_else(|| rest.strip_prefix("[x] "))
                .unwrap_or(rest);
            return (true, rest.trim());
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && digits < 4
        && let Some(rest) = t[digits..]
            .strip_prefix(". ")
            .or_else(|| t[digits..].strip_prefix(") "))
    {
        return (true, rest.trim());
    }
    (false, t)
}

fn item(text: &TextCtx, kind: SectionKind, content: &str, max_words: usize) -> VisionItem {
    let content = truncate_chars(content, 2000);
    // Out-of-scope and policy bullets: what follows the first colon is rationale.
    let scoped = match kind {
        SectionKind::OutOfScope | SectionKind::Policy => rationale_cut(content),
        _ => content,
    };
    let mut globs = Vec::new();
    let mut prose = String::new();
    let mut rest = scoped;
    while let Some(i) = rest.find('`') {
        prose.push_str(&rest[..i]);
        prose.push(' ');
        let after = &rest[i + 1..];
        let Some(j) = after.find('`') else {
            rest = after;
            break;
        };
        let span = after[..j].trim();
        match span_glob(span) {
            Some(g) => globs.push(g),
            None => {
                prose.push_str(span);
                prose.push(' ');
            }
        }
        rest = &after[j + 1..];
    }
    prose.push_str(rest);
    let words = |p: &str| {
        let mut w = content_words(text, p);
        crate::setops::normalize(&mut w);
        w
    };
    let mut phrases: Vec<VisionPhrase> = split_phrases(&prose)
        .into_iter()
        .map(|(p, head)| VisionPhrase {
            words: words(p),
            head: head.map(words).unwrap_or_default(),
        })
        .filter(|p| !p.words.is_empty() && p.words.len() <= max_words)
        .collect();
    crate::setops::normalize(&mut phrases);
    crate::setops::normalize(&mut globs);
    VisionItem {
        text: content.to_string(),
        phrases,
        globs,
    }
}

/// The part of a bullet before its first `: ` outside backticks (the whole bullet when
/// there is none).
fn rationale_cut(s: &str) -> &str {
    let mut in_code = false;
    for (i, c) in s.char_indices() {
        match c {
            '`' => in_code = !in_code,
            ':' if !in_code && s[i + 1..].starts_with(' ') => return &s[..i],
            _ => {}
        }
    }
    s
}

/// Splits prose at `, ; ( ) :` and the connectives "and", "or", "&"; phrases inside
/// parentheses come with the phrase before the parenthesis (their head).
fn split_phrases(s: &str) -> Vec<(&str, Option<&str>)> {
    let mut out: Vec<(&str, Option<&str>)> = Vec::new();
    let mut depth = 0usize;
    let mut head: Option<&str> = None;
    let mut last_outside: Option<&str> = None;
    let mut start = 0;
    let bytes = s.as_bytes();
    for i in 0..=bytes.len() {
        let c = bytes.get(i).copied();
        if !matches!(
            c,
            None | Some(b',' | b';' | b':' | b'(' | b')' | b'[' | b']')
        ) {
            continue;
        }
        for p in split_connectives(&s[start..i]) {
            if depth == 0 {
                last_outside = Some(p);
                out.push((p, None));
            } else {
                out.push((p, head));
            }
        }
        match c {
            Some(b'(' | b'[') => {
                if depth == 0 {
                    head = last_outside;
                }
                depth += 1;
            }
            Some(b')' | b']') => depth = depth.saturating_sub(1),
            _ => {}
        }
        start = i + 1;
    }
    out
}

/// "a and b or c" → a, b, c (trimmed, non-empty).
fn split_connectives(part: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for w in part.split(' ') {
        let lw = w.to_ascii_lowercase();
        if lw == "and" || lw == "or" || lw == "&" || lw == "nor" {
            out.push(&part[start..offset]);
            start = offset + w.len() + 1;
        }
        offset += w.len() + 1;
    }
    if start < part.len() {
        out.push(&part[start..]);
    }
    out.into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// A backticked span as a path glob: `src/billing/**`, `vendor/` (→ `vendor/**`),
/// `*.min.js` and `LICENSE` (→ `**/…`: anywhere).
fn span_glob(span: &str) -> Option<String> {
    if span.is_empty() || span.len() > 200 || span.contains(char::is_whitespace) {
        return None;
    }
    let looks_path = span.contains('/')
        || span.contains('*')
        || issue_text::normalize_path(span).is_some()
        || (span.len() >= 4 && span.bytes().all(|c| c.is_ascii_uppercase()));
    if !looks_path || span.contains("://") {
        return None;
    }
    let g = span.trim_start_matches("./");
    let g = if let Some(dir) = g.strip_suffix('/') {
        format!("{dir}/**")
    } else {
        g.to_string()
    };
    let g = if g.contains('/') {
        g.trim_start_matches('/').to_string()
    } else {
        format!("**/{g}")
    };
    one_glob(&g).map(|_| g)
}

/// Plain words plus identifier sub-words, without stop or generic words.
fn content_words(text: &TextCtx, s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in s.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        // Mixed case: the whole word ("iOS", "GitHub") and its sub-words ("sumLines").
        let mut parts = vec![raw.to_string()];
        if raw.contains('_') || raw.chars().skip(1).any(char::is_uppercase) {
            parts.extend(split_identifier(raw));
        }
        for p in parts {
            if let Some(w) = issue_text::word(&p)
                && !text.is_generic_word(&w)
            {
                out.push(w);
            }
        }
    }
    out
}

/// The PR's words: its subject (title, changed paths, exports, added dependencies) and
/// its body.
struct PrWords {
    subject: BTreeSet<String>,
    body: BTreeSet<String>,
}

fn pr_words(text: &TextCtx, pr: &ScopeInput) -> PrWords {
    let mut s = String::new();
    s.push_str(truncate_chars(&pr.title, 1000));
    for f in pr.files.iter().take(1000) {
        s.push(' ');
        s.push_str(&f.path.replace(['/', '.', '-'], " "));
    }
    for e in pr
        .exports_changed
        .iter()
        .chain(&pr.new_dependencies)
        .take(1000)
    {
        s.push(' ');
        s.push_str(&e.replace(['/', '.', '-', '@'], " "));
    }
    let body = truncate_chars(pr.body.as_deref().unwrap_or(""), 20_000);
    PrWords {
        subject: content_words(text, &s).into_iter().collect(),
        body: content_words(text, body).into_iter().collect(),
    }
}

/// Where a phrase matched.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Found {
    Body,
    Subject,
}

fn find_phrase(w: &PrWords, phrase: &VisionPhrase) -> Option<Found> {
    let anywhere = |x: &String| w.subject.contains(x) || w.body.contains(x);
    let found = if phrase.words.iter().all(|x| w.subject.contains(x)) {
        Found::Subject
    } else if phrase.words.iter().all(anywhere) {
        Found::Body
    } else {
        return None;
    };
    // An example without any word of its head is a mere mention.
    if !phrase.head.is_empty() && !phrase.head.iter().any(anywhere) {
        return Some(Found::Body);
    }
    Some(found)
}

/// Assesses a PR against the vision (if any) and the configured rules.
pub(crate) fn assess(
    ctx: &ScopeCtx,
    text: &TextCtx,
    pr: &ScopeInput,
    vision: Option<&Vision>,
) -> ScopeAssessment {
    let r = &ctx.rules;
    let mut reasons = Vec::new();
    let files: Vec<&ScopeFile> = pr.files.iter().take(5000).collect();
    let lines = |f: &ScopeFile| u64::from(f.additions) + u64::from(f.deletions);
    let total: u64 = files.iter().map(|f| lines(f)).sum();
    // Share of the change under a rule: by lines, or by files when no line counts.
    let share = |matched: &[&ScopeFile]| -> f64 {
        if files.is_empty() {
            0.0
        } else if total > 0 {
            matched.iter().map(|f| lines(f)).sum::<u64>() as f64 / total as f64
        } else {
            matched.len() as f64 / files.len() as f64
        }
    };
    let list = |matched: &[&ScopeFile]| -> Vec<String> {
        matched
            .iter()
            .take(MAX_MATCHED)
            .map(|f| f.path.clone())
            .collect()
    };

    // Configured path rules.
    for (set, globs, dir, key) in [
        (
            &ctx.paths_in,
            &r.paths.in_,
            ScopeDirection::In,
            "scope.paths.in",
        ),
        (
            &ctx.paths_out,
            &r.paths.out,
            ScopeDirection::Out,
            "scope.paths.out",
        ),
    ] {
        let matched: Vec<&ScopeFile> = files
            .iter()
            .copied()
            .filter(|f| set.is_match(&f.path))
            .collect();
        if !matched.is_empty() {
            let sh = share(&matched);
            reasons.push(ScopeReason {
                kind: ScopeReasonKind::PathRule,
                direction: dir,
                weight: r.weights.path_rule * sh,
                source: format!("config {key}"),
                rule: Some(globs.join(", ")),
                matched: list(&matched),
                message: format!(
                    "{} of {} changed files ({:.0}% of the change) match {key}",
                    matched.len(),
                    files.len(),
                    sh * 100.0
                ),
            });
        }
    }

    // Vision: globs and phrases per item.
    let usable = vision.is_some_and(Vision::is_usable);
    if let Some(v) = vision.filter(|_| usable) {
        let words = pr_words(text, pr);
        for s in &v.sections {
            let (glob_dir, phrase_dir) = match s.kind {
                SectionKind::InScope => (ScopeDirection::In, ScopeDirection::In),
                SectionKind::OutOfScope => (ScopeDirection::Out, ScopeDirection::Out),
                SectionKind::Policy => (ScopeDirection::Uncertain, ScopeDirection::Neutral),
                SectionKind::Other => continue,
            };
            for it in &s.items {
                for g in &it.globs {
                    let Some(m) = one_glob(g) else { continue };
                    let matched: Vec<&ScopeFile> = files
                        .iter()
                        .copied()
                        .filter(|f| m.is_match(&f.path))
                        .collect();
                    if matched.is_empty() {
                        continue;
                    }
                    let sh = share(&matched);
                    reasons.push(ScopeReason {
                        kind: ScopeReasonKind::PathRule,
                        direction: glob_dir,
                        weight: r.weights.path_rule * sh,
                        source: format!("vision § {}", s.heading),
                        rule: Some(g.clone()),
                        matched: list(&matched),
                        message: format!(
                            "{} changed files ({:.0}% of the change) match `{g}` under \"{}\"",
                            matched.len(),
                            sh * 100.0,
                            s.heading
                        ),
                    });
                }
                let mut best: Option<Found> = None;
                let mut hits: Vec<String> = Vec::new();
                for p in &it.phrases {
                    if let Some(f) = find_phrase(&words, p) {
                        best = best.max(Some(f));
                        if hits.len() < MAX_MATCHED {
                            hits.push(p.words.join(" "));
                        }
                    }
                }
                let Some(found) = best else { continue };
                let weight = match found {
                    Found::Subject => r.weights.keyword_subject,
                    Found::Body => r.weights.keyword_body,
                };
                let place = match found {
                    Found::Subject => "the title, paths or symbols",
                    Found::Body => "the description",
                };
                reasons.push(ScopeReason {
                    kind: ScopeReasonKind::VisionKeyword,
                    direction: phrase_dir,
                    weight: if phrase_dir == ScopeDirection::Neutral {
                        0.0
                    } else {
                        weight
                    },
                    source: format!("vision § {}", s.heading),
                    rule: Some(truncate_chars(&it.text, 200).to_string()),
                    message: format!(
                        "{place} mention \"{}\" under \"{}\"",
                        hits.join("\", \""),
                        s.heading
                    ),
                    matched: hits,
                });
            }
        }
    }

    // Policy flags.
    let p = &r.policies;
    let mut flag = |name: &str, effect: PolicyEffect, matched: Vec<String>, message: String| {
        let direction = match effect {
            PolicyEffect::Out => ScopeDirection::Out,
            PolicyEffect::Uncertain => ScopeDirection::Uncertain,
            PolicyEffect::Ignore => ScopeDirection::Neutral,
        };
        reasons.push(ScopeReason {
            kind: if name == "exports_changed" {
                ScopeReasonKind::ExportsChanged
            } else {
                ScopeReasonKind::Policy
            },
            direction,
            weight: if direction == ScopeDirection::Neutral {
                0.0
            } else {
                r.weights.policy
            },
            source: format!("policy {name}"),
            rule: None,
            matched,
            message,
        });
    };
    for (name, set, effect, what) in [
        ("license", &ctx.license, p.license, "changes the license"),
        (
            "vendored",
            &ctx.vendored,
            p.vendored,
            "changes vendored code",
        ),
    ] {
        let m: Vec<&ScopeFile> = files
            .iter()
            .copied()
            .filter(|f| set.is_match(&f.path))
            .collect();
        if !m.is_empty() {
            flag(name, effect, list(&m), format!("the PR {what}"));
        }
    }
    let manifests: Vec<&ScopeFile> = files
        .iter()
        .copied()
        .filter(|f| ctx.manifest.is_match(&f.path))
        .collect();
    if pr.manifest_changed || !manifests.is_empty() {
        flag(
            "manifest",
            p.manifest,
            list(&manifests),
            "the PR changes a dependency manifest".to_string(),
        );
    }
    if !pr.new_dependencies.is_empty() {
        let names: Vec<String> = pr
            .new_dependencies
            .iter()
            .take(MAX_MATCHED)
            .cloned()
            .collect();
        flag(
            "new_dependency",
            p.new_dependency,
            names.clone(),
            format!("the PR adds dependencies: {}", names.join(", ")),
        );
    }
    if !pr.exports_changed.is_empty() {
        let names: Vec<String> = pr
            .exports_changed
            .iter()
            .take(MAX_MATCHED)
            .cloned()
            .collect();
        flag(
            "exports_changed",
            p.exports_changed,
            names,
            format!(
                "the PR changes {} exported symbols",
                pr.exports_changed.len()
            ),
        );
    }

    let has_rules = !r.paths.in_.is_empty() || !r.paths.out.is_empty();
    if !usable && !has_rules {
        reasons.insert(
            0,
            ScopeReason {
                kind: ScopeReasonKind::NoVision,
                direction: ScopeDirection::Neutral,
                weight: 0.0,
                source: "vision".into(),
                rule: None,
                matched: Vec::new(),
                message: "no vision document and no scope path rules: nothing to judge scope by"
                    .into(),
            },
        );
        return ScopeAssessment {
            verdict: ScopeVerdict::Uncertain,
            confidence: 0.0,
            reasons,
        };
    }
    decide(r, reasons)
}

/// Noisy-OR of the weights of one direction.
fn combined(reasons: &[ScopeReason], d: ScopeDirection) -> f64 {
    1.0 - reasons
        .iter()
        .filter(|x| x.direction == d)
        .map(|x| 1.0 - x.weight.clamp(0.0, 1.0))
        .product::<f64>()
}

fn decide(r: &ScopeRules, mut reasons: Vec<ScopeReason>) -> ScopeAssessment {
    let i = combined(&reasons, ScopeDirection::In);
    let o = combined(&reasons, ScopeDirection::Out);
    let uncertain = reasons
        .iter()
        .any(|x| x.direction == ScopeDirection::Uncertain);
    let (verdict, confidence) = if o >= r.min_evidence {
        (ScopeVerdict::OutOfScope, o * (1.0 - i / 2.0))
    } else if i >= r.min_evidence && o < r.max_opposing && !uncertain {
        (ScopeVerdict::InScope, i * (1.0 - o))
    } else {
        (ScopeVerdict::Uncertain, 0.0)
    };
    // Strongest first; ties keep their discovery order (config, vision, policies).
    reasons.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    ScopeAssessment {
        verdict,
        confidence: confidence.clamp(0.0, 1.0),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue_fingerprint::test_ctx;

    const VISION: &str = "# Vision\n\nWebapp is a billing product.\n\n## In scope\n\n\
        - Billing: invoices, payments and refunds (`src/billing/**`)\n\
        - Customer accounts\n  and their profiles\n\n\
        ## Out of scope\n\n- Machine learning recommendations\n\
        - Changes to vendored code (`vendor/`): synced by `scripts/sync.sh`, fix it upstream\n\
        - Rewriting the frontend framework (React)\n\
        ### Mobile\n- Native mobile apps (iOS, Android) under `mobile/`\n\n\
        ## Policies\n\n1. Do not touch the `LICENSE` file.\n2. No new runtime dependencies without an issue.\n\
        3. Generated files (`src/generated/`) are regenerated, never edited by hand\n";

    struct Env {
        text: TextCtx,
        scope: ScopeCtx,
    }

    fn env_with(yaml_patch: Option<(&str, &str)>) -> Env {
        let (text, rules) = test_ctx();
        let rules = match yaml_patch {
            Some((a, b)) => {
                let yaml = include_str!("../../../config/issue_rules.yaml");
                assert!(yaml.contains(a), "patch target {a:?}");
                crate::issue_config::IssueRules::parse(&yaml.replace(a, b)).expect("patched config")
            }
            None => rules,
        };
        Env {
            text,
            scope: ScopeCtx::new(&rules.scope).expect("scope rules"),
        }
    }

    fn env() -> Env {
        env_with(None)
    }

    fn pr(title: &str, files: &[(&str, u32)]) -> ScopeInput {
        ScopeInput {
            title: title.into(),
            body: None,
            files: files
                .iter()
                .map(|(p, n)| ScopeFile {
                    path: p.to_string(),
                    additions: *n,
                    deletions: 0,
                })
                .collect(),
            ..ScopeInput::default()
        }
    }

    fn assess_with(e: &Env, p: &ScopeInput, vision: Option<&str>) -> ScopeAssessment {
        let v = vision.map(|m| parse_vision(&e.scope, &e.text, m));
        assess(&e.scope, &e.text, p, v.as_ref())
    }

    fn kinds(a: &ScopeAssessment) -> Vec<(ScopeReasonKind, ScopeDirection)> {
        a.reasons.iter().map(|r| (r.kind, r.direction)).collect()
    }

    fn words(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_sections_items_phrases_and_globs() {
        let e = env();
        let v = parse_vision(&e.scope, &e.text, VISION);
        let k: Vec<(&str, SectionKind, usize)> = v
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.kind, s.items.len()))
            .collect();
        assert_eq!(
            k,
            vec![
                ("Vision", SectionKind::Other, 1),
                ("In scope", SectionKind::InScope, 2),
                ("Out of scope", SectionKind::OutOfScope, 3),
                ("Mobile", SectionKind::OutOfScope, 1),
                ("Policies", SectionKind::Policy, 3),
            ]
        );
        let billing = &v.sections[1].items[0];
        assert_eq!(billing.globs, vec!["src/billing/**"]);
        let phrases: Vec<&[String]> = billing.phrases.iter().map(|p| p.words.as_slice()).collect();
        assert_eq!(
            phrases,
            vec![
                &words(&["bill"])[..],
                &words(&["invoic"]),
                &words(&["payment"]),
                &words(&["refund"])
            ]
        );
        assert_eq!(
            v.sections[1].items[1].text,
            "Customer accounts and their profiles"
        );
        // Out-of-scope rationale after the colon is dropped, its glob too.
        assert_eq!(v.sections[2].items[1].globs, vec!["vendor/**"]);
        // Examples in parentheses remember their head.
        let react = v.sections[2].items[2]
            .phrases
            .iter()
            .find(|p| p.words == words(&["react"]));
        assert_eq!(
            react.map(|p| p.head.clone()),
            Some(words(&["framework", "frontend", "rewrit"]))
        );
        assert_eq!(v.sections[4].items[0].globs, vec!["**/LICENSE"]);
        assert!(v.is_usable());
        let json = serde_json::to_string(&v).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Vision>(&json).ok(), Some(v));
    }

    #[test]
    fn phrase_splitting() {
        let p: Vec<(&str, Option<&str>)> = split_phrases("A and B, C (d, e or f): g");
        assert_eq!(
            p,
            vec![
                ("A", None),
                ("B", None),
                ("C", None),
                ("d", Some("C")),
                ("e", Some("C")),
                ("f", Some("C")),
                ("g", None)
            ]
        );
        assert_eq!(rationale_cut("X (`a: b`): why"), "X (`a: b`)");
        assert_eq!(rationale_cut("no colon"), "no colon");
        assert!(split_phrases("").is_empty());
        assert!(split_phrases("((,))").is_empty());
    }

    #[test]
    fn no_vision_and_no_rules_is_uncertain_with_a_reason() {
        let e = env();
        for v in [None, Some(""), Some("# Title\n\nJust prose.\n")] {
            let a = assess_with(&e, &pr("Add invoices", &[("src/billing/a.ts", 10)]), v);
            assert_eq!(a.verdict, ScopeVerdict::Uncertain);
            assert_eq!(a.confidence, 0.0);
            assert_eq!(a.reasons[0].kind, ScopeReasonKind::NoVision);
        }
    }

    #[test]
    fn vision_path_and_keyword_in_scope() {
        let e = env();
        let a = assess_with(
            &e,
            &pr(
                "Refund partial payments",
                &[
                    ("src/billing/refunds.ts", 40),
                    ("src/billing/refunds.test.ts", 30),
                ],
            ),
            Some(VISION),
        );
        assert_eq!(a.verdict, ScopeVerdict::InScope, "{a:#?}");
        assert!(a.confidence > 0.9);
        assert!(kinds(&a).contains(&(ScopeReasonKind::PathRule, ScopeDirection::In)));
        assert!(kinds(&a).contains(&(ScopeReasonKind::VisionKeyword, ScopeDirection::In)));
        let path = a
            .reasons
            .iter()
            .find(|r| r.kind == ScopeReasonKind::PathRule);
        assert_eq!(path.map(|r| r.source.as_str()), Some("vision § In scope"));
    }

    #[test]
    fn vision_out_of_scope_by_path_and_keyword() {
        let e = env();
        let a = assess_with(
            &e,
            &pr("Add iOS app shell", &[("mobile/ios/App.swift", 200)]),
            Some(VISION),
        );
        assert_eq!(a.verdict, ScopeVerdict::OutOfScope, "{a:#?}");
        assert!(a.reasons.iter().all(|r| r.source == "vision § Mobile"));
        // Exclusions refine inclusions: an in-scope path does not cancel the exclusion.
        let mut p = pr(
            "Machine learning recommendations for invoices",
            &[("src/billing/recs.ts", 50)],
        );
        p.body = Some("Adds a model.".into());
        let a = assess_with(&e, &p, Some(VISION));
        assert_eq!(a.verdict, ScopeVerdict::OutOfScope, "{a:#?}");
        assert!(kinds(&a).contains(&(ScopeReasonKind::VisionKeyword, ScopeDirection::Out)));
        assert!(kinds(&a).contains(&(ScopeReasonKind::PathRule, ScopeDirection::In)));
        // A mention in the body only is weak: not OUT, but it blocks IN.
        let mut p = pr("Refund payments", &[("src/billing/r.ts", 50)]);
        p.body = Some("Unlike machine learning recommendations, this is simple.".into());
        let a = assess_with(&e, &p, Some(VISION));
        assert_eq!(a.verdict, ScopeVerdict::Uncertain, "{a:#?}");
        // An example without its head is a mention: a React bump is no frontend rewrite.
        let a = assess_with(
            &e,
            &pr("Bump react from 18.2 to 18.3", &[("package.json", 2)]),
            Some(VISION),
        );
        assert_eq!(a.verdict, ScopeVerdict::Uncertain, "{a:#?}");
        let a = assess_with(
            &e,
            &pr(
                "Rewrite the frontend from React to Vue",
                &[("src/main.ts", 20)],
            ),
            Some(VISION),
        );
        assert_eq!(a.verdict, ScopeVerdict::OutOfScope, "{a:#?}");
    }

    #[test]
    fn conflicting_paths_are_uncertain() {
        let e = env();
        let a = assess_with(
            &e,
            &pr(
                "Shared code",
                &[("src/billing/a.ts", 50), ("mobile/x.swift", 50)],
            ),
            Some(VISION),
        );
        assert_eq!(a.verdict, ScopeVerdict::Uncertain, "{a:#?}");
    }

    #[test]
    fn policy_flags() {
        let e = env();
        let a = assess_with(&e, &pr("Relicense", &[("LICENSE", 20)]), Some(VISION));
        assert_eq!(a.verdict, ScopeVerdict::OutOfScope, "{a:#?}");
        assert!(kinds(&a).contains(&(ScopeReasonKind::Policy, ScopeDirection::Out)));
        assert!(kinds(&a).contains(&(ScopeReasonKind::PathRule, ScopeDirection::Uncertain)));
        // A manifest change alone is listed; an added dependency needs a human.
        let mut p = pr(
            "Refund payments",
            &[("src/billing/refunds.ts", 40), ("package.json", 2)],
        );
        let a = assess_with(&e, &p, Some(VISION));
        assert_eq!(a.verdict, ScopeVerdict::InScope, "{a:#?}");
        assert!(kinds(&a).contains(&(ScopeReasonKind::Policy, ScopeDirection::Neutral)));
        p.new_dependencies = vec!["left-pad".into()];
        let a = assess_with(&e, &p, Some(VISION));
        assert_eq!(a.verdict, ScopeVerdict::Uncertain, "{a:#?}");
        assert!(a.reasons.iter().any(
            |r| r.source == "policy new_dependency" && r.direction == ScopeDirection::Uncertain
        ));
        p.new_dependencies.clear();
        p.files.pop();
        p.manifest_changed = true;
        let a = assess_with(&e, &p, Some(VISION));
        assert!(a.reasons.iter().any(|r| r.source == "policy manifest"));
        // Vendored code.
        let a = assess_with(
            &e,
            &pr("Patch lib", &[("third_party/x/y.c", 3)]),
            Some(VISION),
        );
        assert!(
            a.reasons
                .iter()
                .any(|r| r.source == "policy vendored" && r.direction == ScopeDirection::Out)
        );
        // Exports changed: listed, ignored by default.
        let mut p = pr("Refund payments", &[("src/billing/refunds.ts", 40)]);
        p.exports_changed = vec!["refundPayment".into()];
        let a = assess_with(&e, &p, Some(VISION));
        assert!(kinds(&a).contains(&(ScopeReasonKind::ExportsChanged, ScopeDirection::Neutral)));
        assert_eq!(a.verdict, ScopeVerdict::InScope);
        let e2 = env_with(Some((
            "exports_changed: ignore",
            "exports_changed: uncertain",
        )));
        let a = assess_with(&e2, &p, Some(VISION));
        assert!(kinds(&a).contains(&(ScopeReasonKind::ExportsChanged, ScopeDirection::Uncertain)));
        assert_eq!(a.verdict, ScopeVerdict::Uncertain);
        // Policy paths need a human; policy words are informational.
        let a = assess_with(
            &e,
            &pr("Regenerate schema", &[("src/generated/schema.ts", 900)]),
            Some(VISION),
        );
        assert_eq!(a.verdict, ScopeVerdict::Uncertain, "{a:#?}");
        let p = pr("New runtime dependencies", &[("src/billing/x.ts", 1)]);
        let a = assess_with(&e, &p, Some(VISION));
        assert!(kinds(&a).contains(&(ScopeReasonKind::VisionKeyword, ScopeDirection::Neutral)));
    }

    #[test]
    fn configured_path_rules_work_without_a_vision() {
        let e = env_with(Some((
            "    in: []\n    out: []\n",
            "    in: [\"src/**\"]\n    out: [\"experiments/**\"]\n",
        )));
        let a = assess_with(&e, &pr("x", &[("experiments/a.py", 10)]), None);
        assert_eq!(a.verdict, ScopeVerdict::OutOfScope, "{a:#?}");
        assert_eq!(a.reasons[0].source, "config scope.paths.out");
        let a = assess_with(&e, &pr("x", &[("src/a.ts", 10)]), None);
        assert_eq!(a.verdict, ScopeVerdict::InScope, "{a:#?}");
        // Ignored policies are listed but weigh nothing.
        let e = env_with(Some(("    license: out", "    license: ignore")));
        let a = assess_with(&e, &pr("x", &[("LICENSE", 1)]), None);
        assert!(kinds(&a).contains(&(ScopeReasonKind::Policy, ScopeDirection::Neutral)));
        assert_eq!(a.verdict, ScopeVerdict::Uncertain);
    }

    #[test]
    fn from_pr_detects_added_dependencies() {
        let pr = crate::PrInput {
            number: 1,
            title: "Add analytics".into(),
            body: None,
            files: vec![crate::FileInput {
                path: "package.json".into(),
                status: "modified".into(),
                additions: 1,
                deletions: 0,
                patch: Some("@@ -1,2 +1,3 @@\n   \"dependencies\": {\n+    \"mixpanel-browser\": \"^2.50.0\",".into()),
                previous_path: None,
            }],
        };
        let s = ScopeInput::from_pr(&pr, &["initAnalytics".to_string()]);
        assert_eq!(s.new_dependencies, vec!["mixpanel-browser"]);
        assert_eq!(s.files[0].additions, 1);
        assert_eq!(s.exports_changed, vec!["initAnalytics"]);
    }

    #[test]
    fn odd_input_never_panics() {
        let e = env();
        for md in [
            "",
            "#",
            "######",
            "# \n- ",
            "**",
            "****",
            "- `",
            "1.",
            "```\n- x",
            "## Out of scope\n- `[`\n- `**/[x`",
            "é🙂\n## Non-goals\n-  🙂 (",
            "## In scope\n- a (b (c)) d) e: f",
        ] {
            let p = pr(md, &[(md, 0)]);
            let a = assess_with(&e, &p, Some(md));
            assert!((0.0..=1.0).contains(&a.confidence));
        }
        let huge = "## In scope\n".to_string() + &"- item `src/x/**`\n".repeat(10_000);
        let v = parse_vision(&e.scope, &e.text, &huge);
        assert!(v.sections[0].items.len() <= MAX_ITEMS);
    }
}
