//! `clawtriage serve` as a child process of a test: start, health, signals, logs.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use clawtriage::testing::free_port;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

pub const BIN: &str = env!("CARGO_BIN_EXE_clawtriage");
/// First start includes initdb; a busy CI machine is slow.
pub const HEALTHY_WITHIN: Duration = Duration::from_secs(90);
/// The bound on a clean stop.
pub const STOP_WITHIN: Duration = Duration::from_secs(20);

pub struct Stack {
    pub child: Child,
    pub port: u16,
    pub pg_port: u16,
    pub redis_port: u16,
    pub root: PathBuf,
    pub log: PathBuf,
}

impl Stack {
    pub fn start(root: &Path, run: usize) -> Self {
        Self::start_on(root, run, free_port(), free_port(), free_port())
    }

    pub fn start_on(root: &Path, run: usize, port: u16, pg_port: u16, redis_port: u16) -> Self {
        Self::start_with(root, run, (port, pg_port, redis_port), &[])
    }

    /// Starts `serve` on the given (API, Postgres, Redis) ports with extra settings.
    pub fn start_with(
        root: &Path,
        run: usize,
        ports: (u16, u16, u16),
        env: &[(&str, &str)],
    ) -> Self {
        Self::start_wrapped(root, run, ports, env, &[])
    }

    /// Starts `serve` under `wrapper` (e.g. `unshare --pid --fork`), which runs it.
    pub fn start_wrapped(
        root: &Path,
        run: usize,
        ports: (u16, u16, u16),
        env: &[(&str, &str)],
        wrapper: &[&str],
    ) -> Self {
        let (port, pg_port, redis_port) = ports;
        let log = root.with_extension(format!("run{run}.log"));
        let out = std::fs::File::create(&log).expect("create log");
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(BIN);
                c
            }
            None => Command::new(BIN),
        };
        let child = command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DATA_ROOT", root)
            .env("PORT", port.to_string())
            .env("BIND_ADDR", "127.0.0.1")
            .env("EMBEDDED_PG_PORT", pg_port.to_string())
            .env("EMBEDDED_REDIS_PORT", redis_port.to_string())
            .env("LOG_FORMAT", "json")
            .envs(env.iter().copied())
            .stdout(out.try_clone().expect("clone log"))
            .stderr(out)
            .spawn()
            .expect("spawn clawtriage serve");
        Self {
            child,
            port,
            pg_port,
            redis_port,
            root: root.to_path_buf(),
            log,
        }
    }

    pub async fn wait_healthy(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + HEALTHY_WITHIN;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "serve exited before healthy ({status}):\n{}",
                    self.log_text()
                );
            }
            let url = format!("http://127.0.0.1:{}/api/health", self.port);
            let response = client
                .get(&url)
                .timeout(Duration::from_secs(3))
                .send()
                .await;
            if let Ok(resp) = response
                && resp.status() == 200
            {
                let body: serde_json::Value = resp.json().await.expect("health json");
                assert_eq!(body["ok"], true);
                return;
            }
            assert!(
                Instant::now() < deadline,
                "not healthy within {HEALTHY_WITHIN:?}:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// `kill -9` of the supervisor and every child it started, as a crash of the
    /// machine would; waits until all are gone.
    pub async fn kill_everything(&mut self) {
        let children = self.child_pids();
        self.signal(Signal::SIGKILL);
        for (_, pid) in &children {
            let _ = kill(Pid::from_raw(*pid), Signal::SIGKILL);
        }
        self.wait_exit(Duration::from_secs(5)).await;
        wait_dead(&children, Duration::from_secs(10)).await;
    }

    pub fn signal(&self, signal: Signal) {
        kill(Pid::from_raw(self.child.id() as i32), signal).expect("signal serve");
    }

    pub async fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not exit within {within:?}:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Pids of the children, from the supervisor's "Started …" log lines.
    pub fn child_pids(&self) -> Vec<(String, i32)> {
        let file = std::fs::File::open(&self.log).expect("open log");
        BufReader::new(file)
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
            .filter(|v| {
                v["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Started "))
            })
            .filter_map(|v| Some((v["child"].as_str()?.to_owned(), v["pid"].as_i64()? as i32)))
            .collect()
    }

    pub fn child_pid(&self, name: &str) -> i32 {
        self.child_pids()
            .into_iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, pid)| pid)
            .unwrap_or_else(|| panic!("no {name} pid in log:\n{}", self.log_text()))
    }

    pub async fn db(&self) -> sqlx::PgPool {
        let password =
            std::fs::read_to_string(self.root.join("secrets/postgres-password")).expect("password");
        let url = format!(
            "postgres://clawtriage:{}@127.0.0.1:{}/clawtriage",
            password.trim(),
            self.pg_port
        );
        sqlx::PgPool::connect(&url)
            .await
            .expect("connect to embedded Postgres")
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // A failed assertion must not leave a stack running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn alive(pid: i32) -> bool {
    // A zombie still answers kill(0); read its state to tell.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

pub async fn wait_dead(pids: &[(String, i32)], within: Duration) {
    let deadline = Instant::now() + within;
    while pids.iter().any(|(_, p)| alive(*p)) {
        assert!(
            Instant::now() < deadline,
            "children still running: {pids:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub fn data_root() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("data");
    (dir, root)
}
