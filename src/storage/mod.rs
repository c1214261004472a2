//! Postgres: the durable store. All SQL lives in this module's children; callers get
//! typed functions that take `impl PgExecutor` so they work with a pool or a transaction.
//!
//! Queries are checked against a real Postgres by the test suite rather than at compile
//! time (`query!` would need a live database or committed offline data at every build).

pub mod analyses;
pub mod check_runs;
pub mod deliveries;
pub mod documents;
pub mod edges;
pub mod feedback;
pub mod index;
pub mod issue_analysis;
pub mod issue_views;
pub mod issues;
pub mod prs;
pub mod publications;
pub mod repos;
pub mod scans;
pub mod sets;
pub mod triage;

use std::time::Duration;

use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

use crate::secret::Secret;

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// Connections per process: the API and the worker share one pool in `serve`.
const MAX_CONNECTIONS: u32 = 16;
/// A request waiting longer than this for a connection fails instead of hanging.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens a pool (connects lazily; call [`ping`] to check the server).
pub async fn connect(url: &Secret) -> anyhow::Result<PgPool> {
    let options: PgConnectOptions = url
        .expose()
        .parse()
        .context("DATABASE_URL: not a valid Postgres URL")?;
    // Statements are logged at debug by sqlx; patch text may be in them, so keep them quiet.
    let options = options.disable_statement_logging();
    let pool = PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .context("Cannot connect to Postgres")?;
    Ok(pool)
}

/// Applies pending migrations. Safe to run on every start and from several processes
/// (sqlx takes an advisory lock).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .context("Cannot apply database migrations")?;
    Ok(())
}

/// A trivial round-trip, for health checks.
pub async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar::<_, i32>("SELECT 1")
        .fetch_one(pool)
        .await
        .map(|_| ())
}
