//! Read models for the dashboard: repository summaries, the triage queue, PR channels.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// A repository with its PR counts.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RepoSummary {
    /// Repository id.
    pub id: i64,
    /// Open PRs.
    pub open_prs: i64,
    /// Open PRs analysed at their current head.
    pub analysed_prs: i64,
    /// Open PRs whose analysis failed.
    pub failed_prs: i64,
}

/// PR counts per repository.
pub async fn repo_summaries(db: impl PgExecutor<'_>) -> Result<Vec<RepoSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id,
                count(p.id) FILTER (WHERE p.state = 'open') AS open_prs,
                count(p.id) FILTER (WHERE p.state = 'open' AND p.analysis_status IN ('ANALYSED', 'DEGRADED')) AS analysed_prs,
                count(p.id) FILTER (WHERE p.state = 'open' AND p.analysis_status = 'FAILED') AS failed_prs
         FROM repositories r LEFT JOIN pull_requests p ON p.repo_id = r.id
         GROUP BY r.id",
    )
    .fetch_all(db)
    .await
}

/// Files per channel of a PR's stored head.
pub async fn channel_counts(
    db: impl PgExecutor<'_>,
    pr_id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT channel, count(*) FROM pr_files WHERE pr_id = $1 GROUP BY channel")
        .bind(pr_id)
        .fetch_all(db)
        .await
}

/// One row of the triage queue: a PR and its strongest current candidate.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct QueueRow {
    /// PR id.
    pub id: i64,
    /// Number.
    pub number: i32,
    /// GitHub id.
    pub github_id: i64,
    /// Head.
    pub head_sha: String,
    /// Title.
    pub title: String,
    /// Author.
    pub author_login: Option<String>,
    /// State.
    pub state: String,
    /// Updated on GitHub.
    pub gh_updated_at: Option<DateTime<Utc>>,
    /// Analysis status.
    pub analysis_status: String,
    /// Strongest candidate's number.
    pub top_number: Option<i32>,
    /// Its category.
    pub top_category: Option<String>,
    /// Its score.
    pub top_score: Option<f64>,
    /// Whether a maintainer gave feedback on this head.
    pub has_feedback: bool,
}

/// Position in the queue's order (strongest candidate first, then PR number).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueCursor {
    /// Score of the last row seen (-1 for none).
    pub score: f64,
    /// Number of the last row seen.
    pub number: i32,
}

/// Filters of the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueFilter<'a> {
    /// open / closed / merged.
    pub state: &'a str,
    /// Only PRs with a candidate at or above `review_threshold` and no feedback yet.
    pub needs_review: bool,
    /// The review threshold.
    pub review_threshold: f64,
}

/// A page of the triage queue, after `cursor`.
pub async fn queue_page(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    filter: &QueueFilter<'_>,
    cursor: Option<QueueCursor>,
    limit: i64,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    sqlx::query_as(
        "WITH q AS (
             SELECT p.id, p.number, p.github_id, p.head_sha, p.title, p.author_login, p.state, p.gh_updated_at,
                    p.analysis_status, top.other_number AS top_number, top.category AS top_category,
                    top.final_score AS top_score,
                    EXISTS (SELECT 1 FROM feedback f WHERE f.pr_id = p.id AND f.head_sha = p.head_sha) AS has_feedback
             FROM pull_requests p
             LEFT JOIN LATERAL (
                 SELECT o.number AS other_number, e.category, e.final_score
                 FROM candidate_edges e
                 JOIN pull_requests o ON o.id = CASE WHEN e.pr_low = p.id THEN e.pr_high ELSE e.pr_low END
                 WHERE ((e.pr_low = p.id AND e.head_low = p.head_sha AND e.head_high = o.head_sha)
                     OR (e.pr_high = p.id AND e.head_high = p.head_sha AND e.head_low = o.head_sha))
                 ORDER BY e.final_score DESC, o.number
                 LIMIT 1
             ) top ON true
             WHERE p.repo_id = $1 AND p.state = $2
         )
         SELECT * FROM q
         WHERE (NOT $3 OR (COALESCE(top_score, -1) >= $4 AND NOT has_feedback))
           AND ($5::float8 IS NULL OR COALESCE(top_score, -1) < $5
                OR (COALESCE(top_score, -1) = $5 AND number > $6))
         ORDER BY COALESCE(top_score, -1) DESC, number
         LIMIT $7",
    )
    .bind(repo_id)
    .bind(filter.state)
    .bind(filter.needs_review)
    .bind(filter.review_threshold)
    .bind(cursor.map(|c| c.score))
    .bind(cursor.map_or(0, |c| c.number))
    .bind(limit)
    .fetch_all(db)
    .await
}
