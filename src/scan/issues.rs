//! Issues in the pipeline (issue 10): a scan lists a repository's open and recently
//! closed issues and its vision document, analyses the issues whose text changed
//! (fingerprint, term and retrieval keys, duplicate-issue edges), and, when issues or the
//! vision changed, recomputes the links and scope of the open PRs from their stored
//! inputs — no GitHub request per PR. A PR's own ingest computes its links and scope
//! against the issues known then.
//!
//! All of it is assist-only: nothing here writes to GitHub.

use chrono::{DateTime, Utc};
use clawtriage_triage::{
    CorpusStats, IssueCategory, IssueFingerprint, IssueInput, PrLinkInput, ScopeInput, Vision,
};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use super::JobFailure;
use super::engine::Engine;
use super::source::PrSource;
use crate::storage::issue_analysis::{
    self as store, NewIssueEdge, NewIssueFingerprint, NewLink, PendingIssue, PrTextInputs, ScopeRow,
};
use crate::storage::repos::RepoRow;
use crate::storage::{documents, issues};

/// Issues scored per analysed issue (and per PR for links), best retrieval weight first.
pub const CANDIDATE_LIMIT: i64 = 50;
/// A retrieval key held by more issues than this is ignored.
pub const MAX_POSTINGS: i64 = 500;

/// What a scan's issue pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IssueSync {
    /// Open issues listed.
    pub listed: usize,
    /// Issues (re-)analysed.
    pub analysed: usize,
    /// Whether the vision document changed (or appeared or went).
    pub vision_changed: bool,
    /// Open PRs whose links and scope were recomputed.
    pub prs_related: usize,
}

/// The issue pass of a scan of `repo`.
pub async fn sync(
    db: &PgPool,
    source: &impl PrSource,
    engine: &Engine,
    repo: &RepoRow,
    closed_since: DateTime<Utc>,
) -> Result<IssueSync, JobFailure> {
    let listing = source.open_issues(&repo.owner, &repo.name).await?;
    let open = issues::upsert_many(db, repo.id, &listing.issues)
        .await
        .map_err(JobFailure::transient)?;
    if listing.complete {
        let numbers: Vec<i32> = open.iter().map(|i| i.number).collect();
        issues::close_missing(db, repo.id, &numbers)
            .await
            .map_err(JobFailure::transient)?;
    }
    // `since` is part of the URL: the day's start keeps it (and its ETag) the same for a
    // day of hourly scans, so an unchanged listing is a free 304.
    let since = closed_since
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map_or(closed_since, |d| d.and_utc());
    let closed = source
        .recently_closed_issues(&repo.owner, &repo.name, since)
        .await?;
    issues::upsert_many(db, repo.id, &closed)
        .await
        .map_err(JobFailure::transient)?;
    let vision_changed = refresh_vision(db, source, repo, engine.vision_path()).await?;
    let analysed = analyse_pending(db, engine, repo.id).await?;
    let prs_related = if analysed > 0 || vision_changed {
        relate_open_prs(db, engine, repo).await?
    } else {
        0
    };
    Ok(IssueSync {
        listed: open.len(),
        analysed,
        vision_changed,
        prs_related,
    })
}

/// Fetches the vision document (a conditional request: free when unchanged) and stores
/// it; returns whether it changed.
async fn refresh_vision(
    db: &PgPool,
    source: &impl PrSource,
    repo: &RepoRow,
    path: &str,
) -> Result<bool, JobFailure> {
    let fetched = source.file_contents(&repo.owner, &repo.name, path).await?;
    let stored = documents::get(db, repo.id, path)
        .await
        .map_err(JobFailure::transient)?;
    match (fetched, stored) {
        (Some(text), Some(old)) if old.content == text => Ok(false),
        (Some(text), _) => {
            documents::put(db, repo.id, path, &text, None)
                .await
                .map_err(JobFailure::transient)?;
            Ok(true)
        }
        (None, Some(_)) => {
            documents::delete(db, repo.id, path)
                .await
                .map_err(JobFailure::transient)?;
            Ok(true)
        }
        (None, None) => Ok(false),
    }
}

/// After an `issues` webhook: analyses what changed and, if anything did, relates the
/// open PRs to the issues again.
pub async fn after_webhook(db: &PgPool, engine: &Engine, repo_id: i64) -> Result<(), JobFailure> {
    let repo = crate::storage::repos::get(db, repo_id)
        .await
        .map_err(JobFailure::transient)?
        .ok_or_else(|| JobFailure::permanent(anyhow::anyhow!("repository {repo_id} is gone")))?;
    if analyse_pending(db, engine, repo_id).await? > 0 {
        relate_open_prs(db, engine, &repo).await?;
    }
    Ok(())
}

/// Analyses every issue of the repository whose text or engine changed; returns how many.
pub async fn analyse_pending(
    db: &PgPool,
    engine: &Engine,
    repo_id: i64,
) -> Result<usize, JobFailure> {
    let pending = store::pending(db, repo_id, engine.issues().versions())
        .await
        .map_err(JobFailure::transient)?;
    // N of idf, counted once per batch (an issue analysed in it adds one).
    let mut documents = store::document_count(db, repo_id)
        .await
        .map_err(JobFailure::transient)?;
    for issue in &pending {
        analyse_issue(db, engine, repo_id, issue, documents).await?;
        documents += 1;
    }
    Ok(pending.len())
}

/// Fingerprints one issue, indexes it, and scores it against the issues its keys
/// retrieve. The keys are committed before the lookup, so of two duplicates analysed at
/// once the later lookup sees the other (as for PRs).
pub async fn analyse_issue(
    db: &PgPool,
    engine: &Engine,
    repo_id: i64,
    issue: &PendingIssue,
    documents: u64,
) -> Result<(), JobFailure> {
    let ie = engine.issues();
    let fp = ie.fingerprint_issue(&IssueInput {
        number: u64::try_from(issue.number).unwrap_or_default(),
        title: issue.title.clone(),
        body: issue.body.clone(),
        labels: issue.labels.clone(),
    });
    let json = serde_json::to_value(&fp).map_err(JobFailure::permanent)?;
    let (term_keys, index_keys) = (ie.term_keys(&fp), ie.index_keys(&fp));
    let mut tx = db.begin().await.map_err(JobFailure::transient)?;
    store::store_fingerprint(
        &mut tx,
        &NewIssueFingerprint {
            issue_id: issue.id,
            repo_id,
            content_hash: &issue.content_hash,
            versions: ie.versions(),
            fingerprint: &json,
            term_keys: &term_keys,
            index_keys: &index_keys,
        },
    )
    .await
    .map_err(JobFailure::transient)?;
    tx.commit().await.map_err(JobFailure::transient)?;

    let (stats, candidates) = retrieve(
        db,
        repo_id,
        Some(issue.id),
        &index_keys,
        &term_keys,
        documents,
    )
    .await?;
    let mut edges = Vec::new();
    for (other_id, other_state, other) in &candidates {
        // Two closed issues are nobody's triage work.
        if issue.state != "open" && other_state != "open" {
            continue;
        }
        let comparison = ie.compare_issues(&fp, other, &stats);
        if comparison.category == IssueCategory::NotRelated {
            continue;
        }
        let (low, high) = (issue.id.min(*other_id), issue.id.max(*other_id));
        edges.push(NewIssueEdge {
            issue_low: low,
            issue_high: high,
            category: comparison.category.as_str().to_owned(),
            score: comparison.score,
            scores: serde_json::to_value(&comparison.scores).map_err(JobFailure::permanent)?,
            evidence: serde_json::to_value(&comparison.evidence).map_err(JobFailure::permanent)?,
            config_version: ie.config_version().to_owned(),
        });
    }
    let mut tx = db.begin().await.map_err(JobFailure::transient)?;
    store::replace_edges(&mut tx, repo_id, issue.id, &edges)
        .await
        .map_err(JobFailure::transient)?;
    issues::set_analysed(&mut *tx, issue.id, &issue.content_hash, "ANALYSED")
        .await
        .map_err(JobFailure::transient)?;
    tx.commit().await.map_err(JobFailure::transient)?;
    Ok(())
}

/// Candidate issues for `index_keys` with their fingerprints, and the corpus statistics
/// for every term key involved (one query for the frequencies).
async fn retrieve(
    db: &PgPool,
    repo_id: i64,
    exclude: Option<i64>,
    index_keys: &[i64],
    term_keys: &[i64],
    documents: u64,
) -> Result<(CorpusStats, Vec<(i64, String, IssueFingerprint)>), JobFailure> {
    let found = store::candidates(
        db,
        repo_id,
        exclude,
        index_keys,
        documents,
        MAX_POSTINGS,
        CANDIDATE_LIMIT,
    )
    .await
    .map_err(JobFailure::transient)?;
    let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
    let stored = store::fingerprints(db, &ids)
        .await
        .map_err(JobFailure::transient)?;
    let mut candidates = Vec::with_capacity(stored.len());
    let mut keys: Vec<i64> = term_keys.to_vec();
    for row in stored {
        // A fingerprint of another layout is re-made at that issue's next analysis.
        if let Ok(fp) = serde_json::from_value::<IssueFingerprint>(row.fingerprint) {
            keys.extend(fp.term_keys());
            candidates.push((row.issue_id, row.state, fp));
        }
    }
    keys.sort_unstable();
    keys.dedup();
    let counts = store::document_frequencies(db, repo_id, &keys)
        .await
        .map_err(JobFailure::transient)?;
    Ok((CorpusStats::from_counts(documents, counts), candidates))
}

/// The link and scope inputs of a PR just analysed, from its title, body, branch,
/// files and fingerprint.
pub fn text_inputs(
    pr: &clawtriage_triage::PrInput,
    head_ref: Option<&str>,
    repo_full_name: &str,
    fingerprint: &clawtriage_triage::Fingerprint,
) -> (PrLinkInput, ScopeInput) {
    let link = PrLinkInput::from_pr(pr, fingerprint, head_ref, Some(repo_full_name));
    // Removed exports (`-name`) are not what the PR changes.
    let exports: Vec<String> = fingerprint
        .exports()
        .iter()
        .filter(|e| !e.starts_with('-'))
        .cloned()
        .collect();
    (link, ScopeInput::from_pr(pr, &exports))
}

/// Stores a PR's inputs and computes its links and scope now.
pub async fn relate_pr(
    db: &PgPool,
    engine: &Engine,
    repo: &RepoRow,
    inputs: &PrTextInputs,
) -> Result<(), JobFailure> {
    store::put_text_inputs(db, inputs)
        .await
        .map_err(JobFailure::transient)?;
    let context = RelateContext::load(db, engine, repo).await?;
    relate(db, engine, repo, inputs, &context).await
}

/// Recomputes links and scope of every open PR with stored inputs; returns how many.
pub async fn relate_open_prs(
    db: &PgPool,
    engine: &Engine,
    repo: &RepoRow,
) -> Result<usize, JobFailure> {
    let all = store::open_text_inputs(db, repo.id)
        .await
        .map_err(JobFailure::transient)?;
    let context = RelateContext::load(db, engine, repo).await?;
    for inputs in &all {
        relate(db, engine, repo, inputs, &context).await?;
    }
    Ok(all.len())
}

/// What relating a PR needs of its repository, read once per batch.
struct RelateContext {
    /// The parsed vision document and its content hash.
    vision: Option<(Vision, String)>,
    /// Analysed issues (the `N` of idf).
    documents: u64,
}

impl RelateContext {
    async fn load(db: &PgPool, engine: &Engine, repo: &RepoRow) -> Result<Self, JobFailure> {
        let doc = documents::get(db, repo.id, engine.vision_path())
            .await
            .map_err(JobFailure::transient)?;
        let documents = store::document_count(db, repo.id)
            .await
            .map_err(JobFailure::transient)?;
        Ok(Self {
            vision: doc.map(|d| {
                (
                    engine.issues().parse_vision(&d.content),
                    hex_sha256(&d.content),
                )
            }),
            documents,
        })
    }
}

async fn relate(
    db: &PgPool,
    engine: &Engine,
    repo: &RepoRow,
    inputs: &PrTextInputs,
    context: &RelateContext,
) -> Result<(), JobFailure> {
    let ie = engine.issues();
    let (Ok(link_input), Ok(scope_input)) = (
        serde_json::from_value::<PrLinkInput>(inputs.link_input.clone()),
        serde_json::from_value::<ScopeInput>(inputs.scope_input.clone()),
    ) else {
        // Inputs of another layout: the PR's next analysis stores new ones.
        return Ok(());
    };
    // A repository without analysed issues (or with issues turned off) has nothing to
    // suggest: only explicit references are looked up.
    let (stats, candidates) = if context.documents == 0 {
        (CorpusStats::new(), Vec::new())
    } else {
        let pr_text = ie.fingerprint_pr_text(&link_input);
        retrieve(
            db,
            repo.id,
            None,
            &ie.index_keys(&pr_text),
            &ie.term_keys(&pr_text),
            context.documents,
        )
        .await?
    };
    let refs: Vec<&IssueFingerprint> = candidates.iter().map(|(_, _, fp)| fp).collect();
    let links = ie.links_for_pr(&link_input, &refs, &stats);
    // Explicit references may name issues outside the candidates: look them up by number.
    let numbers: Vec<i32> = links
        .iter()
        .filter_map(|l| i32::try_from(l.issue).ok())
        .collect();
    let known = if numbers.is_empty() {
        Vec::new()
    } else {
        store::ids_by_number(db, repo.id, &numbers)
            .await
            .map_err(JobFailure::transient)?
    };
    let mut rows = Vec::new();
    for link in &links {
        let Some(issue_id) = i32::try_from(link.issue)
            .ok()
            .and_then(|n| known.iter().find(|(num, _)| *num == n).map(|(_, id)| *id))
        else {
            // Not an issue we know (another repository's, a PR, or too old).
            continue;
        };
        rows.push(NewLink {
            issue_id,
            kind: link.kind.as_str().to_owned(),
            score: link.score,
            evidence: serde_json::to_value(&link.evidence).map_err(JobFailure::permanent)?,
        });
    }
    let assessment = ie.assess_scope(&scope_input, context.vision.as_ref().map(|(v, _)| v));
    let mut tx = db.begin().await.map_err(JobFailure::transient)?;
    store::replace_links(&mut tx, inputs.pr_id, &rows)
        .await
        .map_err(JobFailure::transient)?;
    store::put_scope(
        &mut *tx,
        &ScopeRow {
            pr_id: inputs.pr_id,
            head_sha: inputs.head_sha.clone(),
            verdict: assessment.verdict.as_str().to_owned(),
            confidence: assessment.confidence,
            reasons: serde_json::to_value(&assessment.reasons).map_err(JobFailure::permanent)?,
            vision_hash: context.vision.as_ref().map(|(_, h)| h.clone()),
        },
    )
    .await
    .map_err(JobFailure::transient)?;
    tx.commit().await.map_err(JobFailure::transient)?;
    Ok(())
}

fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}
