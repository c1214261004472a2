//! The parts of GitHub's REST shapes we read, and their mapping onto our own types.
//! Unknown fields are ignored; fields GitHub may omit or null are optional.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::scan::source::ChangedFile;
use crate::storage::issues::IssueUpsert;
use crate::storage::prs::PrUpsert;
use crate::storage::repos::RepoUpsert;

/// `GET /repos/{owner}/{repo}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Repository {
    /// GitHub's id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Owner.
    pub owner: Account,
    /// Default branch.
    #[serde(default)]
    pub default_branch: Option<String>,
    /// Web URL.
    #[serde(default)]
    pub html_url: Option<String>,
}

impl From<Repository> for RepoUpsert {
    fn from(repo: Repository) -> Self {
        RepoUpsert {
            github_id: repo.id,
            owner: repo.owner.login,
            name: repo.name,
            default_branch: repo.default_branch.unwrap_or_else(|| "main".to_owned()),
            html_url: repo.html_url,
        }
    }
}

/// A user or organisation.
#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    /// Login.
    pub login: String,
}

/// A branch end of a PR.
#[derive(Debug, Clone, Deserialize)]
pub struct Branch {
    /// Commit.
    pub sha: String,
    /// Branch name.
    #[serde(rename = "ref", default)]
    pub ref_name: Option<String>,
}

/// A pull request as the list endpoint returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct PullRequest {
    /// GitHub's id.
    pub id: i64,
    /// Number.
    pub number: i32,
    /// `open` or `closed`.
    pub state: String,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Body.
    #[serde(default)]
    pub body: Option<String>,
    /// Author (null for deleted accounts).
    #[serde(default)]
    pub user: Option<Account>,
    /// Head.
    pub head: Branch,
    /// Base.
    #[serde(default)]
    pub base: Option<Branch>,
    /// Web URL.
    #[serde(default)]
    pub html_url: Option<String>,
    /// Draft flag.
    #[serde(default)]
    pub draft: Option<bool>,
    /// Opened at.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Last updated at.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Closed at.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// Merged at.
    #[serde(default)]
    pub merged_at: Option<DateTime<Utc>>,
}

impl From<PullRequest> for PrUpsert {
    fn from(pr: PullRequest) -> Self {
        // GitHub says `closed` for merged PRs; we keep the distinction.
        let state = if pr.merged_at.is_some() {
            "merged".to_owned()
        } else if pr.state == "open" {
            "open".to_owned()
        } else {
            "closed".to_owned()
        };
        let (base_ref, base_sha) = match pr.base {
            Some(b) => (b.ref_name, Some(b.sha)),
            None => (None, None),
        };
        PrUpsert {
            github_id: pr.id,
            number: pr.number,
            state,
            draft: pr.draft.unwrap_or(false),
            title: pr.title.unwrap_or_default(),
            body: pr.body,
            author_login: pr.user.map(|u| u.login),
            html_url: pr.html_url,
            head_sha: pr.head.sha,
            head_ref: pr.head.ref_name,
            base_ref,
            base_sha,
            created_at: pr.created_at,
            updated_at: pr.updated_at,
            closed_at: pr.closed_at,
            merged_at: pr.merged_at,
        }
    }
}

/// `GET /repos/{owner}/{repo}/pulls/{n}`: the list fields plus what only the detail has.
#[derive(Debug, Clone, Deserialize)]
pub struct PullRequestDetail {
    /// The list fields.
    #[serde(flatten)]
    pub pull: PullRequest,
    /// Lines added.
    #[serde(default)]
    pub additions: Option<u64>,
    /// Lines removed.
    #[serde(default)]
    pub deletions: Option<u64>,
    /// Files changed.
    #[serde(default)]
    pub changed_files: Option<u64>,
    /// Commits.
    #[serde(default)]
    pub commits: Option<u64>,
    /// Whether GitHub can merge it (null while GitHub computes it).
    #[serde(default)]
    pub mergeable: Option<bool>,
}

/// One PR with the detail endpoint's extra counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrDetail {
    /// The PR.
    pub pr: PrUpsert,
    /// Lines added.
    pub additions: Option<u64>,
    /// Lines removed.
    pub deletions: Option<u64>,
    /// Files changed.
    pub changed_files: Option<u64>,
    /// Commits.
    pub commits: Option<u64>,
    /// Whether GitHub can merge it.
    pub mergeable: Option<bool>,
}

impl From<PullRequestDetail> for PrDetail {
    fn from(d: PullRequestDetail) -> Self {
        PrDetail {
            pr: d.pull.into(),
            additions: d.additions,
            deletions: d.deletions,
            changed_files: d.changed_files,
            commits: d.commits,
            mergeable: d.mergeable,
        }
    }
}

/// An entry of `GET /repos/{owner}/{repo}/pulls/{n}/files`.
#[derive(Debug, Clone, Deserialize)]
pub struct PullFile {
    /// Blob sha (may be absent for some submodule changes).
    #[serde(default)]
    pub sha: Option<String>,
    /// Path.
    pub filename: String,
    /// added / modified / removed / renamed / copied / changed / unchanged.
    pub status: String,
    /// Lines added.
    #[serde(default)]
    pub additions: u32,
    /// Lines removed.
    #[serde(default)]
    pub deletions: u32,
    /// The unified diff; GitHub omits it for binary files and very large diffs.
    #[serde(default)]
    pub patch: Option<String>,
    /// Path before a rename.
    #[serde(default)]
    pub previous_filename: Option<String>,
}

impl From<PullFile> for ChangedFile {
    fn from(f: PullFile) -> Self {
        ChangedFile {
            path: f.filename,
            previous_path: f.previous_filename,
            status: f.status,
            additions: f.additions,
            deletions: f.deletions,
            patch: f.patch,
        }
    }
}

/// An issue as `GET /repos/{owner}/{repo}/issues[/{n}]` returns it. Those endpoints
/// return PRs too; they carry `pull_request`.
#[derive(Debug, Clone, Deserialize)]
pub struct Issue {
    /// GitHub's id.
    pub id: i64,
    /// Number.
    pub number: i32,
    /// `open` or `closed`.
    pub state: String,
    /// Why it was closed (`completed`, `not_planned`, `duplicate`) or `reopened`.
    #[serde(default)]
    pub state_reason: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Body.
    #[serde(default)]
    pub body: Option<String>,
    /// Author (null for deleted accounts).
    #[serde(default)]
    pub user: Option<Account>,
    /// Labels.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub labels: Vec<Label>,
    /// Web URL.
    #[serde(default)]
    pub html_url: Option<String>,
    /// Comment count.
    #[serde(default)]
    pub comments: Option<i32>,
    /// Opened at.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Last updated at.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Closed at.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// Present (with the PR's URLs) when the "issue" is a pull request.
    #[serde(default)]
    pub pull_request: Option<serde::de::IgnoredAny>,
}

impl Issue {
    /// Whether this entry is a pull request in issue shape.
    pub fn is_pull_request(&self) -> bool {
        self.pull_request.is_some()
    }
}

/// A label: GitHub sends objects; a bare name is accepted too.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Label {
    /// `{"name": "bug", ..}`.
    Object {
        /// Name.
        name: String,
    },
    /// `"bug"`.
    Name(String),
}

impl Label {
    /// The label's name.
    pub fn name(self) -> String {
        match self {
            Label::Object { name } | Label::Name(name) => name,
        }
    }
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

impl From<Issue> for IssueUpsert {
    fn from(issue: Issue) -> Self {
        IssueUpsert {
            github_id: issue.id,
            number: issue.number,
            state: if issue.state == "open" {
                "open".to_owned()
            } else {
                "closed".to_owned()
            },
            state_reason: issue.state_reason,
            title: issue.title.unwrap_or_default(),
            body: issue.body,
            author_login: issue.user.map(|u| u.login),
            labels: issue.labels.into_iter().map(Label::name).collect(),
            html_url: issue.html_url,
            comments: issue.comments.unwrap_or(0).max(0),
            created_at: issue.created_at,
            updated_at: issue.updated_at,
            closed_at: issue.closed_at,
        }
    }
}

/// `GET /repos/{owner}/{repo}/contents/{path}` for a file (a directory answers a list).
#[derive(Debug, Clone, Deserialize)]
pub struct ContentFile {
    /// `file`, `dir`, `symlink` or `submodule`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `base64` (or `none` for files over 1 MB, whose content GitHub leaves empty).
    #[serde(default)]
    pub encoding: Option<String>,
    /// The content in `encoding`, with newlines.
    #[serde(default)]
    pub content: Option<String>,
    /// Bytes.
    #[serde(default)]
    pub size: u64,
    /// Blob SHA.
    #[serde(default)]
    pub sha: Option<String>,
}

/// `GET /repos/{owner}/{repo}/installation`.
#[derive(Debug, Clone, Deserialize)]
pub struct Installation {
    /// Installation id.
    pub id: u64,
}

/// `POST /app/installations/{id}/access_tokens`.
#[derive(Deserialize)]
pub struct InstallationToken {
    /// The token. Never logged: this struct has no `Debug`.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// A Check Run to create (`POST /repos/{owner}/{repo}/check-runs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCheckRun {
    /// Name shown on the PR (`CHECK_RUN_NAME`).
    pub name: String,
    /// The commit it is about.
    pub head_sha: String,
    /// `queued`, `in_progress` or `completed`.
    pub status: String,
    /// With `completed`: `success`, `neutral`, `action_required`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<String>,
    /// Link back to the dashboard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details_url: Option<String>,
    /// Our reference (e.g. the analysis id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// When it finished (with `completed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<Utc>>,
    /// What the check says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<CheckRunOutput>,
}

/// The text of a Check Run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRunOutput {
    /// Title.
    pub title: String,
    /// Markdown summary (65,535 characters at most).
    pub summary: String,
    /// Markdown details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// What GitHub answers to a created Check Run.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckRun {
    /// Its id.
    pub id: u64,
    /// Web URL.
    #[serde(default)]
    pub html_url: Option<String>,
}

/// GitHub's error body.
#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_map_labels_and_tell_prs_apart() {
        let json = serde_json::json!({
            "id": 5, "number": 1001, "state": "closed", "state_reason": "not_planned",
            "title": "Crash", "body": null, "user": {"login": "kim"},
            "labels": [{"id": 1, "name": "bug", "color": "f00"}, "area/api"],
            "comments": 3, "created_at": "2024-01-01T00:00:00Z", "closed_at": "2024-01-03T00:00:00Z"
        });
        let issue: Issue = serde_json::from_value(json).expect("parses");
        assert!(!issue.is_pull_request());
        let upsert = IssueUpsert::from(issue);
        assert_eq!(upsert.labels, ["bug", "area/api"]);
        assert_eq!(
            (upsert.state.as_str(), upsert.state_reason.as_deref()),
            ("closed", Some("not_planned"))
        );
        assert_eq!((upsert.comments, upsert.updated_at), (3, None));

        let pr = serde_json::json!({"id": 6, "number": 7, "state": "open", "labels": null,
            "pull_request": {"url": "u", "merged_at": null}});
        let pr: Issue = serde_json::from_value(pr).expect("parses");
        assert!(pr.is_pull_request());
        assert!(pr.labels.is_empty());
    }

    #[test]
    fn merged_pull_maps_to_merged_and_nulls_are_tolerated() {
        let json = serde_json::json!({
            "id": 1, "number": 7, "state": "closed", "title": null, "body": null, "user": null,
            "head": {"sha": "abc", "ref": "feature"}, "base": {"sha": "def", "ref": "main"},
            "draft": null, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z",
            "closed_at": "2024-01-02T00:00:00Z", "merged_at": "2024-01-02T00:00:00Z",
            "html_url": "https://github.com/o/r/pull/7", "labels": []
        });
        let pr: PrUpsert = serde_json::from_value::<PullRequest>(json)
            .expect("parses")
            .into();
        assert_eq!(pr.state, "merged");
        assert_eq!(pr.title, "");
        assert!(!pr.draft);
        assert_eq!(pr.author_login, None);
        assert_eq!(pr.head_ref.as_deref(), Some("feature"));
        assert_eq!(pr.base_sha.as_deref(), Some("def"));
    }
}
