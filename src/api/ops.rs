//! `POST /api/ops/public-scan` and `GET /api/ops/scans/{jobId}`.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::AppState;
use super::auth;
use super::error::ApiError;
use super::params;
use crate::scan::trigger::{self, TriggerError, TriggerRequest};
use crate::storage::scans::{self, ScanRow};

/// Largest trigger body accepted.
pub const TRIGGER_BODY_LIMIT: usize = 16 * 1024;

/// Answer to a trigger.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TriggerResponse {
    enqueued: bool,
    job_id: Uuid,
    owner: String,
    repo: String,
    snapshot: String,
}

/// Triggers a scan: 202 when enqueued, 200 when the same snapshot was already triggered.
pub async fn public_scan(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<TriggerResponse>), ApiError> {
    auth::require_ops(&state.config, &headers)?;
    let request = parse_trigger(&headers, body)?;
    if !state
        .config
        .public_scan_allowed_repos
        .contains(&request.owner, &request.repo)
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "repo_not_allowed",
            format!(
                "{}/{} is not in PUBLIC_SCAN_ALLOWED_REPOS",
                request.owner, request.repo
            ),
        ));
    }
    let (owner, repo, snapshot) = (
        request.owner.clone(),
        request.repo.clone(),
        request.snapshot.clone(),
    );
    let outcome = trigger::trigger_scan(&state.services.db, &state.queues, request)
        .await
        .map_err(|err| match err {
            TriggerError::Database(e) => ApiError::from(e),
            TriggerError::Queue(e) => {
                tracing::error!("{e}");
                ApiError::unavailable("the job queue is unavailable; try again")
            }
        })?;
    let status = if outcome.enqueued {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    tracing::info!(%owner, %repo, %snapshot, job.id = %outcome.job_id, enqueued = outcome.enqueued, "Scan trigger");
    Ok((
        status,
        Json(TriggerResponse {
            enqueued: outcome.enqueued,
            job_id: outcome.job_id,
            owner,
            repo,
            snapshot,
        }),
    ))
}

fn parse_trigger(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<TriggerRequest, ApiError> {
    let value = params::json_body(headers, body, TRIGGER_BODY_LIMIT)?;
    TriggerRequest::from_json(&value, chrono::Utc::now())
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code, e.message))
}

/// A scan's status and progress.
pub async fn scan_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(job_id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let id = Uuid::parse_str(&job_id)
        .map_err(|_| ApiError::bad_request("invalid_job_id", "jobId must be a UUID"))?;
    let scan = scans::get(&state.services.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no scan with jobId {id}")))?;
    Ok(Json(scan_json(&scan)))
}

/// Recent scans, newest first (`?limit=1..100`, default 20).
pub async fn recent_scans(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<serde_json::Value>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let q = params::QueryParams::new(query, &["limit"])?;
    let limit = q.int("limit", 20, 1, 100)?;
    let rows = scans::recent(&state.services.db, limit).await?;
    Ok(Json(
        json!({ "scans": rows.iter().map(scan_json).collect::<Vec<_>>() }),
    ))
}

/// The public shape of a scan.
pub fn scan_json(scan: &ScanRow) -> serde_json::Value {
    let settled = scan.analysed + scan.failed;
    let progress = if scan.status == "done" || scan.status == "partial" {
        1.0
    } else if scan.enqueued > 0 {
        f64::from(settled) / f64::from(scan.enqueued)
    } else {
        0.0
    };
    json!({
        "jobId": scan.id,
        "owner": scan.owner,
        "repo": scan.repo,
        "snapshot": scan.snapshot,
        "maxOpenPrs": scan.max_open_prs,
        "repoId": scan.repo_id,
        "status": scan.status,
        "progress": progress,
        "counts": {
            "listed": scan.prs_listed,
            "enqueued": scan.enqueued,
            "skippedUnchanged": scan.skipped_unchanged,
            "analysed": scan.analysed,
            "failed": scan.failed,
        },
        "github": {
            "requests": scan.github_requests,
            "notModified": scan.github_not_modified,
            "rateLimitRemaining": scan.rate_limit_remaining,
            "rateLimitResetAt": scan.rate_limit_reset_at,
        },
        "error": scan.error,
        "createdAt": scan.created_at,
        "startedAt": scan.started_at,
        "finishedAt": scan.finished_at,
    })
}
