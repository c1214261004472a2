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
