//! Turning a validated trigger into exactly one scan and one queued job.

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::config::is_valid_repo_part;
use crate::storage::scans::{self, NewScan};
use crate::worker::jobs::PublicPrScan;
use crate::worker::queue::Queues;

/// Largest `maxOpenPrs` a trigger may ask for.
pub const MAX_OPEN_PRS_LIMIT: u64 = 1000;
/// Longest snapshot accepted.
pub const SNAPSHOT_MAX_LEN: usize = 120;

/// A trigger after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerRequest {
    /// Repository owner.
    pub owner: String,
    /// Repository name.
    pub repo: String,
    /// PR cap.
    pub max_open_prs: Option<u32>,
    /// Snapshot (given, or derived from the time).
    pub snapshot: String,
}

/// Why a trigger body is invalid: a stable code and a message for the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidTrigger {
    /// Machine-readable code (`invalid_owner`, …).
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
}

fn invalid(code: &'static str, message: impl Into<String>) -> InvalidTrigger {
    InvalidTrigger {
        code,
        message: message.into(),
    }
}

impl TriggerRequest {
    /// Validates a JSON body `{owner, repo, maxOpenPrs?, snapshot?}`; unknown fields are
    /// refused so a misspelt option does not silently do nothing.
    pub fn from_json(body: &Value, now: DateTime<Utc>) -> Result<Self, InvalidTrigger> {
        let object = body
            .as_object()
            .ok_or_else(|| invalid("invalid_body", "the body must be a JSON object"))?;
        if let Some(unknown) = object
            .keys()
            .find(|k| !matches!(k.as_str(), "owner" | "repo" | "maxOpenPrs" | "snapshot"))
        {
            return Err(invalid(
                "unknown_field",
                format!("unknown field `{unknown}`; expected owner, repo, maxOpenPrs, snapshot"),
            ));
        }
        let owner = repo_part(object.get("owner"), "owner", "invalid_owner")?;
        let repo = repo_part(object.get("repo"), "repo", "invalid_repo")?;
        let max_open_prs = match object.get("maxOpenPrs") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .filter(|n| (1..=MAX_OPEN_PRS_LIMIT).contains(n))
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| {
                        invalid(
                            "invalid_max_open_prs",
                            format!(
                                "maxOpenPrs must be a whole number from 1 to {MAX_OPEN_PRS_LIMIT}"
                            ),
                        )
                    })?,
            ),
        };
        let snapshot = match object.get("snapshot") {
            None | Some(Value::Null) => default_snapshot(now),
            Some(Value::String(s)) if is_valid_snapshot(s) => s.clone(),
            Some(_) => {
                return Err(invalid(
                    "invalid_snapshot",
                    format!(
                        "snapshot must be 1 to {SNAPSHOT_MAX_LEN} characters of [A-Za-z0-9._:-]"
                    ),
                ));
            }
        };
        Ok(Self {
            owner,
            repo,
            max_open_prs,
            snapshot,
        })
    }
}

fn repo_part(
    value: Option<&Value>,
    field: &str,
    code: &'static str,
) -> Result<String, InvalidTrigger> {
    match value {
        Some(Value::String(s)) if is_valid_repo_part(s) => Ok(s.clone()),
        None | Some(Value::Null) => Err(invalid(code, format!("{field} is required"))),
        Some(_) => Err(invalid(
            code,
            format!("{field} must be 1 to 100 characters of [A-Za-z0-9_.-]"),
        )),
    }
}

/// Whether `s` is an acceptable snapshot.
pub fn is_valid_snapshot(s: &str) -> bool {
    (1..=SNAPSHOT_MAX_LEN).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// The snapshot of a trigger that gives none: the time to the second, so a push-time
/// `curl` always starts a fresh scan while a double-click within a second does not.
pub fn default_snapshot(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What a trigger did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerOutcome {
    /// The scan's id (the `jobId`).
    pub job_id: Uuid,
    /// Whether this call enqueued it (false: the same snapshot was already triggered).
    pub enqueued: bool,
}

/// Failure to trigger.
#[derive(Debug, thiserror::Error)]
pub enum TriggerError {
    /// Postgres failed.
    #[error("cannot record the scan: {0}")]
    Database(#[from] sqlx::Error),
    /// Redis failed.
    #[error(transparent)]
    Queue(#[from] crate::worker::queue::EnqueueError),
}

/// Records the scan (once per idempotency key, even under races) and enqueues its job.
///
/// A scan still `queued` when the same trigger arrives again is pushed again: the queue
/// drops the duplicate by key, and a scan whose first push was lost (crash between the
/// insert and the push) is not stranded.
pub async fn trigger_scan(
    db: &sqlx::PgPool,
    queues: &Queues,
    request: TriggerRequest,
) -> Result<TriggerOutcome, TriggerError> {
    let job = PublicPrScan {
        owner: request.owner,
        repo: request.repo,
        snapshot: request.snapshot,
        max_open_prs: request.max_open_prs,
    };
    let new = NewScan {
        owner: job.owner.clone(),
        repo: job.repo.clone(),
        snapshot: job.snapshot.clone(),
        max_open_prs: job.max_open_prs,
        idempotency_key: job.idempotency_key(),
    };
    let (scan, created) = scans::insert_or_get(db, &new).await?;
    if (created || scan.status == "queued")
        && let Err(err) = queues.push_scan(job).await
    {
        if created {
            // Leave no scan behind that nothing will run; the caller may retry.
            scans::delete_queued(db, scan.id).await?;
        }
        return Err(err.into());
    }
    Ok(TriggerOutcome {
        job_id: scan.id,
        enqueued: created,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-22T14:05:09Z")
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn minimal_body_gets_a_time_snapshot() {
        let req = TriggerRequest::from_json(&json!({"owner": "acme", "repo": "webapp"}), now())
            .expect("valid");
        assert_eq!(req.snapshot, "2026-11-22T14:05:09Z");
        assert_eq!(req.max_open_prs, None);
    }

    #[test]
    fn every_field_is_checked() {
        let cases = [
            (json!([]), "invalid_body"),
            (json!({"repo": "x"}), "invalid_owner"),
            (json!({"owner": "a b", "repo": "x"}), "invalid_owner"),
            (json!({"owner": "a", "repo": 3}), "invalid_repo"),
            (
                json!({"owner": "a", "repo": "x", "maxOpenPrs": 0}),
                "invalid_max_open_prs",
            ),
            (
                json!({"owner": "a", "repo": "x", "maxOpenPrs": 1001}),
                "invalid_max_open_prs",
            ),
            (
                json!({"owner": "a", "repo": "x", "maxOpenPrs": "x"}),
                "invalid_max_open_prs",
            ),
            (
                json!({"owner": "a", "repo": "x", "maxOpenPrs": 1.5}),
                "invalid_max_open_prs",
            ),
            (
                json!({"owner": "a", "repo": "x", "maxOpenPrs": -1}),
                "invalid_max_open_prs",
            ),
            (
                json!({"owner": "a", "repo": "x", "snapshot": "a b"}),
                "invalid_snapshot",
            ),
            (
                json!({"owner": "a", "repo": "x", "snapshot": ""}),
                "invalid_snapshot",
            ),
            (
                json!({"owner": "a", "repo": "x", "snapshot": "s".repeat(121)}),
                "invalid_snapshot",
            ),
            (
                json!({"owner": "a", "repo": "x", "max_open_prs": 3}),
                "unknown_field",
            ),
        ];
        for (body, code) in cases {
            let err = TriggerRequest::from_json(&body, now()).expect_err(&body.to_string());
            assert_eq!(err.code, code, "{body}");
        }
    }

    #[test]
    fn bounds_are_inclusive() {
        for n in [1, 1000] {
            let body =
                json!({"owner": "a", "repo": "x", "maxOpenPrs": n, "snapshot": "s".repeat(120)});
            let req = TriggerRequest::from_json(&body, now()).expect("valid");
            assert_eq!(req.max_open_prs, Some(n));
        }
    }
}
