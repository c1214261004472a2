//! Helpers shared by the integration tests: configuration, live services, requests.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use clawtriage::api::{AppState, create_router};
use clawtriage::app::Services;
use clawtriage::config::Config;
use tower::ServiceExt;

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    config: Config,
}

/// A configuration from flags (`["--ops-trigger-token", "t"]`), with a queue namespace
/// of its own so tests sharing one Redis never see each other's jobs.
pub fn config(args: &[&str]) -> Config {
    let namespace = clawtriage::testing::unique_prefix();
    let mut argv = vec!["test", "--queue-namespace", namespace.as_str()];
    argv.extend_from_slice(args);
    Wrapper::parse_from(argv).config
}

/// A fresh database and a Redis connection.
pub async fn live_services() -> Services {
    let db = clawtriage::testing::fresh_db().await;
    let redis_url = &clawtriage::testing::services().redis_url;
    let client = redis::Client::open(redis_url.expose()).expect("redis url");
    let redis = redis::aio::ConnectionManager::new(client)
        .await
        .expect("redis");
    Services { db, redis }
}

/// The router for `config` on fresh services.
pub async fn app(config: Config) -> (Router, AppState) {
    let state = AppState::new(Arc::new(config), live_services().await);
    (create_router(state.clone()), state)
}

/// A response's status, JSON body (Null when not JSON) and content type.
pub struct Answer {
    pub status: StatusCode,
    pub json: serde_json::Value,
    pub text: String,
    pub content_type: Option<String>,
}

impl Answer {
    /// The error code of a JSON error body.
    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("")
    }
}

/// Sends `request` through the router.
pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = axum::body::to_bytes(response.into_body(), 4 << 20)
        .await
        .expect("body");
    let text = String::from_utf8_lossy(&body).into_owned();
    let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    Answer {
        status,
        json,
        text,
        content_type,
    }
}

/// A GET.
pub async fn get(app: &Router, path: &str) -> Answer {
    send(
        app,
        Request::get(path).body(Body::empty()).expect("request"),
    )
    .await
}
