//! The fake's mutable world: repositories, PRs, issues and files, the rate-limit window,
//! fault settings, request counters, and what the app endpoints received.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::corpus::{Corpus, PullData, RepoData};
use super::{FakeConfig, Faults};

/// How many requests the recent log keeps.
const RECENT_REQUESTS: usize = 1000;

/// A request as the fake saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    /// Method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Route template (`/repos/{owner}/{repo}/pulls`).
    pub route: String,
    /// Status answered.
    pub status: u16,
    /// Whether it carried `If-None-Match`.
    pub conditional: bool,
}

/// Counters and the recent log (`GET /_fake/requests`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestLog {
    /// All GitHub API requests counted.
    pub total: u64,
    /// `"GET /repos/{owner}/{repo}/pulls"` → status → count.
    pub by_route: BTreeMap<String, BTreeMap<u16, u64>>,
    /// The latest requests, oldest first.
    pub recent: Vec<LoggedRequest>,
}

impl RequestLog {
    /// How many requests to `route` (e.g. `"GET /repos/{owner}/{repo}/pulls"`) got `status`.
    pub fn count(&self, route: &str, status: u16) -> u64 {
        self.by_route
            .get(route)
            .and_then(|s| s.get(&status))
            .copied()
            .unwrap_or(0)
    }

    /// How many requests to `route`, whatever the status.
    pub fn count_all(&self, route: &str) -> u64 {
        self.by_route.get(route).map_or(0, |s| s.values().sum())
    }
}

/// A token request the app endpoint received.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    /// Installation id in the path.
    pub installation_id: u64,
    /// The JWT as received (tests check its claims).
    pub jwt: String,
    /// The JWT's decoded claims (`iss`, `iat`, `exp`), `null` when undecodable.
    pub claims: Value,
    /// When it came.
    pub at: DateTime<Utc>,
}

/// A Check Run the fake received.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedCheckRun {
    /// Owner in the URL.
    pub owner: String,
    /// Repository in the URL.
    pub repo: String,
    /// The id the fake gave it.
    pub id: u64,
    /// The request body.
    pub body: Value,
    /// An update (PATCH) of run `id` rather than its creation.
    #[serde(default)]
    pub update: bool,
}

/// A label or comment the fake received on a PR or an issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedIssueWrite {
    /// Owner in the URL.
    pub owner: String,
    /// Repository in the URL.
    pub repo: String,
    /// The PR or issue.
    pub number: u64,
    /// `labels` or `comment`.
    pub kind: String,
    /// The request body (labels) or the stored comment.
    pub body: Value,
}

/// New rate-limit settings (`POST /_fake/rate-limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimitSettings {
    /// Budget per window.
    pub limit: u64,
    /// Budget left in the current window (default: the whole limit).
    #[serde(default)]
    pub remaining: Option<u64>,
    /// Seconds from now until the window resets (also the length of later windows).
    pub reset_seconds: u64,
}

/// The rate-limit window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub(crate) limit: u64,
    pub(crate) remaining: u64,
    /// Epoch seconds at which the budget comes back.
    pub(crate) reset: i64,
    pub(crate) period_secs: u64,
}

impl Window {
    fn new(limit: u64, remaining: u64, period_secs: u64) -> Self {
        Self {
            limit,
            remaining: remaining.min(limit),
            reset: reset_after(period_secs),
            period_secs,
        }
    }

    /// Starts a new window when the reset has passed.
    pub(crate) fn roll(&mut self) {
        if Utc::now().timestamp() >= self.reset {
            self.remaining = self.limit;
            self.reset = reset_after(self.period_secs);
        }
    }

    pub(crate) fn used(&self) -> u64 {
        self.limit.saturating_sub(self.remaining)
    }
}

/// Epoch seconds `period` from now, rounded up, so a client that waits for the header's
/// value waits at least `period`.
fn reset_after(period_secs: u64) -> i64 {
    let now = Utc::now();
    let whole = now.timestamp() + i64::try_from(period_secs).unwrap_or(i64::MAX / 2);
    if now.timestamp_subsec_nanos() > 0 {
        whole + 1
    } else {
        whole
    }
}

/// A fault the middleware injects instead of answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    BadGateway,
    Secondary { retry_after: u64 },
}

/// The whole world.
#[derive(Debug)]
pub(crate) struct State {
    /// Lower-cased `owner/repo` → repository.
    pub(crate) repos: HashMap<String, RepoData>,
    pub(crate) window: Window,
    pub(crate) faults: Faults,
    pub(crate) config: FakeConfig,
    rng: StdRng,
    api_requests: u64,
    pub(crate) log: RequestLog,
    recent: VecDeque<LoggedRequest>,
    pub(crate) token_requests: Vec<TokenRequest>,
    pub(crate) check_runs: Vec<RecordedCheckRun>,
    /// Answer Check Run writes with 403 (an app without the `checks` permission).
    pub(crate) check_runs_forbidden: bool,
    pub(crate) issue_writes: Vec<RecordedIssueWrite>,
    /// Answer label and comment writes with 403.
    pub(crate) issue_writes_forbidden: bool,
    /// Installation tokens handed out → expiry.
    pub(crate) tokens: HashMap<String, DateTime<Utc>>,
    next_token: u64,
}

impl State {
    pub(crate) fn new(corpus: Corpus, config: FakeConfig) -> Self {
        let repos = corpus
            .repos
            .into_iter()
            .map(|r| (key(&r.owner, &r.name), r))
            .collect();
        Self {
            repos,
            window: Window::new(
                config.rate_limit,
                config.rate_limit,
                config.rate_limit_reset.as_secs(),
            ),
            faults: config.faults.clone(),
            rng: StdRng::seed_from_u64(config.seed),
            config,
            api_requests: 0,
            log: RequestLog::default(),
            recent: VecDeque::new(),
            token_requests: Vec::new(),
            check_runs: Vec::new(),
            check_runs_forbidden: false,
            issue_writes: Vec::new(),
            issue_writes_forbidden: false,
            tokens: HashMap::new(),
            next_token: 0,
        }
    }

    pub(crate) fn repo(&self, owner: &str, repo: &str) -> Option<&RepoData> {
        self.repos.get(&key(owner, repo))
    }

    fn repo_mut(&mut self, owner: &str, repo: &str) -> Result<&mut RepoData, StateError> {
        self.repos
            .get_mut(&key(owner, repo))
            .ok_or(StateError::NotFound)
    }

    /// Decides whether this API request gets a fault instead of an answer.
    pub(crate) fn next_fault(&mut self) -> Option<Fault> {
        self.api_requests += 1;
        if let Some(every) = self.faults.secondary_every
            && every > 0
            && self.api_requests.is_multiple_of(every)
        {
            return Some(Fault::Secondary {
                retry_after: self.faults.secondary_retry_after,
            });
        }
        if self.faults.error_rate > 0.0 && self.rng.random::<f64>() < self.faults.error_rate {
            return Some(Fault::BadGateway);
        }
        None
    }

    pub(crate) fn set_rate_limit(&mut self, settings: RateLimitSettings) {
        self.window = Window::new(
            settings.limit,
            settings.remaining.unwrap_or(settings.limit),
            settings.reset_seconds,
        );
    }

    pub(crate) fn record(&mut self, request: LoggedRequest) {
        self.log.total += 1;
        *self
            .log
            .by_route
            .entry(format!("{} {}", request.method, request.route))
            .or_default()
            .entry(request.status)
            .or_default() += 1;
        if self.recent.len() >= RECENT_REQUESTS {
            self.recent.pop_front();
        }
        self.recent.push_back(request);
    }

    pub(crate) fn request_log(&self) -> RequestLog {
        RequestLog {
            recent: self.recent.iter().cloned().collect(),
            ..self.log.clone()
        }
    }

    pub(crate) fn reset_counters(&mut self) {
        self.log = RequestLog::default();
        self.recent.clear();
    }

    /// Hands out an installation token valid for the configured time.
    pub(crate) fn issue_token(&mut self) -> (String, DateTime<Utc>) {
        self.next_token += 1;
        let token = format!("ghs_fake{:032}", self.next_token);
        let ttl =
            chrono::Duration::from_std(self.config.token_ttl).unwrap_or(chrono::Duration::hours(1));
        let expires = Utc::now() + ttl;
        self.tokens.insert(token.clone(), expires);
        (token, expires)
    }

    /// Adds a PR from the corpus format (`{"pull": .., "files": [..]}`) or a partial
    /// pull object; missing fields get GitHub-like defaults. Returns the number.
    pub(crate) fn add_pull(
        &mut self,
        owner: &str,
        repo: &str,
        input: Value,
    ) -> Result<u64, StateError> {
        let data = self.repo_mut(owner, repo)?;
        let (mut pull, files) = match input {
            Value::Object(mut map) if map.contains_key("pull") => {
                let pull = map.remove("pull").unwrap_or(Value::Null);
                let files = match map.remove("files") {
                    Some(Value::Array(f)) => f,
                    _ => Vec::new(),
                };
                (pull, files)
            }
            Value::Object(mut map) => {
                let files = match map.remove("files") {
                    Some(Value::Array(f)) => f,
                    _ => Vec::new(),
                };
                (Value::Object(map), files)
            }
            _ => return Err(StateError::Invalid("expected a JSON object".into())),
        };
        if !pull.is_object() {
            return Err(StateError::Invalid("\"pull\" must be an object".into()));
        }
        let number = match pull["number"].as_u64() {
            Some(n) if data.has_number(n) => {
                return Err(StateError::Invalid(format!("#{n} exists")));
            }
            Some(n) => n,
            None => data
                .pulls
                .keys()
                .chain(data.issues.keys())
                .max()
                .map_or(1, |n| n + 1),
        };
        let max_id = data
            .pulls
            .values()
            .filter_map(|p| p.pull["id"].as_u64())
            .max()
            .unwrap_or(1_000_000);
        let now = timestamp(Utc::now());
        let repo_name = format!("{}/{}", data.owner, data.name);
        let default_branch = data.repo["default_branch"]
            .as_str()
            .unwrap_or("main")
            .to_owned();
        let defaults = json!({
            "id": max_id + 1,
            "number": number,
            "state": "open",
            "locked": false,
            "title": format!("PR {number}"),
            "body": null,
            "user": {"login": "fake-contributor", "id": 1, "type": "User"},
            "head": {"sha": format!("{:040x}", u128::from(number) * 7919 + 1), "ref": format!("pr-{number}"), "label": format!("fake-contributor:pr-{number}")},
            "base": {"sha": "0".repeat(40), "ref": default_branch},
            "created_at": now,
            "updated_at": now,
            "closed_at": null,
            "merged_at": null,
            "draft": false,
            "html_url": format!("https://github.com/{repo_name}/pull/{number}"),
            "url": format!("https://api.github.com/repos/{repo_name}/pulls/{number}"),
            "labels": [],
        });
        merge_defaults(&mut pull, &defaults);
        data.pulls.insert(number, PullData { pull, files });
        Ok(number)
    }

    /// Moves a PR's head: a new SHA, optionally new files; `updated_at` moves forward.
    pub(crate) fn set_head(
        &mut self,
        owner: &str,
        repo: &str,
        number: u64,
        sha: &str,
        files: Option<Vec<Value>>,
    ) -> Result<(), StateError> {
        let pull = self
            .repo_mut(owner, repo)?
            .pulls
            .get_mut(&number)
            .ok_or(StateError::NotFound)?;
        pull.pull["head"]["sha"] = Value::String(sha.to_owned());
        bump_updated(&mut pull.pull);
        if let Some(files) = files {
            pull.files = files;
        }
        Ok(())
    }

    /// Closes a PR, merged or not.
    pub(crate) fn close_pull(
        &mut self,
        owner: &str,
        repo: &str,
        number: u64,
        merged: bool,
    ) -> Result<(), StateError> {
        let pull = self
            .repo_mut(owner, repo)?
            .pulls
            .get_mut(&number)
            .ok_or(StateError::NotFound)?;
        bump_updated(&mut pull.pull);
        let at = pull.pull["updated_at"].clone();
        pull.pull["state"] = Value::String("closed".into());
        pull.pull["closed_at"] = at.clone();
        pull.pull["merged_at"] = if merged { at } else { Value::Null };
        Ok(())
    }
}

impl State {
    /// Adds an issue, or changes one: the fields given replace the stored ones, the
    /// rest keep their values (GitHub-like defaults for a new issue), and `updated_at`
    /// moves forward unless given. Labels may be given as names. A number held by a PR
    /// is refused (issues and PRs share one numbering). Returns the number.
    pub(crate) fn put_issue(
        &mut self,
        owner: &str,
        repo: &str,
        input: Value,
    ) -> Result<u64, StateError> {
        let data = self.repo_mut(owner, repo)?;
        let mut input = match input {
            Value::Object(mut map) if map.get("issue").is_some_and(Value::is_object) => {
                map.remove("issue").unwrap_or(Value::Null)
            }
            Value::Object(map) => Value::Object(map),
            _ => return Err(StateError::Invalid("expected a JSON object".into())),
        };
        if input.get("pull_request").is_some() {
            return Err(StateError::Invalid(
                "an issue has no pull_request (add PRs as pulls)".into(),
            ));
        }
        if let Some(labels) = input.get_mut("labels") {
            *labels = label_objects(labels)?;
        }
        let number = match input.get("number") {
            None | Some(Value::Null) => data
                .pulls
                .keys()
                .chain(data.issues.keys())
                .max()
                .map_or(1, |n| n + 1),
            Some(n) => n
                .as_u64()
                .ok_or_else(|| StateError::Invalid("number must be a positive integer".into()))?,
        };
        if data.pulls.contains_key(&number) {
            return Err(StateError::Invalid(format!("#{number} is a PR")));
        }
        let explicit_update = input.get("updated_at").is_some_and(|u| !u.is_null());
        let issue = match data.issues.get(&number) {
            Some(existing) => {
                let mut merged = existing.clone();
                if let (Value::Object(target), Value::Object(given)) = (&mut merged, input) {
                    target.extend(given);
                }
                if !explicit_update {
                    bump_updated(&mut merged);
                }
                merged
            }
            None => {
                let id = data
                    .issues
                    .values()
                    .filter_map(|i| i["id"].as_u64())
                    .max()
                    .unwrap_or(2_000_000)
                    + 1;
                let now = timestamp(Utc::now());
                let repo_name = format!("{}/{}", data.owner, data.name);
                let defaults = json!({
                    "id": id,
                    "node_id": format!("I_fake{id}"),
                    "number": number,
                    "title": format!("Issue {number}"),
                    "body": null,
                    "user": {"login": "fake-reporter", "id": 2, "type": "User"},
                    "labels": [],
                    "state": "open",
                    "state_reason": null,
                    "locked": false,
                    "assignees": [],
                    "comments": 0,
                    "created_at": now,
                    "updated_at": now,
                    "closed_at": null,
                    "author_association": "NONE",
                    "html_url": format!("https://github.com/{repo_name}/issues/{number}"),
                    "url": format!("https://api.github.com/repos/{repo_name}/issues/{number}"),
                    "repository_url": format!("https://api.github.com/repos/{repo_name}"),
                });
                input["number"] = number.into();
                merge_defaults(&mut input, &defaults);
                input
            }
        };
        data.issues.insert(number, issue);
        Ok(number)
    }

    /// Closes an issue: `state_reason` (default `completed`), `closed_at`, `updated_at`.
    pub(crate) fn close_issue(
        &mut self,
        owner: &str,
        repo: &str,
        number: u64,
        state_reason: Option<&str>,
    ) -> Result<(), StateError> {
        let reason = state_reason.unwrap_or("completed");
        if !matches!(reason, "completed" | "not_planned" | "duplicate") {
            return Err(StateError::Invalid(
                "state_reason must be completed, not_planned or duplicate".into(),
            ));
        }
        let issue = self
            .repo_mut(owner, repo)?
            .issues
            .get_mut(&number)
            .ok_or(StateError::NotFound)?;
        bump_updated(issue);
        issue["state"] = Value::String("closed".into());
        issue["state_reason"] = Value::String(reason.into());
        issue["closed_at"] = issue["updated_at"].clone();
        Ok(())
    }

    /// Sets (or with `None` removes) a repository file the contents endpoint serves.
    pub(crate) fn set_file(
        &mut self,
        owner: &str,
        repo: &str,
        path: &str,
        content: Option<String>,
    ) -> Result<(), StateError> {
        let bad = path.is_empty()
            || path
                .split('/')
                .any(|part| part.is_empty() || part == "." || part == "..");
        if bad {
            return Err(StateError::Invalid(format!("bad file path {path:?}")));
        }
        let files = &mut self.repo_mut(owner, repo)?.files;
        match content {
            Some(content) => {
                files.insert(path.to_owned(), content);
                Ok(())
            }
            None => files.remove(path).map(|_| ()).ok_or(StateError::NotFound),
        }
    }
}

/// GitHub's label objects from names or objects.
fn label_objects(labels: &Value) -> Result<Value, StateError> {
    let Value::Array(items) = labels else {
        return Err(StateError::Invalid("labels must be an array".into()));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, label)| match label {
            Value::String(name) => Ok(json!({
                "id": 3_000_000 + i, "name": name, "color": "ededed", "default": false, "description": null
            })),
            Value::Object(map) if map.get("name").is_some_and(Value::is_string) => {
                Ok(label.clone())
            }
            _ => Err(StateError::Invalid(
                "a label is a name or an object with a name".into(),
            )),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// Why a mutation failed.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Unknown repository, PR, issue or file.
    #[error("not found")]
    NotFound,
    /// Bad input.
    #[error("{0}")]
    Invalid(String),
}

pub(crate) fn key(owner: &str, repo: &str) -> String {
    format!(
        "{}/{}",
        owner.to_ascii_lowercase(),
        repo.to_ascii_lowercase()
    )
}

/// GitHub's timestamp format: whole seconds, `Z`.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Sets `updated_at` to now, or one second after its old value if that is not later, so
/// every mutation is visible to a "sort by updated" walk.
fn bump_updated(pull: &mut Value) {
    let now = Utc::now();
    let old = pull["updated_at"]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&Utc));
    let new = match old {
        Some(old) if old >= now - chrono::Duration::milliseconds(999) => {
            old + chrono::Duration::seconds(1)
        }
        _ => now,
    };
    pull["updated_at"] = Value::String(timestamp(new));
}

/// Fills keys missing (or null where the default is not) in `value` from `defaults`, one
/// level deep for objects such as `head`.
fn merge_defaults(value: &mut Value, defaults: &Value) {
    let (Value::Object(target), Value::Object(defaults)) = (value, defaults) else {
        return;
    };
    for (k, d) in defaults {
        match target.get_mut(k) {
            None => {
                target.insert(k.clone(), d.clone());
            }
            Some(existing) if existing.is_object() && d.is_object() => merge_defaults(existing, d),
            Some(_) => {}
        }
    }
}
