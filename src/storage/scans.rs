//! Scan records: created by the trigger, advanced by the scan job, read by status pollers.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

/// A scan as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanRow {
    /// The job id clients poll.
    pub id: Uuid,
    /// `public-pr-scan-{owner}-{repo}-{snapshot}`.
    pub idempotency_key: String,
    /// Repository owner as requested.
    pub owner: String,
    /// Repository name as requested.
    pub repo: String,
    /// The trigger's snapshot.
    pub snapshot: String,
    /// PR cap, if any.
    pub max_open_prs: Option<i32>,
    /// Our repository id, once the scan has seen the repository.
    pub repo_id: Option<i64>,
    /// queued / running / done / partial / failed.
    pub status: String,
    /// Open PRs listed.
    pub prs_listed: i32,
    /// Ingest jobs enqueued.
    pub enqueued: i32,
    /// PRs skipped because their head was already analysed.
    pub skipped_unchanged: i32,
    /// PRs analysed by this scan's ingests.
    pub analysed: i32,
    /// PRs whose ingest failed permanently.
    pub failed: i32,
    /// GitHub requests the scan made.
    pub github_requests: i32,
    /// Of those, answered 304.
    pub github_not_modified: i32,
    /// GitHub rate-limit budget left when last seen.
    pub rate_limit_remaining: Option<i32>,
    /// When that budget resets.
    pub rate_limit_reset_at: Option<DateTime<Utc>>,
    /// Why the scan failed or is partial.
    pub error: Option<String>,
    /// Trigger time.
    pub created_at: DateTime<Utc>,
    /// When the scan job started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it reached a final state.
    pub finished_at: Option<DateTime<Utc>>,
}

/// What a trigger asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScan {
    /// Repository owner.
    pub owner: String,
    /// Repository name.
    pub repo: String,
    /// Snapshot.
    pub snapshot: String,
    /// PR cap.
    pub max_open_prs: Option<u32>,
    /// Idempotency key.
    pub idempotency_key: String,
}

/// Inserts the scan unless one with the same idempotency key exists. Returns the scan
/// and whether this call created it. Safe under concurrent calls.
pub async fn insert_or_get(
    db: impl PgExecutor<'_> + Copy,
    scan: &NewScan,
) -> Result<(ScanRow, bool), sqlx::Error> {
    let max = scan
        .max_open_prs
        .map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    let inserted: Option<ScanRow> = sqlx::query_as(
        "INSERT INTO scans (id, idempotency_key, owner, repo, snapshot, max_open_prs)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING *",
    )
    .bind(Uuid::new_v4())
    .bind(&scan.idempotency_key)
    .bind(&scan.owner)
    .bind(&scan.repo)
    .bind(&scan.snapshot)
    .bind(max)
    .fetch_optional(db)
    .await?;
    if let Some(row) = inserted {
        return Ok((row, true));
    }
    let existing = sqlx::query_as("SELECT * FROM scans WHERE idempotency_key = $1")
        .bind(&scan.idempotency_key)
        .fetch_one(db)
        .await?;
    Ok((existing, false))
}

/// A scan by id.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<ScanRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM scans WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// A scan by idempotency key (the job knows its key, not the id).
pub async fn by_key(db: impl PgExecutor<'_>, key: &str) -> Result<Option<ScanRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM scans WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(db)
        .await
}

/// Deletes a scan that was never enqueued (the queue refused it), so a retry of the
/// trigger can enqueue it again.
pub async fn delete_queued(db: impl PgExecutor<'_>, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM scans WHERE id = $1 AND status = 'queued'")
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}

/// The most recent scans, newest first.
pub async fn recent(db: impl PgExecutor<'_>, limit: i64) -> Result<Vec<ScanRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM scans ORDER BY created_at DESC LIMIT $1")
        .bind(limit)
        .fetch_all(db)
        .await
}

/// Marks a scan running (first start or a retry).
pub async fn mark_running(db: impl PgExecutor<'_>, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE scans SET status = 'running', started_at = COALESCE(started_at, now())
         WHERE id = $1 AND status IN ('queued', 'running')",
    )
    .bind(id)
    .execute(db)
    .await
    .map(|_| ())
}

/// What the listing found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListingCounts {
    /// PRs listed.
    pub listed: i32,
    /// Ingests enqueued.
    pub enqueued: i32,
    /// PRs skipped as unchanged.
    pub skipped_unchanged: i32,
}

/// GitHub usage so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GithubUsage {
    /// Requests made.
    pub requests: i32,
    /// Of those, answered 304.
    pub not_modified: i32,
    /// Budget left when last seen.
    pub rate_limit_remaining: Option<i32>,
    /// When the budget resets.
    pub rate_limit_reset_at: Option<DateTime<Utc>>,
}

/// Records the items a scan enqueued (idempotent: a retried scan adds nothing twice).
pub async fn add_items(
    db: impl PgExecutor<'_>,
    scan_id: Uuid,
    items: &[(i64, String)],
) -> Result<(), sqlx::Error> {
    if items.is_empty() {
        return Ok(());
    }
    let pr_ids: Vec<i64> = items.iter().map(|(id, _)| *id).collect();
    let heads: Vec<String> = items.iter().map(|(_, h)| h.clone()).collect();
    sqlx::query(
        "INSERT INTO scan_items (scan_id, pr_id, head_sha)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::text[]) ON CONFLICT (scan_id, pr_id) DO NOTHING",
    )
    .bind(scan_id)
    .bind(pr_ids)
    .bind(heads)
    .execute(db)
    .await
    .map(|_| ())
}

/// Stores the listing's outcome and marks the listing complete. Its GitHub usage adds to
/// what ingests that finished first have already counted.
pub async fn complete_listing(
    db: impl PgExecutor<'_>,
    id: Uuid,
    repo_id: i64,
    counts: ListingCounts,
    usage: GithubUsage,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE scans SET repo_id = $2, prs_listed = $3, enqueued = $4, skipped_unchanged = $5,
                github_requests = github_requests + $6, github_not_modified = github_not_modified + $7,
                rate_limit_remaining = COALESCE($8, rate_limit_remaining),
                rate_limit_reset_at = COALESCE($9, rate_limit_reset_at), listing_complete = true
         WHERE id = $1",
    )
    .bind(id)
    .bind(repo_id)
    .bind(counts.listed)
    .bind(counts.enqueued)
    .bind(counts.skipped_unchanged)
    .bind(usage.requests)
    .bind(usage.not_modified)
    .bind(usage.rate_limit_remaining)
    .bind(usage.rate_limit_reset_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// Adds an ingest's GitHub usage to every unfinished scan waiting on that PR.
pub async fn add_usage_for_pr(
    db: impl PgExecutor<'_>,
    pr_id: i64,
    usage: GithubUsage,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE scans s SET github_requests = s.github_requests + $2,
                github_not_modified = s.github_not_modified + $3,
                rate_limit_remaining = COALESCE($4, s.rate_limit_remaining),
                rate_limit_reset_at = COALESCE($5, s.rate_limit_reset_at)
         FROM scan_items i
         WHERE i.scan_id = s.id AND i.pr_id = $1 AND s.status IN ('queued', 'running')",
    )
    .bind(pr_id)
    .bind(usage.requests)
    .bind(usage.not_modified)
    .bind(usage.rate_limit_remaining)
    .bind(usage.rate_limit_reset_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// Recounts the progress of the unfinished scans that include `pr_id` (or scan `id`)
/// from the PRs' analysis state, and returns them, `settled` when every item has (an
/// item whose PR moved to a newer head counts as settled: the newer head is another
/// ingest's work). Settled scans stay `running` until [`finish`]: the duplicate sets
/// are rebuilt first, and a failure there leaves the scan for the job's retry to settle.
pub async fn refresh_progress(
    db: impl PgExecutor<'_>,
    scan_id: Option<Uuid>,
    pr_id: Option<i64>,
) -> Result<Vec<SettledScan>, sqlx::Error> {
    sqlx::query_as(
        "WITH targets AS (
             SELECT s.id FROM scans s
             WHERE s.status IN ('queued', 'running')
               AND ($1::uuid IS NULL OR s.id = $1)
               AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM scan_items i WHERE i.scan_id = s.id AND i.pr_id = $2))
         ),
         tally AS (
             SELECT t.id,
                    count(i.pr_id) FILTER (WHERE p.head_sha = i.head_sha AND p.analysed_head_sha = i.head_sha
                                                AND p.analysis_status IN ('ANALYSED', 'DEGRADED')) AS analysed,
                    count(i.pr_id) FILTER (WHERE p.head_sha = i.head_sha AND p.analysed_head_sha = i.head_sha
                                                AND p.analysis_status = 'FAILED') AS failed,
                    count(i.pr_id) FILTER (WHERE p.head_sha <> i.head_sha) AS superseded,
                    count(i.pr_id) AS total
             FROM targets t
             LEFT JOIN scan_items i ON i.scan_id = t.id
             LEFT JOIN pull_requests p ON p.id = i.pr_id
             GROUP BY t.id
         )
         UPDATE scans s SET
             analysed = tally.analysed + tally.superseded,
             failed = tally.failed
         FROM tally WHERE tally.id = s.id
         RETURNING s.id, s.repo_id, (tally.failed > 0) AS has_failures,
                   (s.listing_complete AND tally.analysed + tally.failed + tally.superseded >= tally.total) AS settled",
    )
    .bind(scan_id)
    .bind(pr_id)
    .fetch_all(db)
    .await
}

/// An unfinished scan recounted by [`refresh_progress`].
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SettledScan {
    /// The scan.
    pub id: Uuid,
    /// Its repository.
    pub repo_id: Option<i64>,
    /// Whether any PR failed (the scan ends `partial`).
    pub has_failures: bool,
    /// Whether every item has settled.
    pub settled: bool,
}

/// Ends a settled scan: `done`, or `partial` when some PR failed. Returns false when
/// another worker ended it first.
pub async fn finish(
    db: impl PgExecutor<'_>,
    id: Uuid,
    has_failures: bool,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE scans SET status = $2, finished_at = now()
         WHERE id = $1 AND status IN ('queued', 'running')",
    )
    .bind(id)
    .bind(if has_failures { "partial" } else { "done" })
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Marks a scan failed with the reason (the listing could not be completed).
pub async fn fail(db: impl PgExecutor<'_>, id: Uuid, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE scans SET status = 'failed', error = $2, finished_at = now()
         WHERE id = $1 AND status IN ('queued', 'running')",
    )
    .bind(id)
    .bind(error)
    .execute(db)
    .await
    .map(|_| ())
}
