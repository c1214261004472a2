//! Pairwise scoring (SPEC 5.8) and evidence (SPEC 5.9).

use serde::{Deserialize, Serialize};

use crate::channel::Channel;
use crate::config::Thresholds;
use crate::fingerprint::{Fingerprint, StoredLine};
use crate::setops::{intersection, jaccard};

/// Relation between two PRs, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    SameChange,
    SameFeature,
    CompetingImplementation,
    Related,
    NotRelated,
}

impl Category {
    /// Categories that make a duplicate set (SPEC 5.11).
    pub fn is_strong(self) -> bool {
        matches!(
            self,
            Category::SameChange | Category::SameFeature | Category::CompetingImplementation
        )
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Category::SameChange => "SAME_CHANGE",
            Category::SameFeature => "SAME_FEATURE",
            Category::CompetingImplementation => "COMPETING_IMPLEMENTATION",
            Category::Related => "RELATED",
            Category::NotRelated => "NOT_RELATED",
        }
    }
}

/// Every similarity value; `None` when the signal is absent on both sides (or, for
/// `jaccard`, when the MinHash estimate was too low to need confirming).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scores {
    /// MinHash estimate of the primary shingle sets.
    pub minhash: Option<f64>,
    /// Exact Jaccard of the stored shingle sets (a consistent sample for very large PRs).
    pub jaccard: Option<f64>,
    pub exports: Option<f64>,
    pub symbols: Option<f64>,
    pub files: Option<f64>,
    pub imports: Option<f64>,
    pub tests: Option<f64>,
    pub docs: Option<f64>,
    /// Weighted production score over the signals present.
    pub prod: Option<f64>,
    pub issue_refs: Option<f64>,
    /// Overlap coefficient |A∩B| / min(|A|, |B|) of the shingle sets: how much of the
    /// smaller change the larger one contains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub containment: Option<f64>,
    /// Winnowing similarity when either PR is in rewrite mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winnow: Option<f64>,
}

/// A changed line shown in the evidence diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchedLine {
    pub path: String,
    pub sign: String,
    pub text: String,
}

/// Why two PRs were related, for humans.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// The channel compared as production (DOCS/TESTS when neither PR changes code).
    pub compared_channel: Option<Channel>,
    pub same_diff_hash: bool,
    pub production_paths: Vec<String>,
    pub exports: Vec<String>,
    pub symbols: Vec<String>,
    pub imports: Vec<String>,
    pub test_suites: Vec<String>,
    pub test_names: Vec<String>,
    pub test_matchers: Vec<String>,
    pub test_imports: Vec<String>,
    pub doc_headings: Vec<String>,
    pub doc_fences: Vec<String>,
    pub doc_refs: Vec<String>,
    pub issue_refs: Vec<String>,
    /// Matching changed lines as they appear in the first PR.
    pub lines_a: Vec<MatchedLine>,
    /// Matching changed lines as they appear in the second PR.
    pub lines_b: Vec<MatchedLine>,
    pub notes: Vec<String>,
}

/// The result of comparing two fingerprints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub category: Category,
    pub final_score: f64,
    pub scores: Scores,
    pub evidence: Evidence,
}

/// Below this MinHash estimate the exact Jaccard is not computed: it cannot change the
/// category (SAME_* needs far more) and skipping it keeps `compare` in budget.
const CONFIRM_GATE: f64 = 0.15;
const EVIDENCE_CAP: usize = 50;
/// A change this small (about five lines of code) is too generic to call "contained".
const MIN_CONTAINED_SHINGLES: u32 = 24;
const EVIDENCE_LINES: usize = 20;

fn comparable(a: &Fingerprint, b: &Fingerprint) -> bool {
    match (a.primary, b.primary) {
        (Some(Channel::Production), Some(Channel::Production)) => true,
        (Some(x), Some(y)) => x != Channel::Production && y != Channel::Production,
        _ => false,
    }
}

/// Scores and category without evidence (the hot path of candidate scoring).
pub fn score(t: &Thresholds, a: &Fingerprint, b: &Fingerprint) -> (Category, f64, Scores, bool) {
    let mut s = Scores::default();
    let both = comparable(a, b);
    let mut hash_equal = false;
    let mut contained_small = false;
    if both {
        s.minhash = crate::minhash::estimate(&a.minhash, &b.minhash);
        if s.minhash.is_none_or(|m| m >= CONFIRM_GATE)
            && !(a.shingles.is_empty() && b.shingles.is_empty())
        {
            let (i, x, y) = a.shingles.overlap(&b.shingles);
            s.jaccard = Some(if x + y == 0 {
                0.0
            } else {
                i as f64 / (x + y - i) as f64
            });
            let smaller = x.min(y);
            if smaller > 0 {
                s.containment = Some(i as f64 / smaller as f64);
            }
            contained_small = a.shingles.total.min(b.shingles.total) >= MIN_CONTAINED_SHINGLES;
        }
        if (a.rewrite || b.rewrite) && !a.winnow.is_empty() && !b.winnow.is_empty() {
            s.winnow = jaccard(&a.winnow, &b.winnow);
        }
        s.files = jaccard(&a.paths, &b.paths);
        s.exports = jaccard(&a.exports, &b.exports);
        s.symbols = jaccard(&a.symbols, &b.symbols);
        s.imports = jaccard(&a.imports, &b.imports);
        let content = s.jaccard.or(s.minhash);
        let w = &t.weights;
        let mut sum = 0.0;
        let mut weight = 0.0;
        for (v, wt) in [
            (content, w.minhash),
            (s.exports, w.exports),
            (s.symbols, w.symbols),
            (s.files, w.files),
            (s.imports, w.imports),
        ] {
            if let Some(v) = v {
                sum += v * wt;
                weight += wt;
            }
        }
        s.prod = Some(if weight > 0.0 { sum / weight } else { 0.0 });
        hash_equal = a.diff_hash.is_some() && a.diff_hash == b.diff_hash;
    } else if a.primary.is_some() || b.primary.is_some() {
        // Production (or its stand-in) on one side only: disagreement, not absence.
        s.prod = Some(0.0);
    }
    s.tests = a.tests.similarity(&b.tests);
    s.docs = a.docs.similarity(&b.docs);
    s.issue_refs = jaccard(&a.issue_refs, &b.issue_refs);

    let prod = s.prod.unwrap_or(0.0);
    let tests = s.tests.unwrap_or(0.0);
    let docs = s.docs.unwrap_or(0.0);
    let final_score = (prod + tests.min(t.caps.tests) + docs.min(t.caps.docs)).clamp(0.0, 1.0);

    let c = &t.categories;
    let content = s.jaccard.or(s.minhash).unwrap_or(0.0);
    let files = s.files.unwrap_or(0.0);
    let both_production =
        a.primary == Some(Channel::Production) && b.primary == Some(Channel::Production);
    let category = if both
        && (hash_equal || (content >= c.same_change.minhash && files >= c.same_change.files))
    {
        Category::SameChange
    } else if both
        && prod >= c.same_feature.prod
        && [s.tests, s.docs, Some(content)]
            .into_iter()
            .flatten()
            .any(|v| v >= c.same_feature.supporting)
    {
        Category::SameFeature
    } else if both
        && contained_small
        && s.containment.is_some_and(|v| v >= t.base.containment)
        && paths_contained(a, b)
    {
        // One PR carries the other's whole change (a superset): the same feature even
        // though Jaccard-based signals are diluted by the extra work.
        Category::SameFeature
    } else if both_production
        && s.tests
            .is_some_and(|v| v >= c.competing_implementation.tests)
        && prod <= c.competing_implementation.prod_max
    {
        Category::CompetingImplementation
    } else if final_score >= c.review_score_threshold {
        Category::Related
    } else {
        Category::NotRelated
    };
    (category, final_score, s, hash_equal)
}

/// The smaller PR's primary paths are all among the larger PR's.
fn paths_contained(a: &Fingerprint, b: &Fingerprint) -> bool {
    let (small, large) = if a.shingles.total <= b.shingles.total {
        (a, b)
    } else {
        (b, a)
    };
    !small.paths.is_empty()
        && crate::setops::intersection_len(&small.paths, &large.paths) == small.paths.len()
}

/// Full comparison; evidence is filled for every stored category (not NOT_RELATED).
pub fn compare(t: &Thresholds, a: &Fingerprint, b: &Fingerprint) -> Comparison {
    let (category, final_score, scores, hash_equal) = score(t, a, b);
    let evidence = if category == Category::NotRelated {
        Evidence::default()
    } else {
        evidence(a, b, hash_equal)
    };
    Comparison {
        category,
        final_score,
        scores,
        evidence,
    }
}

/// Evidence for any pair (also NOT_RELATED ones, on demand).
pub fn evidence(a: &Fingerprint, b: &Fingerprint, same_diff_hash: bool) -> Evidence {
    let both = comparable(a, b);
    let mut e = Evidence {
        compared_channel: if both { a.primary } else { None },
        same_diff_hash,
        ..Evidence::default()
    };
    if both {
        e.production_paths = intersection(&a.paths, &b.paths, EVIDENCE_CAP);
        e.exports = intersection(&a.exports, &b.exports, EVIDENCE_CAP);
        e.symbols = intersection(&a.symbols, &b.symbols, EVIDENCE_CAP);
        e.imports = intersection(&a.imports, &b.imports, EVIDENCE_CAP);
        e.lines_a = matched_lines(a, &b.line_hashes);
        e.lines_b = matched_lines(b, &a.line_hashes);
    } else if a.primary.is_some() != b.primary.is_some()
        || a.primary == Some(Channel::Production)
        || b.primary == Some(Channel::Production)
    {
        e.notes.push(
            "only one PR changes production code; tests and docs alone never make a duplicate"
                .into(),
        );
    }
    e.test_suites = intersection(&a.tests.suites, &b.tests.suites, EVIDENCE_CAP);
    e.test_names = intersection(&a.tests.names, &b.tests.names, EVIDENCE_CAP);
    e.test_matchers = intersection(&a.tests.matchers, &b.tests.matchers, EVIDENCE_CAP);
    e.test_imports = intersection(&a.tests.imports, &b.tests.imports, EVIDENCE_CAP);
    e.doc_headings = intersection(&a.docs.headings, &b.docs.headings, EVIDENCE_CAP);
    e.doc_fences = intersection(&a.docs.fences, &b.docs.fences, EVIDENCE_CAP);
    e.doc_refs = intersection(&a.docs.refs, &b.docs.refs, EVIDENCE_CAP);
    e.issue_refs = intersection(&a.issue_refs, &b.issue_refs, EVIDENCE_CAP);
    for (fp, side) in [(a, "first"), (b, "second")] {
        if fp.rewrite {
            e.notes
                .push(format!("the {side} PR was analysed in rewrite mode"));
        }
        if fp.is_degraded() && !fp.rewrite {
            e.notes.push(format!(
                "the {side} PR's analysis is partial: {}",
                fp.degraded_reasons().join("; ")
            ));
        }
    }
    e
}

fn matched_lines(fp: &Fingerprint, other_hashes: &[u32]) -> Vec<MatchedLine> {
    fp.lines
        .iter()
        .filter(|l| other_hashes.binary_search(&l.hash).is_ok())
        .take(EVIDENCE_LINES)
        .map(|l: &StoredLine| MatchedLine {
            path: fp.paths.get(l.path as usize).cloned().unwrap_or_default(),
            sign: l.sign.to_string(),
            text: l.text.clone(),
        })
        .collect()
}
