//! The job payloads: small serde structs holding ids only, each with a stable name and
//! the idempotency key the queue and the database both enforce.

use serde::{Deserialize, Serialize};

/// Scan a repository's open pull requests and enqueue one ingest per changed PR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicPrScan {
    /// Repository owner.
    pub owner: String,
    /// Repository name.
    pub repo: String,
    /// The trigger's snapshot: one scan per (owner, repo, snapshot).
    pub snapshot: String,
    /// Scan at most this many open PRs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_open_prs: Option<u32>,
}

impl PublicPrScan {
    /// Queue and worker name.
    pub const NAME: &'static str = "public-pr-scan";

    /// `public-pr-scan-{owner}-{repo}-{snapshot}`, normalised.
    pub fn idempotency_key(&self) -> String {
        normalise_key(&format!(
            "{}-{}-{}-{}",
            Self::NAME,
            self.owner,
            self.repo,
            self.snapshot
        ))
    }
}

/// Fetch, fingerprint and match one PR at one head SHA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngestPr {
    /// Our repository id.
    pub repo_id: i64,
    /// PR number.
    pub pr_number: i64,
    /// GitHub's PR id.
    pub pr_id: i64,
    /// Head commit analysed.
    pub head_sha: String,
}

impl IngestPr {
    /// Queue and worker name.
    pub const NAME: &'static str = "ingest-pr";

    /// `ingest-pr-{repoId}-{prId}-{headSha}`, normalised.
    pub fn idempotency_key(&self) -> String {
        normalise_key(&format!(
            "{}-{}-{}-{}",
            Self::NAME,
            self.repo_id,
            self.pr_id,
            self.head_sha
        ))
    }
}

/// Analyse a repository's issues whose text changed, then relate its open PRs to them
/// again (an `issues` webhook).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyseIssues {
    /// Our repository id.
    pub repo_id: i64,
    /// The issue that changed.
    pub number: i64,
    /// Hash of its new text.
    pub content_hash: String,
}

impl AnalyseIssues {
    /// Queue and worker name.
    pub const NAME: &'static str = "analyse-issues";

    /// `analyse-issues-{repoId}-{number}-{contentHash}`, normalised: a replayed or
    /// text-neutral event (closed, labelled the same) adds nothing.
    pub fn idempotency_key(&self) -> String {
        normalise_key(&format!(
            "{}-{}-{}-{}",
            Self::NAME,
            self.repo_id,
            self.number,
            self.content_hash
        ))
    }
}

/// Lower-cases and replaces every character outside `[a-z0-9._-]` with `-`.
pub fn normalise_key(raw: &str) -> String {
    raw.chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_key_is_lowercased_and_sanitised() {
        let job = PublicPrScan {
            owner: "Acme".into(),
            repo: "Web.App".into(),
            snapshot: "2026-11-22T14:00:00Z".into(),
            max_open_prs: None,
        };
        assert_eq!(
            job.idempotency_key(),
            "public-pr-scan-acme-web.app-2026-11-22t14-00-00z"
        );
    }

    #[test]
    fn ingest_key_names_repo_pr_and_head() {
        let job = IngestPr {
            repo_id: 7,
            pr_number: 12,
            pr_id: 99001,
            head_sha: "ABC123".into(),
        };
        assert_eq!(job.idempotency_key(), "ingest-pr-7-99001-abc123");
    }

    #[test]
    fn non_ascii_becomes_dashes() {
        assert_eq!(normalise_key("a/b c\u{e9}"), "a-b-c-");
    }

    #[test]
    fn payloads_use_camel_case() {
        let job = IngestPr {
            repo_id: 1,
            pr_number: 2,
            pr_id: 3,
            head_sha: "s".into(),
        };
        let json = serde_json::to_value(&job).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({"repoId":1,"prNumber":2,"prId":3,"headSha":"s"})
        );
    }
}
