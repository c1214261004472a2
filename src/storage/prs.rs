//! Pull requests at their current head, and their files.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

/// Lifecycle state on GitHub.
pub const STATES: [&str; 3] = ["open", "closed", "merged"];

/// A pull request as listed by GitHub (the list endpoint carries all of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrUpsert {
    /// GitHub's PR id.
    pub github_id: i64,
    /// Number.
    pub number: i32,
    /// open / closed / merged.
    pub state: String,
    /// Draft flag.
    pub draft: bool,
    /// Title.
    pub title: String,
    /// Body.
    pub body: Option<String>,
    /// Author login.
    pub author_login: Option<String>,
    /// Web URL.
    pub html_url: Option<String>,
    /// Head commit.
    pub head_sha: String,
    /// Head branch.
    pub head_ref: Option<String>,
    /// Base branch.
    pub base_ref: Option<String>,
    /// Base commit.
    pub base_sha: Option<String>,
    /// Opened at.
    pub created_at: Option<DateTime<Utc>>,
    /// Last updated at.
    pub updated_at: Option<DateTime<Utc>>,
    /// Closed at.
    pub closed_at: Option<DateTime<Utc>>,
    /// Merged at.
    pub merged_at: Option<DateTime<Utc>>,
}

/// What a batch upsert tells the scan about each PR.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UpsertedPr {
    /// Our id.
    pub id: i64,
    /// Number.
    pub number: i32,
    /// GitHub's id.
    pub github_id: i64,
    /// Current head.
    pub head_sha: String,
}

/// Inserts or refreshes many PRs in one statement. A PR whose head moved goes back to
/// `PENDING` (its files and fingerprint are of the old head until re-analysed).
pub async fn upsert_many(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    prs: &[PrUpsert],
) -> Result<Vec<UpsertedPr>, sqlx::Error> {
    if prs.is_empty() {
        return Ok(Vec::new());
    }
    macro_rules! column {
        ($field:ident) => {
            prs.iter().map(|p| p.$field.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query_as(
        "INSERT INTO pull_requests (repo_id, github_id, number, state, draft, title, body, author_login,
                                    html_url, head_sha, head_ref, base_ref, base_sha, gh_created_at,
                                    gh_updated_at, closed_at, merged_at)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::int[], $4::text[], $5::bool[], $6::text[], $7::text[],
                                  $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                                  $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[])
         ON CONFLICT (repo_id, number) DO UPDATE SET
             github_id = EXCLUDED.github_id, state = EXCLUDED.state, draft = EXCLUDED.draft,
             title = EXCLUDED.title, body = EXCLUDED.body, author_login = EXCLUDED.author_login,
             html_url = EXCLUDED.html_url, head_sha = EXCLUDED.head_sha, head_ref = EXCLUDED.head_ref,
             base_ref = EXCLUDED.base_ref, base_sha = EXCLUDED.base_sha,
             gh_created_at = EXCLUDED.gh_created_at, gh_updated_at = EXCLUDED.gh_updated_at,
             closed_at = EXCLUDED.closed_at, merged_at = EXCLUDED.merged_at, last_seen_at = now(),
             analysis_status = CASE WHEN pull_requests.head_sha = EXCLUDED.head_sha
                                    THEN pull_requests.analysis_status ELSE 'PENDING' END
         RETURNING id, number, github_id, head_sha",
    )
    .bind(repo_id)
    .bind(column!(github_id))
    .bind(column!(number))
    .bind(column!(state))
    .bind(column!(draft))
    .bind(column!(title))
    .bind(column!(body))
    .bind(column!(author_login))
    .bind(column!(html_url))
    .bind(column!(head_sha))
    .bind(column!(head_ref))
    .bind(column!(base_ref))
    .bind(column!(base_sha))
    .bind(column!(created_at))
    .bind(column!(updated_at))
    .bind(column!(closed_at))
    .bind(column!(merged_at))
    .fetch_all(db)
    .await
}

/// PRs stored as open that a complete listing no longer shows: they were closed (or
/// merged; a later look at closed PRs says which). Returns how many changed.
pub async fn close_missing(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    open_numbers: &[i32],
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE pull_requests SET state = 'closed', closed_at = COALESCE(closed_at, now())
         WHERE repo_id = $1 AND state = 'open' AND NOT (number = ANY($2))",
    )
    .bind(repo_id)
    .bind(open_numbers)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

/// A pull request as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrRow {
    /// Our id.
    pub id: i64,
    /// Repository.
    pub repo_id: i64,
    /// GitHub's id.
    pub github_id: i64,
    /// Number.
    pub number: i32,
    /// open / closed / merged.
    pub state: String,
    /// Draft flag.
    pub draft: bool,
    /// Title.
    pub title: String,
    /// Body.
    pub body: Option<String>,
    /// Author.
    pub author_login: Option<String>,
    /// Web URL.
    pub html_url: Option<String>,
    /// Current head.
    pub head_sha: String,
    /// Head branch (`fix/123-foo` names issue 123).
    pub head_ref: Option<String>,
    /// Base branch.
    pub base_ref: Option<String>,
    /// Base commit.
    pub base_sha: Option<String>,
    /// Opened at.
    pub gh_created_at: Option<DateTime<Utc>>,
    /// Updated at.
    pub gh_updated_at: Option<DateTime<Utc>>,
    /// Closed at.
    pub closed_at: Option<DateTime<Utc>>,
    /// Merged at.
    pub merged_at: Option<DateTime<Utc>>,
    /// Lines added (from the files list).
    pub additions: Option<i32>,
    /// Lines removed.
    pub deletions: Option<i32>,
    /// Files changed.
    pub changed_files: Option<i32>,
    /// PENDING / ANALYSED / DEGRADED / FAILED, for the current head.
    pub analysis_status: String,
    /// Why it failed or is degraded.
    pub analysis_error: Option<String>,
    /// Head of the stored analysis.
    pub analysed_head_sha: Option<String>,
}

const PR_COLUMNS: &str = "id, repo_id, github_id, number, state, draft, title, body, author_login, html_url,
    head_sha, head_ref, base_ref, base_sha, gh_created_at, gh_updated_at, closed_at, merged_at, additions, deletions,
    changed_files, analysis_status, analysis_error, analysed_head_sha";

/// One PR by number.
pub async fn by_number(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    number: i32,
) -> Result<Option<PrRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PR_COLUMNS} FROM pull_requests WHERE repo_id = $1 AND number = $2"
    )))
    .bind(repo_id)
    .bind(number)
    .fetch_optional(db)
    .await
}

/// Several PRs by id.
pub async fn by_ids(db: impl PgExecutor<'_>, ids: &[i64]) -> Result<Vec<PrRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PR_COLUMNS} FROM pull_requests WHERE id = ANY($1)"
    )))
    .bind(ids)
    .fetch_all(db)
    .await
}

/// Records the outcome of an analysis of `head_sha`, unless the PR has moved on to
/// another head meanwhile (then the newer head's ingest owns the status).
pub async fn set_analysis_outcome(
    db: impl PgExecutor<'_>,
    pr_id: i64,
    head_sha: &str,
    status: &str,
    error: Option<&str>,
    size: Option<(i32, i32, i32)>,
) -> Result<bool, sqlx::Error> {
    let (additions, deletions, changed) = match size {
        Some((a, d, c)) => (Some(a), Some(d), Some(c)),
        None => (None, None, None),
    };
    sqlx::query(
        "UPDATE pull_requests
         SET analysis_status = $3, analysis_error = $4, analysed_head_sha = $2,
             additions = COALESCE($5, additions), deletions = COALESCE($6, deletions),
             changed_files = COALESCE($7, changed_files)
         WHERE id = $1 AND head_sha = $2",
    )
    .bind(pr_id)
    .bind(head_sha)
    .bind(status)
    .bind(error)
    .bind(additions)
    .bind(deletions)
    .bind(changed)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// A changed file with its channel.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileRow {
    /// Path.
    pub path: String,
    /// Path before a rename.
    pub previous_path: Option<String>,
    /// added / modified / removed / renamed / …
    pub status: String,
    /// Lines added.
    pub additions: i32,
    /// Lines removed.
    pub deletions: i32,
    /// PRODUCTION / TESTS / DOCS / META.
    pub channel: String,
    /// present / truncated / binary.
    pub patch_state: String,
}

/// Replaces a PR's stored files with those of `head_sha`.
pub async fn replace_files(
    tx: &mut sqlx::PgConnection,
    pr_id: i64,
    head_sha: &str,
    files: &[FileRow],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM pr_files WHERE pr_id = $1")
        .bind(pr_id)
        .execute(&mut *tx)
        .await?;
    if files.is_empty() {
        return Ok(());
    }
    macro_rules! column {
        ($field:ident) => {
            files.iter().map(|f| f.$field.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query(
        "INSERT INTO pr_files (pr_id, head_sha, path, previous_path, status, additions, deletions, channel, patch_state)
         SELECT $1, $2, * FROM UNNEST($3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[])
         ON CONFLICT (pr_id, path) DO NOTHING",
    )
    .bind(pr_id)
    .bind(head_sha)
    .bind(column!(path))
    .bind(column!(previous_path))
    .bind(column!(status))
    .bind(column!(additions))
    .bind(column!(deletions))
    .bind(column!(channel))
    .bind(column!(patch_state))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A PR's stored files, by path.
pub async fn files(db: impl PgExecutor<'_>, pr_id: i64) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT path, previous_path, status, additions, deletions, channel, patch_state
         FROM pr_files WHERE pr_id = $1 ORDER BY path",
    )
    .bind(pr_id)
    .fetch_all(db)
    .await
}
