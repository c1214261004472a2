//! The GitHub REST client: everything the service reads from (and, in app mode, writes
//! to) GitHub goes through [`GithubClient`].
//!
//! Why not octocrab's typed calls: they return bodies only, and a scan needs what is in
//! the headers — `ETag` for conditional requests (a 304 costs no rate-limit budget),
//! `Link` for pagination, `x-ratelimit-*` to pause at the budget's end instead of failing,
//! and `retry-after` for secondary limits. So the transport is one reqwest-based loop
//! ([`transport`]) that owns retries, rate limits and the ETag memory; octocrab only signs
//! the GitHub App JWT.
//!
//! Module map: [`settings`] (how a client is built), [`transport`] (one request, with
//! retries, rate-limit waits and ETags), [`cache`] (ETag memory: LRU + Postgres),
//! [`auth`] (app JWT and installation tokens), [`ops`] (the operations), [`issues`]
//! (issues, which GitHub lists with the PRs mixed in, and repository files such as
//! `VISION.md`), [`model`] (GitHub's JSON), [`writes`] (labels and comments), [`files`]
//! (binary/truncated files), [`source`] (the scan pipeline's
//! [`PrSource`](crate::scan::source::PrSource) port).
//!
//! Nothing here logs a token, a key, an `Authorization` header, a body or a patch:
//! request logs carry the method, path, status, attempt and remaining budget only.

pub mod auth;
pub mod cache;
pub mod error;
pub mod files;
pub mod issues;
pub mod link;
pub mod model;
pub mod ops;
pub mod ratelimit;
pub mod settings;
pub mod source;
pub mod transport;
pub mod writes;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::PgPool;

pub use error::GithubError;
pub use files::{PrFile, is_binary, is_truncated};
pub use issues::IssueListing;
pub use model::{CheckRun, CheckRunOutput, NewCheckRun, PrDetail};
pub use ratelimit::RateLimit;
pub use settings::{AppCredentials, Credentials, GithubSettings, RetryPolicy};

use crate::config::Config;
use crate::scan::source::SourceUsage;

/// A GitHub REST client. Cheap to clone (clones share the connection pool, the ETag
/// memory, the token cache and the usage counters).
#[derive(Debug, Clone)]
pub struct GithubClient {
    inner: Arc<Inner>,
}

/// Which mode the client runs in (see [`Credentials`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Public,
    App,
    Hybrid,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    api_url: String,
    base: reqwest::Url,
    mode: Mode,
    token: Option<crate::secret::Secret>,
    app: Option<auth::AppAuth>,
    cache: cache::EtagCache,
    retry: RetryPolicy,
    max_rate_limit_wait: std::time::Duration,
    requests: AtomicU64,
    not_modified: AtomicU64,
    rate: std::sync::Mutex<Option<RateLimit>>,
}

impl GithubClient {
    /// A client from the service configuration, with the ETag memory in `db` when given
    /// (in memory only otherwise).
    pub fn from_config(config: &Config, db: Option<PgPool>) -> Result<Self, GithubError> {
        Self::new(GithubSettings::from_config(config), db)
    }

    /// A client from explicit settings.
    pub fn new(settings: GithubSettings, db: Option<PgPool>) -> Result<Self, GithubError> {
        let base = reqwest::Url::parse(&settings.api_url).map_err(|e| {
            GithubError::Config(format!("GITHUB_API_URL `{}`: {e}", settings.api_url))
        })?;
        let (mode, token, app) = match settings.credentials {
            Credentials::Public { token } => (Mode::Public, token, None),
            Credentials::App(app) => (
                Mode::App,
                None,
                Some(auth::AppAuth::new(app.app_id, &app.private_key_pem)?),
            ),
            Credentials::Hybrid { token, app } => (
                Mode::Hybrid,
                token,
                Some(auth::AppAuth::new(app.app_id, &app.private_key_pem)?),
            ),
        };
        let http = reqwest::Client::builder()
            .user_agent(settings.user_agent)
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .build()
            .map_err(|e| GithubError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                api_url: settings.api_url.trim_end_matches('/').to_owned(),
                base,
                mode,
                token,
                app,
                cache: cache::EtagCache::new(db, settings.memory_cache_bytes),
                retry: settings.retry,
                max_rate_limit_wait: settings.max_rate_limit_wait,
                requests: AtomicU64::new(0),
                not_modified: AtomicU64::new(0),
                rate: std::sync::Mutex::new(None),
            }),
        })
    }

    /// Requests sent, 304s among them, and the last known rate-limit budget.
    pub fn usage(&self) -> SourceUsage {
        let rate = self.rate_limit();
        SourceUsage {
            requests: self.inner.requests.load(Ordering::Relaxed),
            not_modified: self.inner.not_modified.load(Ordering::Relaxed),
            rate_limit_remaining: rate.as_ref().map(|r| r.remaining),
            rate_limit_reset: rate.map(|r| r.reset),
        }
    }

    /// The rate-limit headers of the last response that had them.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner
            .rate
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Whether the client has GitHub App credentials (app or hybrid mode).
    pub fn is_app(&self) -> bool {
        self.inner.app.is_some()
    }

    /// Empties the in-memory ETag cache, keeping the Postgres one (what a restart does).
    pub fn clear_memory_cache(&self) {
        self.inner.cache.clear_memory();
    }
}
