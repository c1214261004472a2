//! GitHub webhooks (app and hybrid modes): verified, deduplicated by delivery id, and
//! turned into ingests or state updates. The HTTP side is in `api::webhook`.

pub mod events;
pub mod signature;

use sqlx::PgPool;

use crate::storage::{issues, prs, repos};
use crate::worker::jobs::{AnalyseIssues, IngestPr};
use crate::worker::queue::{EnqueueError, Queues};
use events::{InstallationEvent, IssuesEvent, PullRequestEvent};

/// What a delivery led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An ingest of the PR's head was enqueued.
    IngestEnqueued,
    /// An analysis of the repository's changed issues was enqueued.
    IssueAnalysisEnqueued,
    /// Stored state changed (closed, merged, installation); nothing to analyse.
    Updated,
    /// Not an event or action we act on.
    Ignored,
}

/// Why a delivery could not be handled.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The payload does not have the event's shape.
    #[error("the {event} payload is malformed: {source}")]
    Malformed {
        /// Event name.
        event: String,
        /// Parser error.
        source: serde_json::Error,
    },
    /// Postgres failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Redis failed.
    #[error(transparent)]
    Queue(#[from] EnqueueError),
}

/// PR actions that can change what the PR contains (or bring it back).
const ANALYSE_ACTIONS: [&str; 5] = [
    "opened",
    "reopened",
    "synchronize",
    "edited",
    "ready_for_review",
];

/// Handles one verified delivery.
pub async fn handle(
    db: &PgPool,
    queues: &Queues,
    event: &str,
    body: &[u8],
) -> Result<Outcome, WebhookError> {
    let malformed = |source| WebhookError::Malformed {
        event: event.to_owned(),
        source,
    };
    match event {
        "pull_request" => {
            let payload: PullRequestEvent = serde_json::from_slice(body).map_err(malformed)?;
            pull_request(db, queues, &payload).await
        }
        "issues" => {
            let payload: IssuesEvent = serde_json::from_slice(body).map_err(malformed)?;
            issue(db, queues, payload).await
        }
        "installation" | "installation_repositories" => {
            let payload: InstallationEvent = serde_json::from_slice(body).map_err(malformed)?;
            installation(db, &payload).await
        }
        _ => Ok(Outcome::Ignored),
    }
}

async fn pull_request(
    db: &PgPool,
    queues: &Queues,
    payload: &PullRequestEvent,
) -> Result<Outcome, WebhookError> {
    let action = payload.action.as_str();
    let wanted = ANALYSE_ACTIONS.contains(&action) || action == "closed";
    if !wanted {
        return Ok(Outcome::Ignored);
    }
    let repo = repos::upsert(db, &payload.repository.to_upsert()).await?;
    if let Some(installation) = &payload.installation {
        repos::set_installation(db, &payload.repository.to_upsert(), Some(installation.id)).await?;
    }
    let pr = payload.pull_request.to_upsert();
    let stored = prs::upsert_many(db, repo.id, std::slice::from_ref(&pr)).await?;
    let Some(stored) = stored.first() else {
        return Ok(Outcome::Updated);
    };
    // A closed-unmerged PR needs no analysis; a merged one does if its head is new to us
    // (it may be the original that later PRs repeat). The ingest skips heads it knows.
    if action == "closed" && pr.state != "merged" {
        return Ok(Outcome::Updated);
    }
    queues
        .push_ingest(IngestPr {
            repo_id: repo.id,
            pr_number: i64::from(stored.number),
            pr_id: stored.github_id,
            head_sha: stored.head_sha.clone(),
        })
        .await?;
    tracing::info!(repo = %format!("{}/{}", repo.owner, repo.name), pr.number = stored.number, action, "Webhook: ingest enqueued");
    Ok(Outcome::IngestEnqueued)
}

/// Issue actions that change what the issue says or whether it is open.
const ISSUE_ACTIONS: [&str; 7] = [
    "opened",
    "edited",
    "reopened",
    "closed",
    "labeled",
    "unlabeled",
    "transferred",
];

async fn issue(
    db: &PgPool,
    queues: &Queues,
    payload: IssuesEvent,
) -> Result<Outcome, WebhookError> {
    let action = payload.action.clone();
    if !ISSUE_ACTIONS.contains(&action.as_str()) || payload.issue.is_pull_request() {
        return Ok(Outcome::Ignored);
    }
    let repo = repos::upsert(db, &payload.repository.to_upsert()).await?;
    let upsert = issues::IssueUpsert::from(payload.issue);
    let stored = issues::upsert_many(db, repo.id, std::slice::from_ref(&upsert)).await?;
    let Some(stored) = stored.first() else {
        return Ok(Outcome::Updated);
    };
    if !stored.needs_analysis() {
        return Ok(Outcome::Updated);
    }
    queues
        .push_issues(AnalyseIssues {
            repo_id: repo.id,
            number: i64::from(stored.number),
            content_hash: stored.content_hash.clone(),
        })
        .await?;
    tracing::info!(repo = %format!("{}/{}", repo.owner, repo.name), issue.number = stored.number, action, "Webhook: issue analysis enqueued");
    Ok(Outcome::IssueAnalysisEnqueued)
}

async fn installation(db: &PgPool, payload: &InstallationEvent) -> Result<Outcome, WebhookError> {
    let removed = matches!(payload.action.as_str(), "deleted" | "suspend");
    let installation = (!removed).then_some(payload.installation.id);
    for repo in payload
        .repositories
        .iter()
        .chain(&payload.repositories_added)
    {
        let Some((owner, name)) = repo.full_name.split_once('/') else {
            continue;
        };
        let upsert = repos::RepoUpsert {
            github_id: repo.id,
            owner: owner.to_owned(),
            name: name.to_owned(),
            default_branch: "main".to_owned(),
            html_url: None,
        };
        repos::set_installation(db, &upsert, installation).await?;
    }
    Ok(Outcome::Updated)
}
