//! `kill -9` of the whole stack in the middle of a scan: after a restart, triggering
//! again completes, every open PR is analysed at its head, and nothing is stored twice.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clawtriage::fake_github::{FakeConfig, FakeGithub, Faults};
use clawtriage::testing::free_port;
use common::process::{Stack, data_root};
use nix::sys::signal::Signal;
use serde_json::Value;

async fn trigger(client: &reqwest::Client, port: u16, snapshot: &str) -> String {
    let answer: Value = client
        .post(format!("http://127.0.0.1:{port}/api/ops/public-scan"))
        .bearer_auth("ops")
        .json(&serde_json::json!({"owner": "acme", "repo": "webapp", "snapshot": snapshot}))
        .send()
        .await
        .expect("trigger")
        .json()
        .await
        .expect("trigger json");
    answer["jobId"].as_str().expect("job id").to_owned()
}

async fn status(client: &reqwest::Client, port: u16, job: &str) -> Value {
    client
        .get(format!("http://127.0.0.1:{port}/api/ops/scans/{job}"))
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("status json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_scan_then_restart_and_trigger_again_completes_without_duplicates() {
    // Slow answers, so the kill lands in the middle of the scan.
    let config = FakeConfig {
        faults: Faults {
            latency_ms: 60,
            ..Faults::default()
        },
        ..FakeConfig::default()
    };
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let github = FakeGithub::start(corpus, config)
        .await
        .expect("fake github");
    let url = github.base_url();
    let env = [
        ("GITHUB_API_URL", url.as_str()),
        ("OPS_TRIGGER_TOKEN", "ops"),
        ("PUBLIC_SCAN_ALLOWED_REPOS", "acme/webapp"),
    ];
    let (_dir, root) = data_root();
    let ports = (free_port(), free_port(), free_port());
    let client = reqwest::Client::new();

    let mut stack = Stack::start_with(&root, 1, ports, &env);
    stack.wait_healthy().await;
    let first = trigger(&client, ports.0, "crash-1").await;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let scan = status(&client, ports.0, &first).await;
        let analysed = scan["counts"]["analysed"].as_i64().unwrap_or(0);
        if analysed >= 40 {
            assert_eq!(scan["status"], "running", "killed too late: {scan}");
            break;
        }
        assert!(Instant::now() < deadline, "scan did not progress: {scan}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stack.kill_everything().await;

    let mut again = Stack::start_with(&root, 2, ports, &env);
    again.wait_healthy().await;
    let second = trigger(&client, ports.0, "crash-2").await;
    let deadline = Instant::now() + Duration::from_secs(180);
    let scan = loop {
        let scan = status(&client, ports.0, &second).await;
        if matches!(scan["status"].as_str(), Some("done" | "partial" | "failed")) {
            break scan;
        }
        assert!(
            Instant::now() < deadline,
            "scan after restart did not finish: {scan}\n{}",
            again.log_text()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(scan["status"], "done", "{scan}");
    assert_eq!(scan["counts"]["failed"], 0, "{scan}");

    let db = again.db().await;
    let unanalysed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pull_requests
         WHERE state = 'open' AND (analysis_status NOT IN ('ANALYSED', 'DEGRADED')
                                   OR analysed_head_sha IS DISTINCT FROM head_sha)",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(unanalysed, 0, "every open PR is analysed at its head");
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM pull_requests WHERE state = 'open'")
        .fetch_one(&db)
        .await
        .expect("count");
    assert!(open > 250, "the listing was stored: {open}");
    let twice: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (
             SELECT m.pr_id FROM duplicate_set_members m JOIN duplicate_sets s ON s.id = m.set_id
             WHERE s.active GROUP BY m.pr_id HAVING count(*) > 1) x",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(twice, 0, "no PR in two current sets");
    let runs_per_head: i64 = sqlx::query_scalar(
        "SELECT COALESCE(max(n), 0) FROM (
             SELECT count(*) AS n FROM analysis_runs GROUP BY pr_id, head_sha) x",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(runs_per_head, 1, "one analysis per PR head");
    let sets: i64 = sqlx::query_scalar("SELECT count(*) FROM duplicate_sets WHERE active")
        .fetch_one(&db)
        .await
        .expect("count");
    assert!(sets >= 30, "the duplicate sets were rebuilt: {sets}");
    db.close().await;
    again.signal(Signal::SIGTERM);
    assert!(again.wait_exit(Duration::from_secs(30)).await.success());
}
