//! Candidate edges: one row per unordered pair of PRs (`pr_low < pr_high`), so a
//! duplicate found from either side is seen from both.

use sqlx::PgExecutor;

/// A scored pair to store. Sides are given low-id first.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEdge {
    /// Smaller PR id.
    pub pr_low: i64,
    /// Its head.
    pub head_low: String,
    /// Larger PR id.
    pub pr_high: i64,
    /// Its head.
    pub head_high: String,
    /// SAME_CHANGE / SAME_FEATURE / COMPETING_IMPLEMENTATION / RELATED.
    pub category: String,
    /// Final score.
    pub final_score: f64,
    /// Every similarity value.
    pub scores: serde_json::Value,
    /// The evidence.
    pub evidence: serde_json::Value,
    /// Config the scores were made with.
    pub config_version: String,
}

/// Drops the edges of `pr_id` that were computed for another head of it (stale since
/// its change moved), then stores `edges`, replacing rows for the same pairs.
pub async fn store_for_pr(
    tx: &mut sqlx::PgConnection,
    repo_id: i64,
    pr_id: i64,
    head_sha: &str,
    edges: &[NewEdge],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM candidate_edges
         WHERE (pr_low = $1 AND head_low <> $2) OR (pr_high = $1 AND head_high <> $2)",
    )
    .bind(pr_id)
    .bind(head_sha)
    .execute(&mut *tx)
    .await?;
    if edges.is_empty() {
        return Ok(());
    }
    macro_rules! column {
        ($field:ident) => {
            edges.iter().map(|e| e.$field.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query(
        "INSERT INTO candidate_edges (repo_id, pr_low, head_low, pr_high, head_high, category, final_score,
                                      scores, evidence, config_version)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[],
                                  $7::float8[], $8::jsonb[], $9::jsonb[], $10::text[])
         ON CONFLICT (pr_low, pr_high) DO UPDATE SET
             head_low = EXCLUDED.head_low, head_high = EXCLUDED.head_high, category = EXCLUDED.category,
             final_score = EXCLUDED.final_score, scores = EXCLUDED.scores, evidence = EXCLUDED.evidence,
             config_version = EXCLUDED.config_version, updated_at = now()",
    )
    .bind(repo_id)
    .bind(column!(pr_low))
    .bind(column!(head_low))
    .bind(column!(pr_high))
    .bind(column!(head_high))
    .bind(column!(category))
    .bind(column!(final_score))
    .bind(column!(scores))
    .bind(column!(evidence))
    .bind(column!(config_version))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An edge seen from one PR: the other side and the scores.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EdgeView {
    /// The other PR's id.
    pub other_pr_id: i64,
    /// Its number.
    pub other_number: i32,
    /// Its head at scoring time.
    pub other_head_sha: String,
    /// Its state now.
    pub other_state: String,
    /// Its title.
    pub other_title: String,
    /// Category.
    pub category: String,
    /// Final score.
    pub final_score: f64,
    /// Scores.
    pub scores: serde_json::Value,
    /// Evidence.
    pub evidence: serde_json::Value,
    /// Whether this PR is the low side (the evidence's "a" side).
    pub is_low: bool,
}

/// Edges between `pr_id` and others with both at their current heads, strongest first,
/// whichever side found them.
pub async fn for_pr(db: impl PgExecutor<'_>, pr_id: i64) -> Result<Vec<EdgeView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id AS other_pr_id, o.number AS other_number,
                CASE WHEN e.pr_low = $1 THEN e.head_high ELSE e.head_low END AS other_head_sha,
                o.state AS other_state, o.title AS other_title,
                e.category, e.final_score, e.scores, e.evidence, (e.pr_low = $1) AS is_low
         FROM candidate_edges e
         JOIN pull_requests me ON me.id = $1
         JOIN pull_requests o ON o.id = CASE WHEN e.pr_low = $1 THEN e.pr_high ELSE e.pr_low END
         WHERE (e.pr_low = $1 AND e.head_low = me.head_sha AND e.head_high = o.head_sha)
            OR (e.pr_high = $1 AND e.head_high = me.head_sha AND e.head_low = o.head_sha)
         ORDER BY e.final_score DESC, o.number",
    )
    .bind(pr_id)
    .fetch_all(db)
    .await
}

/// A stored edge between current heads, for building duplicate sets.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CurrentEdge {
    /// Smaller PR id.
    pub pr_low: i64,
    /// Larger PR id.
    pub pr_high: i64,
    /// Category.
    pub category: String,
    /// Final score.
    pub final_score: f64,
}

/// Every edge of `repo_id` whose two sides are at their current heads and in one of
/// `states`.
pub async fn current_for_repo(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    states: &[&str],
) -> Result<Vec<CurrentEdge>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.pr_low, e.pr_high, e.category, e.final_score
         FROM candidate_edges e
         JOIN pull_requests a ON a.id = e.pr_low AND a.head_sha = e.head_low
         JOIN pull_requests b ON b.id = e.pr_high AND b.head_sha = e.head_high
         WHERE e.repo_id = $1 AND a.state = ANY($2) AND b.state = ANY($2)",
    )
    .bind(repo_id)
    .bind(states)
    .fetch_all(db)
    .await
}

/// Where a PR's change already landed: its strongest SAME_CHANGE / SAME_FEATURE edge to
/// a merged PR, both at the heads scored.
pub async fn landed_in(
    db: impl PgExecutor<'_>,
    pr_id: i64,
) -> Result<Option<(i32, String, f64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.number, e.category, e.final_score
         FROM candidate_edges e
         JOIN pull_requests me ON me.id = $1
         JOIN pull_requests o ON o.id = CASE WHEN e.pr_low = $1 THEN e.pr_high ELSE e.pr_low END
         WHERE ((e.pr_low = $1 AND e.head_low = me.head_sha AND e.head_high = o.head_sha)
             OR (e.pr_high = $1 AND e.head_high = me.head_sha AND e.head_low = o.head_sha))
           AND o.state = 'merged' AND e.category IN ('SAME_CHANGE', 'SAME_FEATURE')
         ORDER BY e.final_score DESC, o.number
         LIMIT 1",
    )
    .bind(pr_id)
    .fetch_optional(db)
    .await
}
