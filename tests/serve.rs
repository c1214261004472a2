//! `clawtriage serve` as a process: start, health, signals, crashes, restarts, and
//! start-up errors. Each test runs the real binary on its own data root and ports.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clawtriage::testing::free_port;
use common::process::{BIN, STOP_WITHIN, Stack, data_root, wait_dead};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

#[tokio::test]
async fn sigterm_stops_cleanly_and_a_restart_keeps_the_data_without_recovery() {
    let (_dir, root) = data_root();
    let mut stack = Stack::start(&root, 1);
    stack.wait_healthy().await;
    let db = stack.db().await;
    sqlx::query("INSERT INTO repositories (owner, name) VALUES ('acme', 'kept')")
        .execute(&db)
        .await
        .expect("insert");
    db.close().await;
    let children = stack.child_pids();
    assert_eq!(children.len(), 2, "postgres and redis: {children:?}");

    let stopping = Instant::now();
    stack.signal(Signal::SIGTERM);
    let status = stack.wait_exit(STOP_WITHIN).await;
    assert!(
        status.success(),
        "exit status {status}:\n{}",
        stack.log_text()
    );
    wait_dead(&children, Duration::from_secs(2)).await;
    let stop_ms = stopping.elapsed().as_millis();
    assert!(stack.log_text().contains("database system is shut down"));

    let mut again = Stack::start_on(&root, 2, stack.port, stack.pg_port, stack.redis_port);
    again.wait_healthy().await;
    let log = again.log_text();
    assert!(
        !log.contains("not properly shut down"),
        "crash recovery after a clean stop:\n{log}"
    );
    assert!(
        !log.contains("automatic recovery"),
        "crash recovery after a clean stop:\n{log}"
    );
    assert!(
        !log.contains("Initialising a new Postgres cluster"),
        "initdb ran twice:\n{log}"
    );
    let db = again.db().await;
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM repositories WHERE name = 'kept'")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(kept, 1);
    db.close().await;
    again.signal(Signal::SIGINT);
    assert!(again.wait_exit(STOP_WITHIN).await.success());
    eprintln!("clean stop took {stop_ms} ms");
}

#[tokio::test]
async fn kill_9_of_everything_then_serve_again_is_healthy() {
    let (_dir, root) = data_root();
    let mut stack = Stack::start(&root, 1);
    stack.wait_healthy().await;
    stack.kill_everything().await;
    assert!(
        root.join("postgres/data/postmaster.pid").exists(),
        "expected a stale pid file"
    );

    let mut again = Stack::start_on(&root, 2, stack.port, stack.pg_port, stack.redis_port);
    again.wait_healthy().await;
    again.signal(Signal::SIGTERM);
    assert!(again.wait_exit(STOP_WITHIN).await.success());
}

#[tokio::test]
async fn serve_runs_as_pid_1_of_a_container() {
    // A container without an init runs the supervisor as PID 1; its children must still
    // start (their orphan check compares with the supervisor's pid, not with 1).
    let probe = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("skipped: this machine cannot create a PID namespace (needs root)");
        return;
    }
    let (_dir, root) = data_root();
    let ports = (free_port(), free_port(), free_port());
    let mut stack = Stack::start_wrapped(
        &root,
        1,
        ports,
        &[],
        &["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"],
    );
    stack.wait_healthy().await;
    // `unshare` forwards no signals: stop the supervisor itself (the wrapper's child).
    let wrapper = stack.child.id();
    let children = std::fs::read_to_string(format!("/proc/{wrapper}/task/{wrapper}/children"))
        .expect("children of unshare");
    let supervisor: i32 = children
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .expect("supervisor pid");
    kill(Pid::from_raw(supervisor), Signal::SIGTERM).expect("signal supervisor");
    assert!(
        stack.wait_exit(STOP_WITHIN).await.success(),
        "{}",
        stack.log_text()
    );
    assert!(stack.log_text().contains("Stopped cleanly"));
}

#[tokio::test]
async fn killing_the_supervisor_alone_takes_its_children_down() {
    let (_dir, root) = data_root();
    let mut stack = Stack::start(&root, 1);
    stack.wait_healthy().await;
    let children = stack.child_pids();
    stack.signal(Signal::SIGKILL);
    stack.wait_exit(Duration::from_secs(5)).await;
    // Parent-death signals stop both children; no orphan keeps the ports or the data.
    wait_dead(&children, Duration::from_secs(20)).await;
}

#[tokio::test]
async fn redis_dying_tears_everything_down_with_a_failure_exit() {
    let (_dir, root) = data_root();
    let mut stack = Stack::start(&root, 1);
    stack.wait_healthy().await;
    let postgres = stack.child_pid("postgres");
    kill(Pid::from_raw(stack.child_pid("redis")), Signal::SIGKILL).expect("kill redis");
    let status = stack.wait_exit(Duration::from_secs(30)).await;
    assert!(
        !status.success(),
        "expected a failure exit:\n{}",
        stack.log_text()
    );
    wait_dead(&[("postgres".into(), postgres)], Duration::from_secs(5)).await;
    assert!(stack.log_text().contains("redis exited unexpectedly"));
}

/// Runs `serve` expecting a start-up failure; returns stderr.
fn failing_start(envs: &[(&str, &str)]) -> String {
    let mut command = Command::new(BIN);
    command
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("EMBEDDED_PG_PORT", free_port().to_string())
        .env("EMBEDDED_REDIS_PORT", free_port().to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        command.env(k, v);
    }
    let output = command.output().expect("run serve");
    assert!(!output.status.success(), "expected failure for {envs:?}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one line for {envs:?}, got:\n{stderr}"
    );
    stderr
}

#[test]
fn a_bad_port_stops_start_up_with_one_line_naming_it() {
    let stderr = failing_start(&[("PORT", "eighty")]);
    assert!(
        stderr.contains("PORT") && stderr.contains("eighty"),
        "{stderr}"
    );
    let stderr = failing_start(&[("PORT", "0")]);
    assert!(stderr.contains("PORT"), "{stderr}");
}

#[test]
fn a_bad_triage_config_stops_start_up_with_one_line_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("thresholds.yaml"),
        clawtriage_triage::engine::DEFAULT_THRESHOLDS
            .replace("high_confidence: 0.95", "high_confidence: 3"),
    )
    .expect("write");
    let stderr = failing_start(&[("TRIAGE_CONFIG_DIR", dir.path().to_str().expect("utf8"))]);
    assert!(
        stderr.contains("TRIAGE_CONFIG_DIR") && stderr.contains("publishing.high_confidence"),
        "{stderr}"
    );
}

#[test]
fn an_unwritable_data_root_stops_start_up_with_one_line_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").expect("write");
    let root = file.join("data");
    let stderr = failing_start(&[("DATA_ROOT", root.to_str().expect("utf8"))]);
    assert!(stderr.contains("DATA_ROOT"), "{stderr}");
}

#[test]
fn missing_postgres_binaries_stop_start_up_with_one_line_naming_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("data");
    let empty = dir.path().join("empty-bin");
    std::fs::create_dir(&empty).expect("mkdir");
    let stderr = failing_start(&[
        ("DATA_ROOT", root.to_str().expect("utf8")),
        ("PG_BIN_DIR", empty.to_str().expect("utf8")),
    ]);
    assert!(stderr.contains("PG_BIN_DIR"), "{stderr}");
}

#[test]
fn a_taken_postgres_port_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("data");
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let stderr = failing_start(&[
        ("DATA_ROOT", root.to_str().expect("utf8")),
        ("EMBEDDED_PG_PORT", &port),
    ]);
    assert!(
        stderr.contains("EMBEDDED_PG_PORT") && stderr.contains("in use"),
        "{stderr}"
    );
}

#[test]
fn api_without_database_url_names_the_variable() {
    let output = Command::new(BIN)
        .arg("api")
        .env_clear()
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .output()
        .expect("run api");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
}
