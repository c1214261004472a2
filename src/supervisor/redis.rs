//! The embedded Redis: the system's `redis-server` as a child on loopback with a
//! password and append-only persistence on the volume.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use nix::sys::signal::Signal;

use super::datadir;
use super::process::{ChildSpec, ManagedChild, RunAs, loopback_port_is_free};
use crate::secret::Secret;

/// How long Redis may take to load its append-only file and answer PING.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// `SHUTDOWN SAVE` writes a snapshot; past this we kill.
const STOP_GRACE: Duration = Duration::from_secs(15);

/// Where and how to run Redis.
#[derive(Debug, Clone)]
pub struct RedisSettings {
    /// `DATA_ROOT` (already prepared).
    pub data_root: PathBuf,
    /// Loopback port.
    pub port: u16,
    /// Account to drop to when root.
    pub run_as: Option<RunAs>,
}

/// A running embedded Redis.
#[derive(Debug)]
pub struct EmbeddedRedis {
    child: ManagedChild,
    url: Secret,
}

impl EmbeddedRedis {
    /// Starts Redis and waits until it answers PING.
    pub async fn start(settings: &RedisSettings) -> anyhow::Result<Self> {
        let program = find_redis_server()?;
        if !loopback_port_is_free(settings.port) {
            bail!(
                "EMBEDDED_REDIS_PORT: port {} on 127.0.0.1 is already in use; free it or choose another port",
                settings.port
            );
        }
        let run_as = settings.run_as.as_ref();
        let dir = datadir::service_dir(&settings.data_root, "redis", run_as)?;
        let password = datadir::load_or_create_password(&settings.data_root, "redis-password")?;
        // The password goes in a 0600 file rather than argv, which `ps` shows to everyone.
        let conf_path = dir.join("redis.conf");
        let conf = format!(
            "bind 127.0.0.1\n\
             port {port}\n\
             protected-mode yes\n\
             requirepass {password}\n\
             dir {dir}\n\
             daemonize no\n\
             appendonly yes\n\
             appendfsync everysec\n\
             aof-load-truncated yes\n\
             save 900 1 300 10 60 10000\n\
             logfile \"\"\n\
             loglevel warning\n",
            port = settings.port,
            password = password.expose(),
            dir = dir.display(),
        );
        datadir::write_private_file(&conf_path, &conf, run_as)?;
        let child = ManagedChild::spawn(ChildSpec {
            name: "redis",
            program,
            args: vec![conf_path.into_os_string()],
            env: vec![],
            run_as: settings.run_as.clone(),
            // SIGTERM makes Redis save and exit.
            death_signal: Signal::SIGTERM,
        })?;
        let url = Secret::new(format!(
            "redis://:{}@127.0.0.1:{}/0",
            password.expose(),
            settings.port
        ));
        let redis = Self { child, url };
        if let Err(err) = redis.wait_ready().await {
            redis.stop().await;
            return Err(err);
        }
        Ok(redis)
    }

    /// Connection URL (holds the password).
    pub fn url(&self) -> &Secret {
        &self.url
    }

    /// The child, for exit watching.
    pub fn child(&self) -> &ManagedChild {
        &self.child
    }

    /// `SHUTDOWN SAVE`, then waits; SIGTERM and SIGKILL as fallbacks.
    pub async fn stop(&self) {
        if self.child.exit_status().is_none() {
            self.request_shutdown_save().await;
        }
        let (status, clean) = self.child.stop(Signal::SIGTERM, STOP_GRACE).await;
        tracing::info!(child = "redis", clean, ?status, "Redis stopped");
    }

    /// Asks Redis to write a snapshot and exit. Failures are ignored: the caller falls
    /// back to SIGTERM, which also saves.
    async fn request_shutdown_save(&self) {
        let Ok(client) = redis::Client::open(self.url.expose()) else {
            return;
        };
        let connect = client.get_multiplexed_async_connection();
        let Ok(Ok(mut conn)) = tokio::time::timeout(Duration::from_secs(2), connect).await else {
            return;
        };
        // The server closes the connection as it goes down, so an error here is expected.
        let mut shutdown = redis::cmd("SHUTDOWN");
        shutdown.arg("SAVE");
        let _ = tokio::time::timeout(
            Duration::from_secs(2),
            shutdown.query_async::<()>(&mut conn),
        )
        .await;
    }

    async fn wait_ready(&self) -> anyhow::Result<()> {
        let client =
            redis::Client::open(self.url.expose()).context("Invalid embedded Redis URL")?;
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(status) = self.child.exit_status() {
                bail!("Redis exited during start-up ({status}); its log lines above say why");
            }
            let attempt = async {
                let mut conn = client.get_multiplexed_async_connection().await?;
                redis::cmd("PING").query_async::<String>(&mut conn).await
            };
            match tokio::time::timeout(Duration::from_secs(2), attempt).await {
                Ok(Ok(_)) => return Ok(()),
                _ if Instant::now() >= deadline => bail!("Redis did not answer PING within 60 s"),
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

/// Finds `redis-server` on `PATH` or in the Debian locations.
fn find_redis_server() -> anyhow::Result<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("redis-server"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([
            PathBuf::from("/usr/bin/redis-server"),
            PathBuf::from("/usr/sbin/redis-server"),
        ])
        .find(|p| p.is_file())
        .context("redis-server not found on PATH: install the Debian package `redis-server`")
}
