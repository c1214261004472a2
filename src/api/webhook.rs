//! `POST /webhooks/github`: signature-checked, idempotent by `X-GitHub-Delivery`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use crate::config::GithubMode;
use crate::storage::deliveries;
use crate::webhooks::{self, Outcome, WebhookError, signature};

/// GitHub caps webhook payloads at 25 MB.
pub const WEBHOOK_BODY_LIMIT: usize = 25 * 1024 * 1024;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Receives a delivery: 202 when acted on, 200 for a replay or an event we skip.
pub async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if state.config.github_mode == GithubMode::Public {
        return Err(ApiError::not_found(
            "webhooks are off in public mode (GITHUB_MODE=app or hybrid turns them on)",
        ));
    }
    let Some(secrets) = state
        .config
        .github_webhook_secret
        .as_ref()
        .filter(|s| !s.expose().trim().is_empty())
    else {
        return Err(ApiError::unavailable(
            "GITHUB_WEBHOOK_SECRET is not configured, so deliveries cannot be verified",
        ));
    };
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the payload is over 25 MB",
            )
        } else {
            ApiError::bad_request("invalid_body", "the body could not be read")
        }
    })?;
    let unauthorized = |code, message| ApiError::new(StatusCode::UNAUTHORIZED, code, message);
    let signature_header = header(&headers, "x-hub-signature-256")
        .ok_or_else(|| unauthorized("missing_signature", "X-Hub-Signature-256 is required"))?;
    if !signature::verify(secrets.expose(), signature_header, &body) {
        return Err(unauthorized(
            "invalid_signature",
            "the signature does not match the payload",
        ));
    }
    let event = header(&headers, "x-github-event")
        .ok_or_else(|| ApiError::bad_request("missing_event", "X-GitHub-Event is required"))?;
    let delivery = header(&headers, "x-github-delivery").ok_or_else(|| {
        ApiError::bad_request("missing_delivery", "X-GitHub-Delivery is required")
    })?;
    if delivery.len() > 200 {
        return Err(ApiError::bad_request(
            "invalid_delivery",
            "X-GitHub-Delivery is too long",
        ));
    }
    let action = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["action"].as_str().map(str::to_owned));
    let db = &state.services.db;
    if !deliveries::record(db, delivery, event, action.as_deref()).await? {
        return Ok((
            StatusCode::OK,
            Json(json!({ "duplicate": true, "delivery": delivery })),
        ));
    }
    match webhooks::handle(db, &state.queues, event, &body).await {
        Ok(outcome) => {
            deliveries::mark_processed(db, delivery).await?;
            let (status, word) = match outcome {
                Outcome::IngestEnqueued => (StatusCode::ACCEPTED, "ingest_enqueued"),
                Outcome::IssueAnalysisEnqueued => (StatusCode::ACCEPTED, "issue_analysis_enqueued"),
                Outcome::Updated => (StatusCode::ACCEPTED, "updated"),
                Outcome::Ignored => (StatusCode::OK, "ignored"),
            };
            Ok((
                status,
                Json(json!({ "duplicate": false, "delivery": delivery, "outcome": word })),
            ))
        }
        Err(err) => {
            // Forget the delivery so GitHub's redelivery gets processed.
            deliveries::forget(db, delivery).await?;
            Err(match err {
                WebhookError::Malformed { .. } => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "malformed_payload",
                    err.to_string(),
                ),
                WebhookError::Database(e) => e.into(),
                WebhookError::Queue(e) => {
                    tracing::error!("{e}");
                    ApiError::unavailable("the job queue is unavailable; GitHub will redeliver")
                }
            })
        }
    }
}
