//! Duplicate sets: the dashboard's first view.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;

use super::AppState;
use super::auth;
use super::dto::{DuplicateSet, DuplicateSetPage, ErrorBody, SetEdge, SetMember, SuggestedBase};
use super::error::ApiError;
use super::params::{self, QueryParams};
use super::repos::repo;
use crate::storage::feedback;
use crate::storage::sets::{self, SetCursor, SetFilter, SetRow};

use crate::scan::sets::SET_CATEGORIES;

/// Edges shown per set in the list; the set's own page shows more.
const LIST_EDGES_PER_SET: i64 = 3;
const DETAIL_EDGES: i64 = 100;

/// Duplicate sets of a repository, strongest first.
#[utoipa::path(get, path = "/api/repos/{repoId}/duplicate-sets", tag = "dashboard",
    params(("repoId" = i64, Path),
        ("state" = Option<String>, Query, description = "OPEN (current sets, default), CLOSED (history) or ALL"),
        ("minScore" = Option<f64>, Query, description = "0..=1, strongest edge at least this"),
        ("includeCategories" = Option<String>, Query, description = "comma-separated: SAME_CHANGE, SAME_FEATURE, COMPETING_IMPLEMENTATION"),
        ("limit" = Option<i64>, Query, description = "1..=100, default 25"),
        ("cursor" = Option<String>, Query, description = "nextCursor of the previous page")),
    security((), ("dashboard_token" = [])),
    responses((status = 200, body = DuplicateSetPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(repo_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<DuplicateSetPage>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let q = QueryParams::new(
        query,
        &["state", "minScore", "includeCategories", "limit", "cursor"],
    )?;
    let active = match q.choice("state", &["OPEN", "CLOSED", "ALL"], "OPEN")? {
        "OPEN" => Some(true),
        "CLOSED" => Some(false),
        _ => None,
    };
    let min_score = q.unit("minScore")?.unwrap_or(0.0);
    let categories = q.subset("includeCategories", &SET_CATEGORIES)?;
    if categories.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            "includeCategories must name at least one category",
        ));
    }
    let limit = q.int("limit", 25, 1, 100)?;
    let cursor = q.raw("cursor").map(decode_set_cursor).transpose()?;
    let filter = SetFilter {
        active,
        min_score,
        categories: &categories,
    };
    let db = &state.services.db;
    let mut rows = sets::page(db, repo.id, &filter, cursor, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = has_more
        .then(|| rows.last())
        .flatten()
        .map(|last| params::encode_cursor(&[last.max_score.to_string(), last.id.to_string()]));
    let sets = assemble(&state, rows, LIST_EDGES_PER_SET).await?;
    Ok(Json(DuplicateSetPage { sets, next_cursor }))
}

/// One duplicate set with every edge between its members.
#[utoipa::path(get, path = "/api/repos/{repoId}/duplicate-sets/{setId}", tag = "dashboard",
    params(("repoId" = i64, Path), ("setId" = i64, Path)),
    security((), ("dashboard_token" = [])),
    responses((status = 200, body = DuplicateSet), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((repo_id, set_id)): Path<(String, String)>,
) -> Result<Json<DuplicateSet>, ApiError> {
    auth::require_read(&state.config, &headers)?;
    let repo = repo(&state, &repo_id).await?;
    let set_id = set_id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::bad_request("invalid_set_id", "setId must be a positive whole number")
        })?;
    let row = sets::get(&state.services.db, repo.id, set_id)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("no duplicate set {set_id} in this repository"))
        })?;
    let mut sets = assemble(&state, vec![row], DETAIL_EDGES).await?;
    let mut set = sets
        .pop()
        .ok_or_else(|| ApiError::not_found(format!("no duplicate set {set_id}")))?;
    set.feedback = Some(feedback::for_set(&state.services.db, set_id).await?);
    Ok(Json(set))
}

/// Loads members and edges of all `rows` in two queries.
async fn assemble(
    state: &AppState,
    rows: Vec<SetRow>,
    edges_per_set: i64,
) -> Result<Vec<DuplicateSet>, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let db = &state.services.db;
    let mut members: HashMap<i64, Vec<SetMember>> = HashMap::new();
    for m in sets::members(db, &ids).await? {
        members.entry(m.set_id).or_default().push(SetMember {
            pr_number: m.number,
            title: m.title,
            author_login: m.author_login,
            state: m.state.to_ascii_uppercase(),
            url: m.html_url,
            created_at: m.gh_created_at,
            is_base: m.is_base,
        });
    }
    let mut edges: HashMap<i64, Vec<SetEdge>> = HashMap::new();
    for e in sets::strongest_edges(db, &ids, edges_per_set).await? {
        edges.entry(e.set_id).or_default().push(SetEdge {
            a: e.number_a,
            b: e.number_b,
            category: e.category,
            final_score: e.final_score,
            scores: e.scores,
            evidence: e.evidence,
        });
    }
    Ok(rows
        .into_iter()
        .map(|r| DuplicateSet {
            set_id: r.id,
            state: if r.active { "OPEN" } else { "CLOSED" }.to_owned(),
            categories: r.categories,
            max_score: r.max_score,
            member_count: r.member_count,
            suggested_base: r.base_number.map(|n| SuggestedBase {
                pr_number: n,
                reason: r.base_reason,
            }),
            members: members.remove(&r.id).unwrap_or_default(),
            edges: edges.remove(&r.id).unwrap_or_default(),
            feedback: None,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}

fn decode_set_cursor(token: &str) -> Result<SetCursor, ApiError> {
    let parts = params::decode_cursor(token, 2)?;
    let bad =
        || ApiError::bad_request("invalid_cursor", "cursor is not a cursor this API returned");
    Ok(SetCursor {
        max_score: parts[0].parse().map_err(|_| bad())?,
        id: parts[1].parse().map_err(|_| bad())?,
    })
}
