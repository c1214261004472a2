//! Labels and comments app mode wrote on PRs: claimed before the write, so each PR gets
//! each at most once, ever.

use sqlx::PgExecutor;

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// The possible-duplicate label.
    Label,
    /// The one comment.
    Comment,
}

impl Publication {
    fn as_str(self) -> &'static str {
        match self {
            Publication::Label => "label",
            Publication::Comment => "comment",
        }
    }
}

/// Claims `kind` for `pr_id`; false when it was claimed before (by anyone, at any head).
pub async fn claim(
    db: impl PgExecutor<'_>,
    pr_id: i64,
    kind: Publication,
    head_sha: &str,
    other_pr_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO pr_publications (pr_id, kind, head_sha, other_pr_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (pr_id, kind) DO NOTHING",
    )
    .bind(pr_id)
    .bind(kind.as_str())
    .bind(head_sha)
    .bind(other_pr_id)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Records that the claimed write happened (with GitHub's id of a comment).
pub async fn complete(
    db: impl PgExecutor<'_>,
    pr_id: i64,
    kind: Publication,
    github_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE pr_publications SET status = 'done', github_id = $3, updated_at = now()
         WHERE pr_id = $1 AND kind = $2",
    )
    .bind(pr_id)
    .bind(kind.as_str())
    .bind(github_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// Gives a claim back after GitHub refused the write outright (nothing was written), so
/// a later analysis may try again.
pub async fn release(
    db: impl PgExecutor<'_>,
    pr_id: i64,
    kind: Publication,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM pr_publications WHERE pr_id = $1 AND kind = $2 AND status = 'claimed'")
        .bind(pr_id)
        .bind(kind.as_str())
        .execute(db)
        .await
        .map(|_| ())
}
