//! Repositories.

use serde::Serialize;
use sqlx::PgExecutor;

/// A repository as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RepoRow {
    /// Our id.
    #[serde(rename = "repoId")]
    pub id: i64,
    /// GitHub's id.
    #[serde(skip)]
    pub github_id: Option<i64>,
    /// Owner login.
    pub owner: String,
    /// Name.
    pub name: String,
    /// Default branch.
    pub default_branch: String,
    /// Web URL.
    pub html_url: Option<String>,
    /// App installation, in app mode.
    #[serde(skip)]
    pub installation_id: Option<i64>,
    /// Whether scans and webhooks are processed.
    pub is_active: bool,
}

/// What GitHub says about a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoUpsert {
    /// GitHub's id.
    pub github_id: i64,
    /// Owner login.
    pub owner: String,
    /// Name.
    pub name: String,
    /// Default branch.
    pub default_branch: String,
    /// Web URL.
    pub html_url: Option<String>,
}

/// Inserts or refreshes a repository, keyed by GitHub's id (names can change).
pub async fn upsert(db: impl PgExecutor<'_>, repo: &RepoUpsert) -> Result<RepoRow, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO repositories (github_id, owner, name, default_branch, html_url)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (github_id) DO UPDATE
           SET owner = EXCLUDED.owner, name = EXCLUDED.name,
               default_branch = EXCLUDED.default_branch, html_url = EXCLUDED.html_url,
               updated_at = now()
         RETURNING id, github_id, owner, name, default_branch, html_url, installation_id, is_active",
    )
    .bind(repo.github_id)
    .bind(&repo.owner)
    .bind(&repo.name)
    .bind(&repo.default_branch)
    .bind(&repo.html_url)
    .fetch_one(db)
    .await
}

const COLUMNS: &str =
    "id, github_id, owner, name, default_branch, html_url, installation_id, is_active";

/// All repositories, by name.
pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<RepoRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM repositories ORDER BY lower(owner), lower(name)"
    )))
    .fetch_all(db)
    .await
}

/// One repository by id.
pub async fn get(db: impl PgExecutor<'_>, id: i64) -> Result<Option<RepoRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM repositories WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// One repository by owner and name (case-insensitive).
pub async fn by_name(
    db: impl PgExecutor<'_>,
    owner: &str,
    name: &str,
) -> Result<Option<RepoRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM repositories WHERE lower(owner) = lower($1) AND lower(name) = lower($2)"
    )))
    .bind(owner)
    .bind(name)
    .fetch_optional(db)
    .await
}

/// Records the app installation a repository is reached through.
pub async fn set_installation(
    db: impl PgExecutor<'_>,
    repo: &RepoUpsert,
    installation_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO repositories (github_id, owner, name, default_branch, html_url, installation_id)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (github_id) DO UPDATE SET installation_id = EXCLUDED.installation_id, updated_at = now()",
    )
    .bind(repo.github_id)
    .bind(&repo.owner)
    .bind(&repo.name)
    .bind(&repo.default_branch)
    .bind(&repo.html_url)
    .bind(installation_id)
    .execute(db)
    .await
    .map(|_| ())
}
