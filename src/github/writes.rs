//! What app mode writes on a PR besides its Check Run: a label and a comment (both off
//! by default, see `publishing` in `config/thresholds.yaml`). A PR is an issue to these
//! endpoints, so they live under `/issues/{number}`.

use serde::Deserialize;

use super::GithubClient;
use super::error::GithubError;
use super::ops::{PER_PAGE, parse, repo_path};
use super::transport::{Auth, Call};

/// Comments scanned for our marker before posting (10 pages of 100).
pub const MAX_COMMENT_PAGES: usize = 10;

/// A comment on a PR or issue, as much as we read of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IssueComment {
    /// Its id.
    pub id: u64,
    /// Markdown body.
    #[serde(default)]
    pub body: Option<String>,
}

impl GithubClient {
    /// Adds labels to PR `number` (GitHub creates a label that does not exist yet; adding
    /// one the PR has is a no-op).
    pub async fn add_labels(
        &self,
        owner: &str,
        repo: &str,
        number: i32,
        labels: &[String],
    ) -> Result<(), GithubError> {
        let path = format!("{}/issues/{number}/labels", repo_path(owner, repo)?);
        let auth = self
            .installation_auth(owner, repo, "adding a label")
            .await?;
        let body = serde_json::json!({ "labels": labels });
        self.execute(&Call::post(self.url(&path), auth, body))
            .await
            .map(|_| ())
    }

    /// The first comment on PR `number` whose body contains `marker`, if any (so a
    /// comment whose creation answer got lost is recognised instead of posted twice).
    pub async fn find_comment(
        &self,
        owner: &str,
        repo: &str,
        number: i32,
        marker: &str,
    ) -> Result<Option<IssueComment>, GithubError> {
        let path = format!("{}/issues/{number}/comments", repo_path(owner, repo)?);
        let auth = self
            .installation_auth(owner, repo, "reading comments")
            .await?;
        let mut url = self.url(&format!("{path}?per_page={PER_PAGE}"));
        for _ in 0..MAX_COMMENT_PAGES {
            let (page, next) = self.page::<IssueComment>(&url, auth).await?;
            if let Some(found) = page
                .into_iter()
                .find(|c| c.body.as_deref().is_some_and(|b| b.contains(marker)))
            {
                return Ok(Some(found));
            }
            match next {
                Some(next) => url = next,
                None => break,
            }
        }
        Ok(None)
    }

    /// Posts a comment on PR `number`.
    pub async fn create_comment(
        &self,
        owner: &str,
        repo: &str,
        number: i32,
        body: &str,
    ) -> Result<IssueComment, GithubError> {
        let path = format!("{}/issues/{number}/comments", repo_path(owner, repo)?);
        let auth = self
            .installation_auth(owner, repo, "posting a comment")
            .await?;
        let answer = self
            .execute(&Call::post(
                self.url(&path),
                auth,
                serde_json::json!({ "body": body }),
            ))
            .await?;
        parse::<IssueComment>(&path, &answer.body)
    }

    /// Installation credentials for writing to a repository: app mode and an
    /// installation on it are both required.
    pub(crate) async fn installation_auth(
        &self,
        owner: &str,
        repo: &str,
        what: &'static str,
    ) -> Result<Auth, GithubError> {
        self.app(what)?;
        self.installation_id(owner, repo)
            .await?
            .map(Auth::Installation)
            .ok_or_else(|| GithubError::NotInstalled {
                owner: owner.to_owned(),
                repo: repo.to_owned(),
            })
    }
}
