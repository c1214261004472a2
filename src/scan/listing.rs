//! The `public-pr-scan` job: list a repository's PRs, store them, and enqueue an
//! ingest for every PR whose head has not been analysed with the current engine.
//! Unchanged PRs cost nothing beyond the (conditional) list pages.

use chrono::{Duration, Utc};
use sqlx::PgPool;

use super::JobFailure;
use super::engine::Engine;
use super::source::{PrSource, SourceError, SourceUsage, metered};
use crate::storage::scans::{self, GithubUsage, ListingCounts, NewScan};
use crate::storage::{analyses, prs, repos};
use crate::worker::jobs::{IngestPr, PublicPrScan};
use crate::worker::queue::Queues;

/// Runs one scan to the end of its listing; `final_attempt` turns a transient failure
/// into a failed scan. Safe to run again for the same scan: PRs,
/// items and ingests are all keyed, and a finished scan is left alone.
pub async fn run(
    db: &PgPool,
    queues: &Queues,
    source: &impl PrSource,
    engine: &Engine,
    job: &PublicPrScan,
    landed_window: Duration,
    final_attempt: bool,
) -> Result<(), JobFailure> {
    let key = job.idempotency_key();
    // A scan pushed by the built-in schedule (or a lost trigger row) has no row yet.
    let new = NewScan {
        owner: job.owner.clone(),
        repo: job.repo.clone(),
        snapshot: job.snapshot.clone(),
        max_open_prs: job.max_open_prs,
        idempotency_key: key,
    };
    let (scan, _) = scans::insert_or_get(db, &new)
        .await
        .map_err(JobFailure::transient)?;
    if !matches!(scan.status.as_str(), "queued" | "running") {
        tracing::info!(scan.id = %scan.id, status = %scan.status, "Scan already finished");
        return Ok(());
    }
    scans::mark_running(db, scan.id)
        .await
        .map_err(JobFailure::transient)?;
    let (result, usage) = metered(
        source,
        list_and_enqueue(db, queues, source, engine, job, scan.id, landed_window),
    )
    .await;
    let usage = to_github_usage(usage);
    match result {
        Ok((repo_id, counts)) => {
            scans::complete_listing(db, scan.id, repo_id, counts, usage)
                .await
                .map_err(JobFailure::transient)?;
            super::settle(db, engine, Some(scan.id), None).await?;
            prune_etag_memory(db).await;
            tracing::info!(
                scan.id = %scan.id, listed = counts.listed, enqueued = counts.enqueued,
                skipped = counts.skipped_unchanged, github.requests = usage.requests,
                "Listed {}/{}", job.owner, job.repo
            );
            Ok(())
        }
        Err(failure) => {
            // The last attempt settles the scan as failed rather than leave it running.
            if failure.is_permanent() || final_attempt {
                scans::fail(db, scan.id, &failure.to_string())
                    .await
                    .map_err(JobFailure::transient)?;
            }
            Err(failure)
        }
    }
}

/// ETag entries not refreshed for this long are dropped at the end of a listing: the
/// pages of repositories no longer scanned. (A page answered 304 keeps its old entry, so
/// a long-unchanged page costs one full request a month.)
pub const ETAG_MAX_AGE: Duration = Duration::days(30);

async fn prune_etag_memory(db: &PgPool) {
    match crate::github::cache::prune(db, Utc::now() - ETAG_MAX_AGE).await {
        Ok(0) => {}
        Ok(pruned) => tracing::info!(pruned, "Pruned the GitHub ETag memory"),
        Err(err) => tracing::warn!("Cannot prune the GitHub ETag memory: {err}"),
    }
}

type ListingOutcome = (i64, ListingCounts);

async fn list_and_enqueue(
    db: &PgPool,
    queues: &Queues,
    source: &impl PrSource,
    engine: &Engine,
    job: &PublicPrScan,
    scan_id: uuid::Uuid,
    landed_window: Duration,
) -> Result<ListingOutcome, JobFailure> {
    let repo_info = source.repository(&job.owner, &job.repo).await?;
    let repo = repos::upsert(db, &repo_info)
        .await
        .map_err(JobFailure::transient)?;
    let max = job.max_open_prs.map(|n| n as usize);
    let listing = source.open_pulls(&repo.owner, &repo.name, max).await?;
    let open = prs::upsert_many(db, repo.id, &listing.pulls)
        .await
        .map_err(JobFailure::transient)?;
    if listing.complete {
        let numbers: Vec<i32> = open.iter().map(|p| p.number).collect();
        prs::close_missing(db, repo.id, &numbers)
            .await
            .map_err(JobFailure::transient)?;
    }
    // Merged PRs of this window are indexed too, so open PRs repeating them are flagged.
    let since = Utc::now() - landed_window;
    let closed = source
        .recently_closed(&repo.owner, &repo.name, since)
        .await?;
    let merged: Vec<_> = closed.into_iter().filter(|p| p.state == "merged").collect();
    let merged = prs::upsert_many(db, repo.id, &merged)
        .await
        .map_err(JobFailure::transient)?;

    // Issues before the PR ingests start, so each PR is linked against them.
    let issues = super::issues::sync(db, source, engine, &repo, since).await?;
    tracing::info!(
        issues.listed = issues.listed,
        issues.analysed = issues.analysed,
        vision.changed = issues.vision_changed,
        prs.related = issues.prs_related,
        "Issues of {}/{}",
        repo.owner,
        repo.name
    );

    let candidates: Vec<_> = open.iter().chain(&merged).collect();
    let ids: Vec<i64> = candidates.iter().map(|p| p.id).collect();
    let done = analyses::analysed_at_current_head(db, &ids, engine.versions())
        .await
        .map_err(JobFailure::transient)?;
    let done: std::collections::HashSet<i64> = done.into_iter().collect();
    let todo: Vec<_> = candidates
        .iter()
        .filter(|p| !done.contains(&p.id))
        .collect();
    // Items first: an ingest that finishes before the listing does must already count
    // for this scan (its progress and its GitHub usage).
    let items: Vec<(i64, String)> = todo.iter().map(|p| (p.id, p.head_sha.clone())).collect();
    scans::add_items(db, scan_id, &items)
        .await
        .map_err(JobFailure::transient)?;
    for pr in &todo {
        let ingest = IngestPr {
            repo_id: repo.id,
            pr_number: i64::from(pr.number),
            pr_id: pr.github_id,
            head_sha: pr.head_sha.clone(),
        };
        queues
            .push_ingest(ingest)
            .await
            .map_err(|e| JobFailure::transient(anyhow::anyhow!(e)))?;
    }
    let counts = ListingCounts {
        listed: i32::try_from(open.len()).unwrap_or(i32::MAX),
        enqueued: i32::try_from(items.len()).unwrap_or(i32::MAX),
        skipped_unchanged: i32::try_from(candidates.len() - items.len()).unwrap_or(i32::MAX),
    };
    Ok((repo.id, counts))
}

/// Scan-status usage from the client's counters.
pub fn to_github_usage(usage: SourceUsage) -> GithubUsage {
    GithubUsage {
        requests: i32::try_from(usage.requests).unwrap_or(i32::MAX),
        not_modified: i32::try_from(usage.not_modified).unwrap_or(i32::MAX),
        rate_limit_remaining: usage
            .rate_limit_remaining
            .and_then(|r| i32::try_from(r).ok()),
        rate_limit_reset_at: usage.rate_limit_reset,
    }
}

impl From<SourceError> for JobFailure {
    fn from(err: SourceError) -> Self {
        match err {
            SourceError::Transient(_) => JobFailure::Transient(err.into()),
            SourceError::Permanent(_) => JobFailure::Permanent(err.into()),
        }
    }
}
