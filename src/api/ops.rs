//! `POST /api/ops/public-scan`, `GET /api/ops/scans` and `GET /api/ops/scans/{jobId}`.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use uuid::Uuid;

use super::AppState;
use super::auth;
use super::dto::{
    ErrorBody, GithubUsage, ScanCounts, ScanList, ScanStatus, TriggerBody, TriggerResponse,
};
use super::error::ApiError;
use super::params;
use crate::scan::trigger::{self, TriggerError, TriggerRequest};
use crate::storage::scans::{self, ScanRow};

/// Largest trigger body accepted.
pub const TRIGGER_BODY_LIMIT: usize = 16 * 1024;

/// Triggers a scan: 202 when enqueued, 200 when the same snapshot was already triggered.
#[utoipa::path(post, path = "/api/ops/public-scan", tag = "ops", request_body = TriggerBody,
    security(("ops_token" = [])),
    responses(
        (status = 202, description = "scan enqueued", body = TriggerResponse),
        (status = 200, description = "the same snapshot was already triggered", body = TriggerResponse),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "repository not allowed", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        (status = 415, description = "not JSON", body = ErrorBody),
        (status = 422, description = "invalid field", body = ErrorBody),
        (status = 503, description = "no OPS_TRIGGER_TOKEN configured, or the queue is down", body = ErrorBody)))]
pub async fn public_scan(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<TriggerResponse>), ApiError> {
    auth::require_ops(&state.config, &headers)?;
    let value = params::json_body(&headers, body, TRIGGER_BODY_LIMIT)?;
    let request = TriggerRequest::from_json(&value, chrono::Utc::now())
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code, e.message))?;
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
    let job_id = outcome.job_id;
    Ok((
        status,
        Json(TriggerResponse {
            enqueued: outcome.enqueued,
            job_id,
            owner,
            repo,
            snapshot,
        }),
    ))
}

/// A scan's status and progress.
#[utoipa::path(get, path = "/api/ops/scans/{jobId}", tag = "ops",
    params(("jobId" = Uuid, Path, description = "the id a trigger returned")),
    security((), ("dashboard_token" = []), ("ops_token" = [])),
    responses((status = 200, body = ScanStatus), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn scan_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(job_id): Path<String>,
) -> Result<Json<ScanStatus>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let id = Uuid::parse_str(&job_id)
        .map_err(|_| ApiError::bad_request("invalid_job_id", "jobId must be a UUID"))?;
    let scan = scans::get(&state.services.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no scan with jobId {id}")))?;
    Ok(Json(scan_status_of(scan)))
}

/// Recent scans, newest first.
#[utoipa::path(get, path = "/api/ops/scans", tag = "ops",
    params(("limit" = Option<i64>, Query, description = "1..=100, default 20")),
    security((), ("dashboard_token" = []), ("ops_token" = [])),
    responses((status = 200, body = ScanList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn recent_scans(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<ScanList>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let q = params::QueryParams::new(query, &["limit"])?;
    let limit = q.int("limit", 20, 1, 100)?;
    let rows = scans::recent(&state.services.db, limit).await?;
    Ok(Json(ScanList {
        scans: rows.into_iter().map(scan_status_of).collect(),
    }))
}

/// The public shape of a scan.
pub fn scan_status_of(scan: ScanRow) -> ScanStatus {
    let settled = scan.analysed + scan.failed;
    let progress = if scan.status == "done" || scan.status == "partial" {
        1.0
    } else if scan.enqueued > 0 {
        (f64::from(settled) / f64::from(scan.enqueued)).min(1.0)
    } else {
        0.0
    };
    ScanStatus {
        job_id: scan.id,
        owner: scan.owner,
        repo: scan.repo,
        snapshot: scan.snapshot,
        max_open_prs: scan.max_open_prs,
        repo_id: scan.repo_id,
        status: scan.status,
        progress,
        counts: ScanCounts {
            listed: scan.prs_listed,
            enqueued: scan.enqueued,
            skipped_unchanged: scan.skipped_unchanged,
            analysed: scan.analysed,
            failed: scan.failed,
        },
        github: GithubUsage {
            requests: scan.github_requests,
            not_modified: scan.github_not_modified,
            rate_limit_remaining: scan.rate_limit_remaining,
            rate_limit_reset_at: scan.rate_limit_reset_at,
        },
        error: scan.error,
        created_at: scan.created_at,
        started_at: scan.started_at,
        finished_at: scan.finished_at,
    }
}
