//! Issues and repository files, with GitHub's shapes: `GET /repos/{o}/{r}/issues` lists
//! the PRs too (as issue objects with a `pull_request` key, which is how GitHub answers
//! and why clients must drop them), one issue (or a PR in issue shape), and
//! `GET /repos/{o}/{r}/contents/{path}` with base64 content wrapped at 60 characters.
//! ETags, 304s and rate limits come from the middleware like every other endpoint.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::Shared;
use super::api::{PageQuery, not_found, paged, unprocessable};
use super::corpus::RepoData;

/// GitHub wraps base64 content at this many characters.
const BASE64_LINE: usize = 60;

/// The issue-specific parameters of `GET /repos/{o}/{r}/issues` (paging is
/// [`PageQuery`]'s), read leniently: absent means GitHub's default.
#[derive(Debug, Default, Deserialize)]
pub struct IssueQuery {
    state: Option<String>,
    sort: Option<String>,
    direction: Option<String>,
    since: Option<String>,
}

/// What a listing sorts by.
#[derive(Debug, Clone, Copy)]
enum SortKey {
    Created,
    Updated,
    Comments,
}

/// `GET /repos/{owner}/{repo}/issues`: issues and PRs (issue-shaped, with
/// `pull_request`) filtered by `state` (open by default) and `since` (updated at or
/// after), sorted by `sort` (created by default) in `direction` (desc by default),
/// paged with `Link`.
pub async fn list_issues(
    State(shared): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    Query(query): Query<IssueQuery>,
    Query(page): Query<PageQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let state = shared.lock();
    let Some(data) = state.repo(&owner, &repo) else {
        return not_found();
    };
    let wanted = query.state.as_deref().unwrap_or("open");
    if !matches!(wanted, "open" | "closed" | "all") {
        return unprocessable("state must be open, closed or all");
    }
    let key = match query.sort.as_deref().unwrap_or("created") {
        "created" => SortKey::Created,
        "updated" => SortKey::Updated,
        "comments" => SortKey::Comments,
        _ => return unprocessable("sort must be created, updated or comments"),
    };
    let descending = match query.direction.as_deref().unwrap_or("desc") {
        "desc" => true,
        "asc" => false,
        _ => return unprocessable("direction must be asc or desc"),
    };
    let since = match query.since.as_deref().map(parse_time) {
        None => None,
        Some(Some(since)) => Some(since),
        Some(None) => return unprocessable("since must be an ISO 8601 timestamp"),
    };
    let mut items: Vec<Value> = data
        .issues
        .values()
        .cloned()
        .chain(data.pulls.values().map(|p| pull_as_issue(data, &p.pull)))
        .filter(|i| wanted == "all" || i["state"].as_str() == Some(wanted))
        .filter(|i| {
            since.is_none_or(|since| {
                i["updated_at"]
                    .as_str()
                    .and_then(parse_time)
                    .is_some_and(|u| u >= since)
            })
        })
        .collect();
    items.sort_by(|a, b| {
        let order = sort_value(a, key)
            .cmp(&sort_value(b, key))
            .then_with(|| a["number"].as_u64().cmp(&b["number"].as_u64()));
        if descending { order.reverse() } else { order }
    });
    let refs: Vec<&Value> = items.iter().collect();
    paged(&refs, &page, &uri, &headers)
}

/// `GET /repos/{owner}/{repo}/issues/{number}`: an issue, or a PR in issue shape.
pub async fn issue(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, String)>,
) -> Response {
    let state = shared.lock();
    let Some((data, number)) = state.repo(&owner, &repo).zip(number.parse::<u64>().ok()) else {
        return not_found();
    };
    if let Some(issue) = data.issues.get(&number) {
        return Json(issue.clone()).into_response();
    }
    match data.pulls.get(&number) {
        Some(pull) => Json(pull_as_issue(data, &pull.pull)).into_response(),
        None => not_found(),
    }
}

/// `GET /repos/{owner}/{repo}/contents/{path}`: a file (base64, wrapped like GitHub's),
/// a directory listing, or 404.
pub async fn contents(
    State(shared): State<Shared>,
    Path((owner, repo, path)): Path<(String, String, String)>,
) -> Response {
    let state = shared.lock();
    let Some(data) = state.repo(&owner, &repo) else {
        return not_found();
    };
    let path = path.trim_end_matches('/');
    if let Some(content) = data.files.get(path) {
        return Json(file_entry(data, path, content, true)).into_response();
    }
    let prefix = format!("{path}/");
    let mut entries: Vec<Value> = Vec::new();
    let mut dirs: Vec<&str> = Vec::new();
    for (file, content) in data.files.range(prefix.clone()..) {
        let Some(rest) = file.strip_prefix(&prefix) else {
            break;
        };
        match rest.split_once('/') {
            None => entries.push(file_entry(data, file, content, false)),
            Some((dir, _)) if !dirs.contains(&dir) => dirs.push(dir),
            Some(_) => {}
        }
    }
    if entries.is_empty() && dirs.is_empty() {
        return not_found();
    }
    entries.extend(dirs.into_iter().map(|dir| {
        json!({"type": "dir", "name": dir, "path": format!("{prefix}{dir}"), "size": 0, "sha": sha_of(dir)})
    }));
    entries.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Json(Value::Array(entries)).into_response()
}

/// A PR as the issues endpoints show it: the issue fields, and `pull_request`.
pub(crate) fn pull_as_issue(data: &RepoData, pull: &Value) -> Value {
    let repo_name = format!("{}/{}", data.owner, data.name);
    let number = pull["number"].as_u64().unwrap_or(0);
    let field = |key: &str| pull.get(key).cloned().unwrap_or(Value::Null);
    let html_url = pull["html_url"].as_str().map_or_else(
        || format!("https://github.com/{repo_name}/pull/{number}"),
        str::to_owned,
    );
    json!({
        "id": field("id"),
        "node_id": format!("PR_fake{number}"),
        "number": number,
        "title": field("title"),
        "body": field("body"),
        "user": field("user"),
        "labels": pull.get("labels").cloned().unwrap_or_else(|| json!([])),
        "state": field("state"),
        "state_reason": null,
        "locked": pull.get("locked").cloned().unwrap_or(Value::Bool(false)),
        "assignees": [],
        "comments": pull.get("comments").cloned().unwrap_or_else(|| json!(0)),
        "created_at": field("created_at"),
        "updated_at": field("updated_at"),
        "closed_at": field("closed_at"),
        "author_association": "CONTRIBUTOR",
        "draft": pull.get("draft").cloned().unwrap_or(Value::Bool(false)),
        "html_url": html_url,
        "url": format!("https://api.github.com/repos/{repo_name}/issues/{number}"),
        "repository_url": format!("https://api.github.com/repos/{repo_name}"),
        "pull_request": {
            "url": format!("https://api.github.com/repos/{repo_name}/pulls/{number}"),
            "html_url": html_url,
            "diff_url": format!("{html_url}.diff"),
            "patch_url": format!("{html_url}.patch"),
            "merged_at": field("merged_at"),
        },
    })
}

/// A contents entry; with `content` for a file fetched by its path.
fn file_entry(data: &RepoData, path: &str, content: &str, with_content: bool) -> Value {
    let repo_name = format!("{}/{}", data.owner, data.name);
    let branch = data.repo["default_branch"].as_str().unwrap_or("main");
    let name = path.rsplit('/').next().unwrap_or(path);
    let sha = sha_of(content);
    let api = format!("https://api.github.com/repos/{repo_name}/contents/{path}?ref={branch}");
    let git = format!("https://api.github.com/repos/{repo_name}/git/blobs/{sha}");
    let html = format!("https://github.com/{repo_name}/blob/{branch}/{path}");
    let mut entry = json!({
        "type": "file",
        "name": name,
        "path": path,
        "sha": sha,
        "size": content.len(),
        "url": api,
        "git_url": git,
        "html_url": html,
        "download_url": format!("https://raw.githubusercontent.com/{repo_name}/{branch}/{path}"),
        "_links": {"self": api, "git": git, "html": html},
    });
    if with_content {
        entry["encoding"] = "base64".into();
        entry["content"] = base64_wrapped(content.as_bytes()).into();
    }
    entry
}

/// A 40-hex name of the content, like a git blob's (GitHub's is SHA-1 of
/// `blob <len>\0<content>`; here SHA-256 of the same, cut to 40: nothing compares it
/// with git).
fn sha_of(content: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!("blob {}\0", content.len()).as_bytes());
    hasher.update(content.as_bytes());
    hex::encode(hasher.finalize())[..40].to_owned()
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// What a listing compares: timestamps as text (one format throughout), counts as
/// numbers.
fn sort_value(item: &Value, key: SortKey) -> (u64, &str) {
    match key {
        SortKey::Created => (0, item["created_at"].as_str().unwrap_or("")),
        SortKey::Updated => (0, item["updated_at"].as_str().unwrap_or("")),
        SortKey::Comments => (item["comments"].as_u64().unwrap_or(0), ""),
    }
}

/// Standard base64 with padding, a newline after every 60 characters
/// (GitHub's contents layout, final newline included).
pub fn base64_wrapped(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut plain = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                plain.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                plain.push('=');
            }
        }
    }
    let mut wrapped = String::with_capacity(plain.len() + plain.len() / BASE64_LINE + 1);
    for line in plain.as_bytes().chunks(BASE64_LINE) {
        wrapped.push_str(std::str::from_utf8(line).unwrap_or_default());
        wrapped.push('\n');
    }
    wrapped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_wraps_at_60() {
        assert_eq!(base64_wrapped(b""), "");
        assert_eq!(base64_wrapped(b"f"), "Zg==\n");
        assert_eq!(base64_wrapped(b"fo"), "Zm8=\n");
        assert_eq!(base64_wrapped(b"foo"), "Zm9v\n");
        assert_eq!(base64_wrapped(&[0xfb, 0xff]), "+/8=\n");
        let long = base64_wrapped(&[0u8; 90]);
        let lines: Vec<&str> = long.lines().collect();
        assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), [60, 60]);
    }
}
