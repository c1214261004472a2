//! The embedded Postgres: the system's server binaries, run as a child on loopback with
//! a generated password, its data on the volume.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use sqlx::{Connection, Executor, PgConnection};

use super::datadir;
use super::process::{ChildSpec, ManagedChild, RunAs, loopback_port_is_free};
use crate::secret::Secret;

/// Role and database the service uses.
pub const DB_USER: &str = "clawtriage";
/// Database the service uses.
pub const DB_NAME: &str = "clawtriage";
// `CREATE DATABASE` below spells the name out: DDL takes no bind parameters.

/// How long Postgres may take to accept connections (first boot includes initdb's
/// fsyncs, which are slow on network volumes).
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// Fast shutdown normally takes well under a second; past this we kill.
const STOP_GRACE: Duration = Duration::from_secs(20);
/// How long to wait for an orphaned postmaster from a previous run to exit.
const ORPHAN_GRACE: Duration = Duration::from_secs(20);

/// Where and how to run Postgres.
#[derive(Debug, Clone)]
pub struct PostgresSettings {
    /// `DATA_ROOT` (already prepared).
    pub data_root: PathBuf,
    /// `PG_BIN_DIR`, if set.
    pub bin_dir: Option<PathBuf>,
    /// Loopback port.
    pub port: u16,
    /// Account to drop to when root.
    pub run_as: Option<RunAs>,
}

/// A running embedded Postgres.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    child: ManagedChild,
    url: Secret,
    admin_url: Secret,
}

impl EmbeddedPostgres {
    /// Initialises (first run), starts and waits for Postgres, and makes sure the
    /// service's database exists.
    pub async fn start(settings: &PostgresSettings) -> anyhow::Result<Self> {
        let bin_dir = find_bin_dir(settings.bin_dir.as_deref())?;
        if !loopback_port_is_free(settings.port) {
            bail!(
                "EMBEDDED_PG_PORT: port {} on 127.0.0.1 is already in use; free it or choose another port",
                settings.port
            );
        }
        let run_as = settings.run_as.as_ref();
        let service_dir = datadir::service_dir(&settings.data_root, "postgres", run_as)?;
        let password = datadir::load_or_create_password(&settings.data_root, "postgres-password")?;
        let pgdata = service_dir.join("data");
        if !pgdata.join("PG_VERSION").is_file() {
            initdb(&bin_dir, &service_dir, &pgdata, &password, run_as).await?;
        }
        clear_stale_pid_file(&pgdata).await?;

        let args: Vec<OsString> = [
            "-D",
            &pgdata.to_string_lossy(),
            "-p",
            &settings.port.to_string(),
            "-c",
            "listen_addresses=127.0.0.1",
            // No unix socket: its path length limit bites on deep data roots, and TCP on
            // loopback is all we need.
            "-c",
            "unix_socket_directories=",
            // Sized for one small machine shared with Redis and the service.
            "-c",
            "shared_buffers=32MB",
            "-c",
            "max_connections=50",
            "-c",
            "log_min_messages=warning",
            "-c",
            "log_line_prefix=",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let child = ManagedChild::spawn(ChildSpec {
            name: "postgres",
            program: bin_dir.join("postgres"),
            args,
            env: vec![],
            run_as: settings.run_as.clone(),
            // SIGINT is Postgres's fast shutdown: clean, no crash recovery on next start.
            death_signal: Signal::SIGINT,
        })?;

        let admin_url = Secret::new(format!(
            "postgres://{DB_USER}:{}@127.0.0.1:{}/postgres",
            password.expose(),
            settings.port
        ));
        let url = Secret::new(format!(
            "postgres://{DB_USER}:{}@127.0.0.1:{}/{DB_NAME}",
            password.expose(),
            settings.port
        ));
        let postgres = Self {
            child,
            url,
            admin_url,
        };
        if let Err(err) = postgres.wait_ready_and_create_db().await {
            postgres.stop().await;
            return Err(err);
        }
        Ok(postgres)
    }

    /// Connection URL of the service database (holds the password).
    pub fn url(&self) -> &Secret {
        &self.url
    }

    /// Connection URL of the `postgres` maintenance database (tests create databases there).
    pub fn admin_url(&self) -> &Secret {
        &self.admin_url
    }

    /// The child, for exit watching.
    pub fn child(&self) -> &ManagedChild {
        &self.child
    }

    /// Fast shutdown (SIGINT), escalating to SIGKILL after a grace period.
    pub async fn stop(&self) {
        let (status, clean) = self.child.stop(Signal::SIGINT, STOP_GRACE).await;
        tracing::info!(child = "postgres", clean, ?status, "Postgres stopped");
    }

    async fn wait_ready_and_create_db(&self) -> anyhow::Result<()> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let mut conn = loop {
            if let Some(status) = self.child.exit_status() {
                bail!("Postgres exited during start-up ({status}); its log lines above say why");
            }
            match PgConnection::connect(self.admin_url.expose()).await {
                Ok(conn) => break conn,
                Err(err) if Instant::now() >= deadline => {
                    return Err(err).context("Postgres did not accept connections within 60 s");
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        let exists: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(DB_NAME)
                .fetch_optional(&mut conn)
                .await
                .context("Cannot list databases")?;
        if exists.is_none() {
            conn.execute("CREATE DATABASE clawtriage")
                .await
                .context("Cannot create the clawtriage database")?;
            tracing::info!("Created database {DB_NAME}");
        }
        conn.close().await.ok();
        Ok(())
    }
}

/// Finds the directory holding `postgres` and `initdb`: `PG_BIN_DIR` if set (and then
/// only there), else `PATH`, else the newest `/usr/lib/postgresql/*/bin`.
pub fn find_bin_dir(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    let has_binaries = |dir: &Path| dir.join("postgres").is_file() && dir.join("initdb").is_file();
    if let Some(dir) = explicit {
        if has_binaries(dir) {
            return Ok(dir.to_path_buf());
        }
        bail!(
            "PG_BIN_DIR: {} does not contain the postgres and initdb binaries",
            dir.display()
        );
    }
    if let Some(path) = std::env::var_os("PATH")
        && let Some(dir) = std::env::split_paths(&path).find(|d| has_binaries(d))
    {
        return Ok(dir);
    }
    let mut versioned: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            has_binaries(&bin).then_some((version, bin))
        })
        .collect();
    versioned.sort();
    match versioned.pop() {
        Some((_, dir)) => Ok(dir),
        None => bail!(
            "Postgres server binaries not found (looked in PATH and /usr/lib/postgresql/*/bin): \
             install the Debian package `postgresql` or set PG_BIN_DIR"
        ),
    }
}

/// Creates the cluster in a scratch directory and renames it into place, so a crash
/// during initdb never leaves a half-made `data` directory behind.
async fn initdb(
    bin_dir: &Path,
    service_dir: &Path,
    pgdata: &Path,
    password: &Secret,
    run_as: Option<&RunAs>,
) -> anyhow::Result<()> {
    let scratch = service_dir.join("data.initdb");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)
            .with_context(|| format!("Cannot remove {}", scratch.display()))?;
    }
    let pwfile = service_dir.join("initdb.pw");
    datadir::write_private_file(&pwfile, password.expose(), run_as)?;
    tracing::info!(pgdata = %pgdata.display(), "Initialising a new Postgres cluster");
    let mut command = tokio::process::Command::new(bin_dir.join("initdb"));
    command
        .arg("-D")
        .arg(&scratch)
        .args([
            "-U",
            DB_USER,
            "-A",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-instructions",
        ])
        .arg(format!("--pwfile={}", pwfile.display()))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(service_dir);
    if let Some(user) = run_as {
        command.uid(user.uid.as_raw()).gid(user.gid.as_raw());
    }
    let output = command.output().await.context("Cannot run initdb")?;
    let _ = std::fs::remove_file(&pwfile);
    if !output.status.success() {
        bail!(
            "initdb failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    std::fs::rename(&scratch, pgdata)
        .with_context(|| format!("Cannot move the new cluster to {}", pgdata.display()))?;
    Ok(())
}

/// After a crash `postmaster.pid` may name a process that is gone, or worse a pid
/// reused by an unrelated process (common after a container restart), which makes
/// Postgres refuse to start. A live postmaster of ours (an orphan) is stopped instead.
async fn clear_stale_pid_file(pgdata: &Path) -> anyhow::Result<()> {
    let pid_file = pgdata.join("postmaster.pid");
    let Ok(contents) = std::fs::read_to_string(&pid_file) else {
        return Ok(());
    };
    let pid = contents
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<i32>().ok());
    if let Some(pid) = pid.filter(|p| *p > 0)
        && is_postmaster_of(pid, pgdata)
    {
        tracing::warn!(
            pid,
            "A Postgres from a previous run is still up; stopping it"
        );
        let pid = Pid::from_raw(pid);
        let _ = kill(pid, Signal::SIGINT);
        let deadline = Instant::now() + ORPHAN_GRACE;
        while kill(pid, None).is_ok() {
            if Instant::now() >= deadline {
                let _ = kill(pid, Signal::SIGKILL);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        return Ok(());
    }
    tracing::info!("Removing a stale postmaster.pid left by a crash");
    std::fs::remove_file(&pid_file).with_context(|| format!("Cannot remove {}", pid_file.display()))
}

/// Whether `pid` is a running postgres whose data directory is `pgdata`.
fn is_postmaster_of(pid: i32, pgdata: &Path) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
    let is_postgres = args.first().is_some_and(|a| a.ends_with(b"postgres"));
    let pgdata = pgdata.as_os_str().as_encoded_bytes();
    is_postgres && args.contains(&pgdata)
}
