//! `clawtriage trigger` against a live API: success, the server's message on errors,
//! and `--wait` following the scan until it ends.

mod common;

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::process::Command;
use tokio_util::sync::CancellationToken;

const BIN: &str = env!("CARGO_BIN_EXE_clawtriage");

struct Server {
    url: String,
    db: sqlx::PgPool,
    stop: CancellationToken,
}

async fn server() -> Server {
    let port = clawtriage::testing::free_port().to_string();
    let cfg = common::config(&[
        "--port",
        &port,
        "--bind-addr",
        "127.0.0.1",
        "--ops-trigger-token",
        "ops",
        "--public-scan-allowed-repos",
        "acme/webapp",
    ]);
    let services = common::live_services().await;
    let db = services.db.clone();
    let stop = CancellationToken::new();
    tokio::spawn(clawtriage::api::serve(
        Arc::new(cfg),
        services,
        stop.clone(),
    ));
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if reqwest::get(format!("{url}/api/health")).await.is_ok() {
            return Server { url, db, stop };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("API did not start");
}

fn trigger(server: &Server, token: &str, extra: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args([
            "trigger",
            "--url",
            &server.url,
            "--token",
            token,
            "--owner",
            "acme",
        ])
        .args(extra)
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[tokio::test]
async fn trigger_prints_the_job_and_reports_server_errors() {
    let server = server().await;
    let ok = trigger(&server, "ops", &["--repo", "webapp", "--snapshot", "cli-1"])
        .output()
        .await
        .expect("run");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("json on stdout");
    assert_eq!(answer["enqueued"], true);

    for (token, repo, expected) in [
        ("wrong", "webapp", "the token is not valid"),
        ("ops", "other", "PUBLIC_SCAN_ALLOWED_REPOS"),
        ("ops", "bad repo", "repo must be"),
    ] {
        let out = trigger(&server, token, &["--repo", repo])
            .output()
            .await
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{repo}: expected failure");
        assert!(stderr.contains(expected), "{repo}: {stderr}");
    }
    let unreachable = Command::new(BIN)
        .args([
            "trigger",
            "--url",
            "http://127.0.0.1:9",
            "--token",
            "x",
            "--owner",
            "a",
            "--repo",
            "b",
        ])
        .env_clear()
        .output()
        .await
        .expect("run");
    assert!(!unreachable.status.success());
    assert!(String::from_utf8_lossy(&unreachable.stderr).contains("Cannot reach"));
    server.stop.cancel();
}

#[tokio::test]
async fn trigger_wait_follows_the_scan_to_its_end() {
    let server = server().await;
    let child = trigger(
        &server,
        "ops",
        &["--repo", "webapp", "--snapshot", "cli-wait", "--wait"],
    )
    .spawn()
    .expect("spawn");
    // Play the worker: the scan runs, then finishes.
    let mut id = None;
    for _ in 0..100 {
        id =
            sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM scans WHERE snapshot = 'cli-wait'")
                .fetch_optional(&server.db)
                .await
                .expect("query");
        if id.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let id = id.expect("scan created");
    sqlx::query("UPDATE scans SET status = 'running', enqueued = 4, analysed = 2 WHERE id = $1")
        .bind(id)
        .execute(&server.db)
        .await
        .expect("running");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    sqlx::query("UPDATE scans SET status = 'done', analysed = 4 WHERE id = $1")
        .bind(id)
        .execute(&server.db)
        .await
        .expect("done");
    let out = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
        .await
        .expect("trigger --wait ended")
        .expect("output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("running: 2/4 analysed"), "{stderr}");
    assert!(stderr.contains("100% done: 4/4 analysed"), "{stderr}");

    // A scan that ends partial makes --wait fail with the reason.
    let child = trigger(
        &server,
        "ops",
        &["--repo", "webapp", "--snapshot", "cli-partial", "--wait"],
    )
    .spawn()
    .expect("spawn");
    tokio::time::sleep(Duration::from_millis(500)).await;
    sqlx::query("UPDATE scans SET status = 'partial', error = '2 PRs failed' WHERE snapshot = 'cli-partial'")
        .execute(&server.db)
        .await
        .expect("partial");
    let out = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
        .await
        .expect("ended")
        .expect("output");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ended partial: 2 PRs failed"));
    server.stop.cancel();
}
