//! One supervised child process: spawn with a clean environment, forward its output
//! to our logs, watch for its exit, stop it with a signal and a deadline.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use anyhow::Context;
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Gid, Pid, Uid};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::sync::watch;

/// An unprivileged account a child runs as when the supervisor is root.
#[derive(Debug, Clone)]
pub struct RunAs {
    /// Account name, for messages.
    pub name: String,
    /// User id.
    pub uid: Uid,
    /// Primary group id.
    pub gid: Gid,
}

/// Environment variables a child inherits; everything else is cleared so no secret of
/// ours (tokens, URLs) leaks into Postgres or Redis.
const INHERITED_ENV: &[&str] = &["PATH", "TZ", "LANG", "LC_ALL"];

/// What to run.
#[derive(Debug)]
pub struct ChildSpec {
    /// Short name used in logs (`postgres`, `redis`).
    pub name: &'static str,
    /// Executable.
    pub program: PathBuf,
    /// Arguments.
    pub args: Vec<OsString>,
    /// Extra environment on top of the allow-list.
    pub env: Vec<(String, String)>,
    /// Account to drop to, when running as root.
    pub run_as: Option<RunAs>,
    /// Signal the kernel sends the child if the supervisor dies, so an orphaned server
    /// never outlives us (and a restarted supervisor never connects to a stale one).
    pub death_signal: Signal,
}

/// A running child and the means to watch and stop it.
#[derive(Debug)]
pub struct ManagedChild {
    /// Short name used in logs.
    pub name: &'static str,
    pid: Pid,
    exit: watch::Receiver<Option<ExitStatus>>,
}

impl ManagedChild {
    /// Spawns the child. Its stdout and stderr are forwarded to the log, line by line.
    pub fn spawn(spec: ChildSpec) -> anyhow::Result<Self> {
        let mut command = tokio::process::Command::new(&spec.program);
        command
            .args(&spec.args)
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(false)
            // Own process group: a Ctrl-C in the terminal reaches only the supervisor,
            // which then stops the children in order (Redis saved before Postgres stops).
            .process_group(0);
        for key in INHERITED_ENV {
            if let Some(value) = std::env::var_os(key) {
                command.env(key, value);
            }
        }
        for (key, value) in &spec.env {
            command.env(key, value);
        }
        if let Some(run_as) = &spec.run_as {
            command.uid(run_as.uid.as_raw()).gid(run_as.gid.as_raw());
        }
        let death_signal = spec.death_signal;
        // Recorded before the fork: the child compares its parent with this, which also
        // works when the supervisor is PID 1 of a container.
        let supervisor = nix::unistd::getpid();
        #[expect(
            unsafe_code,
            reason = "pre_exec is the only way to set PR_SET_PDEATHSIG on the child"
        )]
        // SAFETY: the closure only calls prctl(2) and getppid(2), both async-signal-safe.
        // std runs it after setuid/setgid, so the credential change cannot clear the setting.
        unsafe {
            command.pre_exec(move || {
                nix::sys::prctl::set_pdeathsig(death_signal).map_err(std::io::Error::from)?;
                // The supervisor may have died between fork and prctl (the child was
                // re-parented): then do not start.
                if nix::unistd::getppid() != supervisor {
                    return Err(std::io::Error::other("supervisor exited during spawn"));
                }
                Ok(())
            });
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("Cannot start {} ({})", spec.name, spec.program.display()))?;
        let pid = child
            .id()
            .map(|id| Pid::from_raw(id as i32))
            .with_context(|| format!("{} exited before it could be watched", spec.name))?;
        let mut forwarders = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            forwarders.push(tokio::spawn(forward_output(spec.name, stdout)));
        }
        if let Some(stderr) = child.stderr.take() {
            forwarders.push(tokio::spawn(forward_output(spec.name, stderr)));
        }
        let (tx, exit) = watch::channel(None);
        let name = spec.name;
        tokio::spawn(async move {
            let status = match child.wait().await {
                Ok(status) => status,
                Err(err) => {
                    tracing::error!(child = name, "Cannot wait for {name}: {err}");
                    return;
                }
            };
            // The child's last lines (Postgres's "database system is shut down") are
            // still in the pipe: log them before anyone acts on the exit. Bounded, in
            // case a grandchild keeps the pipe open.
            let drained = futures::future::join_all(forwarders);
            let _ = tokio::time::timeout(OUTPUT_DRAIN, drained).await;
            tracing::info!(child = name, %status, "{name} exited");
            let _ = tx.send(Some(status));
        });
        tracing::info!(child = name, pid = pid.as_raw(), "Started {name}");
        Ok(Self { name, pid, exit })
    }

    /// Process id.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// The exit status, if the child has exited.
    pub fn exit_status(&self) -> Option<ExitStatus> {
        *self.exit.borrow()
    }

    /// Resolves when the child exits, with its status.
    pub async fn exited(&self) -> Option<ExitStatus> {
        let mut rx = self.exit.clone();
        rx.wait_for(Option::is_some).await.ok().and_then(|s| *s)
    }

    /// Sends `signal` (if still running) and waits up to `grace`; then SIGKILL.
    /// Returns the exit status and whether the child stopped within the grace period.
    pub async fn stop(&self, signal: Signal, grace: Duration) -> (Option<ExitStatus>, bool) {
        if self.exit_status().is_none() {
            let _ = kill(self.pid, signal);
        }
        if let Ok(status) = tokio::time::timeout(grace, self.exited()).await {
            return (status, true);
        }
        tracing::warn!(
            child = self.name,
            "{} did not stop within {grace:?}; killing it",
            self.name
        );
        let _ = kill(self.pid, Signal::SIGKILL);
        (self.exited().await, false)
    }
}

/// How long an exited child's remaining output may take to reach the log.
const OUTPUT_DRAIN: Duration = Duration::from_secs(1);

/// Copies a child's output into our log, one event per line.
async fn forward_output(name: &'static str, stream: impl AsyncRead + Unpin) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if !line.trim().is_empty() {
            tracing::info!(target: "clawtriage::child", child = name, "{line}");
        }
    }
}

/// Whether a TCP port on loopback is free to bind, so we can say "port taken" clearly
/// instead of letting a child fail with its own wording.
pub fn loopback_port_is_free(port: u16) -> bool {
    std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
}
