//! Issues of a repository, as GitHub lists them, with a content hash so the pipeline
//! re-analyses only issues whose text (title, body, labels) changed.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgExecutor;

/// Lifecycle state on GitHub.
pub const STATES: [&str; 2] = ["open", "closed"];

/// An issue as listed by GitHub (the list endpoint carries all of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueUpsert {
    /// GitHub's issue id.
    pub github_id: i64,
    /// Number.
    pub number: i32,
    /// open / closed.
    pub state: String,
    /// Why it was closed: completed / not_planned / duplicate (or reopened).
    pub state_reason: Option<String>,
    /// Title.
    pub title: String,
    /// Body.
    pub body: Option<String>,
    /// Author login.
    pub author_login: Option<String>,
    /// Label names.
    pub labels: Vec<String>,
    /// Web URL.
    pub html_url: Option<String>,
    /// Comment count.
    pub comments: i32,
    /// Opened at.
    pub created_at: Option<DateTime<Utc>>,
    /// Last updated at.
    pub updated_at: Option<DateTime<Utc>>,
    /// Closed at.
    pub closed_at: Option<DateTime<Utc>>,
}

impl IssueUpsert {
    /// SHA-256 (hex) of what an analysis reads: the title, the body and the label names
    /// (sorted, so GitHub's order does not matter). State, comments and dates are left
    /// out: they change without changing what the issue says.
    pub fn content_hash(&self) -> String {
        let mut labels: Vec<&str> = self.labels.iter().map(String::as_str).collect();
        labels.sort_unstable();
        labels.dedup();
        let mut hasher = Sha256::new();
        // Length prefixes keep the fields apart ("a" + "bc" is not "ab" + "c").
        for part in [self.title.as_str(), self.body.as_deref().unwrap_or("")]
            .into_iter()
            .chain(labels)
        {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

/// What a batch upsert tells the pipeline about each issue.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UpsertedIssue {
    /// Our id.
    pub id: i64,
    /// Number.
    pub number: i32,
    /// Hash of the current text.
    pub content_hash: String,
    /// Hash of the text last analysed; equal to `content_hash` when nothing is left to do.
    pub analysed_hash: Option<String>,
}

impl UpsertedIssue {
    /// Whether the current text has not been analysed yet.
    pub fn needs_analysis(&self) -> bool {
        self.analysed_hash.as_deref() != Some(self.content_hash.as_str())
    }
}

/// Inserts or refreshes many issues in one statement (numbers must be distinct: a
/// listing deduplicates them). An issue whose text changed goes back to `PENDING`;
/// one whose text did not keeps its analysis status.
pub async fn upsert_many(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    issues: &[IssueUpsert],
) -> Result<Vec<UpsertedIssue>, sqlx::Error> {
    if issues.is_empty() {
        return Ok(Vec::new());
    }
    macro_rules! column {
        ($field:ident) => {
            issues.iter().map(|i| i.$field.clone()).collect::<Vec<_>>()
        };
    }
    // A row's labels are an array of their own, and Postgres arrays cannot be ragged:
    // they travel as one JSON array per issue.
    let labels: Vec<serde_json::Value> = issues
        .iter()
        .map(|i| serde_json::Value::from(i.labels.clone()))
        .collect();
    let hashes: Vec<String> = issues.iter().map(IssueUpsert::content_hash).collect();
    sqlx::query_as(
        "INSERT INTO issues (repo_id, github_id, number, state, state_reason, title, body, author_login,
                             labels, html_url, comments, gh_created_at, gh_updated_at, closed_at, content_hash)
         SELECT $1, u.github_id, u.number, u.state, u.state_reason, u.title, u.body, u.author_login,
                ARRAY(SELECT jsonb_array_elements_text(u.labels)), u.html_url, u.comments,
                u.gh_created_at, u.gh_updated_at, u.closed_at, u.content_hash
         FROM UNNEST($2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::jsonb[], $10::text[], $11::int[], $12::timestamptz[], $13::timestamptz[],
                     $14::timestamptz[], $15::text[])
              AS u(github_id, number, state, state_reason, title, body, author_login, labels, html_url,
                   comments, gh_created_at, gh_updated_at, closed_at, content_hash)
         ON CONFLICT (repo_id, number) DO UPDATE SET
             github_id = EXCLUDED.github_id, state = EXCLUDED.state, state_reason = EXCLUDED.state_reason,
             title = EXCLUDED.title, body = EXCLUDED.body, author_login = EXCLUDED.author_login,
             labels = EXCLUDED.labels, html_url = EXCLUDED.html_url, comments = EXCLUDED.comments,
             gh_created_at = EXCLUDED.gh_created_at, gh_updated_at = EXCLUDED.gh_updated_at,
             closed_at = EXCLUDED.closed_at, content_hash = EXCLUDED.content_hash, updated_at = now(),
             analysis_status = CASE WHEN issues.content_hash = EXCLUDED.content_hash
                                    THEN issues.analysis_status ELSE 'PENDING' END
         RETURNING id, number, content_hash, analysed_hash",
    )
    .bind(repo_id)
    .bind(column!(github_id))
    .bind(column!(number))
    .bind(column!(state))
    .bind(column!(state_reason))
    .bind(column!(title))
    .bind(column!(body))
    .bind(column!(author_login))
    .bind(labels)
    .bind(column!(html_url))
    .bind(column!(comments))
    .bind(column!(created_at))
    .bind(column!(updated_at))
    .bind(column!(closed_at))
    .bind(hashes)
    .fetch_all(db)
    .await
}

/// Issues stored as open that a complete listing no longer shows: they were closed (a
/// later look at recently closed issues tells why). Returns how many changed.
pub async fn close_missing(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    open_numbers: &[i32],
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE issues SET state = 'closed', closed_at = COALESCE(closed_at, now()), updated_at = now()
         WHERE repo_id = $1 AND state = 'open' AND NOT (number = ANY($2))",
    )
    .bind(repo_id)
    .bind(open_numbers)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

/// An issue as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueRow {
    /// Our id.
    pub id: i64,
    /// Repository.
    pub repo_id: i64,
    /// GitHub's id.
    pub github_id: i64,
    /// Number.
    pub number: i32,
    /// open / closed.
    pub state: String,
    /// completed / not_planned / duplicate / reopened.
    pub state_reason: Option<String>,
    /// Title.
    pub title: String,
    /// Body.
    pub body: Option<String>,
    /// Author.
    pub author_login: Option<String>,
    /// Label names.
    pub labels: Vec<String>,
    /// Web URL.
    pub html_url: Option<String>,
    /// Comment count.
    pub comments: i32,
    /// Opened at.
    pub gh_created_at: Option<DateTime<Utc>>,
    /// Updated at.
    pub gh_updated_at: Option<DateTime<Utc>>,
    /// Closed at.
    pub closed_at: Option<DateTime<Utc>>,
    /// Hash of the current title, body and labels.
    pub content_hash: String,
    /// PENDING / ANALYSED / DEGRADED / FAILED, for the current text.
    pub analysis_status: String,
    /// Hash of the text last analysed.
    pub analysed_hash: Option<String>,
    /// First stored at.
    pub created_at: DateTime<Utc>,
    /// Last refreshed at.
    pub updated_at: DateTime<Utc>,
}

const ISSUE_COLUMNS: &str = "id, repo_id, github_id, number, state, state_reason, title, body, author_login,
    labels, html_url, comments, gh_created_at, gh_updated_at, closed_at, content_hash, analysis_status,
    analysed_hash, created_at, updated_at";

/// One issue by number.
pub async fn by_number(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    number: i32,
) -> Result<Option<IssueRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ISSUE_COLUMNS} FROM issues WHERE repo_id = $1 AND number = $2"
    )))
    .bind(repo_id)
    .bind(number)
    .fetch_optional(db)
    .await
}

/// Several issues by id, by number.
pub async fn by_ids(db: impl PgExecutor<'_>, ids: &[i64]) -> Result<Vec<IssueRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ISSUE_COLUMNS} FROM issues WHERE id = ANY($1) ORDER BY repo_id, number"
    )))
    .bind(ids)
    .fetch_all(db)
    .await
}

/// A page of a repository's issues by ascending number, those numbered above
/// `after_number`, in `state` when given.
pub async fn list(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    state: Option<&str>,
    after_number: Option<i32>,
    limit: i64,
) -> Result<Vec<IssueRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ISSUE_COLUMNS} FROM issues
         WHERE repo_id = $1 AND ($2::text IS NULL OR state = $2) AND number > $3
         ORDER BY number
         LIMIT $4"
    )))
    .bind(repo_id)
    .bind(state)
    .bind(after_number.unwrap_or(i32::MIN))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Records the outcome of an analysis of the text hashed `content_hash`, unless the
/// text has changed meanwhile (then the newer text's analysis owns the status).
/// Returns whether it applied.
pub async fn set_analysed(
    db: impl PgExecutor<'_>,
    issue_id: i64,
    content_hash: &str,
    status: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE issues SET analysis_status = $3, analysed_hash = $2, updated_at = now()
         WHERE id = $1 AND content_hash = $2",
    )
    .bind(issue_id)
    .bind(content_hash)
    .bind(status)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue() -> IssueUpsert {
        IssueUpsert {
            github_id: 1,
            number: 1,
            state: "open".into(),
            state_reason: None,
            title: "Crash".into(),
            body: Some("on save".into()),
            author_login: None,
            labels: vec!["bug".into(), "area/api".into()],
            html_url: None,
            comments: 0,
            created_at: None,
            updated_at: None,
            closed_at: None,
        }
    }

    #[test]
    fn the_content_hash_covers_text_and_labels_only() {
        let base = issue().content_hash();
        assert_eq!(base.len(), 64);
        let mut other = issue();
        other.labels.reverse();
        other.state = "closed".into();
        other.comments = 9;
        assert_eq!(
            other.content_hash(),
            base,
            "label order and state do not count"
        );
        other.body = Some("on load".into());
        assert_ne!(other.content_hash(), base);
        let mut moved = issue();
        moved.title = "Crashon save".into();
        moved.body = None;
        assert_ne!(moved.content_hash(), base, "fields are kept apart");
        let mut relabelled = issue();
        relabelled.labels.push("p1".into());
        assert_ne!(relabelled.content_hash(), base);
    }
}
