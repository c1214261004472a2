//! Vision/scope assist: does a PR fit what the repository says it wants? Advisory only —
//! it names its reasons and answers UNCERTAIN whenever signals are weak or disagree.
//!
//! Inputs: a vision markdown document (headings such as "In scope", "Goals", "Out of
//! scope", "Non-goals", "Policies"; bullets under them become keyword lists, backticked
//! paths/globs become path rules), the configured path rules (`scope.paths.in`/`out`) and
//! policy flags (LICENSE touched, dependency manifest changed, vendored code, exports
//! changed).
//!
//! ```text
//! path rule  strength = weights.path_rule · (changed lines under the rule / all changed lines)
//! keyword    strength = weights.keyword   · (bullet words the PR contains / bullet words)
//! policy     strength = weights.policy     (effect out → OUT; uncertain → blocks IN_SCOPE)
//! OUT_OF_SCOPE  out ≥ min_evidence and out − in ≥ decide_margin
//! IN_SCOPE      in ≥ min_evidence and in − out ≥ decide_margin and no "uncertain" flag
//! UNCERTAIN     otherwise; confidence = |in − out| / (in + out + 1), halved by an uncertain flag
//! ```

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
    /// Content words, stemmed, unique.
    pub words: Vec<String>,
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
    /// A dependency manifest changed in a way the caller considers a dependency change.
    /// Manifest paths (`scope.policies.manifest_globs`) are also detected from `files`.
    #[serde(default)]
    pub manifest_changed: bool,
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
    /// Words of a vision bullet found in the PR's title, body, paths or symbols.
    VisionKeyword,
    /// A policy flag: LICENSE, dependency manifest, vendored code.
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
            let own = ctx.classify_heading(heading);
            let kind = match own {
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
                *last = item(text, &joined);
            }
        } else if items < MAX_ITEMS {
            section.items.push(item(text, content));
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

fn item(text: &TextCtx, content: &str) -> VisionItem {
    let content = truncate_chars(content, 2000);
    let mut globs = Vec::new();
    let mut prose = String::new();
    let mut rest = content;
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
    let mut words = content_words(text, &prose);
    crate::setops::normalize(&mut words);
    crate::setops::normalize(&mut globs);
    VisionItem {
        text: content.to_string(),
        words,
        globs,
    }
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
        let parts = if raw.contains('_') || raw.chars().any(char::is_uppercase) {
            split_identifier(raw)
        } else {
            vec![raw.to_string()]
        };
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

/// The PR's words: title, body, path components and exported symbols.
fn pr_words(text: &TextCtx, pr: &ScopeInput) -> BTreeSet<String> {
    let mut s = String::new();
    s.push_str(truncate_chars(&pr.title, 1000));
    s.push('\n');
    s.push_str(truncate_chars(pr.body.as_deref().unwrap_or(""), 20_000));
    for f in pr.files.iter().take(1000) {
        s.push(' ');
        s.push_str(&f.path.replace(['/', '.', '-'], " "));
    }
    for e in pr.exports_changed.iter().take(1000) {
        s.push(' ');
        s.push_str(e);
    }
    content_words(text, &s).into_iter().collect()
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

    // Vision: globs and keywords per section.
    let usable = vision.is_some_and(Vision::is_usable);
    if let Some(v) = vision.filter(|_| usable) {
        let words = pr_words(text, pr);
        for s in &v.sections {
            let dir = match s.kind {
                SectionKind::InScope => ScopeDirection::In,
                SectionKind::OutOfScope | SectionKind::Policy => ScopeDirection::Out,
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
                        direction: dir,
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
                if it.words.is_empty() {
                    continue;
                }
                let hit: Vec<String> = it
                    .words
                    .iter()
                    .filter(|w| words.contains(*w))
                    .cloned()
                    .collect();
                let ratio = hit.len() as f64 / it.words.len() as f64;
                let need = r.keyword_min_words.min(it.words.len());
                if hit.len() >= need && ratio >= r.keyword_min_ratio {
                    // A policy the PR's words touch is for a human to read, not a verdict.
                    let d = if s.kind == SectionKind::Policy {
                        ScopeDirection::Neutral
                    } else {
                        dir
                    };
                    reasons.push(ScopeReason {
                        kind: ScopeReasonKind::VisionKeyword,
                        direction: d,
                        weight: r.weights.keyword * ratio,
                        source: format!("vision § {}", s.heading),
                        rule: Some(truncate_chars(&it.text, 200).to_string()),
                        message: format!(
                            "the PR mentions {} under \"{}\"",
                            hit.join(", "),
                            s.heading
                        ),
                        matched: hit,
                    });
                }
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

fn decide(r: &ScopeRules, mut reasons: Vec<ScopeReason>) -> ScopeAssessment {
    let sum = |d: ScopeDirection| -> f64 {
        reasons
            .iter()
            .filter(|x| x.direction == d)
            .map(|x| x.weight)
            .sum()
    };
    let (i, o) = (sum(ScopeDirection::In), sum(ScopeDirection::Out));
    let uncertain = reasons
        .iter()
        .any(|x| x.direction == ScopeDirection::Uncertain);
    let verdict = if o >= r.min_evidence && o - i >= r.decide_margin {
        ScopeVerdict::OutOfScope
    } else if i >= r.min_evidence && i - o >= r.decide_margin && !uncertain {
        ScopeVerdict::InScope
    } else {
        ScopeVerdict::Uncertain
    };
    let mut confidence = ((i - o).abs() / (i + o + 1.0)).clamp(0.0, 1.0);
    if uncertain {
        confidence /= 2.0;
    }
    // Strongest first; ties keep their discovery order (config, vision, policies).
    reasons.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    ScopeAssessment {
        verdict,
        confidence,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue_fingerprint::test_ctx;

    const VISION: &str = "# Vision\n\nWebapp is a billing product.\n\n## In scope\n\n\
        - Invoices, payments and refunds (`src/billing/**`)\n\
        - Customer accounts\n  and their profiles\n\n\
        ## Out of scope\n\n- Machine learning recommendations\n- Vendored code (`vendor/`)\n\
        ### Mobile\n- Native mobile apps (`mobile/`)\n\n\
        ## Policies\n\n1. Do not change the `LICENSE` file.\n2. New runtime dependencies need an issue first.\n";

    struct Env {
        text: TextCtx,
        scope: ScopeCtx,
    }

    fn env_with(yaml_patch: Option<(&str, &str)>) -> Env {
        let (text, rules) = test_ctx();
        let rules = match yaml_patch {
            Some((a, b)) => crate::issue_config::IssueRules::parse(
                &include_str!("../../../config/issue_rules.yaml").replace(a, b),
            )
            .expect("patched config"),
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

    #[test]
    fn parses_sections_items_globs_and_inheritance() {
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
                ("Out of scope", SectionKind::OutOfScope, 2),
                ("Mobile", SectionKind::OutOfScope, 1),
                ("Policies", SectionKind::Policy, 2),
            ]
        );
        let first = &v.sections[1].items[0];
        assert_eq!(first.globs, vec!["src/billing/**"]);
        assert_eq!(first.words, vec!["invoic", "payment", "refund"]);
        assert_eq!(
            v.sections[1].items[1].text,
            "Customer accounts and their profiles"
        );
        assert_eq!(v.sections[2].items[1].globs, vec!["vendor/**"]);
        assert_eq!(v.sections[4].items[0].globs, vec!["**/LICENSE"]);
        assert!(v.is_usable());
        let json = serde_json::to_string(&v).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Vision>(&json).ok(), Some(v));
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
        assert!(a.confidence > 0.3);
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
        assert_eq!(a.reasons[0].source, "vision § Mobile");
        let mut p = pr(
            "Machine learning recommendations for products",
            &[("src/recs/model.ts", 50)],
        );
        p.body = Some("Adds a learning model.".into());
        let a = assess_with(&e, &p, Some(VISION));
        assert_eq!(
            kinds(&a),
            vec![(ScopeReasonKind::VisionKeyword, ScopeDirection::Out)],
            "{a:#?}"
        );
        assert_eq!(
            a.verdict,
            ScopeVerdict::Uncertain,
            "one keyword bullet is weak evidence"
        );
    }

    #[test]
    fn conflicting_signals_are_uncertain() {
        let e = env();
        let a = assess_with(
            &e,
            &pr(
                "Billing on mobile",
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
        // A manifest change blocks a confident IN_SCOPE (effect "uncertain").
        let mut p = pr(
            "Refund payments",
            &[("src/billing/refunds.ts", 40), ("package.json", 2)],
        );
        let a = assess_with(&e, &p, Some(VISION));
        assert_eq!(a.verdict, ScopeVerdict::Uncertain, "{a:#?}");
        assert!(kinds(&a).contains(&(ScopeReasonKind::Policy, ScopeDirection::Uncertain)));
        p.files.pop();
        p.manifest_changed = true;
        let a = assess_with(&e, &p, Some(VISION));
        assert!(a.reasons.iter().any(|r| r.source == "policy manifest"));
        // Exports changed.
        let mut p = pr("Refund payments", &[("src/billing/refunds.ts", 40)]);
        p.exports_changed = vec!["refundPayment".into()];
        let a = assess_with(&e, &p, Some(VISION));
        assert!(kinds(&a).contains(&(ScopeReasonKind::ExportsChanged, ScopeDirection::Uncertain)));
        assert_eq!(a.verdict, ScopeVerdict::Uncertain);
        // Policy words the PR mentions are neutral.
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
            "é🙂\n## Non-goals\n-  🙂",
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
