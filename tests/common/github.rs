//! Helpers for the GitHub client and fake GitHub tests: synthetic corpora (in memory and
//! on disk, in the checked-in corpus format), clients with short waits, an app key.

use std::path::Path;
use std::time::Duration;

use clawtriage::fake_github::{Corpus, FakeConfig, FakeGithub};
use clawtriage::github::{AppCredentials, Credentials, GithubClient, GithubSettings, RetryPolicy};
use clawtriage::secret::Secret;
use serde_json::{Value, json};
use sqlx::PgPool;

pub const OWNER: &str = "acme";
pub const REPO: &str = "webapp";
pub const APP_ID: u64 = 4242;

/// An RSA key generated for this test suite only; it signs JWTs for the fake GitHub and
/// grants nothing anywhere else.
pub const TEST_APP_KEY: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAlNusI3TIYJKeMQynqGFsWSscEgUpujO4DeDLYMnKRvTCIOLc
D84rKjNV+GTWfzmKWhWuMIGCoGvcpS6Xs/jVUgHgHFdTpox2GA/qrEqfEDHIx7mD
mYogdA8pHaKDRtyqnTEVrB/UKkrAcIP/F9ZJYq0zh1WcgmDLMC+/fMOZlkGRk/Un
7U9QCFcxZUX0Gh6XhZ/KMYh3iOunuFhw7RiJIBt4MyVd6e559J8UhHfbyJejSPs6
SeK5W5N7+sITrn3T9K/hAA/pXFzkcnMB238V7Txkx5VT08KWTbyuyG1QqmiOLh3u
M94iVdeLmJyDp4qsTkqGDeIwAwqnq9hV+yvp6wIDAQABAoIBAAK8SAfdb905HzJp
jXSDrc5fA29gAZShZK158bgqnSP8ACFDP1CvCjixTtAiEkBY71jucxADIUJkw7OU
DUeft/5/eFMtAPrbiUQHRC8RrqXz3uuvVg1umLVpSJPPK7hpT7KpzJXS0+mfDArv
8gfJxqQgk1orpupNGw7HTIPfbaVxhy2a8zXPEWaU++3Ti82TePeMaNMrNyZtwQeE
+y2bYLIBy9rjQsl/GTynO7E9EFdOdDwlAO5DOxi7VqH6xwdvRAlhpjO0OjEwi8In
g/x0UYaiFAj6vPzwLN4Z65JbzPgnLxbfDnPr4EVTg1hTg3wRB7H1sDLx0i/aWdek
92WU19kCgYEAw8ZKBQa67liWwqCWFMKjidHo8vJ3xoWqovfxUdw+GmoW6V4GXPeB
JE5D9IXoMPWCHeoI72iHBnIVFovqQyUobVtBgQrAwVjfxTukw7zbx/I6V8UfpmzC
B3oAjPS1i+TK0f1J7UD3H+iUvVyhwL45qGQfkLnjl/DXgsjZSGc12icCgYEAwqaZ
mnwYjYyq2tzjrPALV1DuztVXMgt+WkldH8qEfdz0XIWGqcaXjNP1KWOCykbDbSch
9kscWUnDr58mZCdZVt+lBZ0S85AfCYZ1pMuaBtok+2zckOqd07XhC9+c/It7deP9
dLsj53V0i4XXO3Rd5AgzJM7skZ8ognzK9zaF4J0CgYEAkanlxRue1lx/v8wwHr47
Y/4U7z7NM56cuaj1mszeQFUTOwvEfEODiPnawgMoIdVpvMw3XbpOTNNxMVdlNBRf
og42DMdtZ+6ygFPCYgkRFhH6qvd2dyOQsnNqGXax5aaT6e4lpSujM9Cfas2TZI+k
4s+sVMiauKBwGVVLpf11Kh0CgYEAjwTMDacqfy6hBsiP/KwvGQvdO1mjhKDPSNVo
uAgcC0KCxUxSooHJLm86ThvQqIEP7C55lLahcLVzM6HTGnmS+fK/FH3Rw+Xb+Cq0
W85BMNGtpJLbCRtptXmIjinR9fkiUH+g5djuy40QgcdoWkXpCrg/o8bqKSDxKdc5
ZiTIfz0CgYBcVGYJfoyVU/Ty4tWiXjOePiK2aw+IfZys8NbPZoZKNgYEKstWLy/o
1rclJn292oFwwUFc9HxMObCj/BHzf3peO74Y7O71Duc0Nn9YdxMwQ2DDn8oOX+ql
DQYjl2lFuCo1R8hq5BmSIa5H9Hb95h2n4jcuY0+y+0NqwcxsxbwNqQ==
-----END RSA PRIVATE KEY-----
";

/// A repository object as GitHub returns it.
pub fn repo_json(owner: &str, name: &str) -> Value {
    json!({
        "id": 900_001,
        "node_id": "R_fake",
        "name": name,
        "full_name": format!("{owner}/{name}"),
        "private": false,
        "owner": {"login": owner, "id": 77, "type": "Organization"},
        "html_url": format!("https://github.com/{owner}/{name}"),
        "default_branch": "main",
        "open_issues_count": 0,
    })
}

/// A list-shaped PR object; PR n is created n minutes after a fixed epoch, so higher
/// numbers are newer.
pub fn pull_json(owner: &str, repo: &str, number: u64, state: &str) -> Value {
    let created = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .expect("epoch")
        .to_utc()
        + chrono::Duration::minutes(number as i64);
    let at = created.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let closed = (state == "closed").then(|| at.clone());
    json!({
        "id": 10_000 + number,
        "number": number,
        "state": state,
        "locked": false,
        "title": format!("Change {number}"),
        "body": format!("Body of {number}"),
        "user": {"login": format!("dev{}", number % 7), "id": number},
        "head": {"sha": format!("{:040x}", number), "ref": format!("feature-{number}")},
        "base": {"sha": "b".repeat(40), "ref": "main"},
        "created_at": at,
        "updated_at": at,
        "closed_at": closed,
        "merged_at": null,
        "draft": number.is_multiple_of(10),
        "html_url": format!("https://github.com/{owner}/{repo}/pull/{number}"),
        "labels": [],
    })
}

/// A PR file object with a small patch naming the file.
pub fn file_json(path: &str, patch_marker: &str) -> Value {
    json!({
        "sha": "c".repeat(40),
        "filename": path,
        "status": "modified",
        "additions": 1,
        "deletions": 1,
        "changes": 2,
        "blob_url": format!("https://github.com/x/y/blob/h/{path}"),
        "raw_url": format!("https://github.com/x/y/raw/h/{path}"),
        "contents_url": format!("https://api.github.com/repos/x/y/contents/{path}"),
        "patch": format!("@@ -1 +1 @@\n-old {patch_marker}\n+new {patch_marker}"),
    })
}

/// `n` files for a PR.
pub fn files(n: usize, marker: &str) -> Vec<Value> {
    (0..n)
        .map(|i| file_json(&format!("src/module_{i:04}.ts"), marker))
        .collect()
}

/// A corpus of one repository with `open` open PRs (1..=open, two files each) and
/// `closed` closed ones after them; PR 1 gets `big_pr_files` files.
pub fn corpus(open: u64, closed: u64, big_pr_files: usize) -> Corpus {
    let mut corpus = Corpus::new().with_repo(repo_json(OWNER, REPO));
    for n in 1..=open + closed {
        let state = if n <= open { "open" } else { "closed" };
        let files = if n == 1 {
            files(big_pr_files, "big")
        } else {
            files(2, &format!("pr{n}"))
        };
        corpus = corpus.with_pull(OWNER, REPO, pull_json(OWNER, REPO, n, state), files);
    }
    corpus
}

/// Writes a corpus to `dir` in the on-disk format (plus a `truth.json` the fake ignores).
pub fn write_corpus(dir: &Path, corpus: &Corpus) {
    for repo in &corpus.repos {
        let root = dir.join(&repo.owner).join(&repo.name);
        std::fs::create_dir_all(root.join("pulls")).expect("mkdir");
        std::fs::write(root.join("repo.json"), repo.repo.to_string()).expect("repo.json");
        std::fs::write(root.join("truth.json"), r#"{"duplicateSets": []}"#).expect("truth");
        for (number, pull) in &repo.pulls {
            let value = json!({"pull": pull.pull, "files": pull.files});
            std::fs::write(root.join(format!("pulls/{number}.json")), value.to_string())
                .expect("pull");
        }
    }
}

/// Retries fast enough for tests.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 6,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(100),
        secondary_default_wait: Duration::from_millis(50),
    }
}

/// Settings for a client of `fake` with `credentials` and fast retries.
pub fn settings(fake: &FakeGithub, credentials: Credentials) -> GithubSettings {
    let mut settings = GithubSettings::new(fake.base_url(), credentials);
    settings.retry = fast_retry();
    settings.max_rate_limit_wait = Duration::from_secs(20);
    settings.request_timeout = Duration::from_secs(10);
    settings
}

/// A public-mode client with an optional token.
pub fn public_client(fake: &FakeGithub, token: Option<&str>, db: Option<PgPool>) -> GithubClient {
    let credentials = Credentials::Public {
        token: token.map(Secret::new),
    };
    GithubClient::new(settings(fake, credentials), db).expect("client")
}

/// App credentials with the test key.
pub fn app_credentials() -> AppCredentials {
    AppCredentials {
        app_id: APP_ID,
        private_key_pem: Secret::new(TEST_APP_KEY),
    }
}

/// An app-mode client.
pub fn app_client(fake: &FakeGithub) -> GithubClient {
    GithubClient::new(settings(fake, Credentials::App(app_credentials())), None).expect("client")
}

/// Starts a fake over an in-memory corpus with the default configuration.
pub async fn fake(corpus: Corpus) -> FakeGithub {
    FakeGithub::start_with(corpus, FakeConfig::default())
        .await
        .expect("fake GitHub")
}

pub const PULLS: &str = "GET /repos/{owner}/{repo}/pulls";
pub const FILES: &str = "GET /repos/{owner}/{repo}/pulls/{number}/files";
pub const REPOSITORY: &str = "GET /repos/{owner}/{repo}";
