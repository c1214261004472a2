//! The scan pipeline: triggers create scans, the `public-pr-scan` job lists a
//! repository's PRs and enqueues `ingest-pr` jobs, which analyse one PR each.

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
