//! Duplicate sets: written when a scan settles (replacing the repository's active sets,
//! keeping ids where membership overlaps), read by the dashboard.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// Advisory-lock namespace for set reconciliation (the second key is the repo id), so
/// two workers finishing scans of one repository at once do not interleave.
const RECONCILE_LOCK: i32 = 0x5e75;

/// A set as computed now, to store.
#[derive(Debug, Clone, PartialEq)]
pub struct SetToStore {
    /// The existing set this one continues, if any.
    pub id: Option<i64>,
    /// PR ids.
    pub members: Vec<i64>,
    /// Suggested base.
    pub base_pr_id: Option<i64>,
    /// Why that base.
    pub base_reason: Option<String>,
    /// Categories of the set's edges, strongest first.
    pub categories: Vec<String>,
    /// Strongest edge score.
    pub max_score: f64,
}

/// Takes the repository's reconciliation lock for the rest of the transaction.
pub async fn lock_repo(tx: &mut sqlx::PgConnection, repo_id: i64) -> Result<(), sqlx::Error> {
    // Repository ids stay far below 2^31; the fold keeps the key total anyway.
    let key = (repo_id ^ (repo_id >> 32)) as i32;
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(RECONCILE_LOCK)
        .bind(key)
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// Active sets of a repository with their member PR ids.
pub async fn active_memberships(
    db: impl PgExecutor<'_>,
    repo_id: i64,
) -> Result<Vec<(i64, Vec<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, COALESCE(array_agg(m.pr_id ORDER BY m.pr_id) FILTER (WHERE m.pr_id IS NOT NULL), '{}')
         FROM duplicate_sets s LEFT JOIN duplicate_set_members m ON m.set_id = s.id
         WHERE s.repo_id = $1 AND s.active
         GROUP BY s.id ORDER BY s.id",
    )
    .bind(repo_id)
    .fetch_all(db)
    .await
}

/// Makes `sets` the repository's active sets: continued sets are updated in place,
/// new ones inserted, and active sets not continued become history. Returns the ids in
/// the order of `sets`.
pub async fn replace_active(
    tx: &mut sqlx::PgConnection,
    repo_id: i64,
    sets: &[SetToStore],
) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::with_capacity(sets.len());
    for set in sets {
        let member_count = i32::try_from(set.members.len()).unwrap_or(i32::MAX);
        let id: i64 = match set.id {
            Some(id) => {
                sqlx::query_scalar(
                    "UPDATE duplicate_sets SET active = true, base_pr_id = $3, base_reason = $4,
                         categories = $5, max_score = $6, member_count = $7, updated_at = now()
                     WHERE id = $1 AND repo_id = $2 RETURNING id",
                )
                .bind(id)
                .bind(repo_id)
                .bind(set.base_pr_id)
                .bind(&set.base_reason)
                .bind(&set.categories)
                .bind(set.max_score)
                .bind(member_count)
                .fetch_one(&mut *tx)
                .await?
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO duplicate_sets (repo_id, base_pr_id, base_reason, categories, max_score, member_count)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(repo_id)
                .bind(set.base_pr_id)
                .bind(&set.base_reason)
                .bind(&set.categories)
                .bind(set.max_score)
                .bind(member_count)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        sqlx::query("DELETE FROM duplicate_set_members WHERE set_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO duplicate_set_members (set_id, pr_id) SELECT $1, * FROM UNNEST($2::bigint[])",
        )
        .bind(id)
        .bind(&set.members)
        .execute(&mut *tx)
        .await?;
        ids.push(id);
    }
    sqlx::query(
        "UPDATE duplicate_sets SET active = false, updated_at = now()
         WHERE repo_id = $1 AND active AND NOT (id = ANY($2))",
    )
    .bind(repo_id)
    .bind(&ids)
    .execute(&mut *tx)
    .await?;
    Ok(ids)
}

/// A stored set.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SetRow {
    /// Id, stable across scans.
    pub id: i64,
    /// Whether the set is current (false: history).
    pub active: bool,
    /// Suggested base's number.
    pub base_number: Option<i32>,
    /// Why.
    pub base_reason: Option<String>,
    /// Categories, strongest first.
    pub categories: Vec<String>,
    /// Strongest edge.
    pub max_score: f64,
    /// Members.
    pub member_count: i32,
    /// First seen.
    pub created_at: DateTime<Utc>,
    /// Last recomputed.
    pub updated_at: DateTime<Utc>,
}

/// Filters of the sets list.
#[derive(Debug, Clone, PartialEq)]
pub struct SetFilter<'a> {
    /// `Some(true)` current sets, `Some(false)` history, `None` both.
    pub active: Option<bool>,
    /// Strongest edge at least this.
    pub min_score: f64,
    /// At least one of these categories.
    pub categories: &'a [&'a str],
}

/// Position in the list's order (strongest first, then id).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SetCursor {
    /// Score of the last set seen.
    pub max_score: f64,
    /// Its id.
    pub id: i64,
}

const SET_COLUMNS: &str =
    "s.id, s.active, b.number AS base_number, s.base_reason, s.categories, s.max_score,
                           s.member_count, s.created_at, s.updated_at";

/// A page of sets after `cursor`.
pub async fn page(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    filter: &SetFilter<'_>,
    cursor: Option<SetCursor>,
    limit: i64,
) -> Result<Vec<SetRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {SET_COLUMNS}
         FROM duplicate_sets s LEFT JOIN pull_requests b ON b.id = s.base_pr_id
         WHERE s.repo_id = $1 AND ($2::bool IS NULL OR s.active = $2) AND s.max_score >= $3
           AND s.categories && $4::text[]
           AND ($5::float8 IS NULL OR s.max_score < $5 OR (s.max_score = $5 AND s.id > $6))
         ORDER BY s.max_score DESC, s.id
         LIMIT $7"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(repo_id)
        .bind(filter.active)
        .bind(filter.min_score)
        .bind(filter.categories)
        .bind(cursor.map(|c| c.max_score))
        .bind(cursor.map_or(0, |c| c.id))
        .bind(limit)
        .fetch_all(db)
        .await
}

/// One set of a repository.
pub async fn get(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    set_id: i64,
) -> Result<Option<SetRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {SET_COLUMNS}
         FROM duplicate_sets s LEFT JOIN pull_requests b ON b.id = s.base_pr_id
         WHERE s.repo_id = $1 AND s.id = $2"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(repo_id)
        .bind(set_id)
        .fetch_optional(db)
        .await
}

/// A member of a set.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberRow {
    /// The set.
    pub set_id: i64,
    /// Number.
    pub number: i32,
    /// Title.
    pub title: String,
    /// Author.
    pub author_login: Option<String>,
    /// open / closed / merged.
    pub state: String,
    /// Web URL.
    pub html_url: Option<String>,
    /// Opened on GitHub.
    pub gh_created_at: Option<DateTime<Utc>>,
    /// Whether it is the suggested base.
    pub is_base: bool,
}

/// Members of `set_ids`, base first, then by number.
pub async fn members(
    db: impl PgExecutor<'_>,
    set_ids: &[i64],
) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.set_id, p.number, p.title, p.author_login, p.state, p.html_url, p.gh_created_at,
                (s.base_pr_id IS NOT DISTINCT FROM p.id) AS is_base
         FROM duplicate_set_members m
         JOIN duplicate_sets s ON s.id = m.set_id
         JOIN pull_requests p ON p.id = m.pr_id
         WHERE m.set_id = ANY($1)
         ORDER BY m.set_id, (s.base_pr_id IS NOT DISTINCT FROM p.id) DESC, p.number",
    )
    .bind(set_ids)
    .fetch_all(db)
    .await
}

/// An edge between two members of a set.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SetEdgeRow {
    /// The set.
    pub set_id: i64,
    /// Number of the low side (the evidence's `a`).
    pub number_a: i32,
    /// Number of the high side (`b`).
    pub number_b: i32,
    /// Category.
    pub category: String,
    /// Final score.
    pub final_score: f64,
    /// Every similarity value.
    pub scores: serde_json::Value,
    /// Evidence.
    pub evidence: serde_json::Value,
}

/// The strongest `per_set` edges inside each of `set_ids`, between members at the
/// heads the edge was scored at.
pub async fn strongest_edges(
    db: impl PgExecutor<'_>,
    set_ids: &[i64],
    per_set: i64,
) -> Result<Vec<SetEdgeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT set_id, number_a, number_b, category, final_score, scores, evidence FROM (
             SELECT ma.set_id, a.number AS number_a, b.number AS number_b, e.category, e.final_score,
                    e.scores, e.evidence,
                    row_number() OVER (PARTITION BY ma.set_id ORDER BY e.final_score DESC, a.number, b.number) AS rank
             FROM duplicate_set_members ma
             JOIN duplicate_set_members mb ON mb.set_id = ma.set_id AND mb.pr_id > ma.pr_id
             JOIN candidate_edges e ON e.pr_low = ma.pr_id AND e.pr_high = mb.pr_id
             JOIN pull_requests a ON a.id = e.pr_low AND a.head_sha = e.head_low
             JOIN pull_requests b ON b.id = e.pr_high AND b.head_sha = e.head_high
             WHERE ma.set_id = ANY($1)
         ) ranked
         WHERE rank <= $2
         ORDER BY set_id, final_score DESC, number_a, number_b",
    )
    .bind(set_ids)
    .bind(per_set)
    .fetch_all(db)
    .await
}

/// The active set a PR belongs to, if any.
pub async fn active_set_of(
    db: impl PgExecutor<'_>,
    pr_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.id FROM duplicate_set_members m JOIN duplicate_sets s ON s.id = m.set_id
         WHERE m.pr_id = $1 AND s.active ORDER BY s.id LIMIT 1",
    )
    .bind(pr_id)
    .fetch_optional(db)
    .await
}

/// Bases a maintainer confirmed (latest decision per PR), which stay the base.
pub async fn confirmed_bases(
    db: impl PgExecutor<'_>,
    repo_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT base_pr_id FROM feedback
         WHERE repo_id = $1 AND decision = 'BASE' AND base_pr_id IS NOT NULL",
    )
    .bind(repo_id)
    .fetch_all(db)
    .await
}

/// A maintainer picked `base_pr_id` as the base: the active sets holding it show that at
/// once, and reconciliation keeps it (see [`confirmed_bases`]).
pub async fn apply_confirmed_base(
    db: impl PgExecutor<'_>,
    base_pr_id: i64,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE duplicate_sets SET base_pr_id = $1, base_reason = $2, updated_at = now()
         WHERE active AND id IN (SELECT set_id FROM duplicate_set_members WHERE pr_id = $1)",
    )
    .bind(base_pr_id)
    .bind(CONFIRMED_BASE_REASON)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

/// The reason shown for a base a maintainer picked.
pub const CONFIRMED_BASE_REASON: &str = "picked by a maintainer";
