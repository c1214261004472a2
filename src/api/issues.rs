//! Dashboard reads over issues (issue 10): the issue list with duplicate groups first,
//! one issue with its duplicates, related issues and linked PRs, and the scope assist's
//! verdicts on the open PRs.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;

use super::AppState;
use super::auth;
use super::dto::{
    ErrorBody, IssueDetail, IssueItem, IssueLink, IssuePage, IssueRelation, ScopeCounts, ScopeItem,
    ScopePage, ScopeVerdict, VisionDocument,
};
use super::error::ApiError;
use super::params::{self, QueryParams};
use super::repos::repo;
use crate::storage::issue_analysis::{self, LinkView, ScopeRow};
use crate::storage::issue_views::{self, IssueCursor, IssueFilter, ScopeCursor, VERDICTS};
use crate::storage::{documents, issues};

/// Verdicts the scope page lists unless told otherwise: the ones a maintainer acts on.
const DEFAULT_VERDICTS: [&str; 2] = ["OUT_OF_SCOPE", "UNCERTAIN"];

/// Issues of a repository: those with a duplicate first, then the rest, newest first
/// within each.
#[utoipa::path(get, path = "/api/repos/{repoId}/issues", tag = "dashboard",
    params(("repoId" = i64, Path),
        ("state" = Option<String>, Query, description = "OPEN (default), CLOSED or ALL (any case)"),
        ("duplicates" = Option<bool>, Query, description = "true: only issues with at least one DUPLICATE; default false"),
        ("limit" = Option<i64>, Query, description = "1..=200, default 50"),
        ("cursor" = Option<String>, Query, description = "nextCursor of the previous page")),
    security((), ("dashboard_token" = [])),
    responses((status = 200, body = IssuePage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(repo_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<IssuePage>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let q = QueryParams::new(query, &["state", "duplicates", "limit", "cursor"])?;
    let issue_state = match q.choice("state", &["OPEN", "CLOSED", "ALL"], "OPEN")? {
        "OPEN" => Some("open"),
        "CLOSED" => Some("closed"),
        _ => None,
    };
    let duplicates_only = q.choice("duplicates", &["true", "false"], "false")? == "true";
    let limit = q.int("limit", 50, 1, 200)?;
    let cursor = q.raw("cursor").map(decode_issue_cursor).transpose()?;
    let filter = IssueFilter {
        state: issue_state,
        duplicates_only,
    };
    let mut rows =
        issue_views::issue_page(&state.services.db, repo.id, &filter, cursor, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = has_more.then(|| rows.last()).flatten().map(|last| {
        params::encode_cursor(&[last.has_duplicates.to_string(), last.number.to_string()])
    });
    let items = rows
        .into_iter()
        .map(|r| IssueItem {
            issue_number: r.number,
            title: r.title,
            state: r.state.to_ascii_uppercase(),
            state_reason: r.state_reason,
            labels: r.labels,
            author_login: r.author_login,
            created_at: r.gh_created_at,
            html_url: r.html_url,
            analysis_status: r.analysis_status,
            duplicate_count: r.duplicates.len(),
            duplicates: r.duplicates,
            related_count: r.related_count,
            linked_pr_count: r.linked_pr_count,
        })
        .collect();
    Ok(Json(IssuePage { items, next_cursor }))
}

fn decode_issue_cursor(token: &str) -> Result<IssueCursor, ApiError> {
    let parts = params::decode_cursor(token, 2)?;
    let bad =
        || ApiError::bad_request("invalid_cursor", "cursor is not a cursor this API returned");
    Ok(IssueCursor {
        has_duplicates: parts[0].parse().map_err(|_| bad())?,
        number: parts[1].parse().map_err(|_| bad())?,
    })
}

/// One issue with its text, its duplicates and related issues (with scores and
/// evidence), and the PRs linked to it.
#[utoipa::path(get, path = "/api/repos/{repoId}/issues/{number}", tag = "dashboard",
    params(("repoId" = i64, Path), ("number" = i32, Path)), security((), ("dashboard_token" = [])),
    responses((status = 200, body = IssueDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((repo_id, number)): Path<(String, String)>,
) -> Result<Json<IssueDetail>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let number = issue_number(&number)?;
    let db = &state.services.db;
    let issue = issues::by_number(db, repo.id, number)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no issue #{number} in this repository")))?;
    let (duplicates, related) = issue_analysis::edges_for_issue(db, issue.id)
        .await?
        .into_iter()
        .map(|e| IssueRelation {
            issue_number: e.other_number,
            title: e.other_title,
            state: e.other_state.to_ascii_uppercase(),
            category: e.category,
            score: e.score,
            scores: e.scores,
            evidence: e.evidence,
        })
        .partition(|r| r.category == "DUPLICATE");
    let linked_prs = link_dtos(issue_analysis::links_for_issue(db, issue.id).await?);
    Ok(Json(IssueDetail {
        repo_id: repo.id,
        issue_number: issue.number,
        state: issue.state.to_ascii_uppercase(),
        state_reason: issue.state_reason,
        title: issue.title,
        body: issue.body,
        author_login: issue.author_login,
        labels: issue.labels,
        html_url: issue.html_url,
        comments: issue.comments,
        created_at: issue.gh_created_at,
        updated_at: issue.gh_updated_at,
        closed_at: issue.closed_at,
        analysis_status: issue.analysis_status,
        duplicates,
        related,
        linked_prs,
    }))
}

/// An issue number from the path.
fn issue_number(raw: &str) -> Result<i32, ApiError> {
    raw.parse::<i32>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_issue_number",
            "the issue number must be a positive whole number",
        )
    })
}

/// Open PRs with their scope verdict (advisory: nothing is acted on automatically),
/// out of scope first, then uncertain, then in scope; most confident first within each.
#[utoipa::path(get, path = "/api/repos/{repoId}/scope", tag = "dashboard",
    params(("repoId" = i64, Path),
        ("verdict" = Option<String>, Query,
            description = "comma-separated: OUT_OF_SCOPE, UNCERTAIN, IN_SCOPE; default OUT_OF_SCOPE,UNCERTAIN (what needs a maintainer)"),
        ("limit" = Option<i64>, Query, description = "1..=200, default 50"),
        ("cursor" = Option<String>, Query, description = "nextCursor of the previous page")),
    security((), ("dashboard_token" = [])),
    responses((status = 200, body = ScopePage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn scope(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(repo_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<ScopePage>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let q = QueryParams::new(query, &["verdict", "limit", "cursor"])?;
    let verdicts = match q.raw("verdict") {
        None => DEFAULT_VERDICTS.to_vec(),
        Some(_) => q.subset("verdict", &VERDICTS)?,
    };
    if verdicts.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            "verdict must name at least one verdict",
        ));
    }
    let limit = q.int("limit", 50, 1, 200)?;
    let cursor = q.raw("cursor").map(decode_scope_cursor).transpose()?;
    let db = &state.services.db;
    let mut rows = issue_views::scope_page(db, repo.id, &verdicts, cursor, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = has_more.then(|| rows.last()).flatten().map(|last| {
        params::encode_cursor(&[
            last.rank.to_string(),
            last.confidence.to_string(),
            last.number.to_string(),
        ])
    });
    let vision_path = state.config.vision_path.clone();
    let document = documents::get(db, repo.id, &vision_path).await?;
    let mut counts = ScopeCounts {
        out_of_scope: 0,
        uncertain: 0,
        in_scope: 0,
        not_judged: 0,
    };
    for (verdict, n) in issue_views::scope_counts(db, repo.id).await? {
        match verdict.as_deref() {
            Some("OUT_OF_SCOPE") => counts.out_of_scope += n,
            Some("UNCERTAIN") => counts.uncertain += n,
            Some("IN_SCOPE") => counts.in_scope += n,
            _ => counts.not_judged += n,
        }
    }
    let items = rows
        .into_iter()
        .map(|r| ScopeItem {
            pr_number: r.number,
            title: r.title,
            author_login: r.author_login,
            head_sha: r.head_sha,
            updated_at: r.gh_updated_at,
            verdict: r.verdict,
            confidence: r.confidence,
            reasons: r.reasons,
        })
        .collect();
    Ok(Json(ScopePage {
        vision: VisionDocument {
            path: vision_path,
            present: document.is_some(),
            fetched_at: document.map(|d| d.fetched_at),
        },
        counts,
        items,
        next_cursor,
    }))
}

fn decode_scope_cursor(token: &str) -> Result<ScopeCursor, ApiError> {
    let parts = params::decode_cursor(token, 3)?;
    let bad =
        || ApiError::bad_request("invalid_cursor", "cursor is not a cursor this API returned");
    let confidence: f64 = parts[1].parse().map_err(|_| bad())?;
    if !confidence.is_finite() {
        return Err(bad());
    }
    Ok(ScopeCursor {
        rank: parts[0].parse().map_err(|_| bad())?,
        confidence,
        number: parts[2].parse().map_err(|_| bad())?,
    })
}

/// Links as the API shows them (PR detail and issue detail share the shape).
pub fn link_dtos(links: Vec<LinkView>) -> Vec<IssueLink> {
    links
        .into_iter()
        .map(|l| IssueLink {
            pr_number: l.pr_number,
            pr_title: l.pr_title,
            pr_state: l.pr_state.to_ascii_uppercase(),
            issue_number: l.issue_number,
            issue_title: l.issue_title,
            issue_state: l.issue_state.to_ascii_uppercase(),
            kind: l.kind,
            score: l.score,
            evidence: l.evidence,
        })
        .collect()
}

/// A stored scope verdict as the API shows it.
pub fn scope_dto(row: ScopeRow) -> ScopeVerdict {
    ScopeVerdict {
        verdict: row.verdict,
        confidence: row.confidence,
        reasons: row.reasons,
    }
}
