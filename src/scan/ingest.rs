//! The `ingest-pr` job: fetch one PR's files at one head, fingerprint them, index the
//! fingerprint, score the candidates the index returns, and store the edges.
//!
//! Order independence: the fingerprint is indexed and committed *before* candidates
//! are looked up, so of two duplicates ingested at the same moment, at least the later
//! lookup sees the other; the edge row is shared by both sides.

use std::collections::HashSet;
use std::sync::Arc;

use sqlx::PgPool;

use super::JobFailure;
use super::engine::Engine;
use super::listing::to_github_usage;
use super::source::{PrSource, SourceError, metered};
use crate::storage::analyses::{self, NewAnalysis};
use crate::storage::edges::{self, NewEdge};
use crate::storage::{feedback, index, prs, repos, scans};
use crate::worker::jobs::IngestPr;

/// At most this many candidates are scored per PR (the index ranks them by shared keys).
pub const CANDIDATE_LIMIT: i64 = 100;
/// A key held by more PRs than this says nothing about duplication (e.g. `src/`).
pub const MAX_POSTINGS: i64 = 100;

/// What happened to the PR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Analysed now (ANALYSED or DEGRADED).
    Analysed,
    /// Already analysed at this head with this engine.
    AlreadyAnalysed,
    /// The PR has moved to another head; that head's ingest does the work.
    Superseded,
    /// Recorded as FAILED with the reason.
    Failed,
}

/// Runs one ingest. `final_attempt` turns a transient failure into a recorded FAILED
/// analysis instead of another retry, so a scan always settles.
pub async fn run(
    db: &PgPool,
    source: &impl PrSource,
    engine: &Engine,
    job: &IngestPr,
    final_attempt: bool,
) -> Result<IngestOutcome, JobFailure> {
    let repo = repos::get(db, job.repo_id)
        .await
        .map_err(JobFailure::transient)?
        .ok_or_else(|| {
            JobFailure::permanent(anyhow::anyhow!("repository {} is gone", job.repo_id))
        })?;
    let number = i32::try_from(job.pr_number)
        .map_err(|_| JobFailure::permanent(anyhow::anyhow!("bad PR number")))?;
    let pr = prs::by_number(db, repo.id, number)
        .await
        .map_err(JobFailure::transient)?
        .ok_or_else(|| JobFailure::permanent(anyhow::anyhow!("PR #{number} is not stored")))?;
    if pr.head_sha != job.head_sha {
        super::settle(db, engine, None, Some(pr.id)).await?;
        return Ok(IngestOutcome::Superseded);
    }
    let done = analyses::analysed_at_current_head(db, &[pr.id], engine.versions())
        .await
        .map_err(JobFailure::transient)?;
    if !done.is_empty() {
        super::settle(db, engine, None, Some(pr.id)).await?;
        return Ok(IngestOutcome::AlreadyAnalysed);
    }

    let (fetched, usage) = metered(source, source.files(&repo.owner, &repo.name, pr.number)).await;
    let usage = to_github_usage(usage);
    scans::add_usage_for_pr(db, pr.id, usage)
        .await
        .map_err(JobFailure::transient)?;
    let files = match fetched {
        Ok(files) => files,
        Err(SourceError::Transient(reason)) if !final_attempt => {
            return Err(JobFailure::Transient(anyhow::anyhow!(reason)));
        }
        Err(err) => {
            record_failure(db, engine, pr.id, &pr.head_sha, &err.to_string()).await?;
            return Ok(IngestOutcome::Failed);
        }
    };

    let analysed = engine.analyse(pr.number, &pr.title, pr.body.as_deref(), &files);
    let status = if analysed.degraded_reasons.is_empty() {
        "ANALYSED"
    } else {
        "DEGRADED"
    };
    let additions: u32 = files.iter().map(|f| f.additions).sum();
    let deletions: u32 = files.iter().map(|f| f.deletions).sum();
    let size = (
        clamp(additions),
        clamp(deletions),
        clamp(files.len() as u32),
    );
    let mut tx = db.begin().await.map_err(JobFailure::transient)?;
    prs::replace_files(&mut tx, pr.id, &pr.head_sha, &analysed.files)
        .await
        .map_err(JobFailure::transient)?;
    analyses::upsert(
        &mut *tx,
        &NewAnalysis {
            pr_id: pr.id,
            head_sha: &pr.head_sha,
            versions: engine.versions(),
            status,
            degraded_reasons: &analysed.degraded_reasons,
            error: None,
            fingerprint: Some(&analysed.fingerprint),
        },
    )
    .await
    .map_err(JobFailure::transient)?;
    index::replace_keys(&mut tx, repo.id, pr.id, &analysed.keys)
        .await
        .map_err(JobFailure::transient)?;
    tx.commit().await.map_err(JobFailure::transient)?;
    engine
        .fingerprints()
        .insert(pr.id, &pr.head_sha, Arc::clone(&analysed.decoded));

    let edges = score_candidates(db, engine, repo.id, &pr, &analysed.keys).await?;
    // Links to issues and the scope verdict, from inputs kept for later recomputation.
    // Before the outcome: a failure here retries the whole (idempotent) ingest.
    let (link_input, scope_input) = super::issues::text_inputs(
        &analysed.input,
        pr.head_ref.as_deref(),
        &format!("{}/{}", repo.owner, repo.name),
        &analysed.decoded,
    );
    let inputs = crate::storage::issue_analysis::PrTextInputs {
        pr_id: pr.id,
        head_sha: pr.head_sha.clone(),
        link_input: serde_json::to_value(&link_input).map_err(JobFailure::permanent)?,
        scope_input: serde_json::to_value(&scope_input).map_err(JobFailure::permanent)?,
    };
    super::issues::relate_pr(db, engine, &repo, &inputs).await?;
    // The PR counts as analysed only together with its edges, so the ingest that
    // completes a scan sees every edge when it rebuilds the duplicate sets.
    let degraded = analysed.degraded_reasons.join("; ");
    let mut tx = db.begin().await.map_err(JobFailure::transient)?;
    edges::store_for_pr(&mut tx, repo.id, pr.id, &pr.head_sha, &edges)
        .await
        .map_err(JobFailure::transient)?;
    prs::set_analysis_outcome(
        &mut *tx,
        pr.id,
        &pr.head_sha,
        status,
        (!degraded.is_empty()).then_some(degraded.as_str()),
        Some(size),
    )
    .await
    .map_err(JobFailure::transient)?;
    tx.commit().await.map_err(JobFailure::transient)?;
    // A webhook's ingest belongs to no scan: its repository's sets are rebuilt now, but
    // only when they can change (the PR has a duplicate edge, or was in a set).
    if !super::settle(db, engine, None, Some(pr.id)).await? {
        let strong = edges
            .iter()
            .any(|e| super::sets::SET_CATEGORIES.contains(&e.category.as_str()));
        let in_set = crate::storage::sets::active_set_of(db, pr.id)
            .await
            .map_err(JobFailure::transient)?
            .is_some();
        if strong || in_set {
            super::sets::reconcile(db, engine, repo.id).await?;
        }
    }
    tracing::info!(
        repo.id = repo.id,
        pr.number = pr.number,
        edges = edges.len(),
        status,
        "Ingested #{}",
        pr.number
    );
    Ok(IngestOutcome::Analysed)
}

fn clamp(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Scores this PR against the candidates its keys retrieve, loading their fingerprints
/// in one query. Pairs a maintainer marked NOT_RELATED stay apart; two PRs that are both
/// closed or merged are not compared (nothing to triage between them).
async fn score_candidates(
    db: &PgPool,
    engine: &Engine,
    repo_id: i64,
    pr: &prs::PrRow,
    keys: &[i64],
) -> Result<Vec<NewEdge>, JobFailure> {
    let found = index::candidates(db, repo_id, pr.id, keys, MAX_POSTINGS, CANDIDATE_LIMIT)
        .await
        .map_err(JobFailure::transient)?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
    ids.push(pr.id);
    let decoded = engine
        .fingerprints()
        .load(db, engine, &ids)
        .await
        .map_err(JobFailure::transient)?;
    let Some((mine, my_fp)) = decoded.iter().find(|(f, _)| f.pr_id == pr.id) else {
        return Ok(Vec::new());
    };
    let suppressed: HashSet<(i64, i64)> = feedback::suppressed_pairs(db, repo_id)
        .await
        .map_err(JobFailure::transient)?
        .into_iter()
        .collect();
    let mut edges = Vec::new();
    for (other, other_fp) in decoded.iter().filter(|(f, _)| f.pr_id != pr.id) {
        if mine.state != "open" && other.state != "open" {
            continue;
        }
        // The low id is always the evidence's `a` side, whichever PR found the pair.
        let ((low, low_fp), (high, high_fp)) = if mine.pr_id < other.pr_id {
            ((mine, my_fp), (other, other_fp))
        } else {
            ((other, other_fp), (mine, my_fp))
        };
        if suppressed.contains(&(low.pr_id, high.pr_id)) {
            continue;
        }
        if let Some(scored) = engine.compare(low_fp, high_fp) {
            edges.push(NewEdge {
                pr_low: low.pr_id,
                head_low: low.head_sha.clone(),
                pr_high: high.pr_id,
                head_high: high.head_sha.clone(),
                category: scored.category,
                final_score: scored.final_score,
                scores: scored.scores,
                evidence: scored.evidence,
                config_version: engine.versions().config.clone(),
            });
        }
    }
    Ok(edges)
}

async fn record_failure(
    db: &PgPool,
    engine: &Engine,
    pr_id: i64,
    head_sha: &str,
    reason: &str,
) -> Result<(), JobFailure> {
    tracing::warn!(pr.id = pr_id, "Ingest failed permanently: {reason}");
    analyses::upsert(
        db,
        &NewAnalysis {
            pr_id,
            head_sha,
            versions: engine.versions(),
            status: "FAILED",
            degraded_reasons: &[],
            error: Some(reason),
            fingerprint: None,
        },
    )
    .await
    .map_err(JobFailure::transient)?;
    prs::set_analysis_outcome(db, pr_id, head_sha, "FAILED", Some(reason), None)
        .await
        .map_err(JobFailure::transient)?;
    super::settle(db, engine, None, Some(pr_id)).await?;
    Ok(())
}
