//! What can go wrong talking to GitHub, classified so the job runner knows whether a
//! retry later can help.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::scan::source::SourceError;

/// A failed GitHub call, after the client's own retries and rate-limit waits.
#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    /// The resource does not exist (404) or is gone (410).
    #[error("{method} {path}: not found on GitHub ({status})")]
    NotFound {
        /// HTTP method.
        method: &'static str,
        /// Path and query of the request.
        path: String,
        /// 404 or 410.
        status: u16,
    },
    /// GitHub refused the request for a reason a retry cannot change (401, 403 without
    /// rate-limit signs, 422, other 4xx).
    #[error("{method} {path}: GitHub answered {status}: {message}")]
    Refused {
        /// HTTP method.
        method: &'static str,
        /// Path and query of the request.
        path: String,
        /// The status.
        status: u16,
        /// GitHub's `message`, shortened.
        message: String,
    },
    /// 5xx answers, secondary rate limits or connection failures outlasted the retry
    /// policy.
    #[error("{method} {path}: gave up after {attempts} attempts, last: {last}")]
    Unavailable {
        /// HTTP method.
        method: &'static str,
        /// Path and query of the request.
        path: String,
        /// Attempts made.
        attempts: u32,
        /// What the last attempt got.
        last: String,
    },
    /// The primary rate limit is exhausted and resets later than the client may wait.
    #[error(
        "GitHub rate limit exhausted until {reset}; that is {wait:?} away, more than the {max_wait:?} the client may wait"
    )]
    RateLimited {
        /// When the budget comes back.
        reset: DateTime<Utc>,
        /// How long that is from now.
        wait: Duration,
        /// The configured bound.
        max_wait: Duration,
    },
    /// An answer that is not what GitHub documents (bad JSON, a foreign `Link`).
    #[error("{path}: unexpected answer from GitHub: {reason}")]
    Malformed {
        /// Path and query of the request.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// App mode, but the app is not installed on the repository.
    #[error("the GitHub App is not installed on {owner}/{repo}")]
    NotInstalled {
        /// Owner.
        owner: String,
        /// Repository.
        repo: String,
    },
    /// An operation that needs app credentials in a client without them.
    #[error("{0} needs GitHub App credentials (GITHUB_MODE=app or hybrid)")]
    AppRequired(&'static str),
    /// The client could not be built (bad key, bad URL, TLS setup).
    #[error("GitHub client configuration: {0}")]
    Config(String),
}

impl GithubError {
    /// Whether the same call may succeed later.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unavailable { .. } | Self::RateLimited { .. })
    }
}

impl From<GithubError> for SourceError {
    fn from(err: GithubError) -> Self {
        if err.is_transient() {
            SourceError::Transient(err.to_string())
        } else {
            SourceError::Permanent(err.to_string())
        }
    }
}
