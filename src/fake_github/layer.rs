//! What every fake GitHub API response goes through, in GitHub's order: added latency,
//! injected faults (502s, secondary limits), credentials, the primary rate limit, then
//! the handler; its answer gets an ETag (304 when `If-None-Match` matches — free, like
//! GitHub's conditional requests), `x-ratelimit-*` headers, and a line in the counters.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::Shared;
use super::api::bearer;
use super::state::{Fault, LoggedRequest, State as World};

/// Largest body the ETag step buffers (a page of 100 large patches fits).
const MAX_BODY: usize = 256 << 20;

/// The middleware (installed with `route_layer`, so the matched route is known).
pub async fn github(
    State(shared): State<Shared>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let route = matched.map_or_else(
        || request.uri().path().to_owned(),
        |m| m.as_str().to_owned(),
    );
    let path = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    let if_none_match = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // `GET /rate_limit` does not count against the budget on GitHub.
    let metered = route != "/rate_limit";

    let latency = Duration::from_millis(shared.lock().faults.latency_ms);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let early = {
        let mut world = shared.lock();
        world.window.roll();
        if let Some(fault) = world.next_fault() {
            Some(fault_response(fault))
        } else if let Some(refusal) = check_credentials(&world, request.headers()) {
            Some(refusal)
        } else if metered && world.window.remaining == 0 {
            Some(exhausted(request.headers()))
        } else {
            None
        }
    };
    let answered = early.is_none();
    let mut response = match early {
        Some(response) => response,
        None => next.run(request).await,
    };

    if method == Method::GET && response.status() == StatusCode::OK {
        response = with_etag(response, if_none_match.as_deref()).await;
    }

    let status = response.status().as_u16();
    let mut world = shared.lock();
    // Conditional hits are free; so are the refusals (the budget is already at zero or
    // the request never reached GitHub's API proper).
    if metered && answered && status != 304 {
        world.window.remaining = world.window.remaining.saturating_sub(1);
    }
    rate_headers(&world, response.headers_mut());
    world.record(LoggedRequest {
        method: method.as_str().to_owned(),
        path,
        route,
        status,
        conditional: if_none_match.is_some(),
    });
    response
}

/// Buffers the body, names it with an ETag, and answers 304 when the client has it.
async fn with_etag(response: Response, if_none_match: Option<&str>) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let digest = hex::encode(Sha256::digest(&bytes));
    let etag = format!("W/\"{}\"", &digest[..40]);
    if let Ok(value) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, value);
    }
    if if_none_match.is_some_and(|candidates| etag_matches(candidates, &etag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60, s-maxage=60"),
    );
    parts.headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Authorization, Cookie, X-GitHub-OTP"),
    );
    Response::from_parts(parts, Body::from(bytes))
}

/// Weak comparison, as GitHub does for `If-None-Match` (a list, or `*`).
pub fn etag_matches(candidates: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(etag);
    candidates
        .split(',')
        .any(|c| c.trim() == "*" || opaque(c) == ours)
}

fn rate_headers(world: &World, headers: &mut HeaderMap) {
    let w = world.window;
    let pairs = [
        ("x-ratelimit-limit", w.limit.to_string()),
        ("x-ratelimit-remaining", w.remaining.to_string()),
        ("x-ratelimit-reset", w.reset.to_string()),
        ("x-ratelimit-used", w.used().to_string()),
        ("x-ratelimit-resource", "core".to_owned()),
        ("x-github-media-type", "github.v3; format=json".to_owned()),
        ("x-github-api-version-selected", "2022-11-28".to_owned()),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
}

fn fault_response(fault: Fault) -> Response {
    match fault {
        Fault::BadGateway => (
            StatusCode::BAD_GATEWAY,
            axum::Json(json!({"message": "Server Error"})),
        )
            .into_response(),
        Fault::Secondary { retry_after } => {
            let mut response = (
                StatusCode::FORBIDDEN,
                axum::Json(json!({
                    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE:0000:0000.",
                    "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                    "status": "403"
                })),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

/// GitHub's answer when the primary budget is spent.
fn exhausted(headers: &HeaderMap) -> Response {
    let who = match bearer(headers) {
        Some(t) if t.starts_with("ghs_") => "installation ID 1".to_owned(),
        Some(_) => "user ID 1".to_owned(),
        None => "127.0.0.1".to_owned(),
    };
    let mut message = format!("API rate limit exceeded for {who}.");
    if bearer(headers).is_none() {
        message.push_str(" (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)");
    }
    (
        StatusCode::FORBIDDEN,
        axum::Json(json!({
            "message": message,
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        })),
    )
        .into_response()
}

/// Installation tokens must be ones the fake handed out and not expired.
fn check_credentials(world: &World, headers: &HeaderMap) -> Option<Response> {
    let token = bearer(headers)?;
    if !token.starts_with("ghs_") {
        return None;
    }
    let valid = world
        .tokens
        .get(token)
        .is_some_and(|expires| *expires > Utc::now());
    (!valid).then(|| {
        (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"})),
        )
            .into_response()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        assert!(etag_matches("W/\"abc\"", "W/\"abc\""));
        assert!(etag_matches("\"abc\"", "W/\"abc\""));
        assert!(etag_matches("\"x\", W/\"abc\"", "W/\"abc\""));
        assert!(etag_matches("*", "W/\"abc\""));
        assert!(!etag_matches("W/\"abd\"", "W/\"abc\""));
    }
}
