//! Dashboard reads: repositories, the triage queue, PR details, files and candidates.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::AppState;
use super::auth;
use super::error::ApiError;
use super::params::{self, QueryParams};
use crate::storage::triage::{QueueCursor, QueueFilter};
use crate::storage::{edges, prs, repos, triage};

/// Categories an edge can have, strongest first.
pub const CATEGORIES: [&str; 4] = [
    "SAME_CHANGE",
    "SAME_FEATURE",
    "COMPETING_IMPLEMENTATION",
    "RELATED",
];

/// `GET /api/repos`.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let rows = repos::list(&state.services.db).await?;
    let summaries: HashMap<i64, triage::RepoSummary> = triage::repo_summaries(&state.services.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let repos: Vec<Value> = rows
        .iter()
        .map(|r| {
            let s = summaries.get(&r.id);
            json!({
                "repoId": r.id, "owner": r.owner, "name": r.name, "defaultBranch": r.default_branch,
                "isActive": r.is_active, "htmlUrl": r.html_url,
                "openPrs": s.map_or(0, |s| s.open_prs),
                "analysedPrs": s.map_or(0, |s| s.analysed_prs),
                "failedPrs": s.map_or(0, |s| s.failed_prs),
            })
        })
        .collect();
    Ok(Json(json!({ "repos": repos })))
}

async fn repo(state: &AppState, raw: &str) -> Result<repos::RepoRow, ApiError> {
    let id = params::repo_id(raw)?;
    repos::get(&state.services.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no repository with id {id}")))
}

async fn pr(state: &AppState, repo_id: i64, raw: &str) -> Result<prs::PrRow, ApiError> {
    let number = params::pr_number(raw)?;
    prs::by_number(&state.services.db, repo_id, number)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no PR #{number} in this repository")))
}

/// `GET /api/repos/{repoId}/triage-queue`.
pub async fn triage_queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(repo_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let q = QueryParams::new(query, &["state", "needsReview", "limit", "cursor"])?;
    let pr_state = q
        .choice("state", &["OPEN", "CLOSED", "MERGED"], "OPEN")?
        .to_ascii_lowercase();
    let needs_review = q.choice("needsReview", &["true", "false"], "true")? == "true";
    let limit = q.int("limit", 50, 1, 200)?;
    let cursor = q
        .raw("cursor")
        .map(|token| {
            let parts = params::decode_cursor(token, 2)?;
            let bad = || {
                ApiError::bad_request("invalid_cursor", "cursor is not a cursor this API returned")
            };
            Ok::<_, ApiError>(QueueCursor {
                score: parts[0].parse().map_err(|_| bad())?,
                number: parts[1].parse().map_err(|_| bad())?,
            })
        })
        .transpose()?;
    let filter = QueueFilter {
        state: &pr_state,
        needs_review,
        review_threshold: state.config.review_score_threshold,
    };
    let rows = triage::queue_page(&state.services.db, repo.id, &filter, cursor, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let next_cursor = has_more.then(|| page.last()).flatten().map(|last| {
        params::encode_cursor(&[
            last.top_score.unwrap_or(-1.0).to_string(),
            last.number.to_string(),
        ])
    });
    let items: Vec<Value> = page
        .iter()
        .map(|r| {
            json!({
                "repoId": repo.id, "prNumber": r.number, "prId": r.github_id, "headSha": r.head_sha,
                "title": r.title, "authorLogin": r.author_login, "state": r.state.to_ascii_uppercase(),
                "updatedAt": r.gh_updated_at, "analysisStatus": r.analysis_status,
                "topSuggestion": r.top_number.map(|n| json!({
                    "candidatePrNumber": n, "category": r.top_category, "score": r.top_score,
                })),
                "needsReview": !r.has_feedback
                    && r.top_score.is_some_and(|s| s >= state.config.review_score_threshold),
            })
        })
        .collect();
    Ok(Json(json!({ "items": items, "nextCursor": next_cursor })))
}

/// `GET /api/repos/{repoId}/prs/{n}`.
pub async fn pr_detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((repo_id, number)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let pr = pr(&state, repo.id, &number).await?;
    let channels: HashMap<String, i64> = triage::channel_counts(&state.services.db, pr.id)
        .await?
        .into_iter()
        .collect();
    let count = |c: &str| channels.get(c).copied().unwrap_or(0);
    Ok(Json(json!({
        "repoId": repo.id, "prNumber": pr.number, "prId": pr.github_id, "state": pr.state.to_ascii_uppercase(),
        "isDraft": pr.draft, "title": pr.title, "body": pr.body, "authorLogin": pr.author_login,
        "url": pr.html_url, "baseRef": pr.base_ref, "baseSha": pr.base_sha, "headSha": pr.head_sha,
        "createdAt": pr.gh_created_at, "updatedAt": pr.gh_updated_at, "closedAt": pr.closed_at,
        "mergedAt": pr.merged_at,
        "analysis": {
            "status": pr.analysis_status, "error": pr.analysis_error, "analysedHeadSha": pr.analysed_head_sha,
        },
        "size": { "changedFiles": pr.changed_files, "additions": pr.additions, "deletions": pr.deletions },
        "channels": {
            "productionFiles": count("PRODUCTION"), "testFiles": count("TESTS"),
            "docFiles": count("DOCS"), "metaFiles": count("META"),
        },
    })))
}

/// `GET /api/repos/{repoId}/prs/{n}/files`.
pub async fn pr_files(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((repo_id, number)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let pr = pr(&state, repo.id, &number).await?;
    let files = prs::files(&state.services.db, pr.id).await?;
    Ok(Json(
        json!({ "prNumber": pr.number, "headSha": pr.analysed_head_sha, "files": files }),
    ))
}

/// `GET /api/repos/{repoId}/prs/{n}/candidates`: ranked, symmetric (a PR lists every
/// PR that found it as well as those it found).
pub async fn pr_candidates(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((repo_id, number)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let pr = pr(&state, repo.id, &number).await?;
    let q = QueryParams::new(query, &["limit", "minScore", "includeCategories"])?;
    let limit = q.int("limit", 10, 1, 50)? as usize;
    let min_score = q.unit("minScore")?.unwrap_or(0.0);
    let categories = q.subset("includeCategories", &CATEGORIES)?;
    let candidates: Vec<Value> = edges::for_pr(&state.services.db, pr.id)
        .await?
        .into_iter()
        .filter(|e| e.final_score >= min_score && categories.contains(&e.category.as_str()))
        .take(limit)
        .enumerate()
        .map(|(i, e)| {
            json!({
                "rank": i + 1, "candidatePrNumber": e.other_number, "candidateHeadSha": e.other_head_sha,
                "candidateState": e.other_state.to_ascii_uppercase(), "candidateTitle": e.other_title,
                "category": e.category, "finalScore": e.final_score, "scores": e.scores,
                "evidence": e.evidence, "evidenceSide": if e.is_low { "a" } else { "b" },
            })
        })
        .collect();
    Ok(Json(
        json!({ "prNumber": pr.number, "headSha": pr.head_sha, "candidates": candidates }),
    ))
}
