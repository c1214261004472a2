//! How a [`GithubClient`](super::GithubClient) is built: where GitHub is, who we are to
//! it, and how patient to be. Derived from [`Config`] in production; tests shorten the
//! waits.

use std::time::Duration;

use crate::config::{Config, GithubMode};
use crate::secret::Secret;

/// Default base URL of the REST API.
pub const DEFAULT_API_URL: &str = "https://api.github.com";
/// The `User-Agent` GitHub requires on every request.
pub const USER_AGENT: &str = concat!("clawtriage/", env!("CARGO_PKG_VERSION"));

/// TCP and TLS set-up bound.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Bound of one request, body included. A 100-file page of patches is a few MB at most.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest pause for a primary rate-limit reset. GitHub's window is an hour; waiting out
/// a whole window inside a job is better than failing a scan for it.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(65 * 60);
/// Bytes of response bodies kept in the in-memory ETag cache (Postgres keeps them all).
const MEMORY_CACHE_BYTES: usize = 32 << 20;

/// Credentials.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// Public mode: anonymous (60 requests an hour) or a token (5,000).
    Public {
        /// `GITHUB_TOKEN`.
        token: Option<Secret>,
    },
    /// App mode: every repository call uses the installation token of that repository.
    App(AppCredentials),
    /// Hybrid: the installation token where the app is installed, else the public token.
    Hybrid {
        /// `GITHUB_TOKEN`.
        token: Option<Secret>,
        /// The app.
        app: AppCredentials,
    },
}

/// A GitHub App's identity.
#[derive(Debug, Clone)]
pub struct AppCredentials {
    /// `GITHUB_APP_ID`.
    pub app_id: u64,
    /// `GITHUB_PRIVATE_KEY_PEM` (RSA, PKCS#1 or PKCS#8).
    pub private_key_pem: Secret,
}

/// Retries of transient failures (5xx, connection errors, secondary rate limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry; doubles each time.
    pub base_delay: Duration,
    /// Longest delay between two attempts.
    pub max_delay: Duration,
    /// Wait after a secondary rate limit that names no `retry-after` (GitHub asks for at
    /// least a minute).
    pub secondary_default_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
            secondary_default_wait: Duration::from_secs(60),
        }
    }
}

/// Everything a client is built from.
#[derive(Debug, Clone)]
pub struct GithubSettings {
    /// Base URL of the REST API, without a trailing slash.
    pub api_url: String,
    /// Who we are.
    pub credentials: Credentials,
    /// `User-Agent` header.
    pub user_agent: String,
    /// TCP/TLS connect bound.
    pub connect_timeout: Duration,
    /// Whole-request bound.
    pub request_timeout: Duration,
    /// Retries of transient failures.
    pub retry: RetryPolicy,
    /// Longest pause for a primary rate-limit reset; beyond it a call fails with
    /// [`GithubError::RateLimited`](super::GithubError::RateLimited).
    pub max_rate_limit_wait: Duration,
    /// Bytes of bodies the in-memory ETag cache holds in front of Postgres.
    pub memory_cache_bytes: usize,
}

impl GithubSettings {
    /// Public-mode settings for `api_url`, with production timeouts and retries.
    pub fn new(api_url: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            api_url: api_url.into().trim_end_matches('/').to_owned(),
            credentials,
            user_agent: USER_AGENT.to_owned(),
            connect_timeout: CONNECT_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
            retry: RetryPolicy::default(),
            max_rate_limit_wait: MAX_RATE_LIMIT_WAIT,
            memory_cache_bytes: MEMORY_CACHE_BYTES,
        }
    }

    /// Settings from the service configuration (`GITHUB_API_URL`, `GITHUB_MODE`,
    /// `GITHUB_TOKEN`, `GITHUB_APP_ID`, `GITHUB_PRIVATE_KEY_PEM`).
    ///
    /// `Config::validate` has already checked that app and hybrid modes have their id
    /// and key; should they be missing anyway, the client falls back to public mode
    /// rather than failing to start a role that may not need GitHub at all.
    pub fn from_config(config: &Config) -> Self {
        let token = config
            .github_token
            .clone()
            .filter(|t| !t.expose().trim().is_empty());
        let app = match (&config.github_app_id, &config.github_private_key_pem) {
            (Some(app_id), Some(pem)) if !pem.expose().trim().is_empty() => Some(AppCredentials {
                app_id: *app_id,
                private_key_pem: pem.clone(),
            }),
            _ => None,
        };
        let credentials = match (config.github_mode, app) {
            (GithubMode::App, Some(app)) => Credentials::App(app),
            (GithubMode::Hybrid, Some(app)) => Credentials::Hybrid { token, app },
            _ => Credentials::Public { token },
        };
        Self::new(config.github_api_url.clone(), credentials)
    }
}
