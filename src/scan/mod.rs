//! The scan pipeline: triggers create scans, the `public-pr-scan` job lists a
//! repository's PRs and enqueues `ingest-pr` jobs, which analyse one PR each.

pub mod engine;
pub mod fingerprints;
pub mod ingest;
pub mod issues;
pub mod listing;
pub mod publish;
pub mod report;
pub mod sets;
pub mod source;
pub mod trigger;

/// How a job failed, which decides whether the queue retries it.
#[derive(Debug, thiserror::Error)]
pub enum JobFailure {
    /// Worth retrying (a store or GitHub is briefly unavailable).
    #[error("{0:#}")]
    Transient(anyhow::Error),
    /// Retrying cannot help; the failure is recorded and the job dropped.
    #[error("{0:#}")]
    Permanent(anyhow::Error),
}

impl JobFailure {
    /// A retryable failure.
    pub fn transient(err: impl Into<anyhow::Error>) -> Self {
        Self::Transient(err.into())
    }

    /// A final failure.
    pub fn permanent(err: impl Into<anyhow::Error>) -> Self {
        Self::Permanent(err.into())
    }

    /// Whether retrying cannot help.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_))
    }
}

/// Recounts the progress of the scans touching `scan_id` / `pr_id`; a scan whose every
/// item has settled gets its repository's duplicate sets rebuilt and only then ends, so
/// "done" means the sets are current, and a failed rebuild is retried with the job.
/// Returns whether any unfinished scan was touched (false: an ingest outside any scan).
pub async fn settle(
    db: &sqlx::PgPool,
    engine: &engine::Engine,
    scan_id: Option<uuid::Uuid>,
    pr_id: Option<i64>,
) -> Result<bool, JobFailure> {
    let scans = crate::storage::scans::refresh_progress(db, scan_id, pr_id)
        .await
        .map_err(JobFailure::transient)?;
    for scan in scans.iter().filter(|s| s.settled) {
        if let Some(repo_id) = scan.repo_id {
            sets::reconcile(db, engine, repo_id).await?;
        }
        let ended = crate::storage::scans::finish(db, scan.id, scan.has_failures)
            .await
            .map_err(JobFailure::transient)?;
        if ended {
            tracing::info!(scan.id = %scan.id, failures = scan.has_failures, "Scan finished");
        }
    }
    Ok(!scans.is_empty())
}
