//! The parts of GitHub's webhook payloads the service acts on.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::storage::prs::PrUpsert;
use crate::storage::repos::RepoUpsert;

/// A user or organisation.
#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    /// Login.
    pub login: String,
}

/// A repository in a payload.
#[derive(Debug, Clone, Deserialize)]
pub struct Repository {
    /// GitHub's id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Owner.
    pub owner: Account,
    /// Default branch.
    #[serde(default = "default_branch")]
    pub default_branch: String,
    /// Web URL.
    pub html_url: Option<String>,
}

fn default_branch() -> String {
    "main".to_owned()
}

impl Repository {
    /// As stored.
    pub fn to_upsert(&self) -> RepoUpsert {
        RepoUpsert {
            github_id: self.id,
            owner: self.owner.login.clone(),
            name: self.name.clone(),
            default_branch: self.default_branch.clone(),
            html_url: self.html_url.clone(),
        }
    }
}

/// A branch tip.
#[derive(Debug, Clone, Deserialize)]
pub struct GitRef {
    /// Commit.
    pub sha: String,
    /// Branch.
    #[serde(rename = "ref")]
    pub name: Option<String>,
}

/// A pull request (same shape as the REST API's).
#[derive(Debug, Clone, Deserialize)]
pub struct PullRequest {
    /// GitHub's id.
    pub id: i64,
    /// Number.
    pub number: i32,
    /// open / closed.
    pub state: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Body.
    pub body: Option<String>,
    /// Draft.
    #[serde(default)]
    pub draft: bool,
    /// Author.
    pub user: Option<Account>,
    /// Web URL.
    pub html_url: Option<String>,
    /// Head.
    pub head: GitRef,
    /// Base.
    pub base: GitRef,
    /// Opened.
    pub created_at: Option<DateTime<Utc>>,
    /// Updated.
    pub updated_at: Option<DateTime<Utc>>,
    /// Closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Merged.
    pub merged_at: Option<DateTime<Utc>>,
}

impl PullRequest {
    /// As stored: `merged` when it has a merge time.
    pub fn to_upsert(&self) -> PrUpsert {
        let state = match (self.state.as_str(), self.merged_at) {
            (_, Some(_)) => "merged",
            ("open", None) => "open",
            _ => "closed",
        };
        PrUpsert {
            github_id: self.id,
            number: self.number,
            state: state.to_owned(),
            draft: self.draft,
            title: self.title.clone(),
            body: self.body.clone(),
            author_login: self.user.as_ref().map(|u| u.login.clone()),
            html_url: self.html_url.clone(),
            head_sha: self.head.sha.clone(),
            head_ref: self.head.name.clone(),
            base_ref: self.base.name.clone(),
            base_sha: Some(self.base.sha.clone()),
            created_at: self.created_at,
            updated_at: self.updated_at,
            closed_at: self.closed_at,
            merged_at: self.merged_at,
        }
    }
}

/// An app installation.
#[derive(Debug, Clone, Deserialize)]
pub struct Installation {
    /// Installation id.
    pub id: i64,
}

/// `pull_request` event.
#[derive(Debug, Clone, Deserialize)]
pub struct PullRequestEvent {
    /// opened, synchronize, closed, …
    pub action: String,
    /// The PR after the event.
    pub pull_request: PullRequest,
    /// Its repository.
    pub repository: Repository,
    /// The installation the delivery came through (app mode).
    pub installation: Option<Installation>,
}

/// `installation` and `installation_repositories` events.
#[derive(Debug, Clone, Deserialize)]
pub struct InstallationEvent {
    /// created, deleted, added, removed, …
    pub action: String,
    /// The installation.
    pub installation: Installation,
    /// Repositories (on `installation` events).
    #[serde(default)]
    pub repositories: Vec<InstallationRepo>,
    /// Repositories added (on `installation_repositories`).
    #[serde(default)]
    pub repositories_added: Vec<InstallationRepo>,
}

/// A repository as listed in installation events (id and `owner/name`).
#[derive(Debug, Clone, Deserialize)]
pub struct InstallationRepo {
    /// GitHub's id.
    pub id: i64,
    /// `owner/name`.
    pub full_name: String,
}

/// `issues` event.
#[derive(Debug, Clone, Deserialize)]
pub struct IssuesEvent {
    /// opened, edited, closed, reopened, labeled, …
    pub action: String,
    /// The issue after the event (the REST shape).
    pub issue: crate::github::model::Issue,
    /// Its repository.
    pub repository: Repository,
    /// The installation the delivery came through (app mode).
    pub installation: Option<Installation>,
}
