//! Which Check Run was published for which PR head.

use sqlx::PgExecutor;

/// The Check Run published for `pr_id` at `head_sha`, if any.
pub async fn get(
    db: impl PgExecutor<'_>,
    pr_id: i64,
    head_sha: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT check_run_id FROM check_runs WHERE pr_id = $1 AND head_sha = $2")
        .bind(pr_id)
        .bind(head_sha)
        .fetch_optional(db)
        .await
}

/// Remembers the Check Run of `pr_id` at `head_sha`.
pub async fn record(
    db: impl PgExecutor<'_>,
    pr_id: i64,
    head_sha: &str,
    check_run_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO check_runs (pr_id, head_sha, check_run_id) VALUES ($1, $2, $3)
         ON CONFLICT (pr_id, head_sha) DO UPDATE SET check_run_id = EXCLUDED.check_run_id, updated_at = now()",
    )
    .bind(pr_id)
    .bind(head_sha)
    .bind(check_run_id)
    .execute(db)
    .await
    .map(|_| ())
}
