//! The service proper: the HTTP API and the background worker, on connections to
//! Postgres and Redis that someone else (the supervisor, or the operator) provides.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::secret::Secret;

/// Which roles a process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roles {
    /// The HTTP API and dashboard.
    pub api: bool,
    /// The job worker.
    pub worker: bool,
}

impl Roles {
    /// `clawtriage api`.
    pub const API: Self = Self {
        api: true,
        worker: false,
    };
    /// `clawtriage worker`.
    pub const WORKER: Self = Self {
        api: false,
        worker: true,
    };
    /// `clawtriage serve`.
    pub const BOTH: Self = Self {
        api: true,
        worker: true,
    };
}

/// Connections shared by the API and the worker.
#[derive(Clone)]
pub struct Services {
    /// Postgres pool.
    pub db: PgPool,
    /// Multiplexed Redis connection (reconnects by itself).
    pub redis: redis::aio::ConnectionManager,
}

impl Services {
    /// Connects to both stores; fails with a message naming the one that is down.
    pub async fn connect(database_url: &Secret, redis_url: &Secret) -> anyhow::Result<Self> {
        let db = crate::storage::connect(database_url).await?;
        let client =
            redis::Client::open(redis_url.expose()).context("REDIS_URL: not a valid Redis URL")?;
        let redis = tokio::time::timeout(
            Duration::from_secs(10),
            redis::aio::ConnectionManager::new(client),
        )
        .await
        .context("Cannot connect to Redis: timed out")?
        .context("Cannot connect to Redis")?;
        Ok(Self { db, redis })
    }
}

/// Runs `clawtriage api` / `clawtriage worker` against external Postgres and Redis
/// until SIGTERM or SIGINT.
pub async fn run_role(config: Config, roles: Roles) -> anyhow::Result<()> {
    let (Some(db_url), Some(redis_url)) = (&config.database_url, &config.redis_url) else {
        anyhow::bail!("DATABASE_URL and REDIS_URL are required");
    };
    let services = Services::connect(db_url, redis_url).await?;
    let shutdown = CancellationToken::new();
    tokio::spawn(cancel_on_signal(shutdown.clone()));
    run(Arc::new(config), services, roles, shutdown).await
}

/// Runs the chosen roles until `shutdown` is cancelled (then drains and returns `Ok`),
/// or until one of them fails (then stops the other and returns the error).
pub async fn run(
    config: Arc<Config>,
    services: Services,
    roles: Roles,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let mut tasks = tokio::task::JoinSet::new();
    if roles.api {
        let (config, services, token) = (config.clone(), services.clone(), shutdown.clone());
        tasks.spawn(async move { ("api", crate::api::serve(config, services, token).await) });
    }
    if roles.worker {
        let (config, services, token) = (config.clone(), services.clone(), shutdown.clone());
        tasks.spawn(async move { ("worker", crate::worker::run(config, services, token).await) });
    }
    let mut outcome = Ok(());
    while let Some(joined) = tasks.join_next().await {
        let (name, result) = joined.context("A service task panicked")?;
        match result {
            Ok(()) if shutdown.is_cancelled() => tracing::info!(role = name, "{name} stopped"),
            Ok(()) => {
                tracing::error!(role = name, "{name} stopped unexpectedly");
                outcome = outcome.and(Err(anyhow::anyhow!("{name} stopped unexpectedly")));
            }
            Err(err) => {
                tracing::error!(role = name, "{name} failed: {err:#}");
                outcome = outcome.and(Err(err.context(format!("{name} failed"))));
            }
        }
        // Any role ending brings the others down: the process is one unit.
        shutdown.cancel();
    }
    services.db.close().await;
    outcome
}

/// Cancels `token` on the first SIGTERM or SIGINT.
pub async fn cancel_on_signal(token: CancellationToken) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::error!("Cannot install signal handlers");
        return;
    };
    let name = tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
        () = token.cancelled() => return,
    };
    tracing::info!(signal = name, "Received {name}; shutting down");
    token.cancel();
}
