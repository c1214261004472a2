//! The GitHub REST endpoints the fake serves, with GitHub's shapes: pagination with
//! `Link`, the 3,000-file cap, 404/422 bodies, and the app endpoints.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Shared;
use super::state::{RecordedCheckRun, TokenRequest, timestamp};

/// GitHub's page size bounds.
const DEFAULT_PER_PAGE: usize = 30;
const MAX_PER_PAGE: usize = 100;
/// GitHub lists at most this many files of a PR.
pub const MAX_FILES: usize = 3000;

const DOCS: &str = "https://docs.github.com/rest";

/// GitHub's 404.
pub fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"message": "Not Found", "documentation_url": DOCS, "status": "404"})),
    )
        .into_response()
}

/// GitHub's 422.
pub(crate) fn unprocessable(message: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({
            "message": "Validation Failed",
            "errors": [{"message": message, "code": "invalid"}],
            "documentation_url": DOCS,
            "status": "422"
        })),
    )
        .into_response()
}

fn unauthorized(message: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"message": message, "documentation_url": DOCS, "status": "401"})),
    )
        .into_response()
}

/// Paging parameters, read leniently like GitHub (garbage means the default).
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    per_page: Option<String>,
    page: Option<String>,
    state: Option<String>,
    sort: Option<String>,
    direction: Option<String>,
    base: Option<String>,
}

impl PageQuery {
    fn per_page(&self) -> usize {
        self.per_page
            .as_deref()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(DEFAULT_PER_PAGE)
            .min(MAX_PER_PAGE)
    }

    fn page(&self) -> usize {
        self.page
            .as_deref()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(1)
    }
}

/// One page of `items` with GitHub's `Link` header.
pub(crate) fn paged(
    items: &[&Value],
    query: &PageQuery,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    let per_page = query.per_page();
    let page = query.page();
    let start = (page - 1).saturating_mul(per_page).min(items.len());
    let end = start.saturating_add(per_page).min(items.len());
    let body = Value::Array(items[start..end].iter().map(|v| (*v).clone()).collect());
    let mut response = Json(body).into_response();
    let last = items.len().div_ceil(per_page).max(1);
    if let Some(link) = link_header(uri, headers, page, last)
        && let Ok(value) = HeaderValue::from_str(&link)
    {
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

/// `<url?..&page=2>; rel="next", <..>; rel="last"` as GitHub writes it: prev, next,
/// last, first; absent when everything fits on one page.
pub fn link_header(uri: &Uri, headers: &HeaderMap, page: usize, last: usize) -> Option<String> {
    if last <= 1 && page <= 1 {
        return None;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let base = format!("http://{host}{}", uri.path());
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("page="))
        .collect();
    let url = |n: usize| {
        let mut params = kept.clone();
        let page = format!("page={n}");
        params.push(&page);
        format!("<{base}?{}>", params.join("&"))
    };
    let mut parts = Vec::new();
    if page > 1 {
        parts.push(format!("{}; rel=\"prev\"", url(page - 1)));
    }
    if page < last {
        parts.push(format!("{}; rel=\"next\"", url(page + 1)));
        parts.push(format!("{}; rel=\"last\"", url(last)));
    }
    if page > 1 {
        parts.push(format!("{}; rel=\"first\"", url(1)));
    }
    Some(parts.join(", "))
}

/// `GET /repos/{owner}/{repo}`.
pub async fn repository(
    State(shared): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
) -> Response {
    let state = shared.lock();
    match state.repo(&owner, &repo) {
        Some(data) => Json(data.repo.clone()).into_response(),
        None => not_found(),
    }
}

/// `GET /repos/{owner}/{repo}/pulls`.
pub async fn list_pulls(
    State(shared): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
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
    let sort = query.sort.as_deref().unwrap_or("created");
    let key_field = match sort {
        "created" | "popularity" | "long-running" => "created_at",
        "updated" => "updated_at",
        _ => return unprocessable("sort must be created, updated, popularity or long-running"),
    };
    // GitHub: descending by default for `created` (or no sort), ascending otherwise.
    let descending = match query.direction.as_deref() {
        None => sort == "created",
        Some("desc") => true,
        Some("asc") => false,
        Some(_) => return unprocessable("direction must be asc or desc"),
    };
    let mut items: Vec<&Value> = data
        .pulls
        .values()
        .map(|p| &p.pull)
        .filter(|p| wanted == "all" || p["state"].as_str() == Some(wanted))
        .filter(|p| {
            query
                .base
                .as_deref()
                .is_none_or(|b| p["base"]["ref"].as_str() == Some(b))
        })
        .collect();
    items.sort_by(|a, b| {
        let ka = (a[key_field].as_str().unwrap_or(""), a["number"].as_u64());
        let kb = (b[key_field].as_str().unwrap_or(""), b["number"].as_u64());
        if descending { kb.cmp(&ka) } else { ka.cmp(&kb) }
    });
    paged(&items, &query, &uri, &headers)
}

/// `GET /repos/{owner}/{repo}/pulls/{number}`: the list object plus the detail fields.
pub async fn pull(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, String)>,
) -> Response {
    let state = shared.lock();
    let Some(data) = number
        .parse::<u64>()
        .ok()
        .and_then(|n| state.repo(&owner, &repo)?.pulls.get(&n))
    else {
        return not_found();
    };
    let mut pull = data.pull.clone();
    let sum = |field: &str| -> u64 { data.files.iter().filter_map(|f| f[field].as_u64()).sum() };
    let open = pull["state"].as_str() == Some("open");
    let merged = !pull["merged_at"].is_null();
    if let Value::Object(map) = &mut pull {
        map.insert("additions".into(), sum("additions").into());
        map.insert("deletions".into(), sum("deletions").into());
        map.insert("changed_files".into(), data.files.len().into());
        map.entry("commits").or_insert(1.into());
        map.insert("merged".into(), merged.into());
        map.insert(
            "mergeable".into(),
            if open { true.into() } else { Value::Null },
        );
        map.insert("rebaseable".into(), open.into());
        map.insert(
            "mergeable_state".into(),
            (if open { "clean" } else { "unknown" }).into(),
        );
        map.entry("merged_by").or_insert(Value::Null);
        map.entry("comments").or_insert(0.into());
        map.entry("review_comments").or_insert(0.into());
        map.entry("maintainer_can_modify").or_insert(false.into());
    }
    Json(pull).into_response()
}

/// `GET /repos/{owner}/{repo}/pulls/{number}/files`, at most [`MAX_FILES`].
pub async fn files(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, String)>,
    Query(query): Query<PageQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let state = shared.lock();
    let Some(data) = number
        .parse::<u64>()
        .ok()
        .and_then(|n| state.repo(&owner, &repo)?.pulls.get(&n))
    else {
        return not_found();
    };
    let items: Vec<&Value> = data.files.iter().take(MAX_FILES).collect();
    paged(&items, &query, &uri, &headers)
}

/// The JWT of an app request, if the request carries one.
fn jwt(headers: &HeaderMap) -> Option<&str> {
    let token = bearer(headers)?;
    (token.split('.').count() == 3).then_some(token)
}

/// The bearer (or `token`) credential of a request.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("token "))
        .map(str::trim)
}

/// `GET /repos/{owner}/{repo}/installation` (JWT).
pub async fn installation(
    State(shared): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(jwt) = jwt(&headers) else {
        return unauthorized("A JSON web token could not be decoded");
    };
    let app_id = claims(jwt)["iss"].clone();
    let state = shared.lock();
    let Some(data) = state.repo(&owner, &repo) else {
        return not_found();
    };
    Json(json!({
        "id": state.config.installation_id,
        "app_id": app_id,
        "account": {"login": data.owner, "type": "Organization"},
        "target_type": "Organization",
        "repository_selection": "all",
        "permissions": {"checks": "write", "pull_requests": "read", "contents": "read", "metadata": "read"},
        "events": ["pull_request"],
    }))
    .into_response()
}

/// `POST /app/installations/{id}/access_tokens` (JWT): records the request, hands out
/// a token.
pub async fn access_token(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(jwt) = jwt(&headers) else {
        return unauthorized("A JSON web token could not be decoded");
    };
    let mut state = shared.lock();
    let Some(id) = id
        .parse::<u64>()
        .ok()
        .filter(|id| *id == state.config.installation_id)
    else {
        return not_found();
    };
    state.token_requests.push(TokenRequest {
        installation_id: id,
        jwt: jwt.to_owned(),
        claims: claims(jwt),
        at: Utc::now(),
    });
    let (token, expires_at) = state.issue_token();
    (
        StatusCode::CREATED,
        Json(json!({
            "token": token,
            "expires_at": timestamp(expires_at),
            "permissions": {"checks": "write", "pull_requests": "read", "contents": "read", "metadata": "read"},
            "repository_selection": "all",
        })),
    )
        .into_response()
}

/// `POST /repos/{owner}/{repo}/check-runs` (installation token): records the body.
pub async fn create_check_run(
    State(shared): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    let body = match installation_body(&headers, body) {
        Ok(body) => body,
        Err(refused) => return *refused,
    };
    let mut state = shared.lock();
    if state.repo(&owner, &repo).is_none() {
        return not_found();
    }
    if state.check_runs_forbidden {
        return forbidden_integration();
    }
    for field in ["name", "head_sha"] {
        if !body[field].is_string() {
            return unprocessable(&format!("{field} is required"));
        }
    }
    let id = state.check_runs.len() as u64 + 1;
    state.check_runs.push(RecordedCheckRun {
        owner: owner.clone(),
        repo: repo.clone(),
        id,
        body: body.clone(),
        update: false,
    });
    let answer = check_run_answer(&owner, &repo, id, &body["head_sha"], &body["name"], &body);
    (StatusCode::CREATED, Json(answer)).into_response()
}

/// `PATCH /repos/{owner}/{repo}/check-runs/{id}` (installation token): records the update
/// of a run this fake created.
pub async fn update_check_run(
    State(shared): State<Shared>,
    Path((owner, repo, id)): Path<(String, String, u64)>,
    headers: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    let body = match installation_body(&headers, body) {
        Ok(body) => body,
        Err(refused) => return *refused,
    };
    let mut state = shared.lock();
    if state.check_runs_forbidden {
        return forbidden_integration();
    }
    let Some(created) = state
        .check_runs
        .iter()
        .find(|r| r.id == id && !r.update && r.owner == owner && r.repo == repo)
        .cloned()
    else {
        return not_found();
    };
    state.check_runs.push(RecordedCheckRun {
        owner: owner.clone(),
        repo: repo.clone(),
        id,
        body: body.clone(),
        update: true,
    });
    let name = body.get("name").unwrap_or(&created.body["name"]);
    let answer = check_run_answer(&owner, &repo, id, &created.body["head_sha"], name, &body);
    (StatusCode::OK, Json(answer)).into_response()
}

/// The body of an app's write (Check Run, label, comment), or GitHub's refusal (no installation token, no JSON).
pub(crate) fn installation_body(
    headers: &HeaderMap,
    body: Option<Json<Value>>,
) -> Result<Value, Box<Response>> {
    if !bearer(headers).is_some_and(|t| t.starts_with("ghs_")) {
        return Err(Box::new(
            (
                StatusCode::FORBIDDEN,
                Json(json!({"message": "You must authenticate via a GitHub App.", "documentation_url": DOCS, "status": "403"})),
            )
                .into_response(),
        ));
    }
    body.map(|Json(body)| body).ok_or_else(|| {
        Box::new(
            (
                StatusCode::BAD_REQUEST,
                Json(json!({"message": "Problems parsing JSON", "documentation_url": DOCS, "status": "400"})),
            )
                .into_response(),
        )
    })
}

/// A Check Run as GitHub answers a write of it.
fn check_run_answer(
    owner: &str,
    repo: &str,
    id: u64,
    head_sha: &Value,
    name: &Value,
    body: &Value,
) -> Value {
    let field = |key: &str| body.get(key).cloned().unwrap_or(Value::Null);
    let mut answer = json!({
        "id": id,
        "head_sha": head_sha,
        "name": name,
        "status": body.get("status").cloned().unwrap_or_else(|| "queued".into()),
        "conclusion": field("conclusion"),
        "html_url": format!("https://github.com/{owner}/{repo}/runs/{id}"),
        "details_url": field("details_url"),
        "external_id": field("external_id"),
        "started_at": timestamp(Utc::now()),
    });
    if let Some(output) = body.get("output") {
        answer["output"] = output.clone();
    }
    answer
}

/// What GitHub answers an app without the permission a write needs.
pub(crate) fn forbidden_integration() -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(json!({"message": "Resource not accessible by integration", "documentation_url": DOCS, "status": "403"})),
    )
        .into_response()
}

/// `GET /rate_limit` (free, like GitHub's).
pub async fn rate_limit(State(shared): State<Shared>) -> Response {
    let mut state = shared.lock();
    state.window.roll();
    let w = state.window;
    let core = json!({
        "limit": w.limit, "remaining": w.remaining, "reset": w.reset, "used": w.used(), "resource": "core"
    });
    Json(json!({"resources": {"core": core}, "rate": core})).into_response()
}

/// The claims of a JWT (its middle part, base64url JSON), `null` when undecodable.
fn claims(jwt: &str) -> Value {
    jwt.split('.')
        .nth(1)
        .and_then(base64url)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null)
}

/// Minimal base64url decoding (padding optional), enough to read JWT claims.
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_decodes_jwt_parts() {
        assert_eq!(
            base64url("eyJpc3MiOjQyfQ").as_deref(),
            Some(&b"{\"iss\":42}"[..])
        );
        assert_eq!(base64url("aGk=").as_deref(), Some(&b"hi"[..]));
        assert_eq!(base64url("a b"), None);
    }

    #[test]
    fn link_header_matches_githubs_layout() {
        let uri: Uri = "/repos/o/r/pulls?state=open&per_page=100&page=2"
            .parse()
            .expect("uri");
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:9"));
        let link = link_header(&uri, &headers, 2, 3).expect("link");
        assert_eq!(
            link,
            "<http://127.0.0.1:9/repos/o/r/pulls?state=open&per_page=100&page=1>; rel=\"prev\", \
             <http://127.0.0.1:9/repos/o/r/pulls?state=open&per_page=100&page=3>; rel=\"next\", \
             <http://127.0.0.1:9/repos/o/r/pulls?state=open&per_page=100&page=3>; rel=\"last\", \
             <http://127.0.0.1:9/repos/o/r/pulls?state=open&per_page=100&page=1>; rel=\"first\""
        );
        assert_eq!(link_header(&uri, &headers, 1, 1), None);
    }
}
