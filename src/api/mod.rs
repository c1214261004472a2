//! The HTTP API and the dashboard, on one port.
//!
//! `/api/*` is JSON (unknown paths are JSON 404s); everything else is the dashboard.

mod assets;
pub mod auth;
pub mod dto;
pub mod error;
pub mod feedback;
mod health;
pub mod issues;
pub mod openapi;
pub mod ops;
mod params;
pub mod repos;
mod sets;
pub mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, StatusCode};
use axum::routing::{any, get, post};
use tokio_util::sync::CancellationToken;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::Services;
use crate::config::Config;
use crate::worker::queue::Queues;
use error::ApiError;

/// A request running longer than this is answered 408 and dropped.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// In-flight requests get this long to finish after SIGTERM.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Settings.
    pub config: Arc<Config>,
    /// Database and Redis.
    pub services: Services,
    /// The job queues.
    pub queues: Queues,
}

impl AppState {
    /// State for `config` on `services`.
    pub fn new(config: Arc<Config>, services: Services) -> Self {
        let queues = Queues::new(services.redis.clone(), &config.queue_namespace);
        Self {
            config,
            services,
            queues,
        }
    }
}

/// Builds the whole HTTP application (tests drive it without a port).
pub fn create_router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let api = Router::new()
        .route("/health", get(health::health))
        .route("/openapi.json", get(openapi::openapi_json))
        .route(
            "/ops/public-scan",
            post(ops::public_scan).layer(DefaultBodyLimit::max(ops::TRIGGER_BODY_LIMIT)),
        )
        .route("/ops/scans", get(ops::recent_scans))
        .route("/ops/scans/{job_id}", get(ops::scan_status))
        .route("/repos", get(repos::list))
        .route("/repos/{repo_id}/triage-queue", get(repos::triage_queue))
        .route("/repos/{repo_id}/duplicate-sets", get(sets::list))
        .route(
            "/repos/{repo_id}/duplicate-sets/{set_id}",
            get(sets::detail),
        )
        .route("/repos/{repo_id}/prs/{number}", get(repos::pr_detail))
        .route("/repos/{repo_id}/prs/{number}/files", get(repos::pr_files))
        .route(
            "/repos/{repo_id}/prs/{number}/candidates",
            get(repos::pr_candidates),
        )
        .route(
            "/repos/{repo_id}/prs/{number}/feedback",
            get(feedback::list),
        )
        .route("/repos/{repo_id}/issues", get(issues::list))
        .route("/repos/{repo_id}/issues/{number}", get(issues::detail))
        .route("/repos/{repo_id}/scope", get(issues::scope))
        .route(
            "/repos/{repo_id}/feedback",
            post(feedback::create).layer(DefaultBodyLimit::max(feedback::FEEDBACK_BODY_LIMIT)),
        )
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::map_response(error::json_errors))
        .with_state(state.clone());
    let webhooks = Router::new()
        .route(
            "/github",
            post(webhook::receive).layer(DefaultBodyLimit::max(webhook::WEBHOOK_BODY_LIMIT)),
        )
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::map_response(error::json_errors))
        .with_state(state.clone());
    Router::new()
        .nest("/api", api)
        .nest("/webhooks", webhooks)
        // `nest` does not cover the bare prefix; it must not fall through to the SPA.
        .route("/api/", any(api_not_found))
        .route("/webhooks/", any(api_not_found))
        .merge(assets::router(&state.config.dashboard_dir))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let matched = req
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default();
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            tracing::info_span!("request", method = %req.method(), path = %matched, request.id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

async fn api_not_found() -> ApiError {
    ApiError::not_found("no such API endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not accept that method",
    )
}

/// Serves HTTP until `shutdown` is cancelled, then drains in-flight requests.
pub async fn serve(
    config: Arc<Config>,
    services: Services,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let addr = SocketAddr::new(config.bind_addr, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("PORT: cannot listen on {addr}"))?;
    tracing::info!(%addr, "HTTP API listening on {addr}");
    let app = create_router(AppState::new(config, services));
    let drain_started = shutdown.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(shutdown.cancelled_owned());
    tokio::select! {
        result = server => result.context("HTTP server failed"),
        () = async { drain_started.cancelled().await; tokio::time::sleep(DRAIN_TIMEOUT).await } => {
            tracing::warn!("HTTP drain took longer than {DRAIN_TIMEOUT:?}; dropping open connections");
            Ok(())
        }
    }
}
