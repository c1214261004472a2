//! Dashboard reads: repositories, the triage queue, PR details, files and candidates.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;

use super::AppState;
use super::auth;
use super::dto::{
    Analysis, Candidate, CandidateList, Channels, ErrorBody, FileList, LandedIn, PrDetail,
    QueueItem, QueuePage, Repo, RepoList, Size, TopSuggestion,
};
use super::error::ApiError;
use super::issues::{link_dtos, scope_dto};
use super::params::{self, QueryParams};
use crate::storage::triage::{QueueCursor, QueueFilter};
use crate::storage::{edges, issue_analysis, prs, repos, sets, triage};

/// Categories an edge can have, strongest first.
pub const CATEGORIES: [&str; 4] = [
    "SAME_CHANGE",
    "SAME_FEATURE",
    "COMPETING_IMPLEMENTATION",
    "RELATED",
];

/// Tracked repositories with their PR counts.
#[utoipa::path(get, path = "/api/repos", tag = "dashboard", security((), ("dashboard_token" = [])),
    responses((status = 200, body = RepoList), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<RepoList>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let rows = repos::list(&state.services.db).await?;
    let summaries: HashMap<i64, triage::RepoSummary> = triage::repo_summaries(&state.services.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let repos = rows
        .into_iter()
        .map(|r| {
            let s = summaries.get(&r.id);
            Repo {
                repo_id: r.id,
                owner: r.owner,
                name: r.name,
                default_branch: r.default_branch,
                is_active: r.is_active,
                html_url: r.html_url,
                open_prs: s.map_or(0, |s| s.open_prs),
                analysed_prs: s.map_or(0, |s| s.analysed_prs),
                failed_prs: s.map_or(0, |s| s.failed_prs),
            }
        })
        .collect();
    Ok(Json(RepoList { repos }))
}

/// The repository named by the path, or 400/404.
pub async fn repo(state: &AppState, raw: &str) -> Result<repos::RepoRow, ApiError> {
    let id = params::repo_id(raw)?;
    repos::get(&state.services.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no repository with id {id}")))
}

/// The PR named by the path, or 400/404.
pub async fn pr(state: &AppState, repo_id: i64, raw: &str) -> Result<prs::PrRow, ApiError> {
    let number = params::pr_number(raw)?;
    prs::by_number(&state.services.db, repo_id, number)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no PR #{number} in this repository")))
}

/// PRs to review, strongest candidate first.
#[utoipa::path(get, path = "/api/repos/{repoId}/triage-queue", tag = "dashboard",
    params(("repoId" = i64, Path), ("state" = Option<String>, Query, description = "OPEN (default), CLOSED or MERGED"),
        ("needsReview" = Option<bool>, Query, description = "default true"),
        ("limit" = Option<i64>, Query, description = "1..=200, default 50"),
        ("cursor" = Option<String>, Query, description = "nextCursor of the previous page")),
    security((), ("dashboard_token" = [])),
    responses((status = 200, body = QueuePage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn triage_queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(repo_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<QueuePage>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let q = QueryParams::new(query, &["state", "needsReview", "limit", "cursor"])?;
    let pr_state = q
        .choice("state", &["OPEN", "CLOSED", "MERGED"], "OPEN")?
        .to_ascii_lowercase();
    let needs_review = q.choice("needsReview", &["true", "false"], "true")? == "true";
    let limit = q.int("limit", 50, 1, 200)?;
    let cursor = q.raw("cursor").map(decode_queue_cursor).transpose()?;
    let threshold = state.config.review_score_threshold;
    let filter = QueueFilter {
        state: &pr_state,
        needs_review,
        review_threshold: threshold,
    };
    let mut rows =
        triage::queue_page(&state.services.db, repo.id, &filter, cursor, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = has_more.then(|| rows.last()).flatten().map(|last| {
        params::encode_cursor(&[
            last.top_score.unwrap_or(-1.0).to_string(),
            last.number.to_string(),
        ])
    });
    let items = rows
        .into_iter()
        .map(|r| QueueItem {
            repo_id: repo.id,
            pr_number: r.number,
            pr_id: r.github_id,
            needs_review: !r.has_feedback && r.top_score.is_some_and(|s| s >= threshold),
            top_suggestion: r.top_number.map(|n| TopSuggestion {
                candidate_pr_number: n,
                category: r.top_category,
                score: r.top_score,
            }),
            head_sha: r.head_sha,
            title: r.title,
            author_login: r.author_login,
            state: r.state.to_ascii_uppercase(),
            updated_at: r.gh_updated_at,
            analysis_status: r.analysis_status,
        })
        .collect();
    Ok(Json(QueuePage { items, next_cursor }))
}

fn decode_queue_cursor(token: &str) -> Result<QueueCursor, ApiError> {
    let parts = params::decode_cursor(token, 2)?;
    let bad =
        || ApiError::bad_request("invalid_cursor", "cursor is not a cursor this API returned");
    Ok(QueueCursor {
        score: parts[0].parse().map_err(|_| bad())?,
        number: parts[1].parse().map_err(|_| bad())?,
    })
}

/// A PR with its analysis state, size, channels, linked issues and scope verdict.
#[utoipa::path(get, path = "/api/repos/{repoId}/prs/{number}", tag = "dashboard",
    params(("repoId" = i64, Path), ("number" = i32, Path)), security((), ("dashboard_token" = [])),
    responses((status = 200, body = PrDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn pr_detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((repo_id, number)): Path<(String, String)>,
) -> Result<Json<PrDetail>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let pr = pr(&state, repo.id, &number).await?;
    let channels: HashMap<String, i64> = triage::channel_counts(&state.services.db, pr.id)
        .await?
        .into_iter()
        .collect();
    let count = |c: &str| channels.get(c).copied().unwrap_or(0);
    let duplicate_set_id = sets::active_set_of(&state.services.db, pr.id).await?;
    let already_landed =
        edges::landed_in(&state.services.db, pr.id)
            .await?
            .map(|(pr_number, category, score)| LandedIn {
                pr_number,
                category,
                score,
            });
    let issue_links = link_dtos(issue_analysis::links_for_pr(&state.services.db, pr.id).await?);
    let scope = issue_analysis::scope_for_pr(&state.services.db, pr.id)
        .await?
        .map(scope_dto);
    Ok(Json(PrDetail {
        repo_id: repo.id,
        pr_number: pr.number,
        pr_id: pr.github_id,
        state: pr.state.to_ascii_uppercase(),
        is_draft: pr.draft,
        title: pr.title,
        body: pr.body,
        author_login: pr.author_login,
        url: pr.html_url,
        base_ref: pr.base_ref,
        base_sha: pr.base_sha,
        head_sha: pr.head_sha,
        created_at: pr.gh_created_at,
        updated_at: pr.gh_updated_at,
        closed_at: pr.closed_at,
        merged_at: pr.merged_at,
        analysis: Analysis {
            status: pr.analysis_status,
            error: pr.analysis_error,
            analysed_head_sha: pr.analysed_head_sha,
        },
        size: Size {
            changed_files: pr.changed_files,
            additions: pr.additions,
            deletions: pr.deletions,
        },
        channels: Channels {
            production_files: count("PRODUCTION"),
            test_files: count("TESTS"),
            doc_files: count("DOCS"),
            meta_files: count("META"),
        },
        duplicate_set_id,
        already_landed,
        issue_links,
        scope,
    }))
}

/// A PR's changed files with their channels.
#[utoipa::path(get, path = "/api/repos/{repoId}/prs/{number}/files", tag = "dashboard",
    params(("repoId" = i64, Path), ("number" = i32, Path)), security((), ("dashboard_token" = [])),
    responses((status = 200, body = FileList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn pr_files(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((repo_id, number)): Path<(String, String)>,
) -> Result<Json<FileList>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let pr = pr(&state, repo.id, &number).await?;
    let files = prs::files(&state.services.db, pr.id).await?;
    Ok(Json(FileList {
        pr_number: pr.number,
        head_sha: pr.analysed_head_sha,
        files,
    }))
}

/// Ranked candidates of a PR; symmetric: a PR lists every PR that found it as well as
/// those it found.
#[utoipa::path(get, path = "/api/repos/{repoId}/prs/{number}/candidates", tag = "dashboard",
    params(("repoId" = i64, Path), ("number" = i32, Path),
        ("limit" = Option<i64>, Query, description = "1..=50, default 10"),
        ("minScore" = Option<f64>, Query, description = "0..=1"),
        ("includeCategories" = Option<String>, Query, description = "comma-separated categories")),
    security((), ("dashboard_token" = [])),
    responses((status = 200, body = CandidateList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn pr_candidates(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((repo_id, number)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<CandidateList>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let pr = pr(&state, repo.id, &number).await?;
    let q = QueryParams::new(query, &["limit", "minScore", "includeCategories"])?;
    let limit = q.int("limit", 10, 1, 50)? as usize;
    let min_score = q.unit("minScore")?.unwrap_or(0.0);
    let categories = q.subset("includeCategories", &CATEGORIES)?;
    let candidates = edges::for_pr(&state.services.db, pr.id)
        .await?
        .into_iter()
        .filter(|e| e.final_score >= min_score && categories.contains(&e.category.as_str()))
        .take(limit)
        .enumerate()
        .map(|(i, e)| Candidate {
            rank: i + 1,
            candidate_pr_number: e.other_number,
            candidate_head_sha: e.other_head_sha,
            candidate_state: e.other_state.to_ascii_uppercase(),
            candidate_title: e.other_title,
            category: e.category,
            final_score: e.final_score,
            scores: e.scores,
            evidence: e.evidence,
            evidence_side: if e.is_low { "a" } else { "b" },
        })
        .collect();
    Ok(Json(CandidateList {
        pr_number: pr.number,
        head_sha: pr.head_sha,
        candidates,
    }))
}
