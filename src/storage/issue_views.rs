//! Dashboard reads over issues and what the issue engine derived from them: the issue
//! list with its duplicate, related and linked-PR counts, and the scope verdicts of the
//! open PRs. The single-row reads (an issue's edges, a PR's links and scope) live in
//! [`super::issue_analysis`].

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// Which issues a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssueFilter<'a> {
    /// `open` / `closed`, or `None` for both.
    pub state: Option<&'a str>,
    /// Only issues with at least one DUPLICATE edge.
    pub duplicates_only: bool,
}

/// Where the previous page of issues ended (the order is `has_duplicates DESC, number DESC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssueCursor {
    /// Whether the last issue shown had a duplicate.
    pub has_duplicates: bool,
    /// Its number.
    pub number: i32,
}

/// An issue with what the engine found about it, for the list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IssueListRow {
    /// Our id.
    pub id: i64,
    /// Number.
    pub number: i32,
    /// Title.
    pub title: String,
    /// open / closed.
    pub state: String,
    /// completed / not_planned / duplicate / reopened.
    pub state_reason: Option<String>,
    /// Label names.
    pub labels: Vec<String>,
    /// Author.
    pub author_login: Option<String>,
    /// Opened on GitHub.
    pub gh_created_at: Option<DateTime<Utc>>,
    /// Web URL.
    pub html_url: Option<String>,
    /// PENDING / ANALYSED / DEGRADED / FAILED.
    pub analysis_status: String,
    /// Numbers of the issues it duplicates (DUPLICATE edges), ascending.
    pub duplicates: Vec<i32>,
    /// RELATED edges.
    pub related_count: i64,
    /// PRs linked to it (any kind).
    pub linked_pr_count: i64,
    /// Whether `duplicates` is not empty (the first sort key).
    pub has_duplicates: bool,
}

/// A page of the issues of `repo_id`: those with a duplicate first, then the rest,
/// newest (highest number) first within each, after `cursor`.
pub async fn issue_page(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    filter: &IssueFilter<'_>,
    cursor: Option<IssueCursor>,
    limit: i64,
) -> Result<Vec<IssueListRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT * FROM (
             SELECT i.id, i.number, i.title, i.state, i.state_reason, i.labels, i.author_login,
                    i.gh_created_at, i.html_url, i.analysis_status,
                    COALESCE(e.duplicates, '{}') AS duplicates,
                    COALESCE(e.related_count, 0) AS related_count,
                    COALESCE(l.linked_pr_count, 0) AS linked_pr_count,
                    COALESCE(cardinality(e.duplicates), 0) > 0 AS has_duplicates
             FROM issues i
             LEFT JOIN LATERAL (
                 SELECT array_agg(o.number ORDER BY o.number) FILTER (WHERE x.category = 'DUPLICATE')
                            AS duplicates,
                        count(*) FILTER (WHERE x.category <> 'DUPLICATE') AS related_count
                 FROM issue_edges x
                 JOIN issues o ON o.id = CASE WHEN x.issue_low = i.id THEN x.issue_high ELSE x.issue_low END
                 WHERE x.issue_low = i.id OR x.issue_high = i.id
             ) e ON true
             LEFT JOIN LATERAL (
                 SELECT count(*) AS linked_pr_count FROM pr_issue_links k WHERE k.issue_id = i.id
             ) l ON true
             WHERE i.repo_id = $1 AND ($2::text IS NULL OR i.state = $2)
         ) v
         WHERE (NOT $3 OR v.has_duplicates)
           AND ($4::bool IS NULL OR (v.has_duplicates, v.number) < ($4::bool, $5::int))
         ORDER BY v.has_duplicates DESC, v.number DESC
         LIMIT $6",
    )
    .bind(repo_id)
    .bind(filter.state)
    .bind(filter.duplicates_only)
    .bind(cursor.map(|c| c.has_duplicates))
    .bind(cursor.map_or(0, |c| c.number))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Scope verdicts, most actionable first.
pub const VERDICTS: [&str; 3] = ["OUT_OF_SCOPE", "UNCERTAIN", "IN_SCOPE"];

/// Where the previous page of scope verdicts ended (the order is verdict as in
/// [`VERDICTS`], confidence descending, number ascending).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScopeCursor {
    /// Position of the last verdict shown in [`VERDICTS`].
    pub rank: i32,
    /// Its confidence.
    pub confidence: f64,
    /// Its PR number.
    pub number: i32,
}

/// An open PR with its scope verdict at its current head.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ScopeListRow {
    /// PR number.
    pub number: i32,
    /// Title.
    pub title: String,
    /// Author.
    pub author_login: Option<String>,
    /// Head judged (the current one).
    pub head_sha: String,
    /// Updated on GitHub.
    pub gh_updated_at: Option<DateTime<Utc>>,
    /// IN_SCOPE, OUT_OF_SCOPE or UNCERTAIN.
    pub verdict: String,
    /// Position of the verdict in [`VERDICTS`].
    pub rank: i32,
    /// Confidence.
    pub confidence: f64,
    /// Reasons (JSON array of the engine's `ScopeReason`).
    pub reasons: serde_json::Value,
}

/// A page of the open PRs of `repo_id` whose verdict is one of `verdicts`.
pub async fn scope_page(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    verdicts: &[&str],
    cursor: Option<ScopeCursor>,
    limit: i64,
) -> Result<Vec<ScopeListRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT * FROM (
             SELECT p.number, p.title, p.author_login, p.head_sha, p.gh_updated_at,
                    s.verdict, (array_position($2::text[], s.verdict) - 1)::int AS rank,
                    s.confidence, s.reasons
             FROM pr_scope s JOIN pull_requests p ON p.id = s.pr_id AND p.head_sha = s.head_sha
             WHERE p.repo_id = $1 AND p.state = 'open' AND s.verdict = ANY($3)
         ) v
         WHERE $4::int IS NULL OR (v.rank, -v.confidence, v.number) > ($4::int, -$5::float8, $6::int)
         ORDER BY v.rank, v.confidence DESC, v.number
         LIMIT $7",
    )
    .bind(repo_id)
    .bind(VERDICTS)
    .bind(verdicts)
    .bind(cursor.map(|c| c.rank))
    .bind(cursor.map_or(0.0, |c| c.confidence))
    .bind(cursor.map_or(0, |c| c.number))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many open PRs of `repo_id` have each verdict at their current head, and how many
/// have none yet (not analysed, or analysed before scope existed).
pub async fn scope_counts(
    db: impl PgExecutor<'_>,
    repo_id: i64,
) -> Result<Vec<(Option<String>, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.verdict, count(*)
         FROM pull_requests p LEFT JOIN pr_scope s ON s.pr_id = p.id AND s.head_sha = p.head_sha
         WHERE p.repo_id = $1 AND p.state = 'open'
         GROUP BY s.verdict",
    )
    .bind(repo_id)
    .fetch_all(db)
    .await
}
