//! One GitHub request, done properly: credentials, `If-None-Match` from the ETag memory,
//! 304s served from it, rate-limit headers recorded, primary-limit pauses until the
//! reset, and retries with exponential backoff and jitter for 5xx, connection failures
//! and secondary limits. Every operation of the client goes through [`GithubClient::execute`].

use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::Utc;
use rand::Rng;
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, ETAG, HeaderMap, HeaderValue, IF_NONE_MATCH, LINK};
use tracing::Instrument;

use super::GithubClient;
use super::auth::{AppAuth, CachedToken, TOKEN_REFRESH_MARGIN};
use super::cache::CachedAnswer;
use super::error::GithubError;
use super::model::{ErrorBody, InstallationToken};
use super::ratelimit::{self, RateLimit, Refusal};
use crate::secret::Secret;

/// How many times one call may pause for a primary rate-limit reset. More than one
/// happens only when the reset passes and the budget is spent again by someone else.
const MAX_PRIMARY_WAITS: u32 = 3;
/// GitHub's media type.
const MEDIA_TYPE: &str = "application/vnd.github+json";
/// The REST API version we were written against.
const API_VERSION: &str = "2022-11-28";
/// Longest error message kept from a GitHub error body.
const MAX_MESSAGE_CHARS: usize = 200;

/// Which credentials a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The public token, or none.
    Public,
    /// The app's JWT (app endpoints only).
    Jwt,
    /// An installation token.
    Installation(u64),
}

/// A request to make.
#[derive(Debug, Clone)]
pub struct Call {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// JSON body.
    pub body: Option<serde_json::Value>,
    /// Credentials.
    pub auth: Auth,
    /// Whether to use the ETag memory (repeatable GETs).
    pub conditional: bool,
}

impl Call {
    /// A conditional GET.
    pub fn get(url: String, auth: Auth) -> Self {
        Self {
            method: Method::GET,
            url,
            body: None,
            auth,
            conditional: true,
        }
    }

    /// A POST with a JSON body.
    pub fn post(url: String, auth: Auth, body: serde_json::Value) -> Self {
        Self {
            method: Method::POST,
            url,
            body: Some(body),
            auth,
            conditional: false,
        }
    }

    /// A PATCH with a JSON body.
    pub fn patch(url: String, auth: Auth, body: serde_json::Value) -> Self {
        Self {
            method: Method::PATCH,
            ..Self::post(url, auth, body)
        }
    }
}

/// A successful answer. Its `Debug` leaves the body out (it may hold patches).
#[derive(Clone)]
pub struct Answer {
    /// The 2xx status (200 for an answer served from the ETag memory).
    pub status: u16,
    /// Body text.
    pub body: String,
    /// The `Link` header.
    pub link: Option<String>,
    /// Whether GitHub answered 304 and the body came from the ETag memory.
    pub not_modified: bool,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("body_bytes", &self.body.len())
            .field("not_modified", &self.not_modified)
            .finish()
    }
}

impl GithubClient {
    /// The absolute URL of an API path (`/repos/...`).
    pub(crate) fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.inner.api_url, path_and_query)
    }

    /// Path and query of `url`, for logs and errors (never the host's credentials; our
    /// URLs carry none, tokens travel in headers).
    pub(crate) fn display_path(url: &str) -> String {
        match reqwest::Url::parse(url) {
            Ok(u) => match u.query() {
                Some(q) => format!("{}?{q}", u.path()),
                None => u.path().to_owned(),
            },
            Err(_) => "<unparsable URL>".to_owned(),
        }
    }

    /// Checks that a URL from a `Link` header points at the API we were configured with,
    /// so credentials are never sent elsewhere.
    pub(crate) fn check_same_origin(&self, url: &str) -> Result<(), GithubError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| GithubError::Malformed {
            path: Self::display_path(url),
            reason: format!("bad pagination link: {e}"),
        })?;
        if parsed.origin() == self.inner.base.origin() {
            Ok(())
        } else {
            Err(GithubError::Malformed {
                path: Self::display_path(url),
                reason: "pagination link points to another host".into(),
            })
        }
    }

    /// Sends `call` with its credentials; an installation token GitHub no longer accepts
    /// (401) is replaced once.
    pub(crate) async fn execute(&self, call: &Call) -> Result<Answer, GithubError> {
        let mut renewed = false;
        loop {
            let authorization = self.authorization(call.auth).await?;
            match self.send(call, authorization.as_ref()).await {
                Err(GithubError::Refused { status: 401, .. })
                    if !renewed && matches!(call.auth, Auth::Installation(_)) =>
                {
                    if let (Auth::Installation(id), Some(app)) = (call.auth, &self.inner.app) {
                        app.tokens.lock().await.remove(&id);
                    }
                    renewed = true;
                }
                other => return other,
            }
        }
    }

    /// The `Authorization` value for `auth`, fetching an installation token if needed.
    async fn authorization(&self, auth: Auth) -> Result<Option<Secret>, GithubError> {
        match auth {
            Auth::Public => Ok(self
                .inner
                .token
                .as_ref()
                .map(|t| Secret::new(format!("Bearer {}", t.expose())))),
            Auth::Jwt => {
                let app = self.app("this operation")?;
                Ok(Some(Secret::new(format!("Bearer {}", app.jwt()?.expose()))))
            }
            Auth::Installation(id) => {
                let token = self.installation_token(id).await?;
                Ok(Some(Secret::new(format!("Bearer {}", token.expose()))))
            }
        }
    }

    pub(crate) fn app(&self, what: &'static str) -> Result<&AppAuth, GithubError> {
        self.inner
            .app
            .as_ref()
            .ok_or(GithubError::AppRequired(what))
    }

    /// An installation token, from the cache while it has more than
    /// [`TOKEN_REFRESH_MARGIN`] to live, else fresh from GitHub.
    pub async fn installation_token(&self, installation_id: u64) -> Result<Secret, GithubError> {
        let app = self.app("an installation token")?;
        let mut tokens = app.tokens.lock().await;
        if let Some(cached) = tokens.get(&installation_id)
            && AppAuth::usable(cached, Utc::now())
        {
            return Ok(cached.token.clone());
        }
        let jwt = Secret::new(format!("Bearer {}", app.jwt()?.expose()));
        let call = Call::post(
            self.url(&format!(
                "/app/installations/{installation_id}/access_tokens"
            )),
            Auth::Jwt,
            serde_json::json!({}),
        );
        let answer = self.send(&call, Some(&jwt)).await?;
        let parsed: InstallationToken =
            serde_json::from_str(&answer.body).map_err(|e| GithubError::Malformed {
                path: Self::display_path(&call.url),
                reason: format!("installation token: {e}"),
            })?;
        let token = Secret::new(parsed.token);
        tokens.insert(
            installation_id,
            CachedToken {
                token: token.clone(),
                refresh_at: parsed.expires_at - TOKEN_REFRESH_MARGIN,
            },
        );
        tracing::debug!(
            installation.id = installation_id,
            expires_at = %parsed.expires_at,
            "Obtained a GitHub App installation token"
        );
        Ok(token)
    }

    /// The request loop: retries, rate-limit pauses, ETags.
    async fn send(
        &self,
        call: &Call,
        authorization: Option<&Secret>,
    ) -> Result<Answer, GithubError> {
        let method = method_name(&call.method);
        let path = Self::display_path(&call.url);
        let span = tracing::debug_span!("github", method, path = %path);
        self.send_inner(call, authorization, method, &path)
            .instrument(span)
            .await
    }

    async fn send_inner(
        &self,
        call: &Call,
        authorization: Option<&Secret>,
        method: &'static str,
        path: &str,
    ) -> Result<Answer, GithubError> {
        let policy = self.inner.retry;
        let key = call.conditional.then(|| format!("{method} {}", call.url));
        let mut cached = match &key {
            Some(k) => self.inner.cache.get(k).await,
            None => None,
        };
        let mut attempt: u32 = 0;
        let mut primary_waits: u32 = 0;
        loop {
            attempt += 1;
            self.wait_for_budget().await?;
            let request = self.build_request(call, authorization, cached.as_deref())?;
            self.inner.requests.fetch_add(1, Ordering::Relaxed);
            crate::scan::source::meter_request();
            let response = match request.send().await {
                Ok(r) => r,
                Err(err) => {
                    let last = describe_transport_error(&err);
                    tracing::debug!(attempt, error = %last, "GitHub request failed");
                    self.backoff_or_give_up(method, path, attempt, last, None)
                        .await?;
                    continue;
                }
            };
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let limit = RateLimit::from_headers(&headers);
            if call.auth != Auth::Jwt
                && let Some(limit) = &limit
            {
                self.record_rate_limit(limit.clone());
            }
            tracing::debug!(
                status,
                attempt,
                remaining = limit.as_ref().map(|l| l.remaining),
                "GitHub {method} {path} -> {status}"
            );
            match status {
                304 => {
                    let link = header_text(&headers, LINK);
                    match cached.take() {
                        Some(hit) => {
                            self.inner.not_modified.fetch_add(1, Ordering::Relaxed);
                            crate::scan::source::meter_not_modified();
                            return Ok(Answer {
                                status: 200,
                                body: hit.body.clone(),
                                link: link.or_else(|| hit.link.clone()),
                                not_modified: true,
                            });
                        }
                        None => {
                            // A 304 to a request without an ETag: nothing to serve. Forget
                            // whatever we had and ask again unconditionally.
                            if let Some(k) = &key {
                                self.inner.cache.forget(k).await;
                            }
                            self.backoff_or_give_up(
                                method,
                                path,
                                attempt,
                                "304 without a cached body".into(),
                                Some(Duration::ZERO),
                            )
                            .await?;
                        }
                    }
                }
                200..=299 => {
                    let link = header_text(&headers, LINK);
                    let etag = header_text(&headers, ETAG);
                    let body = match response.text().await {
                        Ok(body) => body,
                        Err(err) => {
                            let last = describe_transport_error(&err);
                            self.backoff_or_give_up(method, path, attempt, last, None)
                                .await?;
                            continue;
                        }
                    };
                    if let (Some(k), Some(etag)) = (&key, etag) {
                        self.inner
                            .cache
                            .put(
                                k,
                                CachedAnswer {
                                    etag,
                                    body: body.clone(),
                                    link: link.clone(),
                                },
                            )
                            .await;
                    }
                    return Ok(Answer {
                        status,
                        body,
                        link,
                        not_modified: false,
                    });
                }
                403 | 429 => {
                    let body = response.text().await.unwrap_or_default();
                    match ratelimit::classify(status, &headers, &body) {
                        Refusal::Primary(limit) => {
                            primary_waits += 1;
                            if primary_waits > MAX_PRIMARY_WAITS {
                                return Err(self.rate_limited(&limit));
                            }
                            self.sleep_until_reset(&limit).await?;
                            // Waiting for the budget is not a failed attempt.
                            attempt -= 1;
                        }
                        Refusal::Secondary { retry_after } => {
                            let wait = retry_after.unwrap_or(policy.secondary_default_wait);
                            tracing::info!(
                                status,
                                attempt,
                                retry_after_s = wait.as_secs(),
                                "GitHub secondary rate limit on {method} {path}; backing off"
                            );
                            self.backoff_or_give_up(
                                method,
                                path,
                                attempt,
                                format!("{status} secondary rate limit"),
                                Some(wait),
                            )
                            .await?;
                        }
                        Refusal::TooMany => {
                            self.backoff_or_give_up(
                                method,
                                path,
                                attempt,
                                "429 too many requests".into(),
                                Some(policy.secondary_default_wait),
                            )
                            .await?;
                        }
                        Refusal::Forbidden => {
                            return Err(GithubError::Refused {
                                method,
                                path: path.to_owned(),
                                status,
                                message: error_message(&body),
                            });
                        }
                    }
                }
                404 | 410 => {
                    return Err(GithubError::NotFound {
                        method,
                        path: path.to_owned(),
                        status,
                    });
                }
                500..=599 => {
                    self.backoff_or_give_up(method, path, attempt, format!("{status}"), None)
                        .await?;
                }
                _ => {
                    let body = response.text().await.unwrap_or_default();
                    return Err(GithubError::Refused {
                        method,
                        path: path.to_owned(),
                        status,
                        message: error_message(&body),
                    });
                }
            }
        }
    }

    fn build_request(
        &self,
        call: &Call,
        authorization: Option<&Secret>,
        cached: Option<&CachedAnswer>,
    ) -> Result<reqwest::RequestBuilder, GithubError> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(MEDIA_TYPE));
        headers.insert(
            "x-github-api-version",
            HeaderValue::from_static(API_VERSION),
        );
        if let Some(auth) = authorization {
            let mut value = HeaderValue::from_str(auth.expose()).map_err(|_| {
                GithubError::Config("the GitHub token has characters a header cannot carry".into())
            })?;
            // Sensitive values are hidden from `Debug` output of the request.
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        if let Some(hit) = cached
            && let Ok(value) = HeaderValue::from_str(&hit.etag)
        {
            headers.insert(IF_NONE_MATCH, value);
        }
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), &call.url)
            .headers(headers);
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        Ok(request)
    }

    fn record_rate_limit(&self, limit: RateLimit) {
        *self.inner.rate.lock().unwrap_or_else(|e| e.into_inner()) = Some(limit);
    }

    /// Pauses before a request when the last answer said the budget is spent.
    async fn wait_for_budget(&self) -> Result<(), GithubError> {
        let spent = self
            .rate_limit()
            .filter(|l| l.remaining == 0 && l.resource.as_deref().is_none_or(|r| r == "core"));
        if let Some(limit) = spent {
            self.sleep_until_reset(&limit).await?;
            // The budget is back; the next answer tells how much.
            let mut rate = self.inner.rate.lock().unwrap_or_else(|e| e.into_inner());
            if rate.as_ref().is_some_and(|r| r.reset <= limit.reset) {
                *rate = None;
            }
        }
        Ok(())
    }

    async fn sleep_until_reset(&self, limit: &RateLimit) -> Result<(), GithubError> {
        let wait = limit.wait_until_reset(Utc::now());
        if wait > self.inner.max_rate_limit_wait {
            return Err(self.rate_limited(limit));
        }
        if !wait.is_zero() {
            tracing::info!(
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                reset = %limit.reset,
                "GitHub rate limit exhausted; pausing until it resets"
            );
            tokio::time::sleep(wait).await;
        }
        Ok(())
    }

    fn rate_limited(&self, limit: &RateLimit) -> GithubError {
        GithubError::RateLimited {
            reset: limit.reset,
            wait: limit.wait_until_reset(Utc::now()),
            max_wait: self.inner.max_rate_limit_wait,
        }
    }

    /// Sleeps before the next attempt (at least `at_least`, when given), or gives up with
    /// [`GithubError::Unavailable`] when the attempts are used up.
    async fn backoff_or_give_up(
        &self,
        method: &'static str,
        path: &str,
        attempt: u32,
        last: String,
        at_least: Option<Duration>,
    ) -> Result<(), GithubError> {
        let policy = self.inner.retry;
        if attempt >= policy.max_attempts {
            tracing::warn!(attempt, last = %last, "Giving up on GitHub {method} {path}");
            return Err(GithubError::Unavailable {
                method,
                path: path.to_owned(),
                attempts: attempt,
                last,
            });
        }
        let delay = backoff_delay(&policy, attempt).max(at_least.unwrap_or(Duration::ZERO));
        if delay > self.inner.max_rate_limit_wait {
            return Err(GithubError::Unavailable {
                method,
                path: path.to_owned(),
                attempts: attempt,
                last: format!("{last}; asked to wait {delay:?}"),
            });
        }
        tracing::debug!(
            attempt,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "Retrying GitHub {method} {path}"
        );
        tokio::time::sleep(delay).await;
        Ok(())
    }
}

/// Exponential backoff with "equal jitter": half the delay fixed, half random, so
/// retries from many workers spread out but never come back immediately.
pub fn backoff_delay(policy: &super::RetryPolicy, attempt: u32) -> Duration {
    let exponent = attempt.saturating_sub(1).min(20);
    let full = policy
        .base_delay
        .saturating_mul(1u32 << exponent)
        .min(policy.max_delay);
    let half = full / 2;
    let jitter_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
    let jitter = if jitter_ms == 0 {
        Duration::ZERO
    } else {
        Duration::from_millis(rand::rng().random_range(0..=jitter_ms))
    };
    half + jitter
}

fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PATCH => "PATCH",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        _ => "OTHER",
    }
}

fn header_text(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// What went wrong at the transport level, without the URL (kept separately).
fn describe_transport_error(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timeout"
    } else if err.is_connect() {
        "connection failed"
    } else if err.is_body() || err.is_decode() {
        "body interrupted"
    } else {
        "request failed"
    };
    let mut source = std::error::Error::source(err);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}

/// GitHub's `message`, shortened; bodies are otherwise never kept.
fn error_message(body: &str) -> String {
    let message = serde_json::from_str::<ErrorBody>(body)
        .ok()
        .and_then(|b| b.message)
        .unwrap_or_else(|| "(no message)".to_owned());
    message.chars().take(MAX_MESSAGE_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::RetryPolicy;

    #[test]
    fn backoff_doubles_with_jitter_and_respects_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            secondary_default_wait: Duration::from_secs(1),
        };
        for _ in 0..50 {
            let first = backoff_delay(&policy, 1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = backoff_delay(&policy, 3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let late = backoff_delay(&policy, 30);
            assert!(late >= Duration::from_millis(250) && late <= Duration::from_millis(500));
        }
    }

    #[test]
    fn error_message_is_short_and_tolerates_non_json() {
        assert_eq!(
            error_message("{\"message\":\"Validation Failed\"}"),
            "Validation Failed"
        );
        assert_eq!(error_message("<html>"), "(no message)");
        assert_eq!(
            error_message(&format!("{{\"message\":\"{}\"}}", "x".repeat(500))).len(),
            MAX_MESSAGE_CHARS
        );
    }
}
