//! Repository documents fetched from GitHub (`VISION.md`), kept so an analysis reads the
//! text it was made with and a re-fetch can tell whether it changed.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRow {
    /// Repository.
    pub repo_id: i64,
    /// Path in the repository (`VISION.md`).
    pub path: String,
    /// The text.
    pub content: String,
    /// GitHub's blob SHA, when it gave one.
    pub sha: Option<String>,
    /// When it was last fetched.
    pub fetched_at: DateTime<Utc>,
}

/// A repository's document at `path`.
pub async fn get(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    path: &str,
) -> Result<Option<DocumentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT repo_id, path, content, sha, fetched_at FROM repo_documents
         WHERE repo_id = $1 AND path = $2",
    )
    .bind(repo_id)
    .bind(path)
    .fetch_optional(db)
    .await
}

/// Stores (or replaces) the document at `path`. Returns whether its content is new or
/// different from what was stored.
pub async fn put(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    path: &str,
    content: &str,
    sha: Option<&str>,
) -> Result<bool, sqlx::Error> {
    // The CTE reads the row as it was before this statement's write.
    sqlx::query_scalar(
        "WITH old AS (SELECT content FROM repo_documents WHERE repo_id = $1 AND path = $2)
         INSERT INTO repo_documents (repo_id, path, content, sha, fetched_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (repo_id, path) DO UPDATE
           SET content = EXCLUDED.content, sha = EXCLUDED.sha, fetched_at = now()
         RETURNING (SELECT content FROM old) IS DISTINCT FROM $3",
    )
    .bind(repo_id)
    .bind(path)
    .bind(content)
    .bind(sha)
    .fetch_one(db)
    .await
}

/// Removes the document at `path` (it is gone from the repository). Returns whether
/// there was one.
pub async fn delete(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    path: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM repo_documents WHERE repo_id = $1 AND path = $2")
        .bind(repo_id)
        .bind(path)
        .execute(db)
        .await
        .map(|r| r.rows_affected() == 1)
}
