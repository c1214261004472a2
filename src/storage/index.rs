//! The candidate-retrieval index: 64-bit keys per PR, shared by every worker process.
//! Retrieval reads only the posting lists of a PR's own keys, never the whole repository.

use sqlx::PgExecutor;

/// Replaces the keys of `pr_id` (a new head replaces the old head's keys).
pub async fn replace_keys(
    tx: &mut sqlx::PgConnection,
    repo_id: i64,
    pr_id: i64,
    keys: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM pr_index_keys WHERE pr_id = $1")
        .bind(pr_id)
        .execute(&mut *tx)
        .await?;
    if keys.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO pr_index_keys (repo_id, key, pr_id)
         SELECT $1, k, $2 FROM UNNEST($3::bigint[]) AS k ON CONFLICT DO NOTHING",
    )
    .bind(repo_id)
    .bind(pr_id)
    .bind(keys)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Removes a PR from the index (closed without merge: nothing can duplicate it any more).
pub async fn remove_pr(db: impl PgExecutor<'_>, pr_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM pr_index_keys WHERE pr_id = $1")
        .bind(pr_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Other PRs sharing keys with `keys`, most shared first, at most `limit`. Keys held by
/// more than `max_postings` PRs are too common to discriminate and are ignored.
pub async fn candidates(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    pr_id: i64,
    keys: &[i64],
    max_postings: i64,
    limit: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "WITH useful AS (
             SELECT key FROM pr_index_keys
             WHERE repo_id = $1 AND key = ANY($3)
             GROUP BY key HAVING count(*) <= $4
         )
         SELECT i.pr_id, count(*) AS shared
         FROM pr_index_keys i JOIN useful u ON u.key = i.key
         WHERE i.repo_id = $1 AND i.pr_id <> $2
         GROUP BY i.pr_id
         ORDER BY shared DESC, i.pr_id
         LIMIT $5",
    )
    .bind(repo_id)
    .bind(pr_id)
    .bind(keys)
    .bind(max_postings)
    .bind(limit)
    .fetch_all(db)
    .await
}
