//! The scan pipeline's port ([`PrSource`]) implemented by the client. Failures are
//! classified: rate limits and outlasted retries are transient, the rest permanent.

use chrono::{DateTime, Utc};

use super::GithubClient;
use super::GithubError;
use crate::scan::source::{ChangedFile, IssueListing, Listing, PrSource, SourceError, SourceUsage};
use crate::storage::issues::IssueUpsert;
use crate::storage::prs::PrUpsert;
use crate::storage::repos::RepoUpsert;

impl PrSource for GithubClient {
    async fn repository(&self, owner: &str, repo: &str) -> Result<RepoUpsert, SourceError> {
        Ok(GithubClient::repository(self, owner, repo).await?)
    }

    async fn open_pulls(
        &self,
        owner: &str,
        repo: &str,
        max: Option<usize>,
    ) -> Result<Listing, SourceError> {
        Ok(self.list_open_pulls(owner, repo, max).await?)
    }

    async fn recently_closed(
        &self,
        owner: &str,
        repo: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<PrUpsert>, SourceError> {
        Ok(self.list_recently_closed(owner, repo, since).await?)
    }

    /// Binary files come with `patch: None`; use [`super::is_binary`] /
    /// [`super::is_truncated`] to tell them from truncated text.
    async fn files(
        &self,
        owner: &str,
        repo: &str,
        number: i32,
    ) -> Result<Vec<ChangedFile>, SourceError> {
        Ok(self
            .pull_files(owner, repo, number)
            .await?
            .into_iter()
            .map(|f| f.file)
            .collect())
    }

    async fn open_issues(&self, owner: &str, repo: &str) -> Result<IssueListing, SourceError> {
        match self.list_open_issues(owner, repo, None).await {
            // 410: the repository has issues turned off.
            Err(GithubError::NotFound { .. }) => Ok(IssueListing {
                issues: Vec::new(),
                complete: true,
            }),
            other => Ok(other?),
        }
    }

    async fn recently_closed_issues(
        &self,
        owner: &str,
        repo: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<IssueUpsert>, SourceError> {
        match self.list_recently_closed_issues(owner, repo, since).await {
            Err(GithubError::NotFound { .. }) => Ok(Vec::new()),
            other => Ok(other?),
        }
    }

    async fn file_contents(
        &self,
        owner: &str,
        repo: &str,
        path: &str,
    ) -> Result<Option<String>, SourceError> {
        Ok(GithubClient::file_contents(self, owner, repo, path).await?)
    }

    fn usage(&self) -> SourceUsage {
        GithubClient::usage(self)
    }
}
