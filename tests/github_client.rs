//! The GitHub client against the fake GitHub: pagination, conditional requests with a
//! durable ETag memory, rate-limit pauses, retries, app tokens, Check Runs, and logs that
//! never show a secret.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clawtriage::fake_github::{FakeConfig, FakeGithub, Faults, RateLimitSettings};
use clawtriage::github::{
    Credentials, GithubClient, GithubError, NewCheckRun, RetryPolicy, is_binary,
};
use clawtriage::scan::source::{PrSource, SourceError};
use common::github::*;
use serde_json::json;

#[tokio::test]
async fn lists_hundreds_of_open_prs_and_files_across_pages() {
    let fake = fake(corpus(260, 5, 270)).await;
    let client = public_client(&fake, Some("t0ken"), None);

    let repo = PrSource::repository(&client, OWNER, REPO)
        .await
        .expect("repo");
    assert_eq!((repo.owner.as_str(), repo.name.as_str()), (OWNER, REPO));
    assert_eq!(repo.github_id, 900_001);
    assert_eq!(repo.default_branch, "main");

    let listing = client.open_pulls(OWNER, REPO, None).await.expect("listing");
    assert!(listing.complete);
    assert_eq!(listing.pulls.len(), 260);
    let numbers: Vec<i32> = listing.pulls.iter().map(|p| p.number).collect();
    let expected: Vec<i32> = (1..=260).rev().collect();
    assert_eq!(numbers, expected, "every open PR once, newest first");
    let first = &listing.pulls[0];
    assert_eq!(first.state, "open");
    assert!(first.draft, "PR 260 is a draft");
    assert_eq!(first.head_sha, format!("{:040x}", 260));
    assert_eq!(first.head_ref.as_deref(), Some("feature-260"));
    assert_eq!(first.base_ref.as_deref(), Some("main"));
    assert_eq!(first.author_login.as_deref(), Some("dev1"));
    assert!(first.created_at.is_some() && first.updated_at.is_some());

    let files = client.files(OWNER, REPO, 1).await.expect("files");
    assert_eq!(files.len(), 270);
    assert_eq!(files[0].path, "src/module_0000.ts");
    assert_eq!(files[269].path, "src/module_0269.ts");
    assert!(files.iter().all(|f| f.patch.is_some() && !is_binary(f)));

    let log = fake.requests();
    assert_eq!(log.count(PULLS, 200), 3, "3 list pages: {:?}", log.by_route);
    assert_eq!(log.count(FILES, 200), 3, "3 files pages");
    assert_eq!(log.count(REPOSITORY, 200), 1);
    assert_eq!(log.total, 7);
    let usage = client.usage();
    assert_eq!(usage.requests, 7);
    assert_eq!(usage.not_modified, 0);
    assert_eq!(usage.rate_limit_remaining, Some(5000 - 7));
    assert!(usage.rate_limit_reset.is_some());
}

#[tokio::test]
async fn a_second_pass_is_answered_by_304s_for_free_and_the_memory_survives_a_restart() {
    let db = clawtriage::testing::fresh_db().await;
    let fake = fake(corpus(250, 0, 250)).await;

    let pass = |client: GithubClient| async move {
        let listing = client.open_pulls(OWNER, REPO, None).await.expect("listing");
        let files = client.files(OWNER, REPO, 1).await.expect("files");
        (listing.pulls.len(), files.len(), client.usage())
    };

    let first = public_client(&fake, None, Some(db.clone()));
    let (pulls, files, usage) = pass(first.clone()).await;
    assert_eq!((pulls, files), (250, 250));
    assert_eq!((usage.requests, usage.not_modified), (6, 0));
    let budget = fake.rate_limit_remaining();
    assert_eq!(budget, 5000 - 6);

    // Same client, unchanged data: every page is a 304, the budget does not move.
    let (pulls, files, usage) = pass(first.clone()).await;
    assert_eq!((pulls, files), (250, 250));
    assert_eq!((usage.requests, usage.not_modified), (12, 6));
    assert_eq!(fake.rate_limit_remaining(), budget);
    assert_eq!(fake.requests().count(PULLS, 304), 3);
    assert_eq!(fake.requests().count(FILES, 304), 3);

    // A new client on the same database (a restart): still all 304s.
    let restarted = public_client(&fake, None, Some(db.clone()));
    let (pulls, files, usage) = pass(restarted).await;
    assert_eq!((pulls, files), (250, 250));
    assert_eq!((usage.requests, usage.not_modified), (6, 6));
    assert_eq!(fake.rate_limit_remaining(), budget);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM http_cache")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(stored, 6, "one row per page");

    // Without the database a new client has no memory and pays again.
    let forgetful = public_client(&fake, None, None);
    let (_, _, usage) = pass(forgetful).await;
    assert_eq!(usage.not_modified, 0);
    assert_eq!(fake.rate_limit_remaining(), budget - 6);
}

#[tokio::test]
async fn a_spent_budget_pauses_the_listing_until_the_reset_and_then_completes_it() {
    let fake = fake(corpus(250, 0, 2)).await;
    let client = public_client(&fake, None, None);
    // Two requests left, the reset two seconds away: page 3 must wait for it.
    fake.set_rate_limit(RateLimitSettings {
        limit: 100,
        remaining: Some(2),
        reset_seconds: 2,
    });
    let started = Instant::now();
    let listing = client.open_pulls(OWNER, REPO, None).await.expect("listing");
    let waited = started.elapsed();
    assert!(listing.complete);
    assert_eq!(listing.pulls.len(), 250);
    assert!(
        waited >= Duration::from_secs(2),
        "resumed only after the reset, waited {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(8),
        "not much longer: {waited:?}"
    );
    assert_eq!(fake.requests().count(PULLS, 200), 3);

    // A client that does not know the budget is spent learns it from GitHub's 403.
    fake.set_rate_limit(RateLimitSettings {
        limit: 100,
        remaining: Some(0),
        reset_seconds: 2,
    });
    let unaware = public_client(&fake, None, None);
    let started = Instant::now();
    let repo = unaware
        .repository(OWNER, REPO)
        .await
        .expect("repo after reset");
    assert_eq!(repo.name, REPO);
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(fake.requests().count(REPOSITORY, 403), 1);
    assert_eq!(fake.requests().count(REPOSITORY, 200), 1);
}

#[tokio::test]
async fn a_reset_further_away_than_allowed_is_a_typed_transient_error() {
    let fake = fake(corpus(3, 0, 2)).await;
    fake.set_rate_limit(RateLimitSettings {
        limit: 100,
        remaining: Some(0),
        reset_seconds: 600,
    });
    let mut settings = settings(&fake, Credentials::Public { token: None });
    settings.max_rate_limit_wait = Duration::from_secs(1);
    let client = GithubClient::new(settings, None).expect("client");
    let started = Instant::now();
    let err = client
        .list_open_pulls(OWNER, REPO, None)
        .await
        .expect_err("must not wait 10 minutes");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(err, GithubError::RateLimited { .. }), "{err:?}");
    assert!(matches!(SourceError::from(err), SourceError::Transient(_)));
}

#[tokio::test]
async fn flaky_github_is_survived_within_the_retry_bound() {
    let config = FakeConfig {
        faults: Faults {
            error_rate: 0.1,
            secondary_every: Some(9),
            secondary_retry_after: 0,
            latency_ms: 0,
        },
        seed: 42,
        ..FakeConfig::default()
    };
    let fake = FakeGithub::start_with(corpus(230, 0, 120), config)
        .await
        .expect("fake");
    let client = public_client(&fake, None, None);
    let listing = client.open_pulls(OWNER, REPO, None).await.expect("listing");
    assert_eq!(listing.pulls.len(), 230);
    for number in 1..=40 {
        let files = client.files(OWNER, REPO, number).await.expect("files");
        assert_eq!(files.len(), if number == 1 { 120 } else { 2 });
    }
    let log = fake.requests();
    let failures: u64 = log
        .by_route
        .values()
        .flat_map(|s| s.iter())
        .filter(|(status, _)| matches!(**status, 502 | 403))
        .map(|(_, n)| n)
        .sum();
    assert!(failures >= 5, "faults were injected: {:?}", log.by_route);
    assert!(
        log.by_route.values().any(|s| s.contains_key(&403)),
        "secondary limits were hit"
    );
}

#[tokio::test]
async fn a_total_outage_fails_fast_with_a_typed_error() {
    let config = FakeConfig {
        faults: Faults {
            error_rate: 1.0,
            ..Faults::default()
        },
        ..FakeConfig::default()
    };
    let fake = FakeGithub::start_with(corpus(3, 0, 2), config)
        .await
        .expect("fake");
    let mut settings = settings(&fake, Credentials::Public { token: None });
    settings.retry = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        secondary_default_wait: Duration::from_millis(20),
    };
    let client = GithubClient::new(settings, None).expect("client");
    let started = Instant::now();
    let err = client
        .list_open_pulls(OWNER, REPO, None)
        .await
        .expect_err("GitHub is down");
    assert!(started.elapsed() < Duration::from_secs(2), "no hang");
    match &err {
        GithubError::Unavailable { attempts, last, .. } => {
            assert_eq!(*attempts, 4);
            assert!(last.contains("502"), "{last}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert_eq!(fake.requests().count(PULLS, 502), 4);
    assert!(matches!(SourceError::from(err), SourceError::Transient(_)));

    // Nothing listening at all: connection errors, same bound.
    let port = clawtriage::testing::free_port();
    let mut settings = settings_for_url(&format!("http://127.0.0.1:{port}"));
    settings.retry.max_attempts = 3;
    let client = GithubClient::new(settings, None).expect("client");
    let started = Instant::now();
    let err = client.repository(OWNER, REPO).await.expect_err("refused");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(err, GithubError::Unavailable { attempts: 3, .. }),
        "{err:?}"
    );
}

fn settings_for_url(url: &str) -> clawtriage::github::GithubSettings {
    let mut settings =
        clawtriage::github::GithubSettings::new(url, Credentials::Public { token: None });
    settings.retry = fast_retry();
    settings
}

#[tokio::test]
async fn missing_things_are_permanent_errors() {
    let fake = fake(corpus(3, 0, 2)).await;
    let client = public_client(&fake, None, None);
    let err = client.repository(OWNER, "nope").await.expect_err("404");
    assert!(
        matches!(err, GithubError::NotFound { status: 404, .. }),
        "{err:?}"
    );
    assert!(matches!(SourceError::from(err), SourceError::Permanent(_)));
    let err = client.files(OWNER, REPO, 999).await.expect_err("404");
    assert!(matches!(err, SourceError::Permanent(_)));
    let err = client
        .repository("../etc", REPO)
        .await
        .expect_err("bad name");
    assert!(matches!(err, GithubError::Malformed { .. }));
    assert_eq!(
        fake.requests().count(REPOSITORY, 404),
        1,
        "404s are not retried"
    );
}

#[tokio::test]
async fn max_open_prs_cuts_the_listing_and_says_so() {
    let fake = fake(corpus(260, 0, 2)).await;
    let client = public_client(&fake, None, None);
    let listing = client
        .open_pulls(OWNER, REPO, Some(150))
        .await
        .expect("listing");
    assert_eq!(listing.pulls.len(), 150);
    assert!(!listing.complete);
    assert_eq!(listing.pulls[0].number, 260, "the newest first");
    assert_eq!(
        fake.requests().count(PULLS, 200),
        2,
        "no page beyond the cut"
    );

    let listing = client
        .open_pulls(OWNER, REPO, Some(200))
        .await
        .expect("listing");
    assert_eq!((listing.pulls.len(), listing.complete), (200, false));
    let listing = client
        .open_pulls(OWNER, REPO, Some(260))
        .await
        .expect("listing");
    assert_eq!((listing.pulls.len(), listing.complete), (260, true));
    let listing = client
        .open_pulls(OWNER, REPO, Some(1000))
        .await
        .expect("listing");
    assert_eq!((listing.pulls.len(), listing.complete), (260, true));
}

#[tokio::test]
async fn mutations_change_the_listing_and_the_etag() {
    let fake = fake(corpus(120, 3, 2)).await;
    let client = public_client(&fake, None, None);
    let before = client.open_pulls(OWNER, REPO, None).await.expect("listing");
    assert_eq!(before.pulls.len(), 120);
    let closed_before = client
        .recently_closed(OWNER, REPO, "2020-01-01T00:00:00Z".parse().expect("date"))
        .await
        .expect("closed");
    assert_eq!(closed_before.len(), 3);

    let since = chrono::Utc::now() - chrono::Duration::seconds(2);
    let new = fake
        .add_pull(
            OWNER,
            REPO,
            json!({"title": "Brand new", "files": files(1, "new")}),
        )
        .expect("add");
    assert_eq!(new, 124);
    fake.set_head(OWNER, REPO, 5, &"e".repeat(40), Some(files(3, "moved")))
        .expect("head");
    fake.close_pull(OWNER, REPO, 7, true).expect("merge");
    fake.close_pull(OWNER, REPO, 8, false).expect("close");
    fake.reset_counters();

    let after = client.open_pulls(OWNER, REPO, None).await.expect("listing");
    let numbers: Vec<i32> = after.pulls.iter().map(|p| p.number).collect();
    assert_eq!(after.pulls.len(), 119);
    assert_eq!(numbers[0], 124, "the new PR is the newest");
    assert!(!numbers.contains(&7) && !numbers.contains(&8));
    let moved = after.pulls.iter().find(|p| p.number == 5).expect("pr 5");
    assert_eq!(moved.head_sha, "e".repeat(40));
    let log = fake.requests();
    assert_eq!(log.count(PULLS, 200), 2, "both pages changed: new ETags");

    let files = client.files(OWNER, REPO, 5).await.expect("files");
    assert_eq!(files.len(), 3);
    assert!(
        files[0]
            .patch
            .as_deref()
            .is_some_and(|p| p.contains("moved"))
    );

    let recent = client
        .recently_closed(OWNER, REPO, since)
        .await
        .expect("closed");
    let mut states: Vec<(i32, String)> =
        recent.iter().map(|p| (p.number, p.state.clone())).collect();
    states.sort();
    assert_eq!(
        states,
        vec![(7, "merged".to_owned()), (8, "closed".to_owned())],
        "only what changed since, merged told apart"
    );

    let detail = client.pull_request(OWNER, REPO, 5).await.expect("detail");
    assert_eq!(detail.pr.head_sha, "e".repeat(40));
    assert_eq!(detail.changed_files, Some(3));
    assert_eq!((detail.additions, detail.deletions), (Some(3), Some(3)));
    assert_eq!(detail.mergeable, Some(true));
}

#[tokio::test]
async fn binary_and_truncated_files_are_recognised() {
    let mut big = file_json("src/huge.ts", "x");
    big.as_object_mut().expect("object").remove("patch");
    big["additions"] = 5000.into();
    let png = json!({"filename": "assets/logo.png", "status": "added", "additions": 0, "deletions": 0, "changes": 0, "sha": "d"});
    let blob = json!({"filename": "bin/tool", "status": "modified", "additions": 0, "deletions": 0, "changes": 0, "sha": "d"});
    let renamed = json!({"filename": "src/new.ts", "previous_filename": "src/old.ts", "status": "renamed", "additions": 0, "deletions": 0, "changes": 0, "sha": "d"});
    let corpus = clawtriage::fake_github::Corpus::new()
        .with_repo(repo_json(OWNER, REPO))
        .with_pull(
            OWNER,
            REPO,
            pull_json(OWNER, REPO, 1, "open"),
            vec![file_json("src/a.ts", "a"), big, png, blob, renamed],
        );
    let fake = fake(corpus).await;
    let client = public_client(&fake, None, None);
    let files = client.pull_files(OWNER, REPO, 1).await.expect("files");
    let flags: Vec<(&str, bool, bool)> = files
        .iter()
        .map(|f| (f.file.path.as_str(), f.binary, f.truncated))
        .collect();
    assert_eq!(
        flags,
        vec![
            ("src/a.ts", false, false),
            ("src/huge.ts", false, true),
            ("assets/logo.png", true, false),
            ("bin/tool", true, false),
            ("src/new.ts", false, false),
        ]
    );
    assert_eq!(files[4].file.previous_path.as_deref(), Some("src/old.ts"));
    assert!(files[1].file.patch.is_none());
}

#[tokio::test]
async fn app_mode_reuses_the_installation_token_and_publishes_check_runs() {
    let fake = fake(corpus(5, 0, 2)).await;
    let client = app_client(&fake);
    assert!(client.is_app());
    client.open_pulls(OWNER, REPO, None).await.expect("listing");
    client.files(OWNER, REPO, 2).await.expect("files");
    client.repository(OWNER, REPO).await.expect("repo");
    let tokens = fake.token_requests();
    assert_eq!(tokens.len(), 1, "one token for all calls");
    assert_eq!(tokens[0].installation_id, 1);
    assert_eq!(tokens[0].claims["iss"], json!(APP_ID));
    let (iat, exp) = (
        tokens[0].claims["iat"].as_i64().expect("iat"),
        tokens[0].claims["exp"].as_i64().expect("exp"),
    );
    assert!(
        exp - iat <= 600,
        "GitHub refuses JWTs living over 10 minutes"
    );
    let log = fake.requests();
    assert_eq!(
        log.count("GET /repos/{owner}/{repo}/installation", 200),
        1,
        "installation looked up once"
    );

    let run = NewCheckRun {
        name: "clawtriage".into(),
        head_sha: "a".repeat(40),
        status: "completed".into(),
        conclusion: Some("neutral".into()),
        details_url: None,
        external_id: Some("analysis-1".into()),
        completed_at: None,
        output: Some(clawtriage::github::CheckRunOutput {
            title: "No duplicates".into(),
            summary: "Nothing found.".into(),
            text: None,
        }),
    };
    let created = client
        .create_check_run(OWNER, REPO, &run)
        .await
        .expect("check run");
    assert_eq!(created.id, 1);
    let recorded = fake.check_runs();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].body["head_sha"], json!("a".repeat(40)));
    assert_eq!(recorded[0].body["conclusion"], json!("neutral"));
    assert_eq!(recorded[0].body["output"]["title"], json!("No duplicates"));
    assert_eq!(fake.token_requests().len(), 1, "still the same token");

    // A public client cannot publish Check Runs.
    let public = public_client(&fake, Some("t"), None);
    let err = public
        .create_check_run(OWNER, REPO, &run)
        .await
        .expect_err("no app");
    assert!(matches!(err, GithubError::AppRequired(_)));
}

#[tokio::test]
async fn app_mode_adds_labels_and_finds_its_comment_among_many() {
    let fake = fake(corpus(5, 0, 2)).await;
    let client = app_client(&fake);
    client
        .add_labels(OWNER, REPO, 2, &["triage:possible-duplicate".to_owned()])
        .await
        .expect("labels");
    // 150 comments of others: the search pages through them to ours.
    for i in 0..150 {
        client
            .create_comment(OWNER, REPO, 2, &format!("comment {i}"))
            .await
            .expect("comment");
    }
    assert_eq!(
        client
            .find_comment(OWNER, REPO, 2, "<!-- marker -->")
            .await
            .expect("search"),
        None
    );
    let ours = client
        .create_comment(OWNER, REPO, 2, "<!-- marker -->\nHello")
        .await
        .expect("ours");
    let found = client
        .find_comment(OWNER, REPO, 2, "<!-- marker -->")
        .await
        .expect("search")
        .expect("found");
    assert_eq!(found.id, ours.id);
    let writes = fake.issue_writes();
    assert_eq!(writes[0].kind, "labels");
    assert_eq!(
        writes[0].body["labels"],
        json!(["triage:possible-duplicate"])
    );
    assert_eq!(writes.len(), 152);
    assert!(
        fake.requests()
            .count_all("GET /repos/{owner}/{repo}/issues/{number}/comments")
            >= 4,
        "two searches of two pages each (an unchanged first page is a free 304)"
    );

    // A missing PR and a refusal are typed errors; a public client cannot write.
    let err = client
        .add_labels(OWNER, REPO, 999, &["x".to_owned()])
        .await
        .expect_err("missing");
    assert!(matches!(err, GithubError::NotFound { .. }), "{err}");
    fake.set_issue_writes_forbidden(true);
    let err = client
        .create_comment(OWNER, REPO, 2, "again")
        .await
        .expect_err("forbidden");
    assert!(
        matches!(err, GithubError::Refused { status: 403, .. }),
        "{err}"
    );
    let public = public_client(&fake, Some("t"), None);
    let err = public
        .add_labels(OWNER, REPO, 2, &["x".to_owned()])
        .await
        .expect_err("no app");
    assert!(matches!(err, GithubError::AppRequired(_)));
}

#[tokio::test]
async fn installation_tokens_close_to_expiry_are_replaced() {
    // Tokens living 4 minutes are inside the 5-minute refresh margin: never reused.
    let config = FakeConfig {
        token_ttl: Duration::from_secs(240),
        ..FakeConfig::default()
    };
    let fake = FakeGithub::start_with(corpus(3, 0, 2), config)
        .await
        .expect("fake");
    let client = app_client(&fake);
    client.repository(OWNER, REPO).await.expect("repo");
    client.repository(OWNER, REPO).await.expect("repo");
    assert_eq!(fake.token_requests().len(), 2);
}

#[tokio::test]
async fn a_token_github_no_longer_accepts_is_replaced_once() {
    let fake = fake(corpus(3, 0, 2)).await;
    let client = app_client(&fake);
    client.repository(OWNER, REPO).await.expect("repo");
    fake.revoke_tokens();
    client
        .repository(OWNER, REPO)
        .await
        .expect("repo with a new token");
    assert_eq!(fake.token_requests().len(), 2);
    assert_eq!(fake.requests().count(REPOSITORY, 401), 1);
}

#[tokio::test]
async fn app_mode_without_an_installation_and_a_bad_key_are_clear_errors() {
    let fake = fake(corpus(3, 0, 2)).await;
    let client = app_client(&fake);
    let err = client
        .repository(OWNER, "missing")
        .await
        .expect_err("no installation");
    assert!(matches!(err, GithubError::NotInstalled { .. }), "{err:?}");

    let credentials = Credentials::App(clawtriage::github::AppCredentials {
        app_id: 1,
        private_key_pem: clawtriage::secret::Secret::new("not a key"),
    });
    let err = GithubClient::new(settings(&fake, credentials), None).expect_err("bad key");
    assert!(matches!(err, GithubError::Config(_)));
    assert!(err.to_string().contains("GITHUB_PRIVATE_KEY_PEM"));

    // A key pasted into an environment variable with literal \n still works.
    let escaped = TEST_APP_KEY.replace('\n', "\\n");
    let credentials = Credentials::App(clawtriage::github::AppCredentials {
        app_id: APP_ID,
        private_key_pem: clawtriage::secret::Secret::new(escaped),
    });
    let client = GithubClient::new(settings(&fake, credentials), None).expect("escaped key");
    client.repository(OWNER, REPO).await.expect("works");
}

#[tokio::test]
async fn hybrid_mode_uses_the_installation_where_there_is_one() {
    let fake = fake(corpus(3, 0, 2)).await;
    let credentials = Credentials::Hybrid {
        token: Some(clawtriage::secret::Secret::new("public-token")),
        app: app_credentials(),
    };
    let client = GithubClient::new(settings(&fake, credentials), None).expect("client");
    client.repository(OWNER, REPO).await.expect("repo");
    assert_eq!(fake.token_requests().len(), 1);
    // Not installed there: the public token reads it (the fake 404s it anyway).
    let err = client
        .repository(OWNER, "elsewhere")
        .await
        .expect_err("404");
    assert!(matches!(err, GithubError::NotFound { .. }));
}

#[tokio::test]
async fn client_from_config_reads_the_github_settings() {
    let fake = fake(corpus(3, 0, 2)).await;
    let url = fake.base_url();
    let config = common::config(&[
        "--github-api-url",
        url.as_str(),
        "--github-token",
        "cfg-token",
    ]);
    let client = GithubClient::from_config(&config, None).expect("client");
    assert!(!client.is_app());
    client.repository(OWNER, REPO).await.expect("repo");

    // `=` form: the PEM starts with dashes, which clap would read as a flag.
    let pem = format!("--github-private-key-pem={TEST_APP_KEY}");
    let config = common::config(&[
        "--github-api-url",
        url.as_str(),
        "--github-mode",
        "app",
        "--github-app-id",
        "4242",
        pem.as_str(),
    ]);
    let client = GithubClient::from_config(&config, None).expect("client");
    assert!(client.is_app());
    client.repository(OWNER, REPO).await.expect("repo");
    assert_eq!(fake.token_requests().len(), 1);
}

/// A `MakeWriter` collecting everything into one buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn logs_never_show_tokens_keys_or_patches() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let config = FakeConfig {
        faults: Faults {
            error_rate: 0.2,
            secondary_every: Some(5),
            secondary_retry_after: 0,
            latency_ms: 0,
        },
        ..FakeConfig::default()
    };
    let token = "ghp_SUPERSECRETTOKEN1234567890";
    let corpus = corpus(120, 0, 3);
    let fake = FakeGithub::start_with(corpus, config).await.expect("fake");
    let db = clawtriage::testing::fresh_db().await;
    let client = public_client(&fake, Some(token), Some(db));
    client.open_pulls(OWNER, REPO, None).await.expect("listing");
    client
        .open_pulls(OWNER, REPO, None)
        .await
        .expect("listing again");
    client.files(OWNER, REPO, 1).await.expect("files");
    client.repository(OWNER, "missing").await.expect_err("404");

    let app = app_client(&fake);
    app.files(OWNER, REPO, 1).await.expect("files");
    let installation_token = fake.token_requests()[0].jwt.clone();
    let issued = app.installation_token(1).await.expect("token");

    // A stray `{:?}` of a client (with its caches full) shows no secret either.
    tracing::debug!("clients: {client:?} {app:?}");
    let logs = String::from_utf8(capture.0.lock().expect("lock").clone()).expect("utf8");
    assert!(
        logs.contains("GitHub GET"),
        "the requests were logged: {logs}"
    );
    assert!(
        logs.contains("retry") || logs.contains("secondary"),
        "retries were logged"
    );
    for secret in [
        token,
        "SUPERSECRET",
        "Authorization",
        "authorization",
        issued.expose(),
        installation_token.as_str(),
        "BEGIN RSA",
        "old big",
        "new big",
        "@@ -1 +1 @@",
    ] {
        assert!(!logs.contains(secret), "logs contain {secret:?}");
    }
}

const ISSUES: &str = "GET /repos/{owner}/{repo}/issues";
const ISSUE: &str = "GET /repos/{owner}/{repo}/issues/{number}";
const CONTENTS: &str = "GET /repos/{owner}/{repo}/contents/{*path}";

/// Issue `1000 + i`, opened at minute `i` plus 30 seconds after the corpus epoch (so
/// issues interleave with PRs, which open at whole minutes), closed when `i` is a
/// multiple of 26.
fn issue_json(i: u64) -> serde_json::Value {
    let epoch = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:30Z")
        .expect("epoch")
        .to_utc();
    let at = (epoch + chrono::Duration::minutes(i as i64))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let closed = i.is_multiple_of(26);
    let number = 1000 + i;
    json!({
        "id": 5_000_000 + i,
        "number": number,
        "title": format!("Problem {i}"),
        "body": format!("Steps for problem {i}"),
        "user": {"login": format!("reporter{}", i % 5), "id": i},
        "labels": [{"id": 1, "name": "bug"}, {"id": 2, "name": format!("area/{}", i % 3)}],
        "state": if closed { "closed" } else { "open" },
        "state_reason": if closed { json!("completed") } else { json!(null) },
        "comments": i % 4,
        "created_at": at,
        "updated_at": at,
        "closed_at": if closed { json!(at) } else { json!(null) },
        "html_url": format!("https://github.com/{OWNER}/{REPO}/issues/{number}"),
    })
}

/// `corpus(open_prs, closed_prs, 2)` plus issues 1001..=1000+`issues`.
fn issue_corpus(open_prs: u64, closed_prs: u64, issues: u64) -> clawtriage::fake_github::Corpus {
    (1..=issues).fold(corpus(open_prs, closed_prs, 2), |c, i| {
        c.with_issue(OWNER, REPO, issue_json(i))
    })
}

#[tokio::test]
async fn lists_hundreds_of_open_issues_across_pages_without_the_prs() {
    let fake = fake(issue_corpus(120, 5, 260)).await;
    let client = public_client(&fake, Some("t0ken"), None);
    let listing = client
        .list_open_issues(OWNER, REPO, None)
        .await
        .expect("listing");
    assert!(listing.complete);
    let numbers: Vec<i32> = listing.issues.iter().map(|i| i.number).collect();
    let expected: Vec<i32> = (1..=260)
        .rev()
        .filter(|i: &i32| i % 26 != 0)
        .map(|i| 1000 + i)
        .collect();
    assert_eq!(numbers.len(), 250);
    assert_eq!(
        numbers, expected,
        "every open issue once, newest first, no PR"
    );
    let newest = &listing.issues[0];
    assert_eq!(newest.github_id, 5_000_259);
    assert_eq!(newest.title, "Problem 259");
    assert_eq!(newest.body.as_deref(), Some("Steps for problem 259"));
    assert_eq!(newest.state, "open");
    assert_eq!(newest.state_reason, None);
    assert_eq!(newest.author_login.as_deref(), Some("reporter4"));
    assert_eq!(newest.labels, ["bug", "area/1"]);
    assert_eq!(newest.comments, 3);
    assert_eq!(
        newest.html_url.as_deref(),
        Some("https://github.com/acme/webapp/issues/1259")
    );
    assert!(newest.created_at.is_some() && newest.updated_at.is_some());
    assert_eq!(newest.closed_at, None);
    // 250 open issues and 120 open PRs: four pages of 100.
    assert_eq!(fake.requests().count(ISSUES, 200), 4);

    // Unchanged: the second pass is four free 304s and lists the same.
    let budget = fake.rate_limit_remaining();
    let again = client
        .list_open_issues(OWNER, REPO, None)
        .await
        .expect("listing");
    assert_eq!(again, listing);
    assert_eq!(fake.requests().count(ISSUES, 304), 4);
    assert_eq!(fake.rate_limit_remaining(), budget);
    assert_eq!(client.usage().not_modified, 4);
}

#[tokio::test]
async fn max_open_issues_counts_issues_only_and_says_the_listing_is_cut() {
    let fake = fake(issue_corpus(120, 0, 260)).await;
    let client = public_client(&fake, None, None);
    // Newest first: the 134 open issues 260..121 alone, then issues and PRs alternate,
    // so the 200th issue is on page 3 (counting the PRs, page 2 would end it).
    let listing = client
        .list_open_issues(OWNER, REPO, Some(200))
        .await
        .expect("listing");
    assert_eq!(listing.issues.len(), 200);
    assert!(!listing.complete);
    assert!(listing.issues.iter().all(|i| i.number > 1000));
    assert_eq!(listing.issues[0].number, 1259);
    assert_eq!(
        fake.requests().count(ISSUES, 200),
        3,
        "PRs were not counted"
    );

    let all = client
        .list_open_issues(OWNER, REPO, Some(250))
        .await
        .expect("listing");
    assert_eq!(all.issues.len(), 250);
    let more = client
        .list_open_issues(OWNER, REPO, Some(1000))
        .await
        .expect("listing");
    assert_eq!((more.issues.len(), more.complete), (250, true));
}

#[tokio::test]
async fn recently_closed_issues_are_those_updated_since_without_prs() {
    let fake = fake(issue_corpus(10, 0, 30)).await;
    let client = public_client(&fake, None, None);
    let all = client
        .list_recently_closed_issues(OWNER, REPO, "2020-01-01T00:00:00Z".parse().expect("date"))
        .await
        .expect("closed");
    assert_eq!(
        all.iter().map(|i| i.number).collect::<Vec<_>>(),
        vec![1026],
        "the corpus's one closed issue"
    );
    assert_eq!(all[0].state_reason.as_deref(), Some("completed"));
    assert!(all[0].closed_at.is_some());

    let since = chrono::Utc::now() - chrono::Duration::seconds(2);
    fake.close_issue(OWNER, REPO, 1003, Some("not_planned"))
        .expect("close");
    fake.close_issue(OWNER, REPO, 1007, None).expect("close");
    fake.close_pull(OWNER, REPO, 4, false).expect("close PR");
    fake.close_pull(OWNER, REPO, 5, true).expect("merge PR");
    fake.reset_counters();
    let recent = client
        .list_recently_closed_issues(OWNER, REPO, since)
        .await
        .expect("closed");
    let mut closed: Vec<(i32, Option<String>)> = recent
        .iter()
        .map(|i| (i.number, i.state_reason.clone()))
        .collect();
    closed.sort();
    assert_eq!(
        closed,
        vec![
            (1003, Some("not_planned".to_owned())),
            (1007, Some("completed".to_owned()))
        ],
        "only issues changed since, the PRs dropped"
    );
    assert!(recent.iter().all(|i| i.state == "closed"));
    let log = fake.requests();
    assert_eq!(log.count(ISSUES, 200), 1);
    assert!(
        log.recent[0]
            .path
            .contains("state=closed&sort=updated&direction=desc&since="),
        "{}",
        log.recent[0].path
    );

    // The same walk again: a free 304.
    client
        .list_recently_closed_issues(OWNER, REPO, since)
        .await
        .expect("closed");
    assert_eq!(fake.requests().count(ISSUES, 304), 1);
}

#[tokio::test]
async fn one_issue_and_none_for_a_pr_number() {
    let fake = fake(issue_corpus(3, 0, 5)).await;
    let client = public_client(&fake, None, None);
    let issue = client
        .issue(OWNER, REPO, 1004)
        .await
        .expect("issue")
        .expect("an issue");
    assert_eq!(issue.number, 1004);
    assert_eq!(issue.title, "Problem 4");
    assert_eq!(issue.labels, ["bug", "area/1"]);
    assert_eq!(client.issue(OWNER, REPO, 2).await.expect("a PR"), None);
    let err = client.issue(OWNER, REPO, 4242).await.expect_err("neither");
    assert!(
        matches!(err, GithubError::NotFound { status: 404, .. }),
        "{err:?}"
    );
    assert_eq!(fake.requests().count(ISSUE, 200), 2);
}

#[tokio::test]
async fn file_contents_are_decoded_missing_ones_are_none_and_paths_are_checked() {
    let vision = "# Vision\n\nBilling for small teams: invoices, payments, reports — nothing else.\n\n\
                  ## Out of scope\n\n- Mobile apps\n- Crypto payments\n";
    let corpus = corpus(1, 0, 1)
        .with_file(OWNER, REPO, "VISION.md", vision)
        .with_file(OWNER, REPO, "docs/scope.md", "Scope\n")
        .with_file(OWNER, REPO, "big.md", &"x".repeat(300 * 1024));
    let fake = fake(corpus).await;
    let client = public_client(&fake, None, None);
    assert_eq!(
        client
            .file_contents(OWNER, REPO, "VISION.md")
            .await
            .expect("vision")
            .as_deref(),
        Some(vision)
    );
    assert_eq!(
        client
            .file_contents(OWNER, REPO, "docs/scope.md")
            .await
            .expect("doc")
            .as_deref(),
        Some("Scope\n")
    );
    for absent in ["NOPE.md", "docs", "big.md"] {
        assert_eq!(
            client
                .file_contents(OWNER, REPO, absent)
                .await
                .expect("answered"),
            None,
            "{absent}"
        );
    }
    assert_eq!(fake.requests().count(CONTENTS, 404), 1);

    let sent = fake.requests().total;
    for bad in [
        "",
        "/VISION.md",
        "../VISION.md",
        "docs/../x",
        "a b",
        "x?ref=main",
        "x%2F",
    ] {
        let err = client
            .file_contents(OWNER, REPO, bad)
            .await
            .expect_err("refused");
        assert!(
            matches!(err, GithubError::Malformed { .. }),
            "{bad:?}: {err:?}"
        );
    }
    assert_eq!(
        fake.requests().total,
        sent,
        "nothing was sent for a bad path"
    );

    // Again: a free 304, the text from the ETag memory.
    let text = client
        .file_contents(OWNER, REPO, "VISION.md")
        .await
        .expect("vision");
    assert_eq!(text.as_deref(), Some(vision));
    assert_eq!(fake.requests().count(CONTENTS, 304), 1);
    fake.set_file(OWNER, REPO, "VISION.md", Some("# Changed\n"))
        .expect("set");
    assert_eq!(
        client
            .file_contents(OWNER, REPO, "VISION.md")
            .await
            .expect("vision")
            .as_deref(),
        Some("# Changed\n")
    );
}

#[tokio::test]
async fn app_mode_reads_issues_and_files_with_the_installation_token_and_writes_on_issues() {
    let corpus = issue_corpus(3, 0, 5).with_file(OWNER, REPO, "VISION.md", "# Vision\n");
    let fake = fake(corpus).await;
    let client = app_client(&fake);
    let listing = client
        .list_open_issues(OWNER, REPO, None)
        .await
        .expect("listing");
    assert_eq!(listing.issues.len(), 5);
    client.issue(OWNER, REPO, 1001).await.expect("issue");
    client
        .list_recently_closed_issues(OWNER, REPO, chrono::Utc::now())
        .await
        .expect("closed");
    client
        .file_contents(OWNER, REPO, "VISION.md")
        .await
        .expect("vision");
    assert_eq!(
        fake.token_requests().len(),
        1,
        "one installation token for all"
    );
    // The token is what the issue listing carries: revoked, the fake refuses it once
    // and the client fetches a new one.
    fake.revoke_tokens();
    fake.put_issue(OWNER, REPO, json!({"title": "New"}))
        .expect("new issue");
    let listing = client
        .list_open_issues(OWNER, REPO, None)
        .await
        .expect("listing");
    assert_eq!(listing.issues.len(), 6);
    assert_eq!(fake.requests().count(ISSUES, 401), 1);
    assert_eq!(fake.token_requests().len(), 2);

    // Labels and comments work on issue numbers too.
    client
        .add_labels(OWNER, REPO, 1002, &["triage:duplicate".to_owned()])
        .await
        .expect("label an issue");
    let comment = client
        .create_comment(OWNER, REPO, 1002, "Looks like #1001")
        .await
        .expect("comment on an issue");
    assert_eq!(
        client
            .find_comment(OWNER, REPO, 1002, "#1001")
            .await
            .expect("search")
            .map(|c| c.id),
        Some(comment.id)
    );
    let writes = fake.issue_writes();
    assert_eq!(writes.len(), 2);
    assert!(writes.iter().all(|w| w.number == 1002));
    assert!(
        writes[1].body["html_url"]
            .as_str()
            .is_some_and(|u| u.contains("/issues/1002#issuecomment-")),
        "{}",
        writes[1].body
    );

    let err = client
        .list_open_issues(OWNER, "elsewhere", None)
        .await
        .expect_err("not installed");
    assert!(matches!(err, GithubError::NotInstalled { .. }), "{err:?}");
}
