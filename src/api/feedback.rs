//! `POST /api/repos/{repoId}/feedback` and `GET /api/repos/{repoId}/prs/{n}/feedback`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};

use super::AppState;
use super::auth;
use super::dto::{ErrorBody, FeedbackBody, FeedbackList, FeedbackSaved};
use super::error::ApiError;
use super::params;
use crate::storage::feedback::{self, NewFeedback};
use crate::storage::{prs, repos, sets};

/// Decisions a maintainer can record.
pub const DECISIONS: [&str; 7] = [
    "DUPLICATE",
    "SAME_FEATURE",
    "COMPETING",
    "RELATED",
    "NOT_RELATED",
    "BASE",
    "OUT_OF_SCOPE",
];
/// Decisions about a pair of PRs (they need `candidatePrNumber`).
const PAIR_DECISIONS: [&str; 5] = [
    "DUPLICATE",
    "SAME_FEATURE",
    "COMPETING",
    "RELATED",
    "NOT_RELATED",
];
/// Longest notes accepted.
const NOTES_MAX: usize = 2000;
/// Largest feedback body accepted.
pub const FEEDBACK_BODY_LIMIT: usize = 16 * 1024;

fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// Records a decision. `headSha`, when given, must be the PR's current head (else 409),
/// so a decision made on a stale page is not applied to a changed PR without `force`.
#[utoipa::path(post, path = "/api/repos/{repoId}/feedback", tag = "dashboard", request_body = FeedbackBody,
    params(("repoId" = i64, Path)), security(("dashboard_token" = [])),
    responses((status = 201, body = FeedbackSaved), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "no DASHBOARD_TOKEN configured", body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "headSha is stale", body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(repo_id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<FeedbackSaved>), ApiError> {
    auth::require_write(&state.config, &headers)?;
    let repo_id = params::repo_id(&repo_id)?;
    let body = params::json_body(&headers, body, FEEDBACK_BODY_LIMIT)?;
    let body: FeedbackBody = serde_json::from_value(body)
        .map_err(|e| unprocessable("invalid_body", format!("invalid feedback: {e}")))?;
    let decision = DECISIONS
        .iter()
        .find(|d| d.eq_ignore_ascii_case(&body.decision))
        .ok_or_else(|| {
            unprocessable(
                "invalid_decision",
                format!("decision must be one of: {}", DECISIONS.join(", ")),
            )
        })?;
    if PAIR_DECISIONS.contains(decision) && body.candidate_pr_number.is_none() {
        return Err(unprocessable(
            "missing_candidate",
            format!("{decision} needs candidatePrNumber"),
        ));
    }
    if *decision == "BASE" && body.base_pr_number.is_none() {
        return Err(unprocessable("missing_base", "BASE needs basePrNumber"));
    }
    if body
        .notes
        .as_ref()
        .is_some_and(|n| n.chars().count() > NOTES_MAX)
    {
        return Err(unprocessable(
            "notes_too_long",
            format!("notes must be at most {NOTES_MAX} characters"),
        ));
    }
    let db = &state.services.db;
    repos::get(db, repo_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no repository with id {repo_id}")))?;
    let find = |number: i32| async move {
        prs::by_number(db, repo_id, number)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("no PR #{number} in this repository")))
    };
    let pr = find(body.pr_number).await?;
    if let Some(head) = &body.head_sha
        && *head != pr.head_sha
        && !body.force
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "stale_head",
            format!(
                "PR #{} is now at {}; reload, or send force: true",
                pr.number, pr.head_sha
            ),
        ));
    }
    let candidate = match body.candidate_pr_number {
        Some(n) if n == pr.number => {
            return Err(unprocessable(
                "invalid_candidate",
                "a PR cannot be paired with itself",
            ));
        }
        Some(n) => Some(find(n).await?),
        None => None,
    };
    let base = match body.base_pr_number {
        Some(n) => Some(find(n).await?),
        None => None,
    };
    let id = feedback::insert(
        db,
        &NewFeedback {
            repo_id,
            pr_id: pr.id,
            head_sha: pr.head_sha.clone(),
            candidate_pr_id: candidate.as_ref().map(|c| c.id),
            candidate_head_sha: candidate.as_ref().map(|c| {
                body.candidate_head_sha
                    .clone()
                    .unwrap_or(c.head_sha.clone())
            }),
            decision: (*decision).to_owned(),
            base_pr_id: base.as_ref().map(|b| b.id),
            notes: body.notes,
            actor: None,
        },
    )
    .await?;
    if let Some(base) = &base {
        sets::apply_confirmed_base(db, base.id).await?;
    }
    tracing::info!(
        repo.id = repo_id,
        pr.number = pr.number,
        decision,
        "Feedback recorded"
    );
    Ok((
        StatusCode::CREATED,
        Json(FeedbackSaved {
            saved: true,
            feedback_id: id,
        }),
    ))
}

/// Decisions involving a PR, on either side of a pair.
#[utoipa::path(get, path = "/api/repos/{repoId}/prs/{number}/feedback", tag = "dashboard",
    params(("repoId" = i64, Path), ("number" = i32, Path)), security((), ("dashboard_token" = [])),
    responses((status = 200, body = FeedbackList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((repo_id, number)): Path<(String, String)>,
) -> Result<Json<FeedbackList>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo_id = params::repo_id(&repo_id)?;
    let number = params::pr_number(&number)?;
    let pr = prs::by_number(&state.services.db, repo_id, number)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no PR #{number} in this repository")))?;
    let items = feedback::for_pr(&state.services.db, pr.id).await?;
    Ok(Json(FeedbackList {
        pr_number: pr.number,
        head_sha: pr.head_sha,
        feedback: items,
    }))
}
