//! A fake GitHub REST API serving a corpus directory, for the tests and the offline
//! demo (`clawtriage fake-github --corpus DIR`).
//!
//! It is a stateful model, not canned answers: repositories, PRs, issues and repository
//! files live in memory and can be mutated (new PRs, new heads, closes, new or edited
//! issues, file contents), and it behaves like GitHub where the
//! client's correctness depends on it — `Link` pagination, `per_page` caps, the 3,000-file
//! cap, ETags with free 304s, `x-ratelimit-*` budgets that run out and reset, secondary
//! limits with `retry-after`, 502s, latency, app tokens, Check Runs, labels and comments,
//! an issues listing that includes the PRs (with `pull_request`, as GitHub's does), and
//! base64 file contents ([`issues`]). `/_fake/*`
//! ([`control`]) lets tests inspect and steer it over HTTP; the [`FakeGithub`] handle
//! offers the same in-process.
//!
//! Simplifications: one rate-limit budget for all callers (GitHub keeps one per user or
//! installation); every repository is installed under one installation id; any
//! non-installation token is accepted.

pub mod api;
pub mod control;
pub mod corpus;
pub mod issues;
pub mod layer;
pub mod state;
pub mod writes;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, patch, post};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

pub use corpus::{Corpus, PullData, RepoData};
pub use state::{
    LoggedRequest, RateLimitSettings, RecordedCheckRun, RecordedIssueWrite, RequestLog, StateError,
    TokenRequest,
};

/// Injected trouble, settable at start and at run time (`POST /_fake/faults`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    /// Fraction (0..=1) of API requests answered 502.
    pub error_rate: f64,
    /// Every n-th API request is answered with a secondary-rate-limit 403.
    pub secondary_every: Option<u64>,
    /// The `retry-after` (seconds) of those 403s.
    pub secondary_retry_after: u64,
    /// Added to every API request.
    pub latency_ms: u64,
}

/// How the fake starts.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeConfig {
    /// Rate-limit budget per window.
    pub rate_limit: u64,
    /// Length of a rate-limit window.
    pub rate_limit_reset: Duration,
    /// Injected trouble.
    pub faults: Faults,
    /// Lifetime of installation tokens.
    pub token_ttl: Duration,
    /// The installation id every repository is installed under.
    pub installation_id: u64,
    /// Seed of the fault dice, so a run is reproducible.
    pub seed: u64,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            rate_limit: 5000,
            rate_limit_reset: Duration::from_secs(3600),
            faults: Faults::default(),
            token_ttl: Duration::from_secs(3600),
            installation_id: 1,
            seed: 7,
        }
    }
}

/// The shared world behind every handler.
#[derive(Debug, Clone)]
pub struct Shared(Arc<Mutex<state::State>>);

impl Shared {
    /// A world over `corpus`, for [`router`] without a port (`tower::ServiceExt::oneshot`).
    pub fn new(corpus: Corpus, config: FakeConfig) -> Self {
        Self(Arc::new(Mutex::new(state::State::new(corpus, config))))
    }

    /// Locks the world. Handlers hold it briefly and never across an await.
    pub(crate) fn lock(&self) -> MutexGuard<'_, state::State> {
        // A panicking handler leaves the world as consistent as each single mutation
        // makes it; keep serving rather than poisoning every later request.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The fake's router (for `tower::ServiceExt::oneshot` without a port).
pub fn router(shared: Shared) -> Router {
    let github = Router::new()
        .route("/repos/{owner}/{repo}", get(api::repository))
        .route("/repos/{owner}/{repo}/pulls", get(api::list_pulls))
        .route("/repos/{owner}/{repo}/pulls/{number}", get(api::pull))
        .route(
            "/repos/{owner}/{repo}/pulls/{number}/files",
            get(api::files),
        )
        .route("/repos/{owner}/{repo}/issues", get(issues::list_issues))
        .route("/repos/{owner}/{repo}/issues/{number}", get(issues::issue))
        .route(
            "/repos/{owner}/{repo}/contents/{*path}",
            get(issues::contents),
        )
        .route("/repos/{owner}/{repo}/installation", get(api::installation))
        .route(
            "/repos/{owner}/{repo}/check-runs",
            post(api::create_check_run),
        )
        .route(
            "/repos/{owner}/{repo}/check-runs/{id}",
            patch(api::update_check_run),
        )
        .route(
            "/repos/{owner}/{repo}/issues/{number}/labels",
            post(writes::add_labels),
        )
        .route(
            "/repos/{owner}/{repo}/issues/{number}/comments",
            get(writes::list_comments).post(writes::create_comment),
        )
        .route(
            "/app/installations/{id}/access_tokens",
            post(api::access_token),
        )
        .route("/rate_limit", get(api::rate_limit))
        .route_layer(from_fn_with_state(shared.clone(), layer::github));
    github
        .merge(control::router())
        .fallback(|| async { api::not_found() })
        .with_state(shared)
}

/// A running fake GitHub. Dropping it stops the server.
#[derive(Debug)]
pub struct FakeGithub {
    shared: Shared,
    addr: SocketAddr,
    stop: CancellationToken,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl FakeGithub {
    /// Serves the corpus in `dir` on a free loopback port.
    pub async fn start(dir: impl AsRef<Path>, config: FakeConfig) -> anyhow::Result<Self> {
        let corpus = Corpus::load(dir.as_ref())?;
        Self::start_with(corpus, config).await
    }

    /// Serves an in-memory corpus on a free loopback port.
    pub async fn start_with(corpus: Corpus, config: FakeConfig) -> anyhow::Result<Self> {
        Self::bind(corpus, config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Serves `corpus` on `addr`.
    pub async fn bind(
        corpus: Corpus,
        config: FakeConfig,
        addr: SocketAddr,
    ) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("Cannot listen on {addr}"))?;
        let addr = listener
            .local_addr()
            .context("Cannot read the bound address")?;
        let shared = Shared::new(corpus, config);
        let stop = CancellationToken::new();
        let app = router(shared.clone());
        let task = tokio::spawn({
            let stop = stop.clone();
            async move {
                let served = axum::serve(listener, app)
                    .with_graceful_shutdown(stop.cancelled_owned())
                    .await;
                if let Err(err) = served {
                    tracing::error!(error = %err, "fake GitHub stopped");
                }
            }
        });
        Ok(Self {
            shared,
            addr,
            stop,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, to use as `GITHUB_API_URL`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The world, for routers built around it.
    pub fn shared(&self) -> Shared {
        self.shared.clone()
    }

    /// Counters by route and status, and the recent requests.
    pub fn requests(&self) -> RequestLog {
        self.shared.lock().request_log()
    }

    /// Zeroes the counters.
    pub fn reset_counters(&self) {
        self.shared.lock().reset_counters();
    }

    /// Replaces the fault settings.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.lock().faults = faults;
    }

    /// Starts a new rate-limit window.
    pub fn set_rate_limit(&self, settings: RateLimitSettings) {
        self.shared.lock().set_rate_limit(settings);
    }

    /// Budget left in the current window.
    pub fn rate_limit_remaining(&self) -> u64 {
        let mut state = self.shared.lock();
        state.window.roll();
        state.window.remaining
    }

    /// Adds a PR (corpus format or a partial pull object); returns its number.
    pub fn add_pull(&self, owner: &str, repo: &str, pull: Value) -> Result<u64, StateError> {
        self.shared.lock().add_pull(owner, repo, pull)
    }

    /// Moves a PR's head, optionally replacing its files.
    pub fn set_head(
        &self,
        owner: &str,
        repo: &str,
        number: u64,
        sha: &str,
        files: Option<Vec<Value>>,
    ) -> Result<(), StateError> {
        self.shared.lock().set_head(owner, repo, number, sha, files)
    }

    /// Closes a PR, merged or not.
    pub fn close_pull(
        &self,
        owner: &str,
        repo: &str,
        number: u64,
        merged: bool,
    ) -> Result<(), StateError> {
        self.shared.lock().close_pull(owner, repo, number, merged)
    }

    /// Adds an issue, or changes the fields given of an existing one (a partial issue
    /// object; labels may be names); returns its number. See the `/_fake` equivalent.
    pub fn put_issue(&self, owner: &str, repo: &str, issue: Value) -> Result<u64, StateError> {
        self.shared.lock().put_issue(owner, repo, issue)
    }

    /// Closes an issue with `state_reason` (`completed` when `None`, `not_planned`,
    /// `duplicate`).
    pub fn close_issue(
        &self,
        owner: &str,
        repo: &str,
        number: u64,
        state_reason: Option<&str>,
    ) -> Result<(), StateError> {
        self.shared
            .lock()
            .close_issue(owner, repo, number, state_reason)
    }

    /// Sets a repository file the contents endpoint serves (`None` removes it).
    pub fn set_file(
        &self,
        owner: &str,
        repo: &str,
        path: &str,
        content: Option<&str>,
    ) -> Result<(), StateError> {
        self.shared
            .lock()
            .set_file(owner, repo, path, content.map(str::to_owned))
    }

    /// Invalidates every installation token handed out (as if they had expired), so
    /// clients must notice the 401 and fetch new ones.
    pub fn revoke_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// Makes Check Run writes fail with 403 (or work again).
    pub fn set_check_runs_forbidden(&self, forbidden: bool) {
        self.shared.lock().check_runs_forbidden = forbidden;
    }

    /// Makes label and comment writes fail with 403 (or work again).
    pub fn set_issue_writes_forbidden(&self, forbidden: bool) {
        self.shared.lock().issue_writes_forbidden = forbidden;
    }

    /// Labels and comments received.
    pub fn issue_writes(&self) -> Vec<RecordedIssueWrite> {
        self.shared.lock().issue_writes.clone()
    }

    /// Check Runs received.
    pub fn check_runs(&self) -> Vec<RecordedCheckRun> {
        self.shared.lock().check_runs.clone()
    }

    /// Installation-token requests received.
    pub fn token_requests(&self) -> Vec<TokenRequest> {
        self.shared.lock().token_requests.clone()
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        self.stop.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeGithub {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Arguments of `clawtriage fake-github`.
#[derive(Debug, Clone, clap::Args)]
pub struct FakeGithubArgs {
    /// Corpus directory (`<owner>/<repo>/repo.json`, `pulls/<n>.json`, optionally
    /// `issues/<n>.json` and `VISION.md`).
    #[arg(long)]
    pub corpus: PathBuf,
    /// Port to listen on.
    #[arg(long, default_value_t = 8081)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Rate-limit budget per window.
    #[arg(long, default_value_t = 5000)]
    pub rate_limit: u64,
    /// Length of a rate-limit window, in seconds.
    #[arg(long, default_value_t = 3600)]
    pub rate_limit_reset_secs: u64,
    /// Fraction of requests answered 502 (0..=1).
    #[arg(long, default_value_t = 0.0)]
    pub error_rate: f64,
    /// Answer every n-th request with a secondary rate limit.
    #[arg(long)]
    pub secondary_every: Option<u64>,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
}

/// Runs the fake until Ctrl-C or SIGTERM.
pub async fn run(args: FakeGithubArgs) -> anyhow::Result<()> {
    let corpus = Corpus::load(&args.corpus)?;
    let repos = corpus.repos.len();
    let pulls: usize = corpus.repos.iter().map(|r| r.pulls.len()).sum();
    let issues: usize = corpus.repos.iter().map(|r| r.issues.len()).sum();
    let config = FakeConfig {
        rate_limit: args.rate_limit,
        rate_limit_reset: Duration::from_secs(args.rate_limit_reset_secs),
        faults: Faults {
            error_rate: args.error_rate.clamp(0.0, 1.0),
            secondary_every: args.secondary_every,
            secondary_retry_after: 1,
            latency_ms: args.latency_ms,
        },
        ..FakeConfig::default()
    };
    let fake = FakeGithub::bind(corpus, config, SocketAddr::new(args.bind, args.port)).await?;
    // The URL alone on stdout first, so scripts can read where to point GITHUB_API_URL.
    println!("{}", fake.base_url());
    tracing::info!(
        url = %fake.base_url(),
        repos,
        pulls,
        issues,
        "Fake GitHub serving {} (set GITHUB_API_URL={})",
        args.corpus.display(),
        fake.base_url()
    );
    shutdown_signal().await;
    fake.stop().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
