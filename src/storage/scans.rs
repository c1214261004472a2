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
