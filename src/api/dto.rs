//! The API's response and request bodies. Handlers build these typed values; the
//! OpenAPI document is generated from the same types, so it cannot drift from what is
//! served.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// A specific code and a human-readable message.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_owner`.
    pub code: String,
    /// What is wrong, for a human.
    pub message: String,
}

/// `GET /api/health`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// Both stores answer.
    pub ok: bool,
    /// `ok` or `unreachable`.
    pub postgres: &'static str,
    /// `ok` or `unreachable`.
    pub redis: &'static str,
    /// Server version.
    pub version: &'static str,
}

/// `POST /api/ops/public-scan` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TriggerBody {
    /// Repository owner, `[A-Za-z0-9_.-]+`.
    pub owner: String,
    /// Repository name, `[A-Za-z0-9_.-]+`.
    pub repo: String,
    /// At most this many open PRs, 1..=1000.
    #[schema(minimum = 1, maximum = 1000)]
    pub max_open_prs: Option<u32>,
    /// `[A-Za-z0-9._:-]{1,120}`; default: the current time.
    pub snapshot: Option<String>,
}

/// Answer to a trigger.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TriggerResponse {
    /// Whether this call enqueued the scan.
    pub enqueued: bool,
    /// Poll `GET /api/ops/scans/{jobId}`.
    pub job_id: Uuid,
    /// Owner.
    pub owner: String,
    /// Repository.
    pub repo: String,
    /// Snapshot.
    pub snapshot: String,
}

/// A scan's status and progress.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanStatus {
    /// The scan id.
    pub job_id: Uuid,
    /// Owner.
    pub owner: String,
    /// Repository.
    pub repo: String,
    /// Snapshot.
    pub snapshot: String,
    /// PR cap.
    pub max_open_prs: Option<i32>,
    /// Repository id once known.
    pub repo_id: Option<i64>,
    /// queued / running / done / partial / failed.
    pub status: String,
    /// 0..1.
    pub progress: f64,
    /// Counts.
    pub counts: ScanCounts,
    /// GitHub usage.
    pub github: GithubUsage,
    /// Why the scan failed.
    pub error: Option<String>,
    /// Trigger time.
    pub created_at: DateTime<Utc>,
    /// Start.
    pub started_at: Option<DateTime<Utc>>,
    /// End.
    pub finished_at: Option<DateTime<Utc>>,
}

/// A scan's counts.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanCounts {
    /// Open PRs listed.
    pub listed: i32,
    /// Ingests enqueued.
    pub enqueued: i32,
    /// PRs skipped, already analysed at their head.
    pub skipped_unchanged: i32,
    /// PRs analysed.
    pub analysed: i32,
    /// PRs failed.
    pub failed: i32,
}

/// GitHub usage of a scan.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GithubUsage {
    /// Requests made.
    pub requests: i32,
    /// Answered 304 (free on GitHub).
    pub not_modified: i32,
    /// Budget left when last seen.
    pub rate_limit_remaining: Option<i32>,
    /// When the budget resets.
    pub rate_limit_reset_at: Option<DateTime<Utc>>,
}

/// `GET /api/ops/scans`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanList {
    /// Newest first.
    pub scans: Vec<ScanStatus>,
}

/// A repository with its counts.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Repo {
    /// Id.
    pub repo_id: i64,
    /// Owner.
    pub owner: String,
    /// Name.
    pub name: String,
    /// Default branch.
    pub default_branch: String,
    /// Processed by scans and webhooks.
    pub is_active: bool,
    /// Web URL.
    pub html_url: Option<String>,
    /// Open PRs.
    pub open_prs: i64,
    /// Open PRs analysed at their head.
    pub analysed_prs: i64,
    /// Open PRs whose analysis failed.
    pub failed_prs: i64,
}

/// `GET /api/repos`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RepoList {
    /// Repositories by name.
    pub repos: Vec<Repo>,
}

/// The strongest candidate of a queued PR.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TopSuggestion {
    /// The other PR.
    pub candidate_pr_number: i32,
    /// Category.
    pub category: Option<String>,
    /// Final score.
    pub score: Option<f64>,
}

/// A row of the triage queue.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueItem {
    /// Repository.
    pub repo_id: i64,
    /// PR number.
    pub pr_number: i32,
    /// GitHub's PR id.
    pub pr_id: i64,
    /// Head.
    pub head_sha: String,
    /// Title.
    pub title: String,
    /// Author.
    pub author_login: Option<String>,
    /// OPEN / CLOSED / MERGED.
    pub state: String,
    /// Updated on GitHub.
    pub updated_at: Option<DateTime<Utc>>,
    /// PENDING / ANALYSED / DEGRADED / FAILED.
    pub analysis_status: String,
    /// Strongest candidate.
    pub top_suggestion: Option<TopSuggestion>,
    /// A candidate at or above the review threshold and no feedback yet.
    pub needs_review: bool,
}

/// `GET /api/repos/{repoId}/triage-queue`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueuePage {
    /// Strongest candidate first.
    pub items: Vec<QueueItem>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A PR's analysis state.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// PENDING / ANALYSED / DEGRADED / FAILED.
    pub status: String,
    /// Why it failed or is degraded.
    pub error: Option<String>,
    /// Head of the stored analysis.
    pub analysed_head_sha: Option<String>,
}

/// A PR's size.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Size {
    /// Files changed.
    pub changed_files: Option<i32>,
    /// Lines added.
    pub additions: Option<i32>,
    /// Lines removed.
    pub deletions: Option<i32>,
}

/// Files per channel.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Channels {
    /// Production files.
    pub production_files: i64,
    /// Test files.
    pub test_files: i64,
    /// Documentation files.
    pub doc_files: i64,
    /// Agent metadata files.
    pub meta_files: i64,
}

/// `GET /api/repos/{repoId}/prs/{n}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrDetail {
    /// Repository.
    pub repo_id: i64,
    /// Number.
    pub pr_number: i32,
    /// GitHub's id.
    pub pr_id: i64,
    /// OPEN / CLOSED / MERGED.
    pub state: String,
    /// Draft.
    pub is_draft: bool,
    /// Title.
    pub title: String,
    /// Body.
    pub body: Option<String>,
    /// Author.
    pub author_login: Option<String>,
    /// Web URL.
    pub url: Option<String>,
    /// Base branch.
    pub base_ref: Option<String>,
    /// Base commit.
    pub base_sha: Option<String>,
    /// Head commit.
    pub head_sha: String,
    /// Opened.
    pub created_at: Option<DateTime<Utc>>,
    /// Updated.
    pub updated_at: Option<DateTime<Utc>>,
    /// Closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Merged.
    pub merged_at: Option<DateTime<Utc>>,
    /// Analysis.
    pub analysis: Analysis,
    /// Size.
    pub size: Size,
    /// Channels.
    pub channels: Channels,
    /// The current duplicate set it belongs to.
    pub duplicate_set_id: Option<i64>,
    /// A merged PR carrying the same change, when there is one.
    pub already_landed: Option<LandedIn>,
    /// Issues it links to, explicit kinds first, then by score.
    pub issue_links: Vec<IssueLink>,
    /// The scope assist's verdict at the current head (advisory), when there is one.
    pub scope: Option<ScopeVerdict>,
}

/// The merged PR an open PR repeats.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LandedIn {
    /// The merged PR.
    pub pr_number: i32,
    /// SAME_CHANGE or SAME_FEATURE.
    pub category: String,
    /// 0..1.
    pub score: f64,
}

/// `GET /api/repos/{repoId}/prs/{n}/files`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileList {
    /// Number.
    pub pr_number: i32,
    /// Head the files are of.
    pub head_sha: Option<String>,
    /// Files by path.
    pub files: Vec<crate::storage::prs::FileRow>,
}

/// A ranked candidate of a PR.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// 1 = strongest.
    pub rank: usize,
    /// The other PR.
    pub candidate_pr_number: i32,
    /// Its head when scored.
    pub candidate_head_sha: String,
    /// Its state.
    pub candidate_state: String,
    /// Its title.
    pub candidate_title: String,
    /// SAME_CHANGE / SAME_FEATURE / COMPETING_IMPLEMENTATION / RELATED.
    pub category: String,
    /// 0..1.
    pub final_score: f64,
    /// Every similarity value.
    #[schema(value_type = Object)]
    pub scores: serde_json::Value,
    /// Overlapping paths, symbols, tests, docs, lines.
    #[schema(value_type = Object)]
    pub evidence: serde_json::Value,
    /// Which side of the evidence (`a` or `b`) is this PR.
    pub evidence_side: &'static str,
}

/// `GET /api/repos/{repoId}/prs/{n}/candidates`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CandidateList {
    /// Number.
    pub pr_number: i32,
    /// Current head.
    pub head_sha: String,
    /// Strongest first.
    pub candidates: Vec<Candidate>,
}

/// `POST /api/repos/{repoId}/feedback` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeedbackBody {
    /// The PR decided on.
    pub pr_number: i32,
    /// Its head as the maintainer saw it (409 when no longer current, unless `force`).
    pub head_sha: Option<String>,
    /// The other PR, for pair decisions.
    pub candidate_pr_number: Option<i32>,
    /// Its head as seen.
    pub candidate_head_sha: Option<String>,
    /// DUPLICATE, SAME_FEATURE, COMPETING, RELATED, NOT_RELATED, BASE, OUT_OF_SCOPE.
    pub decision: String,
    /// The base picked (BASE).
    pub base_pr_number: Option<i32>,
    /// Notes, at most 2000 characters.
    pub notes: Option<String>,
    /// Apply even if `headSha` is stale.
    #[serde(default)]
    pub force: bool,
}

/// Answer to a feedback write.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackSaved {
    /// Always true.
    pub saved: bool,
    /// Id.
    pub feedback_id: Uuid,
}

/// `GET /api/repos/{repoId}/prs/{n}/feedback`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackList {
    /// Number.
    pub pr_number: i32,
    /// Current head.
    pub head_sha: String,
    /// Newest first, either side of a pair.
    pub feedback: Vec<crate::storage::feedback::FeedbackView>,
}

/// A member PR of a duplicate set.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetMember {
    /// Number.
    pub pr_number: i32,
    /// Title.
    pub title: String,
    /// Author.
    pub author_login: Option<String>,
    /// OPEN / CLOSED / MERGED.
    pub state: String,
    /// Web URL.
    pub url: Option<String>,
    /// Opened on GitHub.
    pub created_at: Option<DateTime<Utc>>,
    /// Whether it is the suggested base.
    pub is_base: bool,
}

/// A scored pair inside a set; `a` is the evidence's first side.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetEdge {
    /// One side.
    pub a: i32,
    /// The other side.
    pub b: i32,
    /// Category.
    pub category: String,
    /// 0..1.
    pub final_score: f64,
    /// Every similarity value.
    #[schema(value_type = Object)]
    pub scores: serde_json::Value,
    /// Overlapping paths, symbols, tests, docs, lines.
    #[schema(value_type = Object)]
    pub evidence: serde_json::Value,
}

/// The suggested base of a set and why.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedBase {
    /// Number.
    pub pr_number: i32,
    /// Why this one.
    pub reason: Option<String>,
}

/// A duplicate set.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateSet {
    /// Id, stable across scans while membership overlaps.
    pub set_id: i64,
    /// OPEN (current) or CLOSED (history).
    pub state: String,
    /// Categories of its edges, strongest first.
    pub categories: Vec<String>,
    /// Strongest edge.
    pub max_score: f64,
    /// Members.
    pub member_count: i32,
    /// Suggested base.
    pub suggested_base: Option<SuggestedBase>,
    /// Base first, then by number.
    pub members: Vec<SetMember>,
    /// Strongest edges first.
    pub edges: Vec<SetEdge>,
    /// Maintainer decisions on its members (the set's own page only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Vec<crate::storage::feedback::FeedbackView>>,
    /// First found.
    pub created_at: DateTime<Utc>,
    /// Last recomputed.
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/repos/{repoId}/duplicate-sets`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateSetPage {
    /// Strongest first.
    pub sets: Vec<DuplicateSet>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// An issue in the list, with what the issue engine found about it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueItem {
    /// Number.
    pub issue_number: i32,
    /// Title.
    pub title: String,
    /// OPEN / CLOSED.
    pub state: String,
    /// Why it was closed: completed / not_planned / duplicate (or reopened).
    pub state_reason: Option<String>,
    /// Label names.
    pub labels: Vec<String>,
    /// Author.
    pub author_login: Option<String>,
    /// Opened on GitHub.
    pub created_at: Option<DateTime<Utc>>,
    /// Web URL.
    pub html_url: Option<String>,
    /// PENDING / ANALYSED / DEGRADED / FAILED.
    pub analysis_status: String,
    /// Issues it duplicates (DUPLICATE edges).
    pub duplicate_count: usize,
    /// Their numbers, ascending (issues of any state, whatever the `state` filter).
    pub duplicates: Vec<i32>,
    /// Related issues (RELATED edges).
    pub related_count: i64,
    /// PRs linked to it, any kind (explicit, branch, mentioned, suggested).
    pub linked_pr_count: i64,
}

/// `GET /api/repos/{repoId}/issues`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssuePage {
    /// Issues with a duplicate first, then the rest; newest first within each.
    pub items: Vec<IssueItem>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A duplicate or related issue, seen from the issue.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueRelation {
    /// The other issue.
    pub issue_number: i32,
    /// Its title.
    pub title: String,
    /// Its state, OPEN / CLOSED.
    pub state: String,
    /// DUPLICATE or RELATED.
    pub category: String,
    /// 0..1.
    pub score: f64,
    /// Every similarity value (the engine's `IssueScores`: terms, title, frames,
    /// specificShare, sharedFacts).
    #[schema(value_type = Object)]
    pub scores: serde_json::Value,
    /// Why (the engine's `IssueEvidence`: sharedTerms by kind, sharedErrors,
    /// sharedFrames, titleSimilarity, notes).
    #[schema(value_type = Object)]
    pub evidence: serde_json::Value,
}

/// A link between a PR and an issue, both sides named.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueLink {
    /// The PR.
    pub pr_number: i32,
    /// Its title.
    pub pr_title: String,
    /// OPEN / CLOSED / MERGED.
    pub pr_state: String,
    /// The issue.
    pub issue_number: i32,
    /// Its title.
    pub issue_title: String,
    /// OPEN / CLOSED.
    pub issue_state: String,
    /// EXPLICIT (closing keyword), BRANCH (head branch names the issue), MENTIONED
    /// (a bare reference) or SUGGESTED (text similarity only).
    pub kind: String,
    /// Confidence, 0..1.
    pub score: f64,
    /// Why (the engine's `LinkEvidence`: references, similarity, sharedIdentifiers,
    /// issuePathsTouched, sharedErrors, sharedTerms).
    #[schema(value_type = Object)]
    pub evidence: serde_json::Value,
}

/// `GET /api/repos/{repoId}/issues/{number}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueDetail {
    /// Repository.
    pub repo_id: i64,
    /// Number.
    pub issue_number: i32,
    /// OPEN / CLOSED.
    pub state: String,
    /// Why it was closed.
    pub state_reason: Option<String>,
    /// Title.
    pub title: String,
    /// Body, as the author wrote it (Markdown source; show it as text).
    pub body: Option<String>,
    /// Author.
    pub author_login: Option<String>,
    /// Label names.
    pub labels: Vec<String>,
    /// Web URL.
    pub html_url: Option<String>,
    /// Comment count.
    pub comments: i32,
    /// Opened.
    pub created_at: Option<DateTime<Utc>>,
    /// Updated.
    pub updated_at: Option<DateTime<Utc>>,
    /// Closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// PENDING / ANALYSED / DEGRADED / FAILED, for the current text.
    pub analysis_status: String,
    /// Issues reporting the same problem, strongest first.
    pub duplicates: Vec<IssueRelation>,
    /// Issues worth a look, strongest first.
    pub related: Vec<IssueRelation>,
    /// PRs linked to it, explicit kinds first, then by score.
    pub linked_prs: Vec<IssueLink>,
}

/// The scope assist's advisory verdict on a PR at its current head.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScopeVerdict {
    /// IN_SCOPE, OUT_OF_SCOPE or UNCERTAIN.
    pub verdict: String,
    /// 0..1.
    pub confidence: f64,
    /// The engine's `ScopeReason`s: kind, direction (IN/OUT/UNCERTAIN/NEUTRAL), weight,
    /// source, rule, matched, message.
    #[schema(value_type = Vec<Object>)]
    pub reasons: serde_json::Value,
}

/// An open PR on the scope page.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScopeItem {
    /// Number.
    pub pr_number: i32,
    /// Title.
    pub title: String,
    /// Author.
    pub author_login: Option<String>,
    /// Head judged (the current one).
    pub head_sha: String,
    /// Updated on GitHub.
    pub updated_at: Option<DateTime<Utc>>,
    /// IN_SCOPE, OUT_OF_SCOPE or UNCERTAIN.
    pub verdict: String,
    /// 0..1.
    pub confidence: f64,
    /// As in [`ScopeVerdict`].
    #[schema(value_type = Vec<Object>)]
    pub reasons: serde_json::Value,
}

/// The repository's vision document, as last fetched.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisionDocument {
    /// Path in the repository (`VISION_PATH`).
    pub path: String,
    /// Whether the repository has one (without it only path rules and policies judge).
    pub present: bool,
    /// When it was last fetched.
    pub fetched_at: Option<DateTime<Utc>>,
}

/// Open PRs per verdict.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScopeCounts {
    /// OUT_OF_SCOPE.
    pub out_of_scope: i64,
    /// UNCERTAIN.
    pub uncertain: i64,
    /// IN_SCOPE.
    pub in_scope: i64,
    /// No verdict at the current head yet.
    pub not_judged: i64,
}

/// `GET /api/repos/{repoId}/scope`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScopePage {
    /// The vision document verdicts are judged by.
    pub vision: VisionDocument,
    /// Open PRs per verdict (all verdicts, whatever the filter).
    pub counts: ScopeCounts,
    /// OUT_OF_SCOPE first, then UNCERTAIN, then IN_SCOPE; most confident first within each.
    pub items: Vec<ScopeItem>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}
