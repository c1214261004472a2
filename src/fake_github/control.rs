//! `/_fake/*`: what tests and the demo use to inspect and steer the fake — counters,
//! faults, the rate limit, PR, issue and file mutations, and what the app endpoints
//! received.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};

use super::state::{RateLimitSettings, StateError};
use super::{Faults, Shared};

/// The control routes.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/_fake/requests", get(requests))
        .route("/_fake/reset-counters", post(reset_counters))
        .route("/_fake/faults", get(get_faults).post(set_faults))
        .route("/_fake/rate-limit", post(set_rate_limit))
        .route("/_fake/repos/{owner}/{repo}/pulls", post(add_pull))
        .route(
            "/_fake/repos/{owner}/{repo}/pulls/{number}/head",
            post(set_head),
        )
        .route(
            "/_fake/repos/{owner}/{repo}/pulls/{number}/close",
            post(close),
        )
        .route("/_fake/repos/{owner}/{repo}/issues", post(put_issue))
        .route(
            "/_fake/repos/{owner}/{repo}/issues/{number}/close",
            post(close_issue),
        )
        .route(
            "/_fake/repos/{owner}/{repo}/contents/{*path}",
            put(set_file).delete(delete_file),
        )
        .route("/_fake/check-runs", get(check_runs))
        .route("/_fake/issue-writes", get(issue_writes))
        .route("/_fake/token-requests", get(token_requests))
}

async fn requests(State(shared): State<Shared>) -> Response {
    Json(shared.lock().request_log()).into_response()
}

async fn reset_counters(State(shared): State<Shared>) -> Response {
    shared.lock().reset_counters();
    StatusCode::NO_CONTENT.into_response()
}

async fn get_faults(State(shared): State<Shared>) -> Response {
    Json(shared.lock().faults.clone()).into_response()
}

async fn set_faults(State(shared): State<Shared>, Json(faults): Json<Faults>) -> Response {
    if !(0.0..=1.0).contains(&faults.error_rate) {
        return bad_request("errorRate must be between 0 and 1");
    }
    shared.lock().faults = faults.clone();
    Json(faults).into_response()
}

async fn set_rate_limit(
    State(shared): State<Shared>,
    Json(settings): Json<RateLimitSettings>,
) -> Response {
    let mut state = shared.lock();
    state.set_rate_limit(settings);
    let w = state.window;
    Json(json!({"limit": w.limit, "remaining": w.remaining, "reset": w.reset})).into_response()
}

async fn add_pull(
    State(shared): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    match shared.lock().add_pull(&owner, &repo, body) {
        Ok(number) => (StatusCode::CREATED, Json(json!({"number": number}))).into_response(),
        Err(err) => state_error(err),
    }
}

/// Body of `POST /_fake/repos/{o}/{r}/pulls/{n}/head`.
#[derive(Debug, Deserialize)]
struct NewHead {
    sha: String,
    #[serde(default)]
    files: Option<Vec<Value>>,
}

async fn set_head(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    Json(head): Json<NewHead>,
) -> Response {
    match shared
        .lock()
        .set_head(&owner, &repo, number, &head.sha, head.files)
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => state_error(err),
    }
}

/// Body of `POST /_fake/repos/{o}/{r}/pulls/{n}/close`.
#[derive(Debug, Deserialize)]
struct Close {
    #[serde(default)]
    merged: bool,
}

async fn close(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    Json(close): Json<Close>,
) -> Response {
    match shared
        .lock()
        .close_pull(&owner, &repo, number, close.merged)
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => state_error(err),
    }
}

/// `POST /_fake/repos/{o}/{r}/issues` with a (partial) issue object, or
/// `{"issue": {..}}`: adds it, or changes the fields given of the issue with its number.
async fn put_issue(
    State(shared): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    match shared.lock().put_issue(&owner, &repo, body) {
        Ok(number) => (StatusCode::CREATED, Json(json!({"number": number}))).into_response(),
        Err(err) => state_error(err),
    }
}

/// Body of `POST /_fake/repos/{o}/{r}/issues/{n}/close`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CloseIssue {
    #[serde(default)]
    state_reason: Option<String>,
}

async fn close_issue(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    body: Option<Json<CloseIssue>>,
) -> Response {
    let close = body.map(|Json(c)| c).unwrap_or_default();
    match shared
        .lock()
        .close_issue(&owner, &repo, number, close.state_reason.as_deref())
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => state_error(err),
    }
}

/// Body of `PUT /_fake/repos/{o}/{r}/contents/{path}`.
#[derive(Debug, Deserialize)]
struct FileContent {
    content: String,
}

async fn set_file(
    State(shared): State<Shared>,
    Path((owner, repo, path)): Path<(String, String, String)>,
    Json(file): Json<FileContent>,
) -> Response {
    match shared
        .lock()
        .set_file(&owner, &repo, &path, Some(file.content))
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => state_error(err),
    }
}

async fn delete_file(
    State(shared): State<Shared>,
    Path((owner, repo, path)): Path<(String, String, String)>,
) -> Response {
    match shared.lock().set_file(&owner, &repo, &path, None) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => state_error(err),
    }
}

async fn check_runs(State(shared): State<Shared>) -> Response {
    Json(shared.lock().check_runs.clone()).into_response()
}

/// Labels and comments received.
async fn issue_writes(State(shared): State<Shared>) -> Response {
    Json(shared.lock().issue_writes.clone()).into_response()
}

async fn token_requests(State(shared): State<Shared>) -> Response {
    Json(shared.lock().token_requests.clone()).into_response()
}

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"message": message}))).into_response()
}

fn state_error(err: StateError) -> Response {
    match err {
        StateError::NotFound => super::api::not_found(),
        StateError::Invalid(message) => bad_request(&message),
    }
}
