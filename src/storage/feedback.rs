//! Maintainer decisions on PRs and pairs.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

/// A decision to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    /// Repository.
    pub repo_id: i64,
    /// The PR the decision is about.
    pub pr_id: i64,
    /// Its head when decided.
    pub head_sha: String,
    /// The other PR, for pair decisions.
    pub candidate_pr_id: Option<i64>,
    /// Its head when decided.
    pub candidate_head_sha: Option<String>,
    /// DUPLICATE / SAME_FEATURE / COMPETING / RELATED / NOT_RELATED / BASE / OUT_OF_SCOPE.
    pub decision: String,
    /// The base the maintainer picked.
    pub base_pr_id: Option<i64>,
    /// Free text.
    pub notes: Option<String>,
    /// Who decided (when known).
    pub actor: Option<String>,
}

/// Stores a decision; returns its id.
pub async fn insert(db: impl PgExecutor<'_>, feedback: &NewFeedback) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO feedback (id, repo_id, pr_id, head_sha, candidate_pr_id, candidate_head_sha, decision,
                               base_pr_id, notes, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(feedback.repo_id)
    .bind(feedback.pr_id)
    .bind(&feedback.head_sha)
    .bind(feedback.candidate_pr_id)
    .bind(&feedback.candidate_head_sha)
    .bind(&feedback.decision)
    .bind(feedback.base_pr_id)
    .bind(&feedback.notes)
    .bind(&feedback.actor)
    .execute(db)
    .await?;
    Ok(id)
}

/// A stored decision, seen from the API.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackView {
    /// Id.
    pub id: Uuid,
    /// PR number.
    pub pr_number: i32,
    /// Its head when decided.
    pub head_sha: String,
    /// Other PR's number.
    pub candidate_pr_number: Option<i32>,
    /// Its head when decided.
    pub candidate_head_sha: Option<String>,
    /// Decision.
    pub decision: String,
    /// Base picked.
    pub base_pr_number: Option<i32>,
    /// Notes.
    pub notes: Option<String>,
    /// Who decided.
    pub actor_login: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A decision with the PR numbers people know it by.
const VIEW_SELECT: &str = "SELECT f.id, p.number AS pr_number, f.head_sha, c.number AS candidate_pr_number, f.candidate_head_sha,
                f.decision, b.number AS base_pr_number, f.notes, f.actor AS actor_login, f.created_at
         FROM feedback f
         JOIN pull_requests p ON p.id = f.pr_id
         LEFT JOIN pull_requests c ON c.id = f.candidate_pr_id
         LEFT JOIN pull_requests b ON b.id = f.base_pr_id";

/// Decisions that involve `pr_id` on either side, newest first.
pub async fn for_pr(db: impl PgExecutor<'_>, pr_id: i64) -> Result<Vec<FeedbackView>, sqlx::Error> {
    let sql = format!(
        "{VIEW_SELECT}
         WHERE f.pr_id = $1 OR f.candidate_pr_id = $1
         ORDER BY f.created_at DESC"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(pr_id)
        .fetch_all(db)
        .await
}

/// Decisions involving any member of a duplicate set, newest first.
pub async fn for_set(
    db: impl PgExecutor<'_>,
    set_id: i64,
) -> Result<Vec<FeedbackView>, sqlx::Error> {
    let sql = format!(
        "{VIEW_SELECT}
         WHERE f.pr_id IN (SELECT pr_id FROM duplicate_set_members WHERE set_id = $1)
            OR f.candidate_pr_id IN (SELECT pr_id FROM duplicate_set_members WHERE set_id = $1)
         ORDER BY f.created_at DESC
         LIMIT 200"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(set_id)
        .fetch_all(db)
        .await
}

/// Pairs (low id, high id) a maintainer marked NOT_RELATED while both sides were at the
/// heads they have now, so later analyses keep them apart.
pub async fn suppressed_pairs(
    db: impl PgExecutor<'_>,
    repo_id: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT LEAST(f.pr_id, f.candidate_pr_id), GREATEST(f.pr_id, f.candidate_pr_id)
         FROM feedback f
         WHERE f.repo_id = $1 AND f.decision = 'NOT_RELATED' AND f.candidate_pr_id IS NOT NULL",
    )
    .bind(repo_id)
    .fetch_all(db)
    .await
}
