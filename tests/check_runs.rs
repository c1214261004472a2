//! App mode: every analysed open PR gets one Check Run on its head, neutral, titled
//! with its count of likely duplicates and listing them; a re-analysis updates it.

mod common;

use std::time::Duration;

use clawtriage::fake_github::{FakeConfig, FakeGithub};
use clawtriage::storage::{prs, repos};
use common::github::{APP_ID, TEST_APP_KEY};
use common::pipeline::{Stack, corpus_dir, members, truth};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn analysed_prs_get_one_neutral_check_run_each_updated_on_reanalysis() {
    let github = FakeGithub::start(corpus_dir(), FakeConfig::default())
        .await
        .expect("fake github");
    let app_id = APP_ID.to_string();
    // `=` form: the PEM starts with dashes, which would read as a flag.
    let key = format!("--github-private-key-pem={TEST_APP_KEY}");
    let stack = Stack::start_with(
        &github.base_url(),
        &[
            "--github-mode",
            "app",
            "--github-app-id",
            &app_id,
            &key,
            "--public-url",
            "https://triage.example",
        ],
    )
    .await;
    let scan = stack.scan_done("app-mode", Duration::from_secs(240)).await;
    let repo_id = scan["repoId"].as_i64().expect("repo");

    // Check Runs are published after each ingest; give the last ones a moment.
    let listed = scan["counts"]["listed"].as_u64().expect("listed") as usize;
    let mut runs = github.check_runs();
    for _ in 0..50 {
        if runs.iter().filter(|r| !r.update).count() >= listed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        runs = github.check_runs();
    }
    let created: Vec<_> = runs.iter().filter(|r| !r.update).collect();
    assert_eq!(created.len(), listed, "one run per open PR");
    let mut heads: Vec<&str> = created
        .iter()
        .filter_map(|r| r.body["head_sha"].as_str())
        .collect();
    heads.sort_unstable();
    heads.dedup();
    assert_eq!(heads.len(), listed, "one run per head");
    assert!(
        created
            .iter()
            .all(|r| r.body["conclusion"] == "neutral" && r.body["status"] == "completed")
    );

    let db = &stack.state.services.db;
    let cluster: Vec<i64> = members(&truth()["clusters"][0]).into_iter().collect();
    let pr = prs::by_number(db, repo_id, i32::try_from(cluster[0]).expect("number"))
        .await
        .expect("pr")
        .expect("stored");
    let run = created
        .iter()
        .find(|r| r.body["head_sha"] == pr.head_sha.as_str())
        .expect("the cluster member's run");
    let title = run.body["output"]["title"].as_str().expect("title");
    assert!(
        title.ends_with("likely duplicate found") || title.ends_with("likely duplicates found"),
        "{title}"
    );
    assert!(!title.starts_with("No "), "{title}");
    let summary = run.body["output"]["summary"].as_str().expect("summary");
    assert!(
        summary.contains(&format!("#{}", cluster[1])),
        "the summary lists the cluster-mate: {summary}"
    );
    assert_eq!(
        run.body["details_url"],
        format!("https://triage.example/repos/{repo_id}/prs/{}", pr.number)
    );

    // Publishing again for the same head updates that run instead of adding one.
    let repo = repos::get(db, repo_id)
        .await
        .expect("repo")
        .expect("stored");
    let client =
        clawtriage::github::GithubClient::from_config(&stack.state.config, None).expect("client");
    clawtriage::scan::report::publish(
        db,
        &client,
        "clawtriage",
        Some("https://triage.example"),
        &repo,
        &pr,
    )
    .await
    .expect("publish again");
    let after = github.check_runs();
    assert_eq!(after.iter().filter(|r| !r.update).count(), listed);
    let update = after.last().expect("an update");
    assert!(update.update);
    assert_eq!(update.id, run.id);
    // Quiet by default: a whole repository's duplicates, and no label or comment.
    assert!(
        github.issue_writes().is_empty(),
        "{:?}",
        github.issue_writes()
    );
    stack.stop().await;
}
