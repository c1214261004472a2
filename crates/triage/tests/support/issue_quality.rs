//! Issue quality report over a labelled corpus (see `corpus/README.md`), shared by
//! `examples/issue_quality_report.rs` and the `issue_quality` integration test.
//!
//! Retrieval is the service's: an inverted index over `IssueEngine::index_keys`,
//! candidates ranked by the summed idf of the keys they share and capped, never
//! all-pairs. Document frequencies are counted over the whole corpus (what the service's
//! table holds once every issue is ingested).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use clawtriage_triage::{
    CorpusStats, Engine, FileInput, IssueCategory, IssueEngine, IssueFingerprint, IssueInput,
    LinkKind, PrInput, PrLinkInput, ScopeInput, TermStats,
};
use serde::Deserialize;

/// Issues compared per issue (and issue candidates per PR).
pub const MAX_CANDIDATES: usize = 50;
pub const TOP_K: usize = 5;

#[derive(Deserialize)]
struct IssueFile {
    issue: GhIssue,
}

#[derive(Deserialize)]
struct GhIssue {
    number: u64,
    title: String,
    body: Option<String>,
    #[serde(default)]
    labels: Vec<GhLabel>,
    /// Present when the "issue" is a pull request (GitHub lists both).
    #[serde(default)]
    pull_request: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum GhLabel {
    Object { name: String },
    Name(String),
}

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
    head: Head,
}

#[derive(Deserialize)]
struct Head {
    #[serde(rename = "ref")]
    ref_: String,
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

#[derive(Deserialize, Default)]
struct Truth {
    #[serde(default)]
    issue_clusters: Vec<Group>,
    #[serde(default)]
    issue_negatives: Vec<Group>,
    #[serde(default)]
    pr_issue_links: Vec<TruthLink>,
    #[serde(default)]
    link_negatives: Vec<TruthLink>,
    #[serde(default)]
    scope: Vec<TruthScope>,
}

#[derive(Deserialize)]
struct Group {
    id: String,
    kind: String,
    members: Vec<u64>,
}

#[derive(Deserialize)]
struct TruthLink {
    pr: u64,
    issue: u64,
    #[serde(default)]
    kind: String,
}

#[derive(Deserialize)]
struct TruthScope {
    pr: u64,
    expected: String,
}

#[derive(Deserialize)]
struct Repo {
    full_name: String,
}

/// A corpus PR: the engine inputs plus its head branch.
struct CorpusPr {
    input: PrInput,
    head_ref: String,
}

#[derive(Default)]
pub struct Report {
    pub issues: usize,
    pub prs: usize,
    pub fingerprint_time: Duration,
    pub compare_time: Duration,
    pub compared_pairs: usize,
    pub mean_candidates: f64,
    // Duplicate issues.
    pub dup_truth: usize,
    pub dup_pred: usize,
    pub dup_tp: usize,
    pub related_pred: usize,
    pub topk_hits: usize,
    pub topk_total: usize,
    pub negative_pairs: usize,
    pub negative_fp: Vec<String>,
    pub dup_false_positives: Vec<String>,
    pub dup_missed: Vec<String>,
    pub truth_category: BTreeMap<String, usize>,
    // Links.
    pub explicit_truth: usize,
    pub explicit_pred: usize,
    pub explicit_tp: usize,
    pub explicit_found: usize,
    pub implicit_truth: usize,
    pub suggested_pred: usize,
    pub suggested_tp: usize,
    pub implicit_found: usize,
    pub link_negative_pairs: usize,
    pub link_negative_fp: Vec<String>,
    pub link_false_positives: Vec<String>,
    pub link_missed: Vec<String>,
    // Scope.
    pub scope_confusion: BTreeMap<String, BTreeMap<String, usize>>,
    pub scope_total: usize,
    pub scope_correct: usize,
    pub scope_wrong: Vec<String>,
    pub vision: bool,
    /// Verdicts over every corpus PR (labelled or not).
    pub scope_all: BTreeMap<String, usize>,
    /// OUT_OF_SCOPE calls on PRs without a scope label (the corpus's ordinary PRs).
    pub scope_unlabelled_out: Vec<String>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn pair(a: u64, b: u64) -> (u64, u64) {
    (a.min(b), a.max(b))
}

impl Report {
    pub fn dup_precision(&self) -> f64 {
        ratio(self.dup_tp, self.dup_pred)
    }
    pub fn dup_recall(&self) -> f64 {
        ratio(self.dup_tp, self.dup_truth)
    }
    pub fn topk(&self) -> f64 {
        ratio(self.topk_hits, self.topk_total)
    }
    pub fn explicit_precision(&self) -> f64 {
        ratio(self.explicit_tp, self.explicit_pred)
    }
    pub fn explicit_recall(&self) -> f64 {
        ratio(self.explicit_found, self.explicit_truth)
    }
    pub fn suggested_precision(&self) -> f64 {
        ratio(self.suggested_tp, self.suggested_pred)
    }
    pub fn suggested_recall(&self) -> f64 {
        ratio(self.implicit_found, self.implicit_truth)
    }
    /// All links (explicit and suggested) together.
    pub fn link_precision(&self) -> f64 {
        ratio(
            self.explicit_tp + self.suggested_tp,
            self.explicit_pred + self.suggested_pred,
        )
    }
    pub fn scope_accuracy(&self) -> f64 {
        ratio(self.scope_correct, self.scope_total)
    }
    /// Of the PRs the assist called IN or OUT (not UNCERTAIN), the share it got right.
    pub fn scope_decided_precision(&self) -> f64 {
        let (mut right, mut decided) = (0, 0);
        for (expected, row) in &self.scope_confusion {
            for (got, n) in row {
                if got != "UNCERTAIN" {
                    decided += n;
                    if got == expected {
                        right += n;
                    }
                }
            }
        }
        ratio(right, decided)
    }
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("Cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("Cannot parse {}: {e}", path.display()))
}

fn json_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("Cannot read {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn load_issues(dir: &Path) -> Result<Vec<IssueInput>, String> {
    let mut out = Vec::new();
    for path in json_files(&dir.join("issues"))? {
        let f: IssueFile = read_json(&path)?;
        if f.issue.pull_request.is_some() {
            continue;
        }
        out.push(IssueInput {
            number: f.issue.number,
            title: f.issue.title,
            body: f.issue.body,
            labels: f
                .issue
                .labels
                .into_iter()
                .map(|l| match l {
                    GhLabel::Object { name } | GhLabel::Name(name) => name,
                })
                .collect(),
        });
    }
    out.sort_by_key(|i| i.number);
    Ok(out)
}

fn load_prs(dir: &Path) -> Result<Vec<CorpusPr>, String> {
    let mut out = Vec::new();
    for path in json_files(&dir.join("pulls"))? {
        let p: PullFile = read_json(&path)?;
        out.push(CorpusPr {
            head_ref: p.pull.head.ref_,
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

/// Inverted index over issue keys.
struct Index {
    postings: BTreeMap<i64, Vec<usize>>,
}

impl Index {
    fn new(keys: &[Vec<i64>]) -> Index {
        let mut postings: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
        for (i, ks) in keys.iter().enumerate() {
            for k in ks {
                postings.entry(*k).or_default().push(i);
            }
        }
        Index { postings }
    }

    /// Issues sharing a key with `keys`, best first by summed idf of the shared keys.
    fn candidates(&self, keys: &[i64], stats: &dyn TermStats, skip: Option<usize>) -> Vec<usize> {
        let mut score: BTreeMap<usize, f64> = BTreeMap::new();
        for k in keys {
            let w = clawtriage_triage::issue_match::idf(stats, *k);
            for &j in self.postings.get(k).into_iter().flatten() {
                if Some(j) != skip {
                    *score.entry(j).or_default() += w;
                }
            }
        }
        let mut c: Vec<(usize, f64)> = score.into_iter().collect();
        c.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        c.into_iter().take(MAX_CANDIDATES).map(|(j, _)| j).collect()
    }
}

/// Full comparison of two corpus issues (JSON), with corpus-wide statistics: for
/// debugging one pair from the report.
pub fn explain_pair(dir: &Path, a: u64, b: u64) -> Result<String, String> {
    let engine = IssueEngine::with_defaults().map_err(|e| e.to_string())?;
    let issues = load_issues(dir)?;
    let fps: Vec<IssueFingerprint> = issues.iter().map(|i| engine.fingerprint_issue(i)).collect();
    let mut stats = CorpusStats::new();
    for f in &fps {
        stats.add(f);
    }
    let find = |n: u64| {
        fps.iter()
            .find(|f| f.number == n)
            .ok_or_else(|| format!("issue #{n} not in the corpus"))
    };
    let (fa, fb) = (find(a)?, find(b)?);
    let c = engine.compare_issues(fa, fb, &stats);
    let json = |v: serde_json::Result<String>| v.unwrap_or_else(|e| e.to_string());
    Ok(format!(
        "{}\n#{a}: {}\n#{b}: {}",
        json(serde_json::to_string_pretty(&c)),
        json(serde_json::to_string_pretty(fa)),
        json(serde_json::to_string_pretty(fb))
    ))
}

pub fn run(dir: &Path) -> Result<Report, String> {
    let engine = IssueEngine::with_defaults().map_err(|e| e.to_string())?;
    let pr_engine = Engine::with_defaults().map_err(|e| e.to_string())?;
    let truth: Truth = read_json(&dir.join("truth.json"))?;
    let repo: Option<String> = read_json::<Repo>(&dir.join("repo.json"))
        .ok()
        .map(|r| r.full_name);
    let issues = load_issues(dir)?;
    let prs = load_prs(dir)?;
    let vision_text = std::fs::read_to_string(dir.join("VISION.md")).ok();

    let mut r = Report {
        issues: issues.len(),
        prs: prs.len(),
        vision: vision_text.is_some(),
        ..Report::default()
    };
    let t0 = Instant::now();
    let fps: Vec<IssueFingerprint> = issues.iter().map(|i| engine.fingerprint_issue(i)).collect();
    r.fingerprint_time = t0.elapsed();
    let mut stats = CorpusStats::new();
    for f in &fps {
        stats.add(f);
    }
    let numbers: Vec<u64> = issues.iter().map(|i| i.number).collect();
    let idx_of: BTreeMap<u64, usize> = numbers.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let keys: Vec<Vec<i64>> = fps.iter().map(|f| engine.index_keys(f)).collect();
    let index = Index::new(&keys);

    // Duplicate issues: compare every retrieved pair once.
    let t1 = Instant::now();
    let candidates: Vec<Vec<usize>> = (0..fps.len())
        .map(|i| index.candidates(&keys[i], &stats, Some(i)))
        .collect();
    r.mean_candidates =
        candidates.iter().map(Vec::len).sum::<usize>() as f64 / candidates.len().max(1) as f64;
    let mut results: BTreeMap<(u64, u64), (IssueCategory, f64)> = BTreeMap::new();
    for (i, cands) in candidates.iter().enumerate() {
        for &j in cands {
            let k = pair(numbers[i], numbers[j]);
            if results.contains_key(&k) {
                continue;
            }
            results.insert(k, engine.score_issues(&fps[i], &fps[j], &stats));
            r.compared_pairs += 1;
        }
    }
    r.compare_time = t1.elapsed();

    let mut truth_pairs: BTreeMap<(u64, u64), String> = BTreeMap::new();
    let mut mates: BTreeMap<u64, BTreeSet<u64>> = BTreeMap::new();
    for c in truth
        .issue_clusters
        .iter()
        .filter(|c| c.kind == "DUPLICATE")
    {
        for (x, &a) in c.members.iter().enumerate() {
            for &b in &c.members[x + 1..] {
                truth_pairs.insert(pair(a, b), c.id.clone());
                mates.entry(a).or_default().insert(b);
                mates.entry(b).or_default().insert(a);
            }
        }
    }
    r.dup_truth = truth_pairs.len();
    for (&(a, b), &(cat, score)) in &results {
        match cat {
            IssueCategory::Duplicate => {
                r.dup_pred += 1;
                if truth_pairs.contains_key(&(a, b)) {
                    r.dup_tp += 1;
                } else {
                    r.dup_false_positives.push(format!("#{a}–#{b} {score:.2}"));
                }
            }
            IssueCategory::Related => r.related_pred += 1,
            IssueCategory::NotRelated => {}
        }
    }
    for (&(a, b), id) in &truth_pairs {
        let got = results.get(&(a, b));
        let name = got.map_or("NOT_RETRIEVED", |(c, _)| c.as_str());
        *r.truth_category.entry(name.to_string()).or_default() += 1;
        if got.is_none_or(|(c, _)| *c != IssueCategory::Duplicate) {
            let score = got.map_or(0.0, |x| x.1);
            r.dup_missed
                .push(format!("{id}: #{a}–#{b} got {name} {score:.2}"));
        }
    }
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
        r.topk_total += 1;
        if scored.iter().take(TOP_K).any(|(_, o)| m.contains(o)) {
            r.topk_hits += 1;
        }
    }
    for neg in &truth.issue_negatives {
        for (x, &a) in neg.members.iter().enumerate() {
            for &b in &neg.members[x + 1..] {
                r.negative_pairs += 1;
                if let Some((IssueCategory::Duplicate, s)) = results.get(&pair(a, b)) {
                    r.negative_fp.push(format!(
                        "{} {}: #{a}–#{b} DUPLICATE {s:.2}",
                        neg.id, neg.kind
                    ));
                }
            }
        }
    }

    // PR ↔ issue links.
    let truth_links: BTreeMap<(u64, u64), String> = truth
        .pr_issue_links
        .iter()
        .map(|l| ((l.pr, l.issue), l.kind.clone()))
        .collect();
    let negatives: BTreeSet<(u64, u64)> = truth
        .link_negatives
        .iter()
        .map(|l| (l.pr, l.issue))
        .collect();
    r.link_negative_pairs = negatives.len();
    r.explicit_truth = truth_links.values().filter(|k| *k == "explicit").count();
    r.implicit_truth = truth_links.len() - r.explicit_truth;
    let mut found: BTreeMap<(u64, u64), LinkKind> = BTreeMap::new();
    let mut pr_fps = BTreeMap::new();
    for p in &prs {
        let fp = pr_engine.fingerprint(&p.input);
        let mut symbols: Vec<String> = fp
            .exports()
            .iter()
            .chain(fp.symbols())
            .filter(|s| !s.starts_with('-'))
            .cloned()
            .collect();
        symbols.sort();
        symbols.dedup();
        let link_input = PrLinkInput {
            number: p.input.number,
            title: p.input.title.clone(),
            body: p.input.body.clone(),
            head_ref: Some(p.head_ref.clone()),
            repo: repo.clone(),
            symbols,
            paths: p.input.files.iter().map(|f| f.path.clone()).collect(),
            added_paths: p
                .input
                .files
                .iter()
                .filter(|f| f.status == "added")
                .map(|f| f.path.clone())
                .collect(),
        };
        let pr_text = engine.fingerprint_pr_text(&link_input);
        let cands: Vec<&IssueFingerprint> = index
            .candidates(&engine.index_keys(&pr_text), &stats, None)
            .into_iter()
            .map(|j| &fps[j])
            .collect();
        for l in engine.links_for_pr(&link_input, &cands, &stats) {
            // The service keeps links to issues it knows (its issues table).
            if !idx_of.contains_key(&l.issue) {
                continue;
            }
            let key = (p.input.number, l.issue);
            found.insert(key, l.kind);
            let hit = truth_links.contains_key(&key);
            if l.kind == LinkKind::Suggested {
                r.suggested_pred += 1;
                r.suggested_tp += usize::from(hit);
            } else {
                r.explicit_pred += 1;
                r.explicit_tp += usize::from(hit);
            }
            if !hit {
                r.link_false_positives.push(format!(
                    "PR #{} → #{} {} {:.2}",
                    key.0,
                    key.1,
                    l.kind.as_str(),
                    l.score
                ));
            }
            if negatives.contains(&key) {
                r.link_negative_fp.push(format!(
                    "PR #{} → #{} {} {:.2}",
                    key.0,
                    key.1,
                    l.kind.as_str(),
                    l.score
                ));
            }
        }
        pr_fps.insert(p.input.number, fp);
    }
    for (&(pr, issue), kind) in &truth_links {
        let got = found.get(&(pr, issue));
        // An explicit link must be found from the PR's references; an implicit one can
        // only be suggested (nothing references it).
        let ok = if kind == "explicit" {
            got.is_some_and(|k| *k != LinkKind::Suggested)
        } else {
            got.is_some()
        };
        if kind == "explicit" {
            r.explicit_found += usize::from(ok);
        } else {
            r.implicit_found += usize::from(ok);
        }
        if !ok {
            r.link_missed.push(format!(
                "PR #{pr} → #{issue} ({kind}) got {}",
                got.map_or("nothing", |k| k.as_str())
            ));
        }
    }

    // Scope.
    let vision = vision_text.as_deref().map(|v| engine.parse_vision(v));
    let pr_by_number: BTreeMap<u64, &CorpusPr> = prs.iter().map(|p| (p.input.number, p)).collect();
    let exports_of = |n: u64| -> Vec<String> {
        pr_fps
            .get(&n)
            .map_or_else(Vec::new, |f: &clawtriage_triage::Fingerprint| {
                f.exports()
                    .iter()
                    .filter(|e| !e.starts_with('-'))
                    .cloned()
                    .collect()
            })
    };
    for p in &prs {
        let input = ScopeInput::from_pr(&p.input, &exports_of(p.input.number));
        let a = engine.assess_scope(&input, vision.as_ref());
        *r.scope_all
            .entry(a.verdict.as_str().to_string())
            .or_default() += 1;
        let labelled = truth.scope.iter().any(|s| s.pr == p.input.number);
        if a.verdict == clawtriage_triage::ScopeVerdict::OutOfScope && !labelled {
            let why = a
                .reasons
                .first()
                .map_or(String::new(), |x| x.message.clone());
            r.scope_unlabelled_out
                .push(format!("PR #{} {:?}: {why}", p.input.number, p.input.title));
        }
    }
    for s in &truth.scope {
        let Some(p) = pr_by_number.get(&s.pr) else {
            r.scope_wrong
                .push(format!("PR #{} missing from the corpus", s.pr));
            continue;
        };
        let input = ScopeInput::from_pr(&p.input, &exports_of(s.pr));
        let a = engine.assess_scope(&input, vision.as_ref());
        let got = a.verdict.as_str().to_string();
        *r.scope_confusion
            .entry(s.expected.clone())
            .or_default()
            .entry(got.clone())
            .or_default() += 1;
        r.scope_total += 1;
        if got == s.expected {
            r.scope_correct += 1;
        } else {
            let why: Vec<String> = a
                .reasons
                .iter()
                .take(3)
                .map(|x| {
                    format!(
                        "{:?}/{:?} {:.2} {}",
                        x.kind, x.direction, x.weight, x.message
                    )
                })
                .collect();
            r.scope_wrong.push(format!(
                "PR #{} expected {} got {got} ({:.2}): {}",
                s.pr,
                s.expected,
                a.confidence,
                why.join("; ")
            ));
        }
    }
    Ok(r)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "clawtriage issue quality report")?;
        writeln!(
            f,
            "  issues: {}, PRs: {}; fingerprinting {:.1} ms; {:.1} candidates/issue (cap {MAX_CANDIDATES}); {} pairs scored in {:.1} ms",
            self.issues,
            self.prs,
            self.fingerprint_time.as_secs_f64() * 1e3,
            self.mean_candidates,
            self.compared_pairs,
            self.compare_time.as_secs_f64() * 1e3
        )?;
        writeln!(
            f,
            "  duplicate issues: precision {:.3} ({}/{}), recall {:.3} ({}/{}); RELATED pairs {}",
            self.dup_precision(),
            self.dup_tp,
            self.dup_pred,
            self.dup_recall(),
            self.dup_tp,
            self.dup_truth,
            self.related_pred
        )?;
        let cats: Vec<String> = self
            .truth_category
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        writeln!(f, "    truth pairs got: {}", cats.join(", "))?;
        writeln!(
            f,
            "  top-{TOP_K} hit rate: {:.3} ({}/{})",
            self.topk(),
            self.topk_hits,
            self.topk_total
        )?;
        writeln!(
            f,
            "  issue negatives called DUPLICATE: {} of {} pairs",
            self.negative_fp.len(),
            self.negative_pairs
        )?;
        writeln!(
            f,
            "  explicit links (closing keyword, branch, mention): precision {:.3} ({}/{}), recall {:.3} ({}/{})",
            self.explicit_precision(),
            self.explicit_tp,
            self.explicit_pred,
            self.explicit_recall(),
            self.explicit_found,
            self.explicit_truth
        )?;
        writeln!(
            f,
            "  suggested links: precision {:.3} ({}/{}), recall of implicit links {:.3} ({}/{})",
            self.suggested_precision(),
            self.suggested_tp,
            self.suggested_pred,
            self.suggested_recall(),
            self.implicit_found,
            self.implicit_truth
        )?;
        writeln!(
            f,
            "  all links: precision {:.3}; link negatives linked: {} of {}",
            self.link_precision(),
            self.link_negative_fp.len(),
            self.link_negative_pairs
        )?;
        writeln!(
            f,
            "  scope ({}): accuracy {:.3} ({}/{}); precision of IN/OUT calls {:.3}",
            if self.vision {
                "VISION.md"
            } else {
                "no VISION.md"
            },
            self.scope_accuracy(),
            self.scope_correct,
            self.scope_total,
            self.scope_decided_precision()
        )?;
        let all: Vec<String> = self
            .scope_all
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        writeln!(
            f,
            "    verdicts over all {} PRs: {}",
            self.prs,
            all.join(", ")
        )?;
        for (expected, row) in &self.scope_confusion {
            let cells: Vec<String> = row.iter().map(|(k, v)| format!("{k} {v}")).collect();
            writeln!(f, "    expected {expected:<12} → {}", cells.join(", "))?;
        }
        for (title, list) in [
            ("duplicate false positives", &self.dup_false_positives),
            ("issue negatives called DUPLICATE", &self.negative_fp),
            ("missed duplicate pairs", &self.dup_missed),
            ("link false positives", &self.link_false_positives),
            ("link negatives linked", &self.link_negative_fp),
            ("missed links", &self.link_missed),
            ("scope misses", &self.scope_wrong),
            (
                "OUT_OF_SCOPE calls on unlabelled PRs",
                &self.scope_unlabelled_out,
            ),
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
