//! What the scan pipeline needs from GitHub, in its own vocabulary. The GitHub client
//! implements it; the pipeline neither knows REST shapes nor retries.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};

pub use crate::github::issues::IssueListing;
use crate::storage::issues::IssueUpsert;
use crate::storage::prs::PrUpsert;
use crate::storage::repos::RepoUpsert;

/// A changed file of a PR, as the engine needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    /// Path after the change.
    pub path: String,
    /// Path before a rename.
    pub previous_path: Option<String>,
    /// added / modified / removed / renamed / copied / changed / unchanged.
    pub status: String,
    /// Lines added.
    pub additions: u32,
    /// Lines removed.
    pub deletions: u32,
    /// The unified diff; `None` when GitHub omitted it (too large, or binary).
    pub patch: Option<String>,
}

/// GitHub usage, for scan status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourceUsage {
    /// Requests sent.
    pub requests: u64,
    /// Of those, answered 304 Not Modified.
    pub not_modified: u64,
    /// Rate-limit budget left, when known.
    pub rate_limit_remaining: Option<u64>,
    /// When the budget resets, when known.
    pub rate_limit_reset: Option<DateTime<Utc>>,
}

impl SourceUsage {
    /// What was spent between `before` and `self`.
    pub fn since(&self, before: &SourceUsage) -> SourceUsage {
        SourceUsage {
            requests: self.requests.saturating_sub(before.requests),
            not_modified: self.not_modified.saturating_sub(before.not_modified),
            rate_limit_remaining: self.rate_limit_remaining,
            rate_limit_reset: self.rate_limit_reset,
        }
    }
}

/// A failure to read from GitHub, classified for the job runner.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Worth retrying later (5xx, timeouts, secondary limits beyond the client's bound).
    #[error("GitHub is unavailable: {0}")]
    Transient(String),
    /// Retrying will not help (404, 410, 422, malformed answers).
    #[error("GitHub refused: {0}")]
    Permanent(String),
}

/// The GitHub operations a scan uses.
pub trait PrSource: Send + Sync {
    /// The repository.
    fn repository(
        &self,
        owner: &str,
        repo: &str,
    ) -> impl Future<Output = Result<RepoUpsert, SourceError>> + Send;

    /// Open PRs, newest first, at most `max` when given; `complete` is false when `max`
    /// cut the listing short.
    fn open_pulls(
        &self,
        owner: &str,
        repo: &str,
        max: Option<usize>,
    ) -> impl Future<Output = Result<Listing, SourceError>> + Send;

    /// PRs closed or merged since `since`.
    fn recently_closed(
        &self,
        owner: &str,
        repo: &str,
        since: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<PrUpsert>, SourceError>> + Send;

    /// A PR's changed files (all pages).
    fn files(
        &self,
        owner: &str,
        repo: &str,
        number: i32,
    ) -> impl Future<Output = Result<Vec<ChangedFile>, SourceError>> + Send;

    /// Open issues (not PRs), newest first; `complete` is false when the listing was cut
    /// short. A repository with issues turned off has none.
    fn open_issues(
        &self,
        owner: &str,
        repo: &str,
    ) -> impl Future<Output = Result<IssueListing, SourceError>> + Send;

    /// Issues closed since `since`.
    fn recently_closed_issues(
        &self,
        owner: &str,
        repo: &str,
        since: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<IssueUpsert>, SourceError>> + Send;

    /// A text file of the default branch (the vision document), `None` when absent.
    fn file_contents(
        &self,
        owner: &str,
        repo: &str,
        path: &str,
    ) -> impl Future<Output = Result<Option<String>, SourceError>> + Send;

    /// Usage so far.
    fn usage(&self) -> SourceUsage;
}

/// A listing of open PRs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    /// The PRs.
    pub pulls: Vec<PrUpsert>,
    /// Whether every open PR is in `pulls`.
    pub complete: bool,
}

/// Requests made on behalf of one job. A client is shared by every job of a worker, so
/// its own counters mix concurrent jobs; this one follows the job's future.
#[derive(Debug, Default)]
struct Meter {
    requests: AtomicU64,
    not_modified: AtomicU64,
}

tokio::task_local! {
    static METER: Arc<Meter>;
}

/// Counts one request sent to GitHub for the job being metered, if any (called by the
/// client).
pub fn meter_request() {
    let _ = METER.try_with(|m| m.requests.fetch_add(1, Ordering::Relaxed));
}

/// Counts one 304 answer for the job being metered, if any (called by the client).
pub fn meter_not_modified() {
    let _ = METER.try_with(|m| m.not_modified.fetch_add(1, Ordering::Relaxed));
}

/// Runs `work` and returns what it cost on GitHub: its own requests and 304s, and the
/// rate-limit budget `source` knew afterwards.
pub async fn metered<T>(source: &impl PrSource, work: impl Future<Output = T>) -> (T, SourceUsage) {
    let meter = Arc::new(Meter::default());
    let output = METER.scope(Arc::clone(&meter), work).await;
    let known = source.usage();
    let usage = SourceUsage {
        requests: meter.requests.load(Ordering::Relaxed),
        not_modified: meter.not_modified.load(Ordering::Relaxed),
        rate_limit_remaining: known.rate_limit_remaining,
        rate_limit_reset: known.rate_limit_reset,
    };
    (output, usage)
}
