//! Base/original inference inside a duplicate set (SPEC 5.10): the PR whose production
//! change the others contain.

use serde::{Deserialize, Serialize};

use crate::config::BaseParams;
use crate::fingerprint::Fingerprint;

/// The suggested base of a set, with the containment matrix that justifies it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseSuggestion {
    pub base: Option<i64>,
    pub reason: String,
    /// (a, b, |A∩B|/|A|) for every ordered pair of members with comparable changes.
    pub containment: Vec<(i64, i64, f64)>,
}

/// Two changes this close in both directions are the same change.
const IDENTICAL: f64 = 0.9;

pub(crate) fn infer_base(p: &BaseParams, members: &[(i64, &Fingerprint)]) -> BaseSuggestion {
    let mut members: Vec<(i64, &Fingerprint)> = members.to_vec();
    members.sort_by_key(|(id, _)| *id);
    members.dedup_by_key(|(id, _)| *id);
    let n = members.len();
    if n < 2 {
        return BaseSuggestion {
            base: members.first().map(|(id, _)| *id),
            reason: "a single PR is its own base".into(),
            containment: Vec::new(),
        };
    }
    let mut c = vec![vec![0.0f64; n]; n];
    let mut containment = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (a, b) = (members[i].1, members[j].1);
            if a.primary.is_none() || a.primary != b.primary || a.shingles.is_empty() {
                continue;
            }
            // Two rewrite-mode PRs compare their winnowing fingerprints: position-robust
            // and dense enough for huge changes whose shingle sample is sparse.
            let v = if a.rewrite && b.rewrite && !a.winnow.is_empty() && !b.winnow.is_empty() {
                crate::setops::intersection_len(&a.winnow, &b.winnow) as f64 / a.winnow.len() as f64
            } else {
                a.shingles.containment_in(&b.shingles)
            };
            c[i][j] = v;
            containment.push((members[i].0, members[j].0, round3(v)));
        }
    }
    // Edge i→j: i's change is (almost) all inside j, and j is at least a little larger.
    let size = |i: usize| f64::from(members[i].1.shingles.total);
    let mut out_deg = vec![0usize; n];
    let mut in_deg = vec![0usize; n];
    for i in 0..n {
        for j in 0..n {
            if i != j && c[i][j] > p.containment && size(j) >= (1.0 + p.min_growth) * size(i) {
                out_deg[i] += 1;
                in_deg[j] += 1;
            }
        }
    }
    let root = (0..n)
        .filter(|&i| out_deg[i] > 0 && in_deg[i] == 0)
        .max_by(|&x, &y| out_deg[x].cmp(&out_deg[y]).then(y.cmp(&x)));
    if let Some(r) = root {
        let others = out_deg[r];
        return BaseSuggestion {
            base: Some(members[r].0),
            reason: format!(
                "#{}'s production change is contained (>{:.0}% of its shingles) in {} larger PR{}; it is the smallest complete version",
                members[r].0,
                p.containment * 100.0,
                others,
                if others == 1 { "" } else { "s" }
            ),
            containment,
        };
    }
    let all_identical = (0..n).all(|i| (0..n).all(|j| i == j || c[i][j] >= IDENTICAL));
    if all_identical {
        return BaseSuggestion {
            base: Some(members[0].0),
            reason: format!(
                "all {n} PRs carry the same production change; the earliest (lowest id) is the base"
            ),
            containment,
        };
    }
    BaseSuggestion {
        base: None,
        reason: "no member's production change contains another's (e.g. competing implementations); no base suggested".into(),
        containment,
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}
