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
        // Each key's postings are counted only up to the cap (an index-only probe of at
        // most cap + 1 rows), so a key held by thousands of PRs costs no more than one
        // held by a few hundred: ingest time stays flat as the index grows.
        "WITH useful AS (
             SELECT k.key FROM unnest($3::bigint[]) AS k(key)
             WHERE (SELECT count(*) FROM (
                        SELECT 1 FROM pr_index_keys p
                        WHERE p.repo_id = $1 AND p.key = k.key
                        LIMIT $4 + 1) capped) <= $4
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
