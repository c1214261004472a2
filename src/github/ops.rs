//! The GitHub operations the service uses, in our vocabulary: a repository, its open
//! PRs, recently closed ones, one PR, a PR's files, and (app mode) Check Runs.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use super::error::GithubError;
use super::files::PrFile;
use super::link;
use super::model::{
    CheckRun, Installation, NewCheckRun, PrDetail, PullFile, PullRequest, PullRequestDetail,
    Repository,
};
use super::transport::{Auth, Call};
use super::{GithubClient, Mode};
use crate::config::is_valid_repo_part;
use crate::scan::source::{ChangedFile, Listing};
use crate::storage::prs::PrUpsert;
use crate::storage::repos::RepoUpsert;

/// Items per page: GitHub's maximum.
pub const PER_PAGE: usize = 100;
/// GitHub lists at most this many files of a PR.
pub const MAX_FILES: usize = 3000;
/// Safety bound of an unbounded open-PR listing (10,000 PRs); the listing is then
/// reported incomplete rather than paging forever.
pub const MAX_LIST_PAGES: usize = 100;
/// Bound of a recently-closed walk: beyond 1,000 PRs, `since` is too old to be useful.
pub const MAX_CLOSED_PAGES: usize = 10;

impl GithubClient {
    /// The repository.
    pub async fn repository(&self, owner: &str, repo: &str) -> Result<RepoUpsert, GithubError> {
        let path = repo_path(owner, repo)?;
        let auth = self.auth_for(owner, repo).await?;
        let answer = self.execute(&Call::get(self.url(&path), auth)).await?;
        parse::<Repository>(&path, &answer.body).map(Into::into)
    }

    /// Open PRs, newest first, at most `max`. `complete` is false when `max` (or the
    /// [`MAX_LIST_PAGES`] safety bound) cut the listing short. A PR that moves between
    /// pages while we page (a new PR pushes the list down) is listed once.
    pub async fn list_open_pulls(
        &self,
        owner: &str,
        repo: &str,
        max: Option<usize>,
    ) -> Result<Listing, GithubError> {
        let path = repo_path(owner, repo)?;
        let auth = self.auth_for(owner, repo).await?;
        let mut url = self.url(&format!(
            "{path}/pulls?state=open&sort=created&direction=desc&per_page={PER_PAGE}"
        ));
        let limit = max.unwrap_or(usize::MAX);
        let mut seen = std::collections::HashSet::new();
        let mut pulls = Vec::new();
        let mut pages = 0;
        loop {
            pages += 1;
            let (page, next) = self.page::<PullRequest>(&url, auth).await?;
            for pr in page {
                if !seen.insert(pr.number) {
                    continue;
                }
                if pulls.len() >= limit {
                    return Ok(Listing {
                        pulls,
                        complete: false,
                    });
                }
                pulls.push(PrUpsert::from(pr));
            }
            match next {
                None => {
                    return Ok(Listing {
                        pulls,
                        complete: true,
                    });
                }
                Some(_) if pulls.len() >= limit || pages >= MAX_LIST_PAGES => {
                    return Ok(Listing {
                        pulls,
                        complete: false,
                    });
                }
                Some(next) => url = next,
            }
        }
    }

    /// PRs closed or merged whose last update is at or after `since`, most recently
    /// updated first. Paging stops at the first older PR.
    pub async fn list_recently_closed(
        &self,
        owner: &str,
        repo: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<PrUpsert>, GithubError> {
        let path = repo_path(owner, repo)?;
        let auth = self.auth_for(owner, repo).await?;
        let mut url = self.url(&format!(
            "{path}/pulls?state=closed&sort=updated&direction=desc&per_page={PER_PAGE}"
        ));
        let mut pulls = Vec::new();
        for _ in 0..MAX_CLOSED_PAGES {
            let (page, next) = self.page::<PullRequest>(&url, auth).await?;
            for pr in page {
                if pr.updated_at.is_some_and(|u| u < since) {
                    return Ok(pulls);
                }
                pulls.push(PrUpsert::from(pr));
            }
            match next {
                Some(next) => url = next,
                None => break,
            }
        }
        Ok(pulls)
    }

    /// One PR, with the detail endpoint's counts.
    pub async fn pull_request(
        &self,
        owner: &str,
        repo: &str,
        number: i32,
    ) -> Result<PrDetail, GithubError> {
        let path = format!("{}/pulls/{number}", repo_path(owner, repo)?);
        let auth = self.auth_for(owner, repo).await?;
        let answer = self.execute(&Call::get(self.url(&path), auth)).await?;
        parse::<PullRequestDetail>(&path, &answer.body).map(Into::into)
    }

    /// A PR's changed files, all pages (GitHub stops at [`MAX_FILES`]), with binary and
    /// truncated files recognised.
    pub async fn pull_files(
        &self,
        owner: &str,
        repo: &str,
        number: i32,
    ) -> Result<Vec<PrFile>, GithubError> {
        let path = format!("{}/pulls/{number}/files", repo_path(owner, repo)?);
        let auth = self.auth_for(owner, repo).await?;
        let mut url = self.url(&format!("{path}?per_page={PER_PAGE}"));
        let mut files = Vec::new();
        loop {
            let (page, next) = self.page::<PullFile>(&url, auth).await?;
            files.extend(page.into_iter().map(|f| PrFile::from(ChangedFile::from(f))));
            match next {
                Some(next) if files.len() < MAX_FILES => url = next,
                _ => break,
            }
        }
        files.truncate(MAX_FILES);
        Ok(files)
    }

    /// Creates a Check Run (app credentials and an installation on the repository
    /// needed). Not retried blindly by callers: set `external_id` to recognise a run that
    /// was created although the answer got lost.
    pub async fn create_check_run(
        &self,
        owner: &str,
        repo: &str,
        run: &NewCheckRun,
    ) -> Result<CheckRun, GithubError> {
        let path = format!("{}/check-runs", repo_path(owner, repo)?);
        self.send_check_run(owner, repo, path, run, Call::post)
            .await
    }

    /// Replaces the status and text of Check Run `id` (one run per head, updated when the
    /// PR is analysed again).
    pub async fn update_check_run(
        &self,
        owner: &str,
        repo: &str,
        id: u64,
        run: &NewCheckRun,
    ) -> Result<CheckRun, GithubError> {
        let path = format!("{}/check-runs/{id}", repo_path(owner, repo)?);
        self.send_check_run(owner, repo, path, run, Call::patch)
            .await
    }

    async fn send_check_run(
        &self,
        owner: &str,
        repo: &str,
        path: String,
        run: &NewCheckRun,
        call: fn(String, Auth, serde_json::Value) -> Call,
    ) -> Result<CheckRun, GithubError> {
        let auth = self
            .installation_auth(owner, repo, "writing a Check Run")
            .await?;
        let body = serde_json::to_value(run).map_err(|e| GithubError::Malformed {
            path: path.clone(),
            reason: format!("cannot encode the Check Run: {e}"),
        })?;
        let answer = self.execute(&call(self.url(&path), auth, body)).await?;
        parse::<CheckRun>(&path, &answer.body)
    }

    /// The app's installation on a repository (`None` when not installed), cached for
    /// the life of the client.
    pub async fn installation_id(
        &self,
        owner: &str,
        repo: &str,
    ) -> Result<Option<u64>, GithubError> {
        let path = format!("{}/installation", repo_path(owner, repo)?);
        let app = self.app("looking up an installation")?;
        let key = format!(
            "{}/{}",
            owner.to_ascii_lowercase(),
            repo.to_ascii_lowercase()
        );
        if let Some(known) = app
            .installations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(*known);
        }
        let mut call = Call::get(self.url(&path), Auth::Jwt);
        // A fresh JWT every time: nothing to gain from ETags here.
        call.conditional = false;
        let id = match self.execute(&call).await {
            Ok(answer) => Some(parse::<Installation>(&path, &answer.body)?.id),
            Err(GithubError::NotFound { .. }) => None,
            Err(err) => return Err(err),
        };
        app.installations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, id);
        Ok(id)
    }

    /// Credentials for reading a repository in the client's mode.
    pub(crate) async fn auth_for(&self, owner: &str, repo: &str) -> Result<Auth, GithubError> {
        match self.inner.mode {
            Mode::Public => Ok(Auth::Public),
            Mode::App => match self.installation_id(owner, repo).await? {
                Some(id) => Ok(Auth::Installation(id)),
                None => Err(GithubError::NotInstalled {
                    owner: owner.to_owned(),
                    repo: repo.to_owned(),
                }),
            },
            Mode::Hybrid => Ok(self
                .installation_id(owner, repo)
                .await?
                .map_or(Auth::Public, Auth::Installation)),
        }
    }

    /// One page of a list and the URL of the next.
    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        url: &str,
        auth: Auth,
    ) -> Result<(Vec<T>, Option<String>), GithubError> {
        let answer = self.execute(&Call::get(url.to_owned(), auth)).await?;
        let path = Self::display_path(url);
        let items = parse::<Vec<T>>(&path, &answer.body)?;
        let next = answer.link.as_deref().and_then(|l| link::find(l, "next"));
        if let Some(next) = &next {
            self.check_same_origin(next)?;
        }
        Ok((items, next))
    }
}

/// `/repos/{owner}/{repo}`, after checking the names cannot change the path.
pub(crate) fn repo_path(owner: &str, repo: &str) -> Result<String, GithubError> {
    if is_valid_repo_part(owner) && is_valid_repo_part(repo) && repo != "." && repo != ".." {
        Ok(format!("/repos/{owner}/{repo}"))
    } else {
        Err(GithubError::Malformed {
            path: "/repos".into(),
            reason: "owner and repository names must be [A-Za-z0-9_.-]+".into(),
        })
    }
}

pub(crate) fn parse<T: DeserializeOwned>(path: &str, body: &str) -> Result<T, GithubError> {
    serde_json::from_str(body).map_err(|e| GithubError::Malformed {
        path: path.to_owned(),
        reason: format!("{e}"),
    })
}
