//! The scan pipeline's port ([`PrSource`]) implemented by the client. Failures are
//! classified: rate limits and outlasted retries are transient, the rest permanent.

use chrono::{DateTime, Utc};

use super::GithubClient;
use crate::scan::source::{ChangedFile, Listing, PrSource, SourceError, SourceUsage};
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

    fn usage(&self) -> SourceUsage {
        GithubClient::usage(self)
    }
}
