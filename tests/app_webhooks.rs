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
    app_stack_with(github, &[]).await
}

async fn app_stack_with(github: &FakeGithub, extra: &[&str]) -> Stack {
    let app_id = APP_ID.to_string();
    // `=` form: the PEM starts with dashes, which would read as a flag.
    let key = format!("--github-private-key-pem={TEST_APP_KEY}");
    let mut args = vec![
        "--github-mode",
        "app",
        "--github-app-id",
        &app_id,
        &key,
        "--github-webhook-secret",
        SECRET,
    ];
    args.extend_from_slice(extra);
    Stack::start_with(&github.base_url(), &args).await
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
    // The mate's run, published before the pair was found, now names the PR too.
    let mate_head = corpus_doc(&format!("pulls/{}.json", cluster[1]))["pull"]["head"]["sha"]
        .as_str()
        .expect("head")
        .to_owned();
    // The update follows the PR's own run: give it a moment.
    let since = Instant::now();
    let mate_runs = loop {
        let runs: Vec<_> = github
            .check_runs()
            .into_iter()
            .filter(|r| r.body["head_sha"] == mate_head.as_str())
            .collect();
        if runs.iter().any(|r| r.update) || since.elapsed() > Duration::from_secs(10) {
            break runs;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(mate_runs.iter().filter(|r| !r.update).count(), 1);
    let refreshed = mate_runs.last().expect("mate run");
    assert!(refreshed.update, "{mate_runs:?}");
    let summary = refreshed.body["output"]["summary"]
        .as_str()
        .expect("summary");
    assert!(summary.contains(&format!("#{}", cluster[0])), "{summary}");

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
    assert!(
        github.issue_writes().is_empty(),
        "no label or comment unless enabled: {:?}",
        github.issue_writes()
    );
    stack.stop().await;
}

/// The PR's current state, once `ready` holds (or a panic after 60 s).
async fn wait_for_pr(
    stack: &Stack,
    number: i64,
    ready: impl Fn(&prs::PrRow) -> bool,
) -> prs::PrRow {
    let db = &stack.state.services.db;
    let started = Instant::now();
    loop {
        if let Some(repo) = repos::by_name(db, "acme", "webapp").await.expect("repo")
            && let Some(pr) = prs::by_number(db, repo.id, i32::try_from(number).expect("n"))
                .await
                .expect("pr")
            && ready(&pr)
        {
            return pr;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "PR #{number} never got there"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn when_enabled_a_resubmission_gets_one_label_and_one_comment_ever() {
    let github = FakeGithub::start(corpus_dir(), FakeConfig::default())
        .await
        .expect("fake github");
    let dir = tempfile::tempdir().expect("config dir");
    let thresholds =
        clawtriage_triage::engine::DEFAULT_THRESHOLDS.replace("enabled: false", "enabled: true");
    std::fs::write(dir.path().join("thresholds.yaml"), thresholds).expect("write");
    let config_dir = format!("--triage-config-dir={}", dir.path().display());
    let stack = app_stack_with(&github, &[&config_dir]).await;

    // A SAME_CHANGE pair; the one created later is the resubmission.
    let cluster = truth()["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .find(|c| c["kind"] == "SAME_CHANGE")
        .cloned()
        .expect("a SAME_CHANGE cluster");
    let pair: Vec<i64> = members(&cluster).into_iter().take(2).collect();
    let created = |n: i64| {
        corpus_doc(&format!("pulls/{n}.json"))["pull"]["created_at"]
            .as_str()
            .expect("created")
            .to_owned()
    };
    let (later, earlier) = if (created(pair[0]), pair[0]) > (created(pair[1]), pair[1]) {
        (pair[0], pair[1])
    } else {
        (pair[1], pair[0])
    };
    let later_pull = corpus_doc(&format!("pulls/{later}.json"))["pull"].clone();
    let earlier_pull = corpus_doc(&format!("pulls/{earlier}.json"))["pull"].clone();

    // GitHub refuses the writes at first: the analysis is DEGRADED with the reason and
    // nothing is remembered as written, so a later analysis tries again.
    github.set_issue_writes_forbidden(true);
    // The resubmission first, then the original: the pair is found from the original's
    // side, and still only the resubmission is written on.
    for (i, pull) in [&later_pull, &earlier_pull].into_iter().enumerate() {
        let answer = deliver(
            &stack,
            "pull_request",
            &format!("open-{i}"),
            &pr_event("opened", pull),
        )
        .await;
        assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text);
    }
    let refused = wait_for_pr(&stack, later, |pr| pr.analysis_status == "DEGRADED").await;
    assert!(
        refused
            .analysis_error
            .as_deref()
            .is_some_and(|e| e.contains("label or comment not written")),
        "{:?}",
        refused.analysis_error
    );
    let db = &stack.state.services.db;
    let claims: i64 = sqlx::query_scalar("SELECT count(*) FROM pr_publications")
        .fetch_one(db)
        .await
        .expect("count");
    assert_eq!(claims, 0, "a refused write is not remembered as done");

    // Allowed again; a push to the resubmission gets it analysed again.
    github.set_issue_writes_forbidden(false);
    let mut heads = Vec::new();
    for (i, byte) in ["e", "f"].into_iter().enumerate() {
        let head = byte.repeat(40);
        github
            .set_head(
                "acme",
                "webapp",
                u64::try_from(later).expect("n"),
                &head,
                None,
            )
            .expect("move head");
        let mut moved = later_pull.clone();
        moved["head"]["sha"] = head.clone().into();
        let answer = deliver(
            &stack,
            "pull_request",
            &format!("sync-{i}"),
            &pr_event("synchronize", &moved),
        )
        .await;
        assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text);
        wait_for_run(&github, &head, Instant::now()).await;
        wait_for_pr(&stack, later, |pr| {
            pr.analysed_head_sha.as_deref() == Some(head.as_str())
        })
        .await;
        heads.push(head);
    }
    // The original, analysed once more, finds the pair again.
    let answer = deliver(
        &stack,
        "pull_request",
        "reopen",
        &pr_event("reopened", &earlier_pull),
    )
    .await;
    assert!(answer.status.is_success(), "{}", answer.text);
    tokio::time::sleep(Duration::from_secs(2)).await;

    let writes = github.issue_writes();
    let later_n = u64::try_from(later).expect("n");
    let labels: Vec<_> = writes.iter().filter(|w| w.kind == "labels").collect();
    let comments: Vec<_> = writes.iter().filter(|w| w.kind == "comment").collect();
    assert_eq!(labels.len(), 1, "one label write ever: {writes:?}");
    assert_eq!(comments.len(), 1, "one comment ever: {writes:?}");
    assert_eq!(labels[0].number, later_n);
    assert_eq!(
        labels[0].body["labels"],
        json!(["triage:possible-duplicate"])
    );
    assert_eq!(comments[0].number, later_n);
    let text = comments[0].body["body"].as_str().expect("comment body");
    assert!(
        text.contains(&format!("pull/{earlier})")),
        "names the original: {text}"
    );
    assert!(
        text.contains("<!-- clawtriage:possible-duplicate -->"),
        "{text}"
    );
    assert!(text.contains("same production change"), "{text}");
    let done: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pr_publications WHERE status = 'done' AND other_pr_id IS NOT NULL",
    )
    .fetch_one(db)
    .await
    .expect("count");
    assert_eq!(done, 2, "label and comment recorded");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn issue_webhooks_store_and_analyse_issues_and_a_reposted_one_is_a_duplicate() {
    let github = FakeGithub::start(corpus_dir(), FakeConfig::default())
        .await
        .expect("fake github");
    let stack = app_stack(&github).await;
    // An exact re-post (truth cluster i12).
    let cluster = truth()["issue_clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .find(|c| c["id"] == "i12")
        .cloned()
        .expect("cluster i12");
    let pair: Vec<i64> = members(&cluster).into_iter().collect();
    let event = |action: &str, issue: &Value| {
        json!({
            "action": action,
            "issue": issue,
            "repository": corpus_doc("repo.json"),
            "installation": {"id": 1},
        })
    };
    for (i, number) in pair.iter().enumerate() {
        let issue = corpus_doc(&format!("issues/{number}.json"))["issue"].clone();
        let answer = deliver(
            &stack,
            "issues",
            &format!("issue-{i}"),
            &event("opened", &issue),
        )
        .await;
        assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text);
        assert_eq!(
            answer.json["outcome"], "issue_analysis_enqueued",
            "{}",
            answer.text
        );
    }
    let db = &stack.state.services.db;
    let started = Instant::now();
    loop {
        let found: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM issue_edges e JOIN issues a ON a.id = e.issue_low
             JOIN issues b ON b.id = e.issue_high
             WHERE e.category = 'DUPLICATE' AND a.number = ANY($1) AND b.number = ANY($1)",
        )
        .bind(
            pair.iter()
                .map(|n| i32::try_from(*n).expect("n"))
                .collect::<Vec<_>>(),
        )
        .fetch_one(db)
        .await
        .expect("count");
        if found == 1 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no duplicate edge"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Closing changes the state, not the text: stored, nothing to analyse.
    let issue = corpus_doc(&format!("issues/{}.json", pair[1]))["issue"].clone();
    let mut closed = issue.clone();
    closed["state"] = "closed".into();
    let answer = deliver(&stack, "issues", "issue-close", &event("closed", &closed)).await;
    assert_eq!(answer.json["outcome"], "updated", "{}", answer.text);
    let state: String = sqlx::query_scalar("SELECT state FROM issues WHERE number = $1")
        .bind(i32::try_from(pair[1]).expect("n"))
        .fetch_one(db)
        .await
        .expect("state");
    assert_eq!(state, "closed");
    // A PR in issue shape (GitHub sends those for PRs on some events) is not an issue.
    let mut pr_like = issue;
    pr_like["number"] = 57.into();
    pr_like["pull_request"] = json!({"url": "https://api.github.com/repos/acme/webapp/pulls/57"});
    let answer = deliver(&stack, "issues", "issue-pr", &event("opened", &pr_like)).await;
    assert_eq!(answer.json["outcome"], "ignored", "{}", answer.text);
    stack.stop().await;
}
