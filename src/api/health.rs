//! `GET /api/health`: liveness and readiness in one, for Fly's check and for humans.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;
use super::dto::Health;

/// How long each dependency may take to answer before it counts as down.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// 200 when Postgres and Redis both answer, 503 otherwise; the body says which is down.
#[utoipa::path(get, path = "/api/health", tag = "ops",
    responses((status = 200, body = Health), (status = 503, description = "a store is down", body = Health)))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let db = state.services.db.clone();
    let mut redis = state.services.redis.clone();
    let ping = redis::cmd("PING");
    let (pg, rd) = tokio::join!(
        tokio::time::timeout(PROBE_TIMEOUT, crate::storage::ping(&db)),
        tokio::time::timeout(PROBE_TIMEOUT, ping.query_async::<String>(&mut redis)),
    );
    let postgres = if matches!(pg, Ok(Ok(()))) {
        "ok"
    } else {
        "unreachable"
    };
    let redis = if matches!(rd, Ok(Ok(_))) {
        "ok"
    } else {
        "unreachable"
    };
    let ok = postgres == "ok" && redis == "ok";
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Health {
            ok,
            postgres,
            redis,
            version: env!("CARGO_PKG_VERSION"),
        }),
    )
}
