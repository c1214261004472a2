//! Issue ↔ issue scoring: idf-weighted lexical similarity with evidence.
//!
//! The service keeps document frequencies in Postgres, so corpus statistics are an input
//! ([`TermStats`]), never global state. For a term `t` of fingerprint `X`:
//!
//! ```text
//! idf(t)  = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))          BM25 idf, > 0 (df clamped to N)
//! w_X(t)  = kind(t) · (1 + ln tf_X(t)) · (title_boost if t is in X's title) · idf(t)
//! terms   = Σ_t w_A(t)·w_B(t) / (‖w_A‖ · ‖w_B‖)                 cosine, ∈ [0, 1]
//! title   = the same cosine over title terms only, w = kind(t) · idf(t)
//! score   = (s_terms · terms + s_title · title) / (s_terms + s_title over present signals)
//! ```
//!
//! Every factor is symmetric in A and B, so `compare(a, b) == compare(b, a)`, and the
//! weights are non-negative, so the score is within [0, 1]. Common terms (large `df`) get
//! a small idf and count little; errors, frames, identifiers and paths weigh most (`kind`).
//!
//! Categories (precision first): DUPLICATE when `score ≥ identical_threshold` (a
//! re-post), or `score ≥ duplicate_threshold` with at least `min_shared_facts` distinct
//! shared *facts* — errors/messages, frames, identifiers, paths; a path's variants and an
//! error's message count once — so shared words alone never make a duplicate, nor does one
//! shared function name (two bugs in one function are common); or when the two share an
//! error line and their stack frames overlap (`frames ≥ strong_frames_jaccard`, with the
//! facts) at `score ≥ review_threshold`. RELATED at `score ≥ review_threshold`; else
//! NOT_RELATED. Two reports of one bug report the same
//! error, so a DUPLICATE becomes RELATED when both report errors and share none, or share
//! an error raised in different code (both have stack frames, none shared). A bug report
//! paired with a feature request is lowered one step.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::issue_config::{IssueRules, TermWeights};
use crate::issue_fingerprint::{IssueFingerprint, IssueKind, Term, TermKind};
use crate::issue_text::Frame;

/// Corpus statistics for idf: the service reads them from its document-frequency table
/// (one row per repository and term key), the quality report counts them in memory.
pub trait TermStats {
    /// Number of documents (issues) counted.
    fn documents(&self) -> u64;
    /// Documents containing the term with this key ([`Term::key`]).
    fn document_frequency(&self, key: i64) -> u64;
}

/// In-memory [`TermStats`]: add every fingerprint once (its [`IssueFingerprint::term_keys`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CorpusStats {
    pub documents: u64,
    pub df: BTreeMap<i64, u64>,
}

impl CorpusStats {
    pub fn new() -> CorpusStats {
        CorpusStats::default()
    }

    /// Statistics from stored counts (e.g. the rows for the keys of the pair compared).
    pub fn from_counts(documents: u64, counts: impl IntoIterator<Item = (i64, u64)>) -> Self {
        CorpusStats {
            documents,
            df: counts.into_iter().collect(),
        }
    }

    pub fn add(&mut self, fp: &IssueFingerprint) {
        self.documents += 1;
        for k in fp.term_keys() {
            *self.df.entry(k).or_default() += 1;
        }
    }

    /// Undoes [`CorpusStats::add`] (an edited or deleted issue).
    pub fn remove(&mut self, fp: &IssueFingerprint) {
        self.documents = self.documents.saturating_sub(1);
        for k in fp.term_keys() {
            if let Some(n) = self.df.get_mut(&k) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    self.df.remove(&k);
                }
            }
        }
    }
}

impl TermStats for CorpusStats {
    fn documents(&self) -> u64 {
        self.documents
    }
    fn document_frequency(&self, key: i64) -> u64 {
        self.df.get(&key).copied().unwrap_or(0)
    }
}

/// No statistics: every term has the same idf (a fresh repository).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoStats;

impl TermStats for NoStats {
    fn documents(&self) -> u64 {
        0
    }
    fn document_frequency(&self, _key: i64) -> u64 {
        0
    }
}

/// BM25 idf, always positive and finite (df is clamped to the document count).
pub fn idf(stats: &dyn TermStats, key: i64) -> f64 {
    let n = stats.documents() as f64;
    let df = (stats.document_frequency(key) as f64).min(n);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Relation between two issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IssueCategory {
    Duplicate,
    Related,
    NotRelated,
}

impl IssueCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCategory::Duplicate => "DUPLICATE",
            IssueCategory::Related => "RELATED",
            IssueCategory::NotRelated => "NOT_RELATED",
        }
    }

    /// One step weaker (bug vs feature request).
    fn lowered(self) -> IssueCategory {
        match self {
            IssueCategory::Duplicate => IssueCategory::Related,
            _ => IssueCategory::NotRelated,
        }
    }
}

/// Every similarity value; `None` when the signal is absent on both sides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueScores {
    /// Cosine of the idf-weighted term vectors.
    pub terms: Option<f64>,
    /// Cosine of the idf-weighted title terms.
    pub title: Option<f64>,
    /// Jaccard of the stack frames.
    pub frames: Option<f64>,
    /// Share of the shared weight carried by specific terms (not plain words or labels).
    pub specific_share: f64,
    /// Distinct shared specific facts (a path's variants and an error's message count once).
    pub shared_facts: usize,
}

/// A term both sides contain, with its contribution to the terms cosine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedTerm {
    pub kind: TermKind,
    pub text: String,
    pub weight: f64,
}

/// Why two issues (or a PR and an issue) were related, for humans.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueEvidence {
    /// Strongest shared terms, grouped by kind (errors, frames, identifiers, paths,
    /// labels, words), strongest first within a kind.
    pub shared_terms: Vec<SharedTerm>,
    pub shared_errors: Vec<String>,
    pub shared_frames: Vec<Frame>,
    pub title_similarity: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The result of comparing two issue fingerprints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueComparison {
    pub category: IssueCategory,
    pub score: f64,
    pub scores: IssueScores,
    pub evidence: IssueEvidence,
}

/// Local weight of a term (everything but idf).
fn local_weight(w: &TermWeights, t: &Term) -> f64 {
    kind_weight(w, t.kind)
        * (1.0 + f64::from(t.tf.max(1)).ln())
        * if t.title { w.title_boost } else { 1.0 }
}

pub(crate) fn kind_weight(w: &TermWeights, kind: TermKind) -> f64 {
    match kind {
        TermKind::Error => w.error,
        TermKind::Message => w.message,
        TermKind::Frame => w.frame,
        TermKind::Identifier => w.identifier,
        TermKind::Path => w.path,
        TermKind::Phrase => w.phrase,
        TermKind::Label => w.label,
        TermKind::Word => w.word,
    }
}

/// A fingerprint's weighted vectors (full and title-only), aligned with its terms.
pub(crate) struct Weighted<'a> {
    pub fp: &'a IssueFingerprint,
    pub idf: Vec<f64>,
    pub w: Vec<f64>,
    pub norm: f64,
    pub title_norm: f64,
}

/// `phrases`: whether PHRASE terms count (PR ↔ issue links) or weigh nothing (issue ↔
/// issue, where two titles sharing a bigram say little).
pub(crate) fn weigh<'a>(
    w: &TermWeights,
    fp: &'a IssueFingerprint,
    stats: &dyn TermStats,
    phrases: bool,
) -> Weighted<'a> {
    let idf: Vec<f64> = fp
        .terms
        .iter()
        .map(|t| {
            if t.kind == TermKind::Phrase && !phrases {
                0.0
            } else {
                idf(stats, t.key())
            }
        })
        .collect();
    let ws: Vec<f64> = fp
        .terms
        .iter()
        .zip(&idf)
        .map(|(t, i)| local_weight(w, t) * i)
        .collect();
    let title_norm = fp
        .terms
        .iter()
        .zip(&idf)
        .filter(|(t, _)| t.title)
        .map(|(t, i)| (kind_weight(w, t.kind) * i).powi(2))
        .sum::<f64>()
        .sqrt();
    Weighted {
        fp,
        norm: ws.iter().map(|x| x * x).sum::<f64>().sqrt(),
        idf,
        w: ws,
        title_norm,
    }
}

/// Index pairs `(i, j)` of equal terms (both term lists are sorted by kind, text).
pub(crate) fn shared(a: &IssueFingerprint, b: &IssueFingerprint) -> Vec<(usize, usize)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.terms.len() && j < b.terms.len() {
        let (x, y) = (&a.terms[i], &b.terms[j]);
        match x.kind.cmp(&y.kind).then_with(|| x.text.cmp(&y.text)) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((i, j));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Title cosine over shared title terms.
fn title_cosine(
    w: &TermWeights,
    a: &Weighted<'_>,
    b: &Weighted<'_>,
    pairs: &[(usize, usize)],
) -> Option<f64> {
    if a.title_norm == 0.0 && b.title_norm == 0.0 {
        return None;
    }
    if a.title_norm == 0.0 || b.title_norm == 0.0 {
        return Some(0.0);
    }
    let dot: f64 = pairs
        .iter()
        .filter(|&&(i, j)| a.fp.terms[i].title && b.fp.terms[j].title)
        .map(|&(i, j)| {
            let k = kind_weight(w, a.fp.terms[i].kind);
            (k * a.idf[i]) * (k * b.idf[j])
        })
        .sum();
    Some((dot / (a.title_norm * b.title_norm)).clamp(0.0, 1.0))
}

/// Distinct shared facts: specific shared terms, counting a path's `dir/file` and file
/// name once and an error line and its message once.
pub(crate) fn shared_facts(a: &IssueFingerprint, pairs: &[(usize, usize)]) -> usize {
    let mut facts: Vec<(u8, &str)> = pairs
        .iter()
        .map(|&(i, _)| &a.terms[i])
        .filter(|t| t.kind.is_specific())
        .map(|t| match t.kind {
            TermKind::Path => {
                let p = t.text.trim_end_matches('/');
                (0, p.rsplit('/').next().unwrap_or(p))
            }
            TermKind::Error | TermKind::Message => (
                1,
                t.text.split_once(": ").map_or(t.text.as_str(), |(_, m)| m),
            ),
            TermKind::Frame => (2, t.text.as_str()),
            _ => (3, t.text.as_str()),
        })
        .collect();
    facts.sort_unstable();
    facts.dedup();
    facts.len()
}

/// Scores and category of a pair (no evidence).
pub(crate) fn score(
    rules: &IssueRules,
    a: &IssueFingerprint,
    b: &IssueFingerprint,
    stats: &dyn TermStats,
) -> (IssueCategory, f64, IssueScores, Vec<String>) {
    let wa = weigh(&rules.weights, a, stats, false);
    let wb = weigh(&rules.weights, b, stats, false);
    let pairs = shared(a, b);
    score_weighted(rules, &wa, &wb, &pairs)
}

fn score_weighted(
    rules: &IssueRules,
    wa: &Weighted<'_>,
    wb: &Weighted<'_>,
    pairs: &[(usize, usize)],
) -> (IssueCategory, f64, IssueScores, Vec<String>) {
    let (a, b) = (wa.fp, wb.fp);
    let s = &rules.issues;
    let mut scores = IssueScores::default();
    let mut dot = 0.0;
    let mut specific = 0.0;
    for &(i, j) in pairs {
        let c = wa.w[i] * wb.w[j];
        dot += c;
        if a.terms[i].kind.is_specific() {
            specific += c;
        }
    }
    let facts = shared_facts(a, pairs);
    if wa.norm > 0.0 || wb.norm > 0.0 {
        scores.terms = Some(if wa.norm > 0.0 && wb.norm > 0.0 {
            (dot / (wa.norm * wb.norm)).clamp(0.0, 1.0)
        } else {
            0.0
        });
    }
    scores.title = title_cosine(&rules.weights, wa, wb, pairs);
    scores.specific_share = if dot > 0.0 { specific / dot } else { 0.0 };
    scores.shared_facts = facts;
    if !a.frames.is_empty() || !b.frames.is_empty() {
        scores.frames = crate::setops::jaccard(&a.frames, &b.frames);
    }
    let mut sum = 0.0;
    let mut weight = 0.0;
    for (v, wt) in [
        (scores.terms, s.score_weights.terms),
        (scores.title, s.score_weights.title),
    ] {
        if let Some(v) = v {
            sum += v * wt;
            weight += wt;
        }
    }
    let score = if weight > 0.0 {
        (sum / weight).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let shared_error = pairs
        .iter()
        .any(|&(i, _)| a.terms[i].kind == TermKind::Error);
    let strong = shared_error
        && scores
            .frames
            .is_some_and(|f| f > 0.0 && f >= s.strong_frames_jaccard);
    let mut notes = Vec::new();
    // Two reports of one bug report the same error: different errors on both sides, or
    // the same error raised in different code (disjoint stack frames), are two bugs.
    let errors_a = a.terms.iter().any(|t| t.kind == TermKind::Error);
    let errors_b = b.terms.iter().any(|t| t.kind == TermKind::Error);
    let different_errors = errors_a && errors_b && !shared_error;
    let different_code =
        shared_error && !a.frames.is_empty() && !b.frames.is_empty() && scores.frames == Some(0.0);
    let enough_facts = facts >= s.min_shared_facts;
    let mut category = if score >= s.identical_threshold {
        notes.push("near-identical text".to_string());
        IssueCategory::Duplicate
    } else if score >= s.duplicate_threshold && enough_facts {
        IssueCategory::Duplicate
    } else if strong && enough_facts && score >= s.review_threshold {
        notes.push("same error line and overlapping stack frames".to_string());
        IssueCategory::Duplicate
    } else if score >= s.review_threshold {
        if score >= s.duplicate_threshold {
            notes.push(format!(
                "{facts} shared specific facts (errors, frames, identifiers, paths), {} needed: \
                 shared words alone are at most RELATED",
                s.min_shared_facts
            ));
        }
        IssueCategory::Related
    } else {
        IssueCategory::NotRelated
    };
    if category == IssueCategory::Duplicate && (different_errors || different_code) {
        category = IssueCategory::Related;
        notes.push(if different_errors {
            "both report errors, but not the same one: at most RELATED".to_string()
        } else {
            "the same error in different code (no shared stack frame): at most RELATED".to_string()
        });
    }
    if kinds_conflict(a.kind, b.kind) && category != IssueCategory::NotRelated {
        category = category.lowered();
        notes.push("one is a bug report, the other a feature request: lowered".to_string());
    }
    (category, score, scores, notes)
}

fn kinds_conflict(a: IssueKind, b: IssueKind) -> bool {
    matches!(
        (a, b),
        (IssueKind::Bug, IssueKind::Feature) | (IssueKind::Feature, IssueKind::Bug)
    )
}

/// Full comparison with evidence (evidence is filled for every category, so a reviewer
/// can see why a pair was *not* related too).
pub fn compare(
    rules: &IssueRules,
    a: &IssueFingerprint,
    b: &IssueFingerprint,
    stats: &dyn TermStats,
) -> IssueComparison {
    let wa = weigh(&rules.weights, a, stats, false);
    let wb = weigh(&rules.weights, b, stats, false);
    let pairs = shared(a, b);
    let (category, score, scores, notes) = score_weighted(rules, &wa, &wb, &pairs);
    let mut evidence = evidence(&wa, &wb, &pairs, rules.issues.evidence_terms);
    evidence.title_similarity = scores.title.unwrap_or(0.0);
    evidence.notes = notes;
    IssueComparison {
        category,
        score,
        scores,
        evidence,
    }
}

/// Shared terms (strongest `cap`, then grouped by kind), errors and frames.
pub(crate) fn evidence(
    wa: &Weighted<'_>,
    wb: &Weighted<'_>,
    pairs: &[(usize, usize)],
    cap: usize,
) -> IssueEvidence {
    let norm = wa.norm * wb.norm;
    let mut terms: Vec<SharedTerm> = pairs
        .iter()
        .map(|&(i, j)| SharedTerm {
            kind: wa.fp.terms[i].kind,
            text: wa.fp.terms[i].text.clone(),
            weight: if norm > 0.0 {
                wa.w[i] * wb.w[j] / norm
            } else {
                0.0
            },
        })
        .collect();
    let by_weight = |x: &SharedTerm, y: &SharedTerm| {
        y.weight
            .total_cmp(&x.weight)
            .then(x.kind.cmp(&y.kind))
            .then(x.text.cmp(&y.text))
    };
    terms.sort_by(by_weight);
    terms.truncate(cap);
    terms.sort_by(|x, y| x.kind.cmp(&y.kind).then(by_weight(x, y)));
    let shared_errors = pairs
        .iter()
        .filter(|&&(i, _)| wa.fp.terms[i].kind == TermKind::Error)
        .map(|&(i, _)| wa.fp.terms[i].text.clone())
        .collect();
    IssueEvidence {
        shared_terms: terms,
        shared_errors,
        shared_frames: crate::setops::intersection(&wa.fp.frames, &wb.fp.frames, cap),
        title_similarity: 0.0,
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue_fingerprint::{IssueInput, build, test_ctx};

    struct Env {
        ctx: crate::issue_fingerprint::TextCtx,
        rules: IssueRules,
    }

    fn env() -> Env {
        let (ctx, rules) = test_ctx();
        Env { ctx, rules }
    }

    impl Env {
        fn fp(&self, n: u64, title: &str, body: &str, labels: &[&str]) -> IssueFingerprint {
            build(
                &self.ctx,
                &IssueInput {
                    number: n,
                    title: title.into(),
                    body: Some(body.into()),
                    labels: labels.iter().map(|s| s.to_string()).collect(),
                },
            )
        }
    }

    /// A background corpus so idf means something: 200 unrelated issues.
    fn background(e: &Env, extra: &[&IssueFingerprint]) -> CorpusStats {
        let mut s = CorpusStats::new();
        let topics = [
            "login", "billing", "export", "search", "upload", "profile", "theme", "email",
        ];
        for i in 0..200u64 {
            let t = topics[(i % 8) as usize];
            let f = e.fp(
                1000 + i,
                &format!("The {t} page is slow sometimes"),
                &format!(
                    "When I open the {t} page it is slow and the page shows a spinner. Version {i}."
                ),
                &[],
            );
            s.add(&f);
        }
        for f in extra {
            s.add(f);
        }
        s
    }

    #[test]
    fn idf_is_positive_finite_and_decreasing() {
        let mut s = CorpusStats::from_counts(100, [(1, 1), (2, 50), (3, 100), (4, 1000)]);
        let v: Vec<f64> = [0, 1, 2, 3, 4].iter().map(|k| idf(&s, *k)).collect();
        assert!(v.iter().all(|x| x.is_finite() && *x > 0.0), "{v:?}");
        assert!(v[0] > v[1] && v[1] > v[2] && v[2] > v[3]);
        assert_eq!(v[3], v[4], "df above N is clamped");
        assert!(idf(&NoStats, 7) > 0.0);
        s.documents = 0;
        assert!(idf(&s, 1).is_finite());
    }

    #[test]
    fn stats_add_and_remove() {
        let e = env();
        let f = e.fp(1, "Crash in `fooBar`", "", &[]);
        let mut s = CorpusStats::new();
        s.add(&f);
        s.add(&f);
        let k = f.terms[0].key();
        assert_eq!((s.documents(), s.document_frequency(k)), (2, 2));
        s.remove(&f);
        s.remove(&f);
        s.remove(&f);
        assert_eq!(s, CorpusStats::new());
    }

    const TRACE: &str = "```\nTypeError: Cannot read properties of undefined (reading 'total')\n    \
        at computeInvoiceTotal (/app/src/billing/invoice.ts:41:12)\n    \
        at renderInvoice (/app/src/billing/render.ts:9:3)\n```";

    #[test]
    fn same_error_and_frames_is_duplicate_and_symmetric() {
        let e = env();
        let a = e.fp(
            1,
            "Invoice page crashes",
            &format!("Opening an invoice crashes.\n{TRACE}"),
            &["bug"],
        );
        let trace_b = TRACE
            .replace(":41:12", ":44:2")
            .replace("/app/", "/home/u/webapp/");
        let b = e.fp(
            2,
            "TypeError when rendering invoice",
            &format!("Steps to reproduce: open invoice\n{trace_b}"),
            &[],
        );
        let s = background(&e, &[&a, &b]);
        let ab = compare(&e.rules, &a, &b, &s);
        let ba = compare(&e.rules, &b, &a, &s);
        assert_eq!(ab.category, IssueCategory::Duplicate, "{ab:#?}");
        assert_eq!(ab.category, ba.category);
        assert!((ab.score - ba.score).abs() < 1e-12);
        assert_eq!(ab.evidence, ba.evidence);
        assert_eq!(ab.evidence.shared_errors.len(), 1);
        assert_eq!(ab.evidence.shared_frames.len(), 2);
        assert_eq!(ab.evidence.shared_terms[0].kind, TermKind::Error);
    }

    #[test]
    fn generic_words_alone_never_make_duplicate() {
        let e = env();
        let a = e.fp(
            1,
            "The login page is slow sometimes",
            "When I open the login page it is slow and the page shows a spinner.",
            &[],
        );
        let b = e.fp(
            2,
            "Slow login page",
            "The login form takes ten seconds before the spinner goes away.",
            &[],
        );
        let s = background(&e, &[&a, &b]);
        let c = compare(&e.rules, &a, &b, &s);
        assert!(c.score >= e.rules.issues.duplicate_threshold, "{c:#?}");
        assert!(c.score < e.rules.issues.identical_threshold, "{c:#?}");
        assert_eq!(c.category, IssueCategory::Related, "{c:#?}");
        assert!(
            c.evidence
                .notes
                .iter()
                .any(|n| n.contains("shared words alone"))
        );
    }

    #[test]
    fn one_shared_function_is_not_enough_but_a_repost_is() {
        let e = env();
        let a = e.fp(
            1,
            "formatDueDate ignores the locale",
            "`formatDueDate` always formats with en-US.",
            &[],
        );
        let b = e.fp(
            2,
            "formatDueDate uses UTC",
            "`formatDueDate` converts to UTC first, so the day is off.",
            &[],
        );
        let s = background(&e, &[&a, &b]);
        let c = compare(&e.rules, &a, &b, &s);
        assert_ne!(c.category, IssueCategory::Duplicate, "{c:#?}");
        assert_eq!(c.scores.shared_facts, 1);
        let repost = e.fp(
            3,
            "formatDueDate ignores the locale",
            "`formatDueDate` always formats with en-US.",
            &[],
        );
        let c = compare(&e.rules, &a, &repost, &s);
        assert_eq!(c.category, IssueCategory::Duplicate, "{c:#?}");
        assert!(
            c.evidence
                .notes
                .iter()
                .any(|n| n.contains("near-identical"))
        );
    }

    #[test]
    fn different_errors_cap_at_related() {
        let e = env();
        let trace = "  File \"/app/worker/payment/reconcile.py\", line 9, in reconcile_batch\n  File \"/app/worker/payment/reconcile.py\", line 30, in average_amount";
        let a = e.fp(
            1,
            "reconcile_batch crashes",
            &format!("{trace}\nZeroDivisionError: division by zero"),
            &[],
        );
        let b = e.fp(
            2,
            "reconcile_batch crashes",
            &format!("{trace}\nKeyError: 'currency'"),
            &[],
        );
        let s = background(&e, &[&a, &b]);
        let c = compare(&e.rules, &a, &b, &s);
        assert_eq!(c.category, IssueCategory::Related, "{c:#?}");
        assert!(
            c.evidence
                .notes
                .iter()
                .any(|n| n.contains("not the same one"))
        );
        // The same error raised in different code.
        let a = e.fp(
            3,
            "x",
            "TypeError: boom happened here\n    at renderCart (/app/src/cart.ts:1:1)",
            &[],
        );
        let b = e.fp(
            4,
            "x",
            "TypeError: boom happened here\n    at buildInvoice (/app/src/invoice.ts:1:1)",
            &[],
        );
        let c = compare(&e.rules, &a, &b, &s);
        assert_ne!(c.category, IssueCategory::Duplicate, "{c:#?}");
    }

    #[test]
    fn identical_specific_issues_are_duplicates_and_unrelated_are_not() {
        let e = env();
        let a = e.fp(
            1,
            "`exportCsv` drops the header row",
            "Calling exportCsv in src/export/csv.ts loses the header row.",
            &[],
        );
        let b = e.fp(
            2,
            "CSV export loses header row",
            "exportCsv() in src/export/csv.ts drops the first (header) row since 2.3",
            &[],
        );
        let c = e.fp(
            3,
            "Avatar upload rejects PNG",
            "uploadAvatar in src/profile/avatar.ts rejects image/png",
            &[],
        );
        let s = background(&e, &[&a, &b, &c]);
        let ab = compare(&e.rules, &a, &b, &s);
        assert_eq!(ab.category, IssueCategory::Duplicate, "{ab:#?}");
        let ac = compare(&e.rules, &a, &c, &s);
        assert_eq!(ac.category, IssueCategory::NotRelated, "{ac:#?}");
        assert!(ac.score < 0.1);
        let aa = compare(&e.rules, &a, &a, &s);
        assert!((aa.score - 1.0).abs() < 1e-9);
    }

    #[test]
    fn bug_versus_feature_is_lowered() {
        let e = env();
        let a = e.fp(
            1,
            "`exportCsv` drops the header row",
            "exportCsv in src/export/csv.ts drops the header row",
            &["bug"],
        );
        let b = e.fp(
            2,
            "`exportCsv` drops the header row",
            "exportCsv in src/export/csv.ts drops the header row",
            &["enhancement"],
        );
        let s = background(&e, &[&a, &b]);
        let c = compare(&e.rules, &a, &b, &s);
        assert_eq!(c.category, IssueCategory::Related, "{c:#?}");
        assert!(
            c.evidence
                .notes
                .iter()
                .any(|n| n.contains("feature request"))
        );
    }

    #[test]
    fn empty_fingerprints_score_zero() {
        let e = env();
        let a = e.fp(1, "", "", &[]);
        let b = e.fp(2, "`exportCsv` fails", "", &[]);
        for (x, y) in [(&a, &a), (&a, &b), (&b, &a)] {
            let c = compare(&e.rules, x, y, &NoStats);
            assert_eq!(c.category, IssueCategory::NotRelated);
            assert!(c.score.is_finite() && (0.0..=1.0).contains(&c.score));
        }
    }

    #[test]
    fn shared_facts_collapse_variants() {
        let e = env();
        let a = e.fp(
            1,
            "x",
            "TypeError: cannot read x of y\nsee src/a/b.ts and `fooBar`",
            &[],
        );
        let b = e.fp(
            2,
            "x",
            "`cannot read x of y` in b.ts (services/x/a/b.ts) with `fooBar`",
            &[],
        );
        let pairs = shared(&a, &b);
        // The message, the path (as b.ts and a/b.ts) and the identifier: three facts.
        assert_eq!(shared_facts(&a, &pairs), 3, "{a:#?}\n{b:#?}");
    }
}
