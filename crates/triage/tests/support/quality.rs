//! Quality report over a labelled corpus (see `corpus/README.md`), shared by
//! `examples/quality_report.rs` and the `quality` integration test.
//!
//! Retrieval is the service's: an inverted index over `Engine::index_keys`, candidates
//! ranked by shared keys and capped, never all-pairs. Only retrieved pairs are compared.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use clawtriage_triage::{Category, Engine, FileInput, Fingerprint, PrInput, SetEdge};
use serde::Deserialize;

/// Candidates compared per PR (the service's typical 20–200).
pub const MAX_CANDIDATES: usize = 200;
pub const TOP_K: usize = 5;

#[derive(Deserialize)]
struct PullFile {
    pull: Pull,
    files: Vec<GhFile>,
}

#[derive(Deserialize)]
struct Pull {
    number: u64,
    title: String,
    body: Option<String>,
    state: String,
    merged_at: Option<String>,
}

#[derive(Deserialize)]
struct GhFile {
    filename: String,
    status: String,
    additions: u32,
    deletions: u32,
    patch: Option<String>,
    previous_filename: Option<String>,
}

#[derive(Deserialize)]
struct Truth {
    clusters: Vec<TruthCluster>,
    negatives: Vec<TruthNegative>,
    landed: Vec<Landed>,
}

#[derive(Deserialize)]
struct TruthCluster {
    id: String,
    kind: String,
    members: Vec<u64>,
    base: Option<u64>,
}

#[derive(Deserialize)]
struct TruthNegative {
    id: String,
    kind: String,
    members: Vec<u64>,
}

#[derive(Deserialize)]
struct Landed {
    open: u64,
    merged: u64,
}

/// A corpus PR as loaded from disk.
pub struct CorpusPr {
    pub input: PrInput,
    pub open: bool,
    pub merged: bool,
    pub patch_bytes: usize,
}

/// Loads `<dir>/pulls/*.json` sorted by number.
pub fn load_prs(dir: &Path) -> Result<Vec<CorpusPr>, String> {
    let pulls = dir.join("pulls");
    let entries =
        std::fs::read_dir(&pulls).map_err(|e| format!("Cannot read {}: {e}", pulls.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("Cannot read {}: {e}", path.display()))?;
        let p: PullFile = serde_json::from_str(&text)
            .map_err(|e| format!("Cannot parse {}: {e}", path.display()))?;
        let patch_bytes = p
            .files
            .iter()
            .map(|f| f.patch.as_ref().map_or(0, String::len))
            .sum();
        out.push(CorpusPr {
            open: p.pull.state == "open",
            merged: p.pull.merged_at.is_some(),
            patch_bytes,
            input: PrInput {
                number: p.pull.number,
                title: p.pull.title,
                body: p.pull.body,
                files: p
                    .files
                    .into_iter()
                    .map(|f| FileInput {
                        path: f.filename,
                        previous_path: f.previous_filename,
                        status: f.status,
                        additions: f.additions,
                        deletions: f.deletions,
                        patch: f.patch,
                    })
                    .collect(),
            },
        });
    }
    out.sort_by_key(|p| p.input.number);
    Ok(out)
}

/// Retrieved candidates of every PR (indices), best-first by shared keys.
pub fn retrieve(keys: &[Vec<i64>]) -> Vec<Vec<usize>> {
    let mut index: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, ks) in keys.iter().enumerate() {
        for k in ks {
            index.entry(*k).or_default().push(i);
        }
    }
    keys.iter()
        .enumerate()
        .map(|(i, ks)| {
            let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
            for k in ks {
                for &j in index.get(k).into_iter().flatten() {
                    if j != i {
                        *shared.entry(j).or_default() += 1;
                    }
                }
            }
            let mut c: Vec<(usize, usize)> = shared.into_iter().collect();
            c.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            c.into_iter().take(MAX_CANDIDATES).map(|(j, _)| j).collect()
        })
        .collect()
}

#[derive(Default)]
pub struct Report {
    pub prs: usize,
    pub patch_bytes: usize,
    pub fingerprint_time: Duration,
    pub compare_time: Duration,
    pub compared_pairs: usize,
    pub mean_candidates: f64,
    pub truth_pairs: usize,
    pub strong_tp: usize,
    pub strong_pred: usize,
    pub same_tp: usize,
    pub same_pred: usize,
    pub same_truth: usize,
    pub set_tp: usize,
    pub set_pred: usize,
    pub sets: usize,
    pub top5_hits: usize,
    pub top5_total: usize,
    pub negative_pairs: usize,
    pub negative_fp: Vec<String>,
    pub base_correct: usize,
    pub base_total: usize,
    pub base_misses: Vec<String>,
    pub nobase_agree: usize,
    pub nobase_total: usize,
    pub landed_found: usize,
    pub landed_total: usize,
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    pub false_positives: Vec<String>,
    pub missed: Vec<String>,
    pub degraded_prs: usize,
    pub rewrite_prs: usize,
}

impl Report {
    pub fn strong_precision(&self) -> f64 {
        ratio(self.strong_tp, self.strong_pred)
    }
    pub fn strong_recall(&self) -> f64 {
        ratio(self.strong_tp, self.truth_pairs)
    }
    pub fn same_precision(&self) -> f64 {
        ratio(self.same_tp, self.same_pred)
    }
    pub fn same_recall(&self) -> f64 {
        ratio(self.same_tp, self.same_truth)
    }
    pub fn set_precision(&self) -> f64 {
        ratio(self.set_tp, self.set_pred)
    }
    pub fn set_recall(&self) -> f64 {
        ratio(self.set_tp, self.truth_pairs)
    }
    pub fn top5(&self) -> f64 {
        ratio(self.top5_hits, self.top5_total)
    }
    pub fn base_accuracy(&self) -> f64 {
        ratio(self.base_correct, self.base_total)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn pair(a: u64, b: u64) -> (u64, u64) {
    (a.min(b), a.max(b))
}

pub fn run(engine: &Engine, dir: &Path) -> Result<Report, String> {
    let prs = load_prs(dir)?;
    let truth_path = dir.join("truth.json");
    let truth: Truth = serde_json::from_str(
        &std::fs::read_to_string(&truth_path)
            .map_err(|e| format!("Cannot read {}: {e}", truth_path.display()))?,
    )
    .map_err(|e| format!("Cannot parse {}: {e}", truth_path.display()))?;

    let mut r = Report {
        prs: prs.len(),
        patch_bytes: prs.iter().map(|p| p.patch_bytes).sum(),
        ..Report::default()
    };
    let t0 = Instant::now();
    let fps: Vec<Fingerprint> = prs.iter().map(|p| engine.fingerprint(&p.input)).collect();
    r.fingerprint_time = t0.elapsed();
    r.degraded_prs = fps.iter().filter(|f| f.is_degraded()).count();
    r.rewrite_prs = fps.iter().filter(|f| f.rewrite_mode()).count();
    let numbers: Vec<u64> = prs.iter().map(|p| p.input.number).collect();
    let idx_of: BTreeMap<u64, usize> = numbers.iter().enumerate().map(|(i, n)| (*n, i)).collect();

    let keys: Vec<Vec<i64>> = fps.iter().map(|f| engine.index_keys(f)).collect();
    let candidates = retrieve(&keys);
    r.mean_candidates =
        candidates.iter().map(Vec::len).sum::<usize>() as f64 / candidates.len().max(1) as f64;

    // Compare every retrieved pair once.
    let t1 = Instant::now();
    let mut results: BTreeMap<(u64, u64), (Category, f64)> = BTreeMap::new();
    for (i, cands) in candidates.iter().enumerate() {
        for &j in cands {
            let k = pair(numbers[i], numbers[j]);
            if results.contains_key(&k) {
                continue;
            }
            let c = engine.compare(&fps[i], &fps[j]);
            r.compared_pairs += 1;
            results.insert(k, (c.category, c.final_score));
        }
    }
    r.compare_time = t1.elapsed();

    let mut truth_pairs: BTreeMap<(u64, u64), (String, String)> = BTreeMap::new();
    let mut mates: BTreeMap<u64, BTreeSet<u64>> = BTreeMap::new();
    for c in &truth.clusters {
        for (x, &a) in c.members.iter().enumerate() {
            for &b in &c.members[x + 1..] {
                truth_pairs.insert(pair(a, b), (c.kind.clone(), c.id.clone()));
                mates.entry(a).or_default().insert(b);
                mates.entry(b).or_default().insert(a);
            }
        }
    }
    r.truth_pairs = truth_pairs.len();
    r.same_truth = truth_pairs
        .values()
        .filter(|(k, _)| k == "SAME_CHANGE" || k == "SAME_FEATURE")
        .count();

    for (&(a, b), &(cat, score)) in &results {
        let t = truth_pairs.get(&(a, b));
        if cat.is_strong() {
            r.strong_pred += 1;
            if t.is_some() {
                r.strong_tp += 1;
            } else {
                r.false_positives
                    .push(format!("#{a}–#{b} {} {score:.2}", cat.as_str()));
            }
        }
        if matches!(cat, Category::SameChange | Category::SameFeature) {
            r.same_pred += 1;
            if t.is_some_and(|(k, _)| k == "SAME_CHANGE" || k == "SAME_FEATURE") {
                r.same_tp += 1;
            }
        }
    }
    for (&(a, b), (kind, id)) in &truth_pairs {
        let got = results
            .get(&(a, b))
            .map_or("NOT_RETRIEVED", |(c, _)| c.as_str());
        *r.confusion
            .entry(kind.clone())
            .or_default()
            .entry(got.to_string())
            .or_default() += 1;
        if !results.get(&(a, b)).is_some_and(|(c, _)| c.is_strong()) {
            let score = results.get(&(a, b)).map_or(0.0, |x| x.1);
            r.missed
                .push(format!("{id} {kind}: #{a}–#{b} got {got} {score:.2}"));
        }
    }

    // Duplicate sets from the stored (non-NOT_RELATED) edges.
    let edges: Vec<SetEdge> = results
        .iter()
        .filter(|(_, (c, _))| *c != Category::NotRelated)
        .map(|(&(a, b), &(category, score))| SetEdge {
            a: a as i64,
            b: b as i64,
            category,
            score,
        })
        .collect();
    let sets = engine.duplicate_sets(&edges, engine.set_size_cap());
    r.sets = sets.len();
    for s in &sets {
        for (x, &a) in s.iter().enumerate() {
            for &b in &s[x + 1..] {
                r.set_pred += 1;
                if truth_pairs.contains_key(&pair(a as u64, b as u64)) {
                    r.set_tp += 1;
                }
            }
        }
    }

    // Top-5: is a true cluster-mate among the 5 best-scored retrieved candidates?
    for (&n, m) in &mates {
        let Some(&i) = idx_of.get(&n) else { continue };
        let mut scored: Vec<(f64, u64)> = candidates[i]
            .iter()
            .map(|&j| {
                let other = numbers[j];
                (results.get(&pair(n, other)).map_or(0.0, |x| x.1), other)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        r.top5_total += 1;
        if scored.iter().take(TOP_K).any(|(_, o)| m.contains(o)) {
            r.top5_hits += 1;
        }
    }

    for neg in &truth.negatives {
        for (x, &a) in neg.members.iter().enumerate() {
            for &b in &neg.members[x + 1..] {
                r.negative_pairs += 1;
                if let Some((c, s)) = results.get(&pair(a, b))
                    && c.is_strong()
                {
                    r.negative_fp.push(format!(
                        "{} {}: #{a}–#{b} {} {s:.2}",
                        neg.id,
                        neg.kind,
                        c.as_str()
                    ));
                }
            }
        }
    }

    for c in &truth.clusters {
        let members: Vec<(i64, &Fingerprint)> = c
            .members
            .iter()
            .filter_map(|n| idx_of.get(n).map(|&i| (*n as i64, &fps[i])))
            .collect();
        let s = engine.infer_base(&members);
        match c.base {
            Some(b) => {
                r.base_total += 1;
                if s.base == Some(b as i64) {
                    r.base_correct += 1;
                } else {
                    r.base_misses.push(format!(
                        "{} {}: truth #{b}, got {:?} ({})",
                        c.id, c.kind, s.base, s.reason
                    ));
                }
            }
            None => {
                r.nobase_total += 1;
                if s.base.is_none() {
                    r.nobase_agree += 1;
                }
            }
        }
    }

    for l in &truth.landed {
        r.landed_total += 1;
        let merged_ok = idx_of.get(&l.merged).is_some_and(|&i| prs[i].merged);
        let open_ok = idx_of.get(&l.open).is_some_and(|&i| prs[i].open);
        if merged_ok
            && open_ok
            && results
                .get(&pair(l.open, l.merged))
                .is_some_and(|(c, _)| matches!(c, Category::SameChange | Category::SameFeature))
        {
            r.landed_found += 1;
        }
    }
    Ok(r)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "clawtriage quality report")?;
        writeln!(
            f,
            "  PRs: {} ({:.1} MB of patch text; degraded {}, rewrite mode {})",
            self.prs,
            self.patch_bytes as f64 / 1e6,
            self.degraded_prs,
            self.rewrite_prs
        )?;
        writeln!(
            f,
            "  fingerprinting: {:.1} ms total; retrieval: {:.1} candidates/PR (cap {MAX_CANDIDATES}); {} pairs compared in {:.1} ms",
            self.fingerprint_time.as_secs_f64() * 1e3,
            self.mean_candidates,
            self.compared_pairs,
            self.compare_time.as_secs_f64() * 1e3
        )?;
        writeln!(f, "  truth: {} same-cluster pairs", self.truth_pairs)?;
        writeln!(
            f,
            "  SAME_CHANGE/SAME_FEATURE pairs: precision {:.3} ({}/{}), recall {:.3} ({}/{})",
            self.same_precision(),
            self.same_tp,
            self.same_pred,
            self.same_recall(),
            self.same_tp,
            self.same_truth
        )?;
        writeln!(
            f,
            "  all duplicate categories (incl. COMPETING): precision {:.3} ({}/{}), recall {:.3} ({}/{})",
            self.strong_precision(),
            self.strong_tp,
            self.strong_pred,
            self.strong_recall(),
            self.strong_tp,
            self.truth_pairs
        )?;
        writeln!(
            f,
            "  duplicate sets: {} sets; co-membership precision {:.3} ({}/{}), recall {:.3}",
            self.sets,
            self.set_precision(),
            self.set_tp,
            self.set_pred,
            self.set_recall()
        )?;
        writeln!(
            f,
            "  top-{TOP_K} hit rate: {:.3} ({}/{})",
            self.top5(),
            self.top5_hits,
            self.top5_total
        )?;
        writeln!(
            f,
            "  look-alike negatives: {} false positives in {} pairs",
            self.negative_fp.len(),
            self.negative_pairs
        )?;
        writeln!(
            f,
            "  base inference: {:.3} ({}/{}) correct; no-base clusters left without base: {}/{}",
            self.base_accuracy(),
            self.base_correct,
            self.base_total,
            self.nobase_agree,
            self.nobase_total
        )?;
        writeln!(
            f,
            "  already landed (open PR matches merged PR): {}/{}",
            self.landed_found, self.landed_total
        )?;
        writeln!(f, "  category of truth pairs:")?;
        for (kind, m) in &self.confusion {
            let row: Vec<String> = m.iter().map(|(k, v)| format!("{k} {v}")).collect();
            writeln!(f, "    {kind:<26} → {}", row.join(", "))?;
        }
        for (title, list) in [
            ("false positives", &self.false_positives),
            ("negative false positives", &self.negative_fp),
            ("missed pairs", &self.missed),
            ("base misses", &self.base_misses),
        ] {
            if !list.is_empty() {
                writeln!(f, "  {title}:")?;
                for x in list.iter().take(25) {
                    writeln!(f, "    {x}")?;
                }
                if list.len() > 25 {
                    writeln!(f, "    … {} more", list.len() - 25)?;
                }
            }
        }
        Ok(())
    }
}
