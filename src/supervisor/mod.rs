//! `clawtriage serve`: the supervisor. Starts Postgres and Redis as children (unless
//! URLs are given), migrates, runs the API and the worker, and tears it all down in
//! order on SIGTERM/SIGINT or when any part dies.
//!
//! Start: Postgres ready → database exists → Redis ready → migrations → API + worker.
//! Stop:  API drains → worker finishes or hands back its jobs → Redis `SHUTDOWN SAVE`
//!        → Postgres fast shutdown → exit 0 (non-zero if a child died on its own).

pub mod datadir;
pub mod postgres;
pub mod process;
pub mod redis;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio_util::sync::CancellationToken;

use crate::app::{Roles, Services};
use crate::config::Config;
use crate::secret::Secret;
use postgres::{EmbeddedPostgres, PostgresSettings};
use process::ManagedChild;
use redis::{EmbeddedRedis, RedisSettings};

/// The API and worker get this long to stop after the signal before the supervisor
/// moves on to the databases (the HTTP drain and job hand-back fit inside it).
const APP_STOP_TIMEOUT: Duration = Duration::from_secs(25);

/// The embedded services this process started (either may be external instead).
#[derive(Debug, Default)]
pub struct Embedded {
    /// Our Postgres, unless `DATABASE_URL` was given.
    pub postgres: Option<EmbeddedPostgres>,
    /// Our Redis, unless `REDIS_URL` was given.
    pub redis: Option<EmbeddedRedis>,
}

impl Embedded {
    /// Starts what the configuration does not provide, Postgres first.
    pub async fn start(config: &Config) -> anyhow::Result<Self> {
        if !config.wants_embedded_postgres() && !config.wants_embedded_redis() {
            return Ok(Self::default());
        }
        let run_as = datadir::resolve_run_as(config.embedded_run_as.as_deref())?;
        let data_root = datadir::prepare_root(&config.data_root, run_as.as_ref())?;
        if let Some(user) = &run_as {
            tracing::info!(user = %user.name, "Running Postgres and Redis as {}", user.name);
        }
        let mut embedded = Self::default();
        if config.wants_embedded_postgres() {
            let settings = PostgresSettings {
                data_root: data_root.clone(),
                bin_dir: config.pg_bin_dir.clone(),
                port: config.embedded_pg_port,
                run_as: run_as.clone(),
            };
            embedded.postgres = Some(EmbeddedPostgres::start(&settings).await?);
        }
        if config.wants_embedded_redis() {
            let settings = RedisSettings {
                data_root,
                port: config.embedded_redis_port,
                run_as,
            };
            match EmbeddedRedis::start(&settings).await {
                Ok(redis) => embedded.redis = Some(redis),
                Err(err) => {
                    embedded.stop().await;
                    return Err(err);
                }
            }
        }
        Ok(embedded)
    }

    /// The URLs to use: the configured ones, else ours.
    pub fn urls(&self, config: &Config) -> anyhow::Result<(Secret, Secret)> {
        let db = config
            .database_url
            .clone()
            .or_else(|| self.postgres.as_ref().map(|p| p.url().clone()))
            .context("no Postgres: DATABASE_URL unset and none embedded")?;
        let redis = config
            .redis_url
            .clone()
            .or_else(|| self.redis.as_ref().map(|r| r.url().clone()))
            .context("no Redis: REDIS_URL unset and none embedded")?;
        Ok((db, redis))
    }

    /// Resolves when any embedded child exits, with its name.
    pub async fn any_exited(&self) -> &'static str {
        let children: Vec<&ManagedChild> = self
            .postgres
            .iter()
            .map(|p| p.child())
            .chain(self.redis.iter().map(|r| r.child()))
            .collect();
        if children.is_empty() {
            return std::future::pending().await;
        }
        let waits = children.into_iter().map(|c| {
            Box::pin(async move {
                c.exited().await;
                c.name
            })
        });
        futures::future::select_all(waits).await.0
    }

    /// Stops Redis (with a save), then Postgres (fast shutdown).
    pub async fn stop(&self) {
        if let Some(redis) = &self.redis {
            redis.stop().await;
        }
        if let Some(postgres) = &self.postgres {
            postgres.stop().await;
        }
    }
}

/// Runs the whole stack until a signal or a failure.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let shutdown = CancellationToken::new();
    tokio::spawn(crate::app::cancel_on_signal(shutdown.clone()));
    let embedded = Embedded::start(&config).await?;
    let outcome = run_app(config, &embedded, shutdown.clone()).await;
    shutdown.cancel();
    embedded.stop().await;
    match &outcome {
        Ok(()) => tracing::info!("Stopped cleanly"),
        Err(err) => tracing::error!("Stopped after a failure: {err:#}"),
    }
    outcome
}

/// Migrates and runs the API and worker; returns when they have stopped.
async fn run_app(
    config: Config,
    embedded: &Embedded,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let (db_url, redis_url) = embedded.urls(&config)?;
    let services = tokio::select! {
        services = Services::connect(&db_url, &redis_url) => services?,
        name = embedded.any_exited() => anyhow::bail!("{name} exited unexpectedly during start-up"),
    };
    crate::storage::migrate(&services.db).await?;
    tracing::info!("Migrations applied");
    if shutdown.is_cancelled() {
        return Ok(());
    }
    let mut app = tokio::spawn(crate::app::run(
        Arc::new(config),
        services,
        Roles::BOTH,
        shutdown.clone(),
    ));
    tokio::select! {
        joined = &mut app => return joined.context("The service task panicked")?,
        name = embedded.any_exited() => {
            tracing::error!(child = name, "{name} exited unexpectedly; shutting down");
            shutdown.cancel();
            let _ = tokio::time::timeout(APP_STOP_TIMEOUT, &mut app).await;
            anyhow::bail!("{name} exited unexpectedly")
        }
        () = shutdown.cancelled() => {}
    }
    match tokio::time::timeout(APP_STOP_TIMEOUT, &mut app).await {
        Ok(joined) => joined.context("The service task panicked")?,
        Err(_) => {
            app.abort();
            tracing::warn!("API and worker did not stop within {APP_STOP_TIMEOUT:?}; aborted");
            Ok(())
        }
    }
}

/// `clawtriage migrate`: against `DATABASE_URL`, or an embedded Postgres started for it.
pub async fn migrate_only(config: Config) -> anyhow::Result<()> {
    let mut only_pg = config.clone();
    // Migrations need no Redis: pretend one is configured so none is started.
    only_pg.redis_url = Some(Secret::new("redis://unused"));
    let embedded = Embedded::start(&only_pg).await?;
    let result = async {
        let (db_url, _) = embedded.urls(&only_pg)?;
        let pool = crate::storage::connect(&db_url).await?;
        crate::storage::migrate(&pool).await?;
        pool.close().await;
        tracing::info!("Migrations applied");
        anyhow::Ok(())
    }
    .await;
    embedded.stop().await;
    result
}
