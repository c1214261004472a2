//! Labels and comments on a PR or an issue (`/repos/{owner}/{repo}/issues/{number}/...`), recorded
//! so tests can see exactly what the app wrote, and listable like GitHub's comments.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};

use super::Shared;
use super::api::{PageQuery, forbidden_integration, installation_body, not_found, paged};
use super::state::{RecordedIssueWrite, State as World, timestamp};

/// `POST /repos/{owner}/{repo}/issues/{number}/labels` with `{"labels": [..]}`.
pub async fn add_labels(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    headers: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    let body = match installation_body(&headers, body) {
        Ok(body) => body,
        Err(refused) => return *refused,
    };
    let mut state = shared.lock();
    if let Some(refused) = refuse_write(&state, &owner, &repo, number) {
        return refused;
    }
    let Some(names) = body["labels"].as_array() else {
        return super::api::unprocessable("labels must be an array of names");
    };
    let answer: Vec<Value> = names
        .iter()
        .filter_map(Value::as_str)
        .enumerate()
        .map(|(i, name)| json!({"id": i + 1, "name": name, "color": "ededed", "default": false}))
        .collect();
    state.issue_writes.push(RecordedIssueWrite {
        owner,
        repo,
        number,
        kind: "labels".into(),
        body,
    });
    (StatusCode::OK, Json(Value::Array(answer))).into_response()
}

/// `POST /repos/{owner}/{repo}/issues/{number}/comments` with `{"body": ".."}`.
pub async fn create_comment(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    headers: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    let body = match installation_body(&headers, body) {
        Ok(body) => body,
        Err(refused) => return *refused,
    };
    let mut state = shared.lock();
    if let Some(refused) = refuse_write(&state, &owner, &repo, number) {
        return refused;
    }
    let Some(text) = body["body"].as_str() else {
        return super::api::unprocessable("body is required");
    };
    let id = state.issue_writes.len() as u64 + 1;
    let page = if state
        .repo(&owner, &repo)
        .is_some_and(|r| r.pulls.contains_key(&number))
    {
        "pull"
    } else {
        "issues"
    };
    let comment = json!({
        "id": id,
        "body": text,
        "user": {"login": "clawtriage[bot]", "type": "Bot"},
        "html_url": format!("https://github.com/{owner}/{repo}/{page}/{number}#issuecomment-{id}"),
        "created_at": timestamp(Utc::now()),
    });
    state.issue_writes.push(RecordedIssueWrite {
        owner,
        repo,
        number,
        kind: "comment".into(),
        body: comment.clone(),
    });
    (StatusCode::CREATED, Json(comment)).into_response()
}

/// GitHub's answer to a write on a PR or issue it refuses: unknown number, or an app
/// without the permission.
fn refuse_write(state: &World, owner: &str, repo: &str, number: u64) -> Option<Response> {
    if !state
        .repo(owner, repo)
        .is_some_and(|r| r.has_number(number))
    {
        return Some(not_found());
    }
    state.issue_writes_forbidden.then(forbidden_integration)
}

/// `GET /repos/{owner}/{repo}/issues/{number}/comments`: the comments posted here, oldest
/// first, paged.
pub async fn list_comments(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    Query(query): Query<PageQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let state = shared.lock();
    if !state
        .repo(&owner, &repo)
        .is_some_and(|r| r.has_number(number))
    {
        return not_found();
    }
    let items: Vec<&Value> = state
        .issue_writes
        .iter()
        .filter(|w| {
            w.kind == "comment"
                && w.number == number
                && w.owner.eq_ignore_ascii_case(&owner)
                && w.repo.eq_ignore_ascii_case(&repo)
        })
        .map(|w| &w.body)
        .collect();
    paged(&items, &query, &uri, &headers)
}
