//! Test support: real Postgres and Redis for the test suite, and a fresh database per test.
//!
//! The services are started once per test process from the same code the supervisor
//! uses (so the tests exercise it too), on free loopback ports under the temp directory,
//! or taken from `TEST_DATABASE_URL` (a database where `CREATE DATABASE` is allowed) and
//! `TEST_REDIS_URL`. If neither works the tests fail loudly; they never skip.

use std::path::PathBuf;
use std::sync::OnceLock;

use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection, PgPool};

use crate::secret::Secret;
use crate::supervisor::datadir;
use crate::supervisor::postgres::{EmbeddedPostgres, PostgresSettings};
use crate::supervisor::redis::{EmbeddedRedis, RedisSettings};

/// Where the test services live and how to reach them.
#[derive(Debug, Clone)]
pub struct TestServices {
    /// A Postgres database in which tests may create databases.
    pub admin_url: Secret,
    /// Redis.
    pub redis_url: Secret,
}

static SERVICES: OnceLock<Result<TestServices, String>> = OnceLock::new();

/// The process-wide test services, started on first use.
///
/// # Panics
/// When no Postgres or Redis can be had: a test must fail, not skip, without them.
pub fn services() -> &'static TestServices {
    let result = SERVICES.get_or_init(|| {
        let configured = (
            std::env::var("TEST_DATABASE_URL"),
            std::env::var("TEST_REDIS_URL"),
        );
        if let (Ok(db), Ok(redis)) = configured {
            return Ok(TestServices {
                admin_url: Secret::new(db),
                redis_url: Secret::new(redis),
            });
        }
        start_embedded()
    });
    match result {
        Ok(services) => services,
        Err(err) => panic!("test services unavailable: {err}"),
    }
}

/// A new, migrated database for one test; it is left behind for inspection and removed
/// with the whole temporary cluster when the test process ends.
pub async fn fresh_db() -> PgPool {
    let pool = empty_db().await;
    crate::storage::migrate(&pool)
        .await
        .expect("migrate test database");
    pool
}

/// A new database with no tables (for migration tests).
pub async fn empty_db() -> PgPool {
    let admin: PgConnectOptions = services()
        .admin_url
        .expose()
        .parse()
        .expect("admin URL parses");
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::connect_with(&admin)
        .await
        .expect("connect to test Postgres");
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create test database");
    conn.close().await.ok();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        .connect_with(admin.database(&name))
        .await
        .expect("connect to test database");
    crate::storage::migrate(&pool)
        .await
        .expect("migrate test database");
    pool
}

/// A prefix that keeps one test's Redis keys (queue names) apart from another's.
pub fn unique_prefix() -> String {
    format!("t{}", uuid::Uuid::new_v4().simple())
}

/// A TCP port on loopback that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral port")
}

/// Starts Postgres and Redis on a thread of their own. The children's parent-death
/// signal is tied to the spawning thread, so that thread must live as long as the test
/// process; when the process exits, the kernel stops the children.
fn start_embedded() -> Result<TestServices, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("test-services".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(err) => {
                    let _ = tx.send(Err(format!("cannot build runtime: {err}")));
                    return;
                }
            };
            runtime.block_on(async move {
                match start_embedded_inner().await {
                    Ok((services, postgres, redis)) => {
                        let _ = tx.send(Ok(services));
                        // Keep the children (and their watcher tasks) for the whole process.
                        let _keep = (postgres, redis);
                        std::future::pending::<()>().await;
                    }
                    Err(err) => {
                        let _ = tx.send(Err(format!("{err:#}")));
                    }
                }
            });
        })
        .map_err(|e| format!("cannot spawn the test-services thread: {e}"))?;
    rx.recv()
        .map_err(|_| "the test-services thread died".to_owned())?
}

async fn start_embedded_inner() -> anyhow::Result<(TestServices, EmbeddedPostgres, EmbeddedRedis)> {
    let root = test_root()?;
    let run_as = datadir::resolve_run_as(None)?;
    let data_root = datadir::prepare_root(&root, run_as.as_ref())?;
    let postgres = EmbeddedPostgres::start(&PostgresSettings {
        data_root: data_root.clone(),
        bin_dir: None,
        port: free_port(),
        run_as: run_as.clone(),
    })
    .await?;
    let redis = EmbeddedRedis::start(&RedisSettings {
        data_root,
        port: free_port(),
        run_as,
    })
    .await?;
    let services = TestServices {
        admin_url: postgres.admin_url().clone(),
        redis_url: redis.url().clone(),
    };
    Ok((services, postgres, redis))
}

/// `$TMPDIR/clawtriage-tests/<pid>`, after removing the directories of test processes
/// that are gone.
fn test_root() -> anyhow::Result<PathBuf> {
    let base = std::env::temp_dir().join("clawtriage-tests");
    std::fs::create_dir_all(&base)?;
    for entry in std::fs::read_dir(&base)?.flatten() {
        let stale = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|pid| !PathBuf::from(format!("/proc/{pid}")).exists());
        if stale {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let root = base.join(std::process::id().to_string());
    std::fs::create_dir_all(&root)?;
    Ok(root)
}
