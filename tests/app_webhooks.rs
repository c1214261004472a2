//! App mode end to end: signed webhooks drive ingests and Check Runs on the fake
//! GitHub; a replayed delivery does nothing; a Check Run the app may not write leaves
//! the analysis DEGRADED, never lost.

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clawtriage::fake_github::{FakeConfig, FakeGithub};
use clawtriage::storage::{prs, repos};
use clawtriage::webhooks::signature::sign;
use common::github::{APP_ID, TEST_APP_KEY};
use common::pipeline::{Stack, corpus_dir, members, truth};
use common::{Answer, send};
use serde_json::{Value, json};

const SECRET: &str = "whsec-e2e";

fn corpus_doc(path: &str) -> Value {
    let text =
        std::fs::read_to_string(corpus_dir().join("acme/webapp").join(path)).expect("corpus file");
    serde_json::from_str(&text).expect("corpus json")
}

async fn deliver(stack: &Stack, event: &str, id: &str, payload: &Value) -> Answer {
    let body = serde_json::to_vec(payload).expect("json");
    let request = Request::post("/webhooks/github")
        .header("content-type", "application/json")
        .header("x-github-event", event)
        .header("x-github-delivery", id)
        .header("x-hub-signature-256", sign(SECRET, &body))
        .body(Body::from(body))
        .expect("request");
    send(&stack.app, request).await
}

fn pr_event(action: &str, pull: &Value) -> Value {
    json!({
        "action": action,
        "number": pull["number"],
        "pull_request": pull,
        "repository": corpus_doc("repo.json"),
        "installation": {"id": 1},
    })
}

/// Waits until the fake holds a created Check Run on `head`; returns how long it took.
async fn wait_for_run(github: &FakeGithub, head: &str, since: Instant) -> Duration {
    loop {
        if github
            .check_runs()
            .iter()
            .any(|r| !r.update && r.body["head_sha"] == head)
        {
            return since.elapsed();
        }
        assert!(
            since.elapsed() < Duration::from_secs(60),
            "no Check Run on {head}: {:?}",
            github.check_runs()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn app_stack(github: &FakeGithub) -> Stack {
    let app_id = APP_ID.to_string();
    // `=` form: the PEM starts with dashes, which would read as a flag.
    let key = format!("--github-private-key-pem={TEST_APP_KEY}");
    Stack::start_with(
        &github.base_url(),
        &[
            "--github-mode",
            "app",
            "--github-app-id",
            &app_id,
            &key,
            "--github-webhook-secret",
            SECRET,
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn webhooks_drive_ingest_and_one_check_run_per_head() {
    let github = FakeGithub::start(corpus_dir(), FakeConfig::default())
        .await
        .expect("fake github");
    let stack = app_stack(&github).await;
    let cluster: Vec<i64> = members(&truth()["clusters"][0]).into_iter().collect();

    // The cluster-mate first, then the PR under test: its run must name the mate.
    let mut latencies = Vec::new();
    for (i, number) in [cluster[1], cluster[0]].into_iter().enumerate() {
        let pull = corpus_doc(&format!("pulls/{number}.json"))["pull"].clone();
        let head = pull["head"]["sha"].as_str().expect("head").to_owned();
        let received = Instant::now();
        let answer = deliver(
            &stack,
            "pull_request",
            &format!("opened-{i}"),
            &pr_event("opened", &pull),
        )
        .await;
        assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text);
        latencies.push(wait_for_run(&github, &head, received).await);
    }
    let pull = corpus_doc(&format!("pulls/{}.json", cluster[0]))["pull"].clone();
    let head = pull["head"]["sha"].as_str().expect("head").to_owned();
    let runs: Vec<_> = github
        .check_runs()
        .into_iter()
        .filter(|r| r.body["head_sha"] == head.as_str())
        .collect();
    assert_eq!(runs.len(), 1, "exactly one run: {runs:?}");
    let summary = runs[0].body["output"]["summary"].as_str().expect("summary");
    assert!(summary.contains(&format!("#{}", cluster[1])), "{summary}");
    assert_eq!(runs[0].body["conclusion"], "neutral");

    // The same delivery again: acknowledged as a duplicate, nothing new happens.
    let before = github.check_runs().len();
    let replay = deliver(
        &stack,
        "pull_request",
        "opened-1",
        &pr_event("opened", &pull),
    )
    .await;
    assert!(replay.status.is_success(), "{}", replay.text);
    assert_eq!(replay.json["duplicate"], true, "{}", replay.text);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(github.check_runs().len(), before);

    // synchronize to a new head: a run on the new SHA.
    let new_head = "d".repeat(40);
    let number = u64::try_from(cluster[0]).expect("number");
    github
        .set_head("acme", "webapp", number, &new_head, None)
        .expect("move head");
    let mut moved = pull.clone();
    moved["head"]["sha"] = new_head.clone().into();
    let received = Instant::now();
    let answer = deliver(
        &stack,
        "pull_request",
        "sync-1",
        &pr_event("synchronize", &moved),
    )
    .await;
    assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text);
    latencies.push(wait_for_run(&github, &new_head, received).await);

    latencies.sort_unstable();
    println!(
        "webhook to Check Run: median {:?} over {} deliveries (max {:?})",
        latencies[latencies.len() / 2],
        latencies.len(),
        latencies[latencies.len() - 1]
    );
    assert!(latencies[latencies.len() / 2] < Duration::from_secs(10));
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_check_run_the_app_may_not_write_degrades_the_analysis_and_keeps_it() {
    let github = FakeGithub::start(corpus_dir(), FakeConfig::default())
        .await
        .expect("fake github");
    github.set_check_runs_forbidden(true);
    let stack = app_stack(&github).await;
    let number = members(&truth()["clusters"][0])
        .into_iter()
        .next()
        .expect("member");
    let pull = corpus_doc(&format!("pulls/{number}.json"))["pull"].clone();
    let answer = deliver(
        &stack,
        "pull_request",
        "opened-403",
        &pr_event("opened", &pull),
    )
    .await;
    assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text);

    let db = &stack.state.services.db;
    let repo = repos::by_name(db, "acme", "webapp")
        .await
        .expect("repo")
        .expect("stored");
    let started = Instant::now();
    let pr = loop {
        let pr = prs::by_number(db, repo.id, i32::try_from(number).expect("number"))
            .await
            .expect("pr")
            .expect("stored");
        if pr.analysis_status == "DEGRADED" {
            break pr;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "not degraded: {} {:?}",
            pr.analysis_status,
            pr.analysis_error
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        pr.analysis_error
            .as_deref()
            .is_some_and(|e| e.contains("Check Run not published")),
        "{:?}",
        pr.analysis_error
    );
    let fingerprints: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM analysis_runs WHERE pr_id = $1 AND fingerprint IS NOT NULL AND status = 'DEGRADED'",
    )
    .bind(pr.id)
    .fetch_one(db)
    .await
    .expect("count");
    assert_eq!(fingerprints, 1, "the analysis is kept");
    stack.stop().await;
}
