//! Helpers shared by the integration tests: configuration, live services, requests.

#![allow(dead_code, reason = "each test binary uses a different subset")]

pub mod github;
pub mod pipeline;
pub mod process;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use clawtriage::api::{AppState, create_router};
use clawtriage::app::Services;
use clawtriage::config::Config;
use clawtriage::storage::edges::{self, NewEdge};
use clawtriage::storage::prs::{self, PrUpsert};
use clawtriage::storage::repos::{self, RepoUpsert};
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

pub fn pr(number: i32) -> PrUpsert {
    PrUpsert {
        github_id: 5000 + i64::from(number),
        number,
        state: "open".into(),
        draft: false,
        title: format!("Change {number}"),
        body: None,
        author_login: Some(format!("dev{number}")),
        html_url: None,
        head_sha: format!("h{number}"),
        head_ref: None,
        base_ref: Some("main".into()),
        base_sha: None,
        created_at: None,
        updated_at: None,
        closed_at: None,
        merged_at: None,
    }
}

/// A repository with `n` open PRs; PR k and k+1 (k odd) are linked with score 0.6+k/100.
pub async fn seed(state: &AppState, n: i32) -> i64 {
    let db = &state.services.db;
    let repo = repos::upsert(
        db,
        &RepoUpsert {
            github_id: 7,
            owner: "acme".into(),
            name: "webapp".into(),
            default_branch: "main".into(),
            html_url: None,
        },
    )
    .await
    .expect("repo");
    let rows = prs::upsert_many(db, repo.id, &(1..=n).map(pr).collect::<Vec<_>>())
        .await
        .expect("prs");
    let mut conn = db.acquire().await.expect("conn");
    for pair in rows.chunks(2) {
        let [a, b] = pair else { continue };
        let edge = NewEdge {
            pr_low: a.id.min(b.id),
            head_low: if a.id < b.id {
                a.head_sha.clone()
            } else {
                b.head_sha.clone()
            },
            pr_high: a.id.max(b.id),
            head_high: if a.id < b.id {
                b.head_sha.clone()
            } else {
                a.head_sha.clone()
            },
            category: "SAME_FEATURE".into(),
            final_score: 0.6 + f64::from(a.number) / 100.0,
            scores: serde_json::json!({"prod": 0.8}),
            evidence: serde_json::json!({"overlappingProductionPaths": ["src/a.ts"]}),
            config_version: "cfg".into(),
        };
        edges::store_for_pr(&mut conn, repo.id, b.id, &b.head_sha, &[edge])
            .await
            .expect("edge");
    }
    repo.id
}
