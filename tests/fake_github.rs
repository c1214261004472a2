//! The fake GitHub speaks GitHub's REST shapes: Link pagination, page caps, 404 and
//! rate-limit bodies, free 304s, faults, app endpoints, and its `/_fake` controls; it
//! loads the on-disk corpus format and runs as `clawtriage fake-github`.

mod common;

use std::io::{BufRead, BufReader};
use std::time::Duration;

use clawtriage::fake_github::{Corpus, FakeConfig, FakeGithub, RateLimitSettings};
use common::github::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Got {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    json: Value,
    text: String,
}

async fn send(request: reqwest::RequestBuilder) -> Got {
    let response = request.send().await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Got {
        status,
        headers,
        json,
        text,
    }
}

async fn get(fake: &FakeGithub, path: &str) -> Got {
    send(reqwest::Client::new().get(format!("{}{path}", fake.base_url()))).await
}

fn header<'a>(got: &'a Got, name: &str) -> &'a str {
    got.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn pages_carry_githubs_link_header_and_per_page_is_capped_at_100() {
    let fake = fake(corpus(250, 0, 2)).await;
    let base = fake.base_url();

    let first = get(&fake, "/repos/acme/webapp/pulls?state=open&per_page=100").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.json.as_array().map(Vec::len), Some(100));
    assert_eq!(
        first.json[0]["number"],
        json!(250),
        "newest first by default"
    );
    assert_eq!(
        header(&first, "link"),
        format!(
            "<{base}/repos/acme/webapp/pulls?state=open&per_page=100&page=2>; rel=\"next\", \
             <{base}/repos/acme/webapp/pulls?state=open&per_page=100&page=3>; rel=\"last\""
        )
    );

    let middle = get(
        &fake,
        "/repos/acme/webapp/pulls?state=open&per_page=100&page=2",
    )
    .await;
    assert_eq!(
        header(&middle, "link"),
        format!(
            "<{base}/repos/acme/webapp/pulls?state=open&per_page=100&page=1>; rel=\"prev\", \
             <{base}/repos/acme/webapp/pulls?state=open&per_page=100&page=3>; rel=\"next\", \
             <{base}/repos/acme/webapp/pulls?state=open&per_page=100&page=3>; rel=\"last\", \
             <{base}/repos/acme/webapp/pulls?state=open&per_page=100&page=1>; rel=\"first\""
        )
    );

    let last = get(&fake, "/repos/acme/webapp/pulls?page=3&per_page=100").await;
    assert_eq!(last.json.as_array().map(Vec::len), Some(50));
    assert_eq!(
        header(&last, "link"),
        format!(
            "<{base}/repos/acme/webapp/pulls?per_page=100&page=2>; rel=\"prev\", \
             <{base}/repos/acme/webapp/pulls?per_page=100&page=1>; rel=\"first\""
        )
    );

    let capped = get(&fake, "/repos/acme/webapp/pulls?per_page=500").await;
    assert_eq!(capped.json.as_array().map(Vec::len), Some(100));
    let default = get(&fake, "/repos/acme/webapp/pulls").await;
    assert_eq!(
        default.json.as_array().map(Vec::len),
        Some(30),
        "GitHub's default page"
    );
    assert!(header(&default, "link").contains("page=9>; rel=\"last\""));
    let beyond = get(&fake, "/repos/acme/webapp/pulls?per_page=100&page=9").await;
    assert_eq!(beyond.json, json!([]));

    let small = fake_small().await;
    let single = get(&small, "/repos/acme/webapp/pulls").await;
    assert!(single.headers.get("link").is_none(), "one page: no Link");
}

async fn fake_small() -> FakeGithub {
    fake(corpus(3, 2, 2)).await
}

#[tokio::test]
async fn lists_filter_by_state_and_sort_like_github() {
    let fake = fake_small().await;
    fake.close_pull(OWNER, REPO, 1, true).expect("merge");
    let numbers = |got: &Got| -> Vec<u64> {
        got.json
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|p| p["number"].as_u64())
            .collect()
    };
    assert_eq!(
        numbers(&get(&fake, "/repos/acme/webapp/pulls").await),
        vec![3, 2]
    );
    assert_eq!(
        numbers(&get(&fake, "/repos/acme/webapp/pulls?state=closed").await),
        vec![5, 4, 1]
    );
    assert_eq!(
        numbers(&get(&fake, "/repos/acme/webapp/pulls?state=all&direction=asc").await),
        vec![1, 2, 3, 4, 5]
    );
    assert_eq!(
        numbers(
            &get(
                &fake,
                "/repos/acme/webapp/pulls?state=closed&sort=updated&direction=desc"
            )
            .await
        ),
        vec![1, 5, 4],
        "the merge made #1 the most recently updated"
    );
    let bad = get(&fake, "/repos/acme/webapp/pulls?state=weird").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json["message"], json!("Validation Failed"));
}

#[tokio::test]
async fn unknown_things_get_githubs_404_body() {
    let fake = fake_small().await;
    for path in [
        "/repos/acme/nope",
        "/repos/nobody/webapp/pulls",
        "/repos/acme/webapp/pulls/999",
        "/repos/acme/webapp/pulls/abc",
        "/repos/acme/webapp/pulls/999/files",
        "/no/such/endpoint",
    ] {
        let got = get(&fake, path).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(got.json["message"], json!("Not Found"), "{path}");
        assert!(got.json["documentation_url"].is_string(), "{path}");
    }
    // Owner and repository are case-insensitive, like GitHub's.
    assert_eq!(
        get(&fake, "/repos/ACME/WebApp").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_matching_etag_gets_a_free_304_and_a_change_gets_a_new_etag() {
    let fake = fake_small().await;
    let client = reqwest::Client::new();
    let url = format!("{}/repos/acme/webapp/pulls", fake.base_url());
    let first = send(client.get(&url)).await;
    let etag = header(&first, "etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let remaining = header(&first, "x-ratelimit-remaining").to_owned();
    assert_eq!(remaining, "4999");

    let again = send(client.get(&url)).await;
    assert_eq!(header(&again, "etag"), etag, "stable for unchanged content");

    let cached = send(client.get(&url).header("if-none-match", &etag)).await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    assert_eq!(cached.text, "");
    assert_eq!(header(&cached, "etag"), etag);
    assert_eq!(
        header(&cached, "x-ratelimit-remaining"),
        "4998",
        "a 304 is free"
    );
    assert_eq!(fake.rate_limit_remaining(), 4998);

    let strong = etag.trim_start_matches("W/");
    let listed = format!("\"other\", {strong}");
    let weak_match = send(client.get(&url).header("if-none-match", listed)).await;
    assert_eq!(
        weak_match.status,
        StatusCode::NOT_MODIFIED,
        "weak comparison, lists"
    );

    fake.set_head(OWNER, REPO, 2, &"f".repeat(40), None)
        .expect("head");
    let changed = send(client.get(&url).header("if-none-match", &etag)).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(header(&changed, "etag"), etag);
    assert_eq!(changed.json[0]["number"], json!(3));
    assert_eq!(changed.json[1]["head"]["sha"], json!("f".repeat(40)));

    // Files and the PR detail have ETags of their own that move with the head.
    let files_url = format!("{}/repos/acme/webapp/pulls/2/files", fake.base_url());
    let files = send(client.get(&files_url)).await;
    let files_etag = header(&files, "etag").to_owned();
    fake.set_head(
        OWNER,
        REPO,
        2,
        &"1".repeat(40),
        Some(common::github::files(1, "z")),
    )
    .expect("head");
    let files = send(client.get(&files_url).header("if-none-match", &files_etag)).await;
    assert_eq!(files.status, StatusCode::OK);
    assert_eq!(files.json.as_array().map(Vec::len), Some(1));

    let log = fake.requests();
    assert_eq!(log.count(PULLS, 304), 2);
    assert_eq!(log.count(PULLS, 200), 3);
    assert!(log.recent.iter().any(|r| r.conditional && r.status == 304));
}

#[tokio::test]
async fn a_spent_budget_answers_githubs_403_until_the_reset() {
    let fake = fake_small().await;
    fake.set_rate_limit(RateLimitSettings {
        limit: 10,
        remaining: Some(1),
        reset_seconds: 2,
    });
    let ok = get(&fake, "/repos/acme/webapp").await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(header(&ok, "x-ratelimit-limit"), "10");
    assert_eq!(header(&ok, "x-ratelimit-remaining"), "0");
    assert_eq!(header(&ok, "x-ratelimit-used"), "10");
    assert_eq!(header(&ok, "x-ratelimit-resource"), "core");
    let reset: i64 = header(&ok, "x-ratelimit-reset")
        .parse()
        .expect("epoch seconds");
    let now = chrono::Utc::now().timestamp();
    assert!(
        (now + 1..=now + 3).contains(&reset),
        "reset {reset}, now {now}"
    );

    let refused = get(&fake, "/repos/acme/webapp/pulls").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.json["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("API rate limit exceeded for ")),
        "{}",
        refused.text
    );
    assert!(refused.json["documentation_url"].is_string());
    assert_eq!(header(&refused, "x-ratelimit-remaining"), "0");
    assert_eq!(header(&refused, "x-ratelimit-reset"), reset.to_string());
    // `/rate_limit` is free and tells the same.
    let status = get(&fake, "/rate_limit").await;
    assert_eq!(status.json["resources"]["core"]["remaining"], json!(0));

    let wait = u64::try_from(reset - chrono::Utc::now().timestamp() + 1).unwrap_or(0);
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let back = get(&fake, "/repos/acme/webapp/pulls").await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(header(&back, "x-ratelimit-remaining"), "9");
}

#[tokio::test]
async fn files_stop_at_githubs_3000_file_cap() {
    let fake = fake(corpus(1, 0, 3005)).await;
    let last = get(
        &fake,
        "/repos/acme/webapp/pulls/1/files?per_page=100&page=30",
    )
    .await;
    assert_eq!(last.json.as_array().map(Vec::len), Some(100));
    assert!(!header(&last, "link").contains("rel=\"next\""));
    let beyond = get(
        &fake,
        "/repos/acme/webapp/pulls/1/files?per_page=100&page=31",
    )
    .await;
    assert_eq!(beyond.json, json!([]));
    let client = public_client(&fake, None, None);
    let files = client.pull_files(OWNER, REPO, 1).await.expect("files");
    assert_eq!(files.len(), 3000);
    assert_eq!(fake.requests().count(FILES, 200), 2 + 30);

    let detail = get(&fake, "/repos/acme/webapp/pulls/1").await;
    assert_eq!(detail.json["changed_files"], json!(3005));
    assert_eq!(detail.json["additions"], json!(3005));
    assert_eq!(detail.json["mergeable"], json!(true));
    assert_eq!(detail.json["merged"], json!(false));
    assert_eq!(detail.json["head"]["sha"], json!(format!("{:040x}", 1)));
}

#[tokio::test]
async fn faults_are_set_over_http_and_look_like_githubs() {
    let fake = fake_small().await;
    let client = reqwest::Client::new();
    let base = fake.base_url();
    let set = send(
        client
            .post(format!("{base}/_fake/faults"))
            .json(&json!({"secondaryEvery": 2, "secondaryRetryAfter": 3})),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK);
    assert_eq!(
        get(&fake, "/repos/acme/webapp").await.status,
        StatusCode::OK
    );
    let limited = get(&fake, "/repos/acme/webapp").await;
    assert_eq!(limited.status, StatusCode::FORBIDDEN);
    assert_eq!(header(&limited, "retry-after"), "3");
    assert!(
        limited
            .text
            .contains("You have exceeded a secondary rate limit")
    );

    send(
        client
            .post(format!("{base}/_fake/faults"))
            .json(&json!({"errorRate": 1.0})),
    )
    .await;
    let down = get(&fake, "/repos/acme/webapp").await;
    assert_eq!(down.status, StatusCode::BAD_GATEWAY);

    send(
        client
            .post(format!("{base}/_fake/faults"))
            .json(&json!({"latencyMs": 300})),
    )
    .await;
    let started = std::time::Instant::now();
    assert_eq!(
        get(&fake, "/repos/acme/webapp").await.status,
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    let faults = get(&fake, "/_fake/faults").await;
    assert_eq!(faults.json["latencyMs"], json!(300));
    let bad = send(
        client
            .post(format!("{base}/_fake/faults"))
            .json(&json!({"errorRate": 2})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn control_endpoints_count_mutate_and_record() {
    let fake = fake_small().await;
    let client = reqwest::Client::new();
    let base = fake.base_url();
    get(&fake, "/repos/acme/webapp/pulls").await;
    get(&fake, "/repos/acme/webapp/pulls/1").await;
    get(&fake, "/repos/acme/nope").await;
    let log = get(&fake, "/_fake/requests").await;
    assert_eq!(log.json["total"], json!(3));
    assert_eq!(log.json["byRoute"][PULLS]["200"], json!(1));
    assert_eq!(log.json["byRoute"][REPOSITORY]["404"], json!(1));
    assert_eq!(
        log.json["recent"][1]["path"],
        json!("/repos/acme/webapp/pulls/1")
    );
    let reset = send(client.post(format!("{base}/_fake/reset-counters"))).await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    assert_eq!(get(&fake, "/_fake/requests").await.json["total"], json!(0));

    let limit = send(
        client
            .post(format!("{base}/_fake/rate-limit"))
            .json(&json!({"limit": 50, "resetSeconds": 60})),
    )
    .await;
    assert_eq!(limit.json["remaining"], json!(50));

    let added = send(
        client
            .post(format!("{base}/_fake/repos/acme/webapp/pulls"))
            .json(&json!({"pull": {"title": "From HTTP", "head": {"sha": "9".repeat(40)}}, "files": [file_json("a.ts", "x")]})),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED);
    assert_eq!(added.json["number"], json!(6));
    let pr = get(&fake, "/repos/acme/webapp/pulls/6").await;
    assert_eq!(pr.json["title"], json!("From HTTP"));
    assert_eq!(pr.json["state"], json!("open"));
    assert_eq!(pr.json["head"]["sha"], json!("9".repeat(40)));
    assert_eq!(
        pr.json["head"]["ref"],
        json!("pr-6"),
        "defaults fill the rest"
    );
    assert_eq!(pr.json["base"]["ref"], json!("main"));

    let moved = send(
        client
            .post(format!("{base}/_fake/repos/acme/webapp/pulls/6/head"))
            .json(&json!({"sha": "8".repeat(40)})),
    )
    .await;
    assert_eq!(moved.status, StatusCode::NO_CONTENT);
    let closed = send(
        client
            .post(format!("{base}/_fake/repos/acme/webapp/pulls/6/close"))
            .json(&json!({"merged": true})),
    )
    .await;
    assert_eq!(closed.status, StatusCode::NO_CONTENT);
    let pr = get(&fake, "/repos/acme/webapp/pulls/6").await;
    assert_eq!(pr.json["head"]["sha"], json!("8".repeat(40)));
    assert_eq!(pr.json["state"], json!("closed"));
    assert!(pr.json["merged_at"].is_string());
    assert_eq!(pr.json["merged"], json!(true));
    let missing = send(
        client
            .post(format!("{base}/_fake/repos/acme/webapp/pulls/99/close"))
            .json(&json!({})),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let duplicate = send(
        client
            .post(format!("{base}/_fake/repos/acme/webapp/pulls"))
            .json(&json!({"number": 6})),
    )
    .await;
    assert_eq!(duplicate.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn app_endpoints_want_a_jwt_and_an_installation_token_and_record_what_they_got() {
    let fake = fake_small().await;
    let client = reqwest::Client::new();
    let base = fake.base_url();
    // header.claims.signature; the fake reads the claims, it does not verify signatures.
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjQyfQ.c2ln";

    let anonymous = send(client.post(format!("{base}/app/installations/1/access_tokens"))).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let unknown = send(
        client
            .post(format!("{base}/app/installations/2/access_tokens"))
            .bearer_auth(jwt),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let installation = send(
        client
            .get(format!("{base}/repos/acme/webapp/installation"))
            .bearer_auth(jwt),
    )
    .await;
    assert_eq!(installation.json["id"], json!(1));
    assert_eq!(installation.json["app_id"], json!(42));

    let token = send(
        client
            .post(format!("{base}/app/installations/1/access_tokens"))
            .bearer_auth(jwt),
    )
    .await;
    assert_eq!(token.status, StatusCode::CREATED);
    let token_value = token.json["token"].as_str().expect("token").to_owned();
    assert!(token_value.starts_with("ghs_"));
    assert!(token.json["expires_at"].is_string());
    let recorded = get(&fake, "/_fake/token-requests").await;
    assert_eq!(recorded.json[0]["jwt"], json!(jwt));
    assert_eq!(recorded.json[0]["claims"]["iss"], json!(42));

    let run = json!({"name": "clawtriage", "head_sha": "a".repeat(40), "status": "completed", "conclusion": "neutral"});
    let as_user = send(
        client
            .post(format!("{base}/repos/acme/webapp/check-runs"))
            .bearer_auth("ghp_user")
            .json(&run),
    )
    .await;
    assert_eq!(as_user.status, StatusCode::FORBIDDEN);
    let forged = send(
        client
            .post(format!("{base}/repos/acme/webapp/check-runs"))
            .bearer_auth("ghs_forged")
            .json(&run),
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(forged.json["message"], json!("Bad credentials"));
    let invalid = send(
        client
            .post(format!("{base}/repos/acme/webapp/check-runs"))
            .bearer_auth(&token_value)
            .json(&json!({"name": "x"})),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let created = send(
        client
            .post(format!("{base}/repos/acme/webapp/check-runs"))
            .bearer_auth(&token_value)
            .json(&run),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.json["id"], json!(1));
    assert_eq!(created.json["conclusion"], json!("neutral"));
    let runs = get(&fake, "/_fake/check-runs").await;
    assert_eq!(runs.json.as_array().map(Vec::len), Some(1));
    assert_eq!(runs.json[0]["body"], run);
    assert_eq!(runs.json[0]["repo"], json!("webapp"));
}

#[test]
fn a_corpus_directory_loads_and_bad_ones_are_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = corpus(4, 1, 3);
    write_corpus(dir.path(), &corpus);
    let loaded = Corpus::load(dir.path()).expect("loads");
    assert_eq!(loaded, corpus);

    let empty = tempfile::tempdir().expect("tempdir");
    let err = Corpus::load(empty.path()).expect_err("empty");
    assert!(err.to_string().contains("no repositories"), "{err}");
    let broken = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(broken.path().join("o/r/pulls")).expect("mkdir");
    std::fs::write(broken.path().join("o/r/repo.json"), "{}").expect("write");
    std::fs::write(broken.path().join("o/r/pulls/1.json"), "{\"files\": []}").expect("write");
    let err = Corpus::load(broken.path()).expect_err("no pull");
    assert!(format!("{err:#}").contains("has no \"pull\""), "{err:#}");
}

#[tokio::test]
async fn start_serves_a_corpus_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_corpus(dir.path(), &corpus(3, 0, 2));
    let fake = FakeGithub::start(dir.path(), FakeConfig::default())
        .await
        .expect("fake");
    let client = public_client(&fake, None, None);
    let listing = client
        .list_open_pulls(OWNER, REPO, None)
        .await
        .expect("listing");
    assert_eq!(listing.pulls.len(), 3);
    fake.stop().await;
}

#[test]
fn the_cli_serves_a_corpus() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_corpus(dir.path(), &corpus(2, 0, 2));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clawtriage"))
        .args(["fake-github", "--corpus"])
        .arg(dir.path())
        .args(["--port", "0", "--bind", "127.0.0.1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let url = BufReader::new(stdout)
        .lines()
        .map(|l| l.expect("line"))
        .find(|l| l.starts_with("http://"))
        .expect("the URL line");
    let body = std::thread::spawn(move || {
        let url = url.trim().to_owned();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            reqwest::get(format!("{url}/repos/acme/webapp/pulls"))
                .await
                .expect("request")
                .json::<Value>()
                .await
                .expect("json")
        })
    })
    .join()
    .expect("thread");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(body.as_array().map(Vec::len), Some(2));
}

/// The checked-in sample corpus, served by the fake and read by the client, parses
/// completely: every PR, every file.
#[tokio::test]
async fn the_checked_in_corpus_is_served_and_read_completely() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let corpus = Corpus::load(&dir).expect("the sample corpus loads");
    let fake = FakeGithub::start_with(corpus.clone(), FakeConfig::default())
        .await
        .expect("fake");
    let client = public_client(&fake, None, None);
    for repo in &corpus.repos {
        let info = client
            .repository(&repo.owner, &repo.name)
            .await
            .expect("repository");
        assert_eq!(info.name, repo.name);
        let listing = client
            .list_open_pulls(&repo.owner, &repo.name, None)
            .await
            .expect("listing");
        assert!(listing.complete);
        let open = repo
            .pulls
            .values()
            .filter(|p| p.pull["state"] == json!("open"))
            .count();
        assert_eq!(listing.pulls.len(), open);
        for (number, pull) in &repo.pulls {
            let number = i32::try_from(*number).expect("number");
            let files = client
                .pull_files(&repo.owner, &repo.name, number)
                .await
                .expect("files");
            assert_eq!(files.len(), pull.files.len().min(3000), "#{number}");
        }
    }
}

/// `2025-01-01T00:00:00Z` plus `minutes`, in GitHub's format.
fn at_minute(minutes: i64) -> String {
    (chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .expect("epoch")
        .to_utc()
        + chrono::Duration::minutes(minutes))
    .format("%Y-%m-%dT%H:%M:%SZ")
    .to_string()
}

/// Issue `number`, opened at minute `number` and updated at minute `updated`.
fn issue_json(number: u64, updated: i64, comments: u64) -> Value {
    json!({
        "id": 2_000_000 + number,
        "number": number,
        "title": format!("Issue {number}"),
        "body": format!("Body of issue {number}"),
        "user": {"login": "reporter"},
        "labels": [{"id": 1, "name": "bug", "color": "d73a4a", "default": true}],
        "state": "open",
        "state_reason": null,
        "comments": comments,
        "created_at": at_minute(number as i64),
        "updated_at": at_minute(updated),
        "closed_at": null,
        "html_url": format!("https://github.com/acme/webapp/issues/{number}"),
    })
}

/// PRs 1-3 open and 4-5 closed (opened at minutes 1-5); issues 10-14 (opened at minutes
/// 10-14), 13 closed, updated in the order 12, 10, 14, 11, 13, with 14 the most discussed.
fn issues_corpus() -> Corpus {
    let mut corpus = corpus(3, 2, 2);
    for (number, updated, comments) in [(10, 60, 1), (11, 80, 0), (12, 50, 2), (14, 70, 9)] {
        corpus = corpus.with_issue(OWNER, REPO, issue_json(number, updated, comments));
    }
    let mut closed = issue_json(13, 90, 3);
    closed["state"] = json!("closed");
    closed["state_reason"] = json!("completed");
    closed["closed_at"] = json!(at_minute(90));
    corpus.with_issue(OWNER, REPO, closed)
}

fn numbers(got: &Got) -> Vec<u64> {
    got.json
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["number"].as_u64())
        .collect()
}

#[tokio::test]
async fn the_issues_listing_has_the_prs_in_it_and_filters_sorts_and_pages_like_github() {
    let fake = fake(issues_corpus()).await;
    let open = get(&fake, "/repos/acme/webapp/issues").await;
    assert_eq!(open.status, StatusCode::OK);
    assert_eq!(
        numbers(&open),
        vec![14, 12, 11, 10, 3, 2, 1],
        "open issues and PRs, newest first"
    );
    let items = open.json.as_array().expect("array");
    let pr = items
        .iter()
        .find(|i| i["number"] == json!(2))
        .expect("PR 2");
    assert_eq!(
        pr["pull_request"],
        json!({
            "url": "https://api.github.com/repos/acme/webapp/pulls/2",
            "html_url": "https://github.com/acme/webapp/pull/2",
            "diff_url": "https://github.com/acme/webapp/pull/2.diff",
            "patch_url": "https://github.com/acme/webapp/pull/2.patch",
            "merged_at": null,
        })
    );
    assert_eq!(pr["title"], json!("Change 2"));
    assert_eq!(pr["state"], json!("open"));
    assert_eq!(pr["user"]["login"], json!("dev2"));
    assert!(pr["head"].is_null(), "issue-shaped: no head");
    let issue = items.iter().find(|i| i["number"] == json!(10)).expect("10");
    assert!(issue.get("pull_request").is_none());
    assert_eq!(issue["labels"][0]["name"], json!("bug"));

    let list = |query: &'static str| {
        let fake = &fake;
        async move { numbers(&get(fake, &format!("/repos/acme/webapp/issues?{query}")).await) }
    };
    assert_eq!(list("state=closed").await, vec![13, 5, 4]);
    assert_eq!(
        list("state=all&direction=asc").await,
        vec![1, 2, 3, 4, 5, 10, 11, 12, 13, 14]
    );
    assert_eq!(
        list("state=all&sort=updated").await,
        vec![13, 11, 14, 10, 12, 5, 4, 3, 2, 1],
        "most recently updated first"
    );
    assert_eq!(
        list("state=all&sort=comments&direction=desc").await[..3],
        [14, 13, 12]
    );
    let since = at_minute(70);
    assert_eq!(
        numbers(
            &get(
                &fake,
                &format!("/repos/acme/webapp/issues?state=all&sort=updated&since={since}")
            )
            .await
        ),
        vec![13, 11, 14],
        "updated at or after `since`"
    );

    let base = fake.base_url();
    let first = get(&fake, "/repos/acme/webapp/issues?state=all&per_page=4").await;
    assert_eq!(numbers(&first), vec![14, 13, 12, 11]);
    assert_eq!(
        header(&first, "link"),
        format!(
            "<{base}/repos/acme/webapp/issues?state=all&per_page=4&page=2>; rel=\"next\", \
             <{base}/repos/acme/webapp/issues?state=all&per_page=4&page=3>; rel=\"last\""
        )
    );
    let last = get(
        &fake,
        "/repos/acme/webapp/issues?state=all&per_page=4&page=3",
    )
    .await;
    assert_eq!(numbers(&last), vec![2, 1]);

    for bad in [
        "state=weird",
        "sort=popularity",
        "direction=up",
        "since=yesterday",
    ] {
        let got = get(&fake, &format!("/repos/acme/webapp/issues?{bad}")).await;
        assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(got.json["message"], json!("Validation Failed"));
    }
    assert_eq!(
        get(&fake, "/repos/acme/nope/issues").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn one_issue_is_an_issue_or_a_pr_in_issue_shape() {
    let fake = fake(issues_corpus()).await;
    let issue = get(&fake, "/repos/acme/webapp/issues/13").await;
    assert_eq!(issue.status, StatusCode::OK);
    assert_eq!(issue.json["title"], json!("Issue 13"));
    assert_eq!(issue.json["state_reason"], json!("completed"));
    assert!(issue.json.get("pull_request").is_none());

    fake.close_pull(OWNER, REPO, 3, true).expect("merge");
    let pr = get(&fake, "/repos/acme/webapp/issues/3").await;
    assert_eq!(pr.json["state"], json!("closed"));
    assert!(pr.json["pull_request"]["merged_at"].is_string());
    assert_eq!(pr.json["closed_at"], pr.json["pull_request"]["merged_at"]);

    for path in [
        "/repos/acme/webapp/issues/99",
        "/repos/acme/webapp/issues/abc",
        "/repos/acme/nope/issues/13",
    ] {
        let got = get(&fake, path).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(got.json["message"], json!("Not Found"));
    }
}

#[tokio::test]
async fn contents_are_base64_wrapped_like_githubs_with_etags_and_404s() {
    let vision = "# Vision\n\nWebapp is a billing dashboard — invoices, payments, and reports.\n\n## Out of scope\n\n- Mobile apps\n";
    let corpus = corpus(1, 0, 1)
        .with_file(OWNER, REPO, "VISION.md", vision)
        .with_file(OWNER, REPO, "docs/scope.md", "scope")
        .with_file(OWNER, REPO, "docs/adr/1.md", "adr");
    let fake = fake(corpus).await;

    let file = get(&fake, "/repos/acme/webapp/contents/VISION.md").await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.json["type"], json!("file"));
    assert_eq!(file.json["encoding"], json!("base64"));
    assert_eq!(file.json["name"], json!("VISION.md"));
    assert_eq!(file.json["path"], json!("VISION.md"));
    assert_eq!(file.json["size"], json!(vision.len()));
    assert_eq!(file.json["sha"].as_str().map(str::len), Some(40));
    let content = file.json["content"].as_str().expect("content");
    assert_eq!(
        content,
        clawtriage::fake_github::issues::base64_wrapped(vision.as_bytes())
    );
    let lines: Vec<&str> = content.lines().collect();
    assert!(lines.len() > 1 && lines[..lines.len() - 1].iter().all(|l| l.len() == 60));
    assert!(
        content.ends_with('\n'),
        "GitHub ends the content with a newline"
    );

    let nested = get(&fake, "/repos/acme/webapp/contents/docs/adr/1.md").await;
    assert_eq!(nested.json["path"], json!("docs/adr/1.md"));
    assert_eq!(nested.json["name"], json!("1.md"));
    let dir = get(&fake, "/repos/acme/webapp/contents/docs").await;
    let entries: Vec<(&str, &str)> = dir
        .json
        .as_array()
        .expect("a directory is a list")
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap_or(""),
                e["path"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![("dir", "docs/adr"), ("file", "docs/scope.md")]
    );
    for path in [
        "/repos/acme/webapp/contents/NOPE.md",
        "/repos/acme/webapp/contents/doc",
    ] {
        let got = get(&fake, path).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(got.json["message"], json!("Not Found"));
    }

    // Conditional requests work as on every endpoint: a 304 until the file changes.
    let client = reqwest::Client::new();
    let url = format!("{}/repos/acme/webapp/contents/VISION.md", fake.base_url());
    let etag = header(&file, "etag").to_owned();
    let cached = send(client.get(&url).header("if-none-match", &etag)).await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    fake.set_file(OWNER, REPO, "VISION.md", Some("# New vision\n"))
        .expect("set");
    let changed = send(client.get(&url).header("if-none-match", &etag)).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(changed.json["size"], json!(13));
    let route = "GET /repos/{owner}/{repo}/contents/{*path}";
    assert_eq!(fake.requests().count(route, 304), 1);
    assert_eq!(fake.requests().count(route, 404), 2);
}

#[tokio::test]
async fn issue_and_file_mutations_show_up_over_http_and_in_process() {
    let fake = fake(issues_corpus()).await;
    let client = reqwest::Client::new();
    let base = fake.base_url();
    let url = format!("{base}/repos/acme/webapp/issues");
    let before = send(client.get(&url)).await;
    let etag = header(&before, "etag").to_owned();

    // A new issue over HTTP: defaults fill the rest, labels may be names, the number
    // follows the highest issue or PR.
    let added = send(
        client
            .post(format!("{base}/_fake/repos/acme/webapp/issues"))
            .json(&json!({"title": "From HTTP", "labels": ["bug", "area/api"]})),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED);
    assert_eq!(added.json["number"], json!(15));
    let issue = get(&fake, "/repos/acme/webapp/issues/15").await;
    assert_eq!(issue.json["title"], json!("From HTTP"));
    assert_eq!(issue.json["state"], json!("open"));
    assert_eq!(issue.json["labels"][1]["name"], json!("area/api"));
    assert_eq!(
        issue.json["html_url"],
        json!("https://github.com/acme/webapp/issues/15")
    );
    assert!(issue.json["user"]["login"].is_string());
    let after = send(client.get(&url).header("if-none-match", &etag)).await;
    assert_eq!(after.status, StatusCode::OK, "the listing changed");
    assert_eq!(numbers(&after)[0], 15);

    // Replacing fields in process moves updated_at forward and keeps the rest.
    let old_updated = issue.json["updated_at"]
        .as_str()
        .expect("updated")
        .to_owned();
    let number = fake
        .put_issue(
            OWNER,
            REPO,
            json!({"number": 15, "body": "Now with a body"}),
        )
        .expect("edit");
    assert_eq!(number, 15);
    let edited = get(&fake, "/repos/acme/webapp/issues/15").await;
    assert_eq!(edited.json["body"], json!("Now with a body"));
    assert_eq!(edited.json["title"], json!("From HTTP"));
    assert!(edited.json["updated_at"].as_str().expect("updated") > old_updated.as_str());

    // Closing over HTTP, with a reason.
    let closed = send(
        client
            .post(format!("{base}/_fake/repos/acme/webapp/issues/15/close"))
            .json(&json!({"stateReason": "not_planned"})),
    )
    .await;
    assert_eq!(closed.status, StatusCode::NO_CONTENT);
    let issue = get(&fake, "/repos/acme/webapp/issues/15").await;
    assert_eq!(issue.json["state"], json!("closed"));
    assert_eq!(issue.json["state_reason"], json!("not_planned"));
    assert_eq!(issue.json["closed_at"], issue.json["updated_at"]);
    assert!(
        issue.json["updated_at"].as_str().expect("updated")
            > edited.json["updated_at"].as_str().expect("updated")
    );
    assert_eq!(
        numbers(&get(&fake, "/repos/acme/webapp/issues?state=closed&sort=updated").await)[0],
        15
    );
    fake.close_issue(OWNER, REPO, 10, None).expect("close");
    let ten = get(&fake, "/repos/acme/webapp/issues/10").await;
    assert_eq!(ten.json["state_reason"], json!("completed"));

    // Refusals: a PR's number, a pull_request key, an unknown issue, a bad reason.
    for body in [
        json!({"number": 2}),
        json!({"title": "x", "pull_request": {}}),
    ] {
        let refused = send(
            client
                .post(format!("{base}/_fake/repos/acme/webapp/issues"))
                .json(&body),
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{body}");
    }
    let unknown =
        send(client.post(format!("{base}/_fake/repos/acme/webapp/issues/99/close"))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(fake.close_issue(OWNER, REPO, 11, Some("bored")).is_err());
    assert!(fake.put_issue(OWNER, "nope", json!({})).is_err());

    // Files over HTTP: set, served, removed.
    let put = send(
        client
            .put(format!(
                "{base}/_fake/repos/acme/webapp/contents/docs/VISION.md"
            ))
            .json(&json!({"content": "hello"})),
    )
    .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT);
    let file = get(&fake, "/repos/acme/webapp/contents/docs/VISION.md").await;
    assert_eq!(file.json["content"], json!("aGVsbG8=\n"));
    let deleted = send(client.delete(format!(
        "{base}/_fake/repos/acme/webapp/contents/docs/VISION.md"
    )))
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        get(&fake, "/repos/acme/webapp/contents/docs/VISION.md")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let again = send(client.delete(format!(
        "{base}/_fake/repos/acme/webapp/contents/docs/VISION.md"
    )))
    .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(fake.set_file(OWNER, REPO, "../x", Some("y")).is_err());

    // A PR added without a number does not take an issue's.
    let pr = fake
        .add_pull(OWNER, REPO, json!({"title": "After the issues"}))
        .expect("add");
    assert_eq!(pr, 16);
    assert!(fake.add_pull(OWNER, REPO, json!({"number": 12})).is_err());
}

#[test]
fn a_corpus_directory_with_issues_and_a_vision_loads_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let expected = corpus(2, 0, 1)
        .with_issue(OWNER, REPO, issue_json(1000, 1000, 0))
        .with_file(OWNER, REPO, "VISION.md", "# Vision\n")
        .with_file(OWNER, REPO, "docs/guide/scope.md", "scope\n");
    write_corpus(dir.path(), &expected);
    let root = dir.path().join("acme/webapp");
    std::fs::create_dir_all(root.join("issues")).expect("mkdir");
    std::fs::create_dir_all(root.join("docs/guide")).expect("mkdir");
    std::fs::write(
        root.join("issues/1000.json"),
        json!({"issue": issue_json(1000, 1000, 0)}).to_string(),
    )
    .expect("issue");
    std::fs::write(root.join("issues/notes.txt"), "not an issue").expect("write");
    std::fs::write(root.join("VISION.md"), "# Vision\n").expect("vision");
    std::fs::write(root.join("docs/guide/scope.md"), "scope\n").expect("doc");
    std::fs::write(root.join("logo.png"), [0x89u8, 0x50, 0xff, 0xfe]).expect("binary");
    let loaded = Corpus::load(dir.path()).expect("loads");
    assert_eq!(
        loaded, expected,
        "repo.json and truth.json are not files; binaries are skipped"
    );

    // Without issues/ or VISION.md a corpus still loads (the pre-issue format).
    let plain = tempfile::tempdir().expect("tempdir");
    write_corpus(plain.path(), &corpus(1, 0, 1));
    let loaded = Corpus::load(plain.path()).expect("loads");
    assert!(loaded.repos[0].issues.is_empty() && loaded.repos[0].files.is_empty());

    std::fs::write(
        root.join("issues/1001.json"),
        json!({"issue": {"number": 1001, "pull_request": {}}}).to_string(),
    )
    .expect("write");
    let err = Corpus::load(dir.path()).expect_err("a PR among the issues");
    assert!(format!("{err:#}").contains("holds a PR"), "{err:#}");
    std::fs::write(root.join("issues/1001.json"), "{}").expect("write");
    let err = Corpus::load(dir.path()).expect_err("no issue");
    assert!(format!("{err:#}").contains("has no \"issue\""), "{err:#}");
}

/// The checked-in corpus's issues and vision are served and read completely.
#[tokio::test]
async fn the_checked_in_corpus_serves_its_issues_and_vision() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let corpus = Corpus::load(&dir).expect("the sample corpus loads");
    let fake = FakeGithub::start_with(corpus.clone(), FakeConfig::default())
        .await
        .expect("fake");
    let client = public_client(&fake, None, None);
    for repo in &corpus.repos {
        let listing = client
            .list_open_issues(&repo.owner, &repo.name, None)
            .await
            .expect("issues");
        assert!(listing.complete);
        let open = repo
            .issues
            .values()
            .filter(|i| i["state"] == json!("open"))
            .count();
        assert_eq!(listing.issues.len(), open, "{}/{}", repo.owner, repo.name);
        assert!(listing.issues.iter().all(|i| !i.title.is_empty()));
        let vision = client
            .file_contents(&repo.owner, &repo.name, "VISION.md")
            .await
            .expect("vision");
        assert_eq!(vision.as_ref(), repo.files.get("VISION.md"));
    }
}
