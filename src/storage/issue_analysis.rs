//! What the issue engine derives: issue fingerprints with their term and retrieval
//! keys, duplicate-issue edges, PR ↔ issue links, and scope verdicts.

use clawtriage_triage::IssueVersions;
use sqlx::PgExecutor;

/// An issue whose text changed (or was never analysed with these versions).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingIssue {
    /// Our id.
    pub id: i64,
    /// Number.
    pub number: i32,
    /// open / closed.
    pub state: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: Option<String>,
    /// Label names.
    pub labels: Vec<String>,
    /// Hash of the text the fingerprint is of.
    pub content_hash: String,
}

/// Issues of `repo_id` needing (re-)analysis: no fingerprint, another text, or other
/// versions. Closed issues are analysed too (an open one may repeat them).
pub async fn pending(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    versions: &IssueVersions,
) -> Result<Vec<PendingIssue>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.number, i.state, i.title, i.body, i.labels, i.content_hash
         FROM issues i LEFT JOIN issue_fingerprints f ON f.issue_id = i.id
         WHERE i.repo_id = $1
           AND (f.issue_id IS NULL OR f.content_hash <> i.content_hash
                OR f.signature_version <> $2 OR f.algorithm_version <> $3 OR f.config_version <> $4)
         ORDER BY i.number",
    )
    .bind(repo_id)
    .bind(&versions.signature)
    .bind(&versions.algorithm)
    .bind(&versions.config)
    .fetch_all(db)
    .await
}

/// A fingerprint to store with its keys.
#[derive(Debug, Clone)]
pub struct NewIssueFingerprint<'a> {
    /// The issue.
    pub issue_id: i64,
    /// Its repository.
    pub repo_id: i64,
    /// Hash of the text fingerprinted.
    pub content_hash: &'a str,
    /// Versions.
    pub versions: &'a IssueVersions,
    /// The fingerprint.
    pub fingerprint: &'a serde_json::Value,
    /// Every term key (document frequencies).
    pub term_keys: &'a [i64],
    /// Retrieval keys.
    pub index_keys: &'a [i64],
}

/// Stores an issue's fingerprint and replaces its term and retrieval keys.
pub async fn store_fingerprint(
    tx: &mut sqlx::PgConnection,
    new: &NewIssueFingerprint<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO issue_fingerprints (issue_id, content_hash, signature_version, algorithm_version,
                                         config_version, fingerprint)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (issue_id) DO UPDATE SET content_hash = EXCLUDED.content_hash,
             signature_version = EXCLUDED.signature_version, algorithm_version = EXCLUDED.algorithm_version,
             config_version = EXCLUDED.config_version, fingerprint = EXCLUDED.fingerprint, analysed_at = now()",
    )
    .bind(new.issue_id)
    .bind(new.content_hash)
    .bind(&new.versions.signature)
    .bind(&new.versions.algorithm)
    .bind(&new.versions.config)
    .bind(new.fingerprint)
    .execute(&mut *tx)
    .await?;
    // Document frequencies follow the term rows; keys are applied in sorted order so
    // concurrent analyses lock the shared counters in one order.
    let mut old: Vec<i64> =
        sqlx::query_scalar("DELETE FROM issue_terms WHERE issue_id = $1 RETURNING key")
            .bind(new.issue_id)
            .fetch_all(&mut *tx)
            .await?;
    old.sort_unstable();
    sqlx::query(
        "UPDATE issue_term_df d SET df = greatest(d.df - 1, 0)
         FROM (SELECT k FROM UNNEST($2::bigint[]) AS k ORDER BY k) o
         WHERE d.repo_id = $1 AND d.key = o.k",
    )
    .bind(new.repo_id)
    .bind(&old)
    .execute(&mut *tx)
    .await?;
    let mut keys = new.term_keys.to_vec();
    keys.sort_unstable();
    keys.dedup();
    sqlx::query(
        "INSERT INTO issue_term_df (repo_id, key, df)
         SELECT $1, k, 1 FROM (SELECT k FROM UNNEST($2::bigint[]) AS k ORDER BY k) o
         ON CONFLICT (repo_id, key) DO UPDATE SET df = issue_term_df.df + 1",
    )
    .bind(new.repo_id)
    .bind(&keys)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO issue_terms (repo_id, key, issue_id)
         SELECT $1, k, $2 FROM UNNEST($3::bigint[]) AS k ON CONFLICT DO NOTHING",
    )
    .bind(new.repo_id)
    .bind(new.issue_id)
    .bind(&keys)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM issue_index_keys WHERE issue_id = $1")
        .bind(new.issue_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO issue_index_keys (repo_id, key, issue_id)
         SELECT $1, k, $2 FROM UNNEST($3::bigint[]) AS k ON CONFLICT DO NOTHING",
    )
    .bind(new.repo_id)
    .bind(new.issue_id)
    .bind(new.index_keys)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Issues sharing retrieval keys with `keys` (other than `exclude`), best first by the
/// summed idf of the shared keys over `documents` issues, at most `limit`. Keys in more
/// than `max_postings` issues are ignored (too common to discriminate, costly to read).
pub async fn candidates(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    exclude: Option<i64>,
    keys: &[i64],
    documents: u64,
    max_postings: i64,
    limit: i64,
) -> Result<Vec<(i64, f64)>, sqlx::Error> {
    sqlx::query_as(
        // The weight is the BM25 idf the engine scores with, from the kept frequencies.
        "WITH useful AS (
             SELECT d.key, ln(1.0 + (greatest($4::float8, d.df) - d.df + 0.5) / (d.df + 0.5)) AS w
             FROM issue_term_df d
             WHERE d.repo_id = $1 AND d.key = ANY($3) AND d.df BETWEEN 1 AND $5
         )
         SELECT i.issue_id, sum(u.w)::float8 AS weight
         FROM issue_index_keys i JOIN useful u ON u.key = i.key
         WHERE i.repo_id = $1 AND i.issue_id IS DISTINCT FROM $2
         GROUP BY i.issue_id
         ORDER BY weight DESC, i.issue_id
         LIMIT $6",
    )
    .bind(repo_id)
    .bind(exclude)
    .bind(keys)
    .bind(documents as f64)
    .bind(max_postings)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A stored issue fingerprint with what scoring needs of its issue.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredIssueFingerprint {
    /// The issue.
    pub issue_id: i64,
    /// Number.
    pub number: i32,
    /// open / closed.
    pub state: String,
    /// The fingerprint (JSON of `IssueFingerprint`).
    pub fingerprint: serde_json::Value,
}

/// Fingerprints of `ids` (those that have one).
pub async fn fingerprints(
    db: impl PgExecutor<'_>,
    ids: &[i64],
) -> Result<Vec<StoredIssueFingerprint>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.issue_id, i.number, i.state, f.fingerprint
         FROM issue_fingerprints f JOIN issues i ON i.id = f.issue_id
         WHERE f.issue_id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(db)
    .await
}

/// How many issues of `repo_id` are analysed (the `N` of idf).
pub async fn document_count(db: impl PgExecutor<'_>, repo_id: i64) -> Result<u64, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM issue_fingerprints f JOIN issues i ON i.id = f.issue_id
         WHERE i.repo_id = $1",
    )
    .bind(repo_id)
    .fetch_one(db)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Document frequencies of `keys` in `repo_id`.
pub async fn document_frequencies(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    keys: &[i64],
) -> Result<Vec<(i64, u64)>, sqlx::Error> {
    let counts: Vec<(i64, i32)> = sqlx::query_as(
        "SELECT key, df FROM issue_term_df WHERE repo_id = $1 AND key = ANY($2) AND df > 0",
    )
    .bind(repo_id)
    .bind(keys)
    .fetch_all(db)
    .await?;
    Ok(counts
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// A scored issue pair to store, low id first.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIssueEdge {
    /// Smaller issue id.
    pub issue_low: i64,
    /// Larger issue id.
    pub issue_high: i64,
    /// DUPLICATE or RELATED.
    pub category: String,
    /// Score.
    pub score: f64,
    /// Every similarity value.
    pub scores: serde_json::Value,
    /// Evidence.
    pub evidence: serde_json::Value,
    /// `issue_rules.yaml` version.
    pub config_version: String,
}

/// Replaces the edges of `issue_id` with `edges` (its text changed: old pairs go).
pub async fn replace_edges(
    tx: &mut sqlx::PgConnection,
    repo_id: i64,
    issue_id: i64,
    edges: &[NewIssueEdge],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM issue_edges WHERE issue_low = $1 OR issue_high = $1")
        .bind(issue_id)
        .execute(&mut *tx)
        .await?;
    // One statement for all of them (up to the candidate limit per issue).
    macro_rules! column {
        ($field:ident) => {
            edges.iter().map(|e| e.$field.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query(
        "INSERT INTO issue_edges (repo_id, issue_low, issue_high, category, score, scores, evidence, config_version)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::bigint[], $4::text[], $5::float8[], $6::jsonb[],
                                  $7::jsonb[], $8::text[])
         ON CONFLICT (issue_low, issue_high) DO UPDATE SET category = EXCLUDED.category,
             score = EXCLUDED.score, scores = EXCLUDED.scores, evidence = EXCLUDED.evidence,
             config_version = EXCLUDED.config_version, updated_at = now()",
    )
    .bind(repo_id)
    .bind(column!(issue_low))
    .bind(column!(issue_high))
    .bind(column!(category))
    .bind(column!(score))
    .bind(column!(scores))
    .bind(column!(evidence))
    .bind(column!(config_version))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An issue's duplicate or related issue, seen from the issue.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct IssueEdgeView {
    /// The other issue.
    pub other_issue_id: i64,
    /// Its number.
    pub other_number: i32,
    /// Its title.
    pub other_title: String,
    /// Its state.
    pub other_state: String,
    /// DUPLICATE or RELATED.
    pub category: String,
    /// Score.
    pub score: f64,
    /// Every similarity value.
    pub scores: serde_json::Value,
    /// Evidence.
    pub evidence: serde_json::Value,
}

/// Edges of `issue_id`, strongest first.
pub async fn edges_for_issue(
    db: impl PgExecutor<'_>,
    issue_id: i64,
) -> Result<Vec<IssueEdgeView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id AS other_issue_id, o.number AS other_number, o.title AS other_title,
                o.state AS other_state, e.category, e.score, e.scores, e.evidence
         FROM issue_edges e
         JOIN issues o ON o.id = CASE WHEN e.issue_low = $1 THEN e.issue_high ELSE e.issue_low END
         WHERE e.issue_low = $1 OR e.issue_high = $1
         ORDER BY (e.category = 'DUPLICATE') DESC, e.score DESC, o.number",
    )
    .bind(issue_id)
    .fetch_all(db)
    .await
}

/// The inputs a PR's links and scope are computed from.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PrTextInputs {
    /// The PR.
    pub pr_id: i64,
    /// Head they are of.
    pub head_sha: String,
    /// `PrLinkInput` JSON.
    pub link_input: serde_json::Value,
    /// `ScopeInput` JSON.
    pub scope_input: serde_json::Value,
}

/// Remembers a PR's link and scope inputs at `head_sha`.
pub async fn put_text_inputs(
    db: impl PgExecutor<'_>,
    inputs: &PrTextInputs,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pr_text_inputs (pr_id, head_sha, link_input, scope_input) VALUES ($1, $2, $3, $4)
         ON CONFLICT (pr_id) DO UPDATE SET head_sha = EXCLUDED.head_sha, link_input = EXCLUDED.link_input,
             scope_input = EXCLUDED.scope_input, updated_at = now()",
    )
    .bind(inputs.pr_id)
    .bind(&inputs.head_sha)
    .bind(&inputs.link_input)
    .bind(&inputs.scope_input)
    .execute(db)
    .await
    .map(|_| ())
}

/// The inputs of the open PRs of `repo_id` at their current heads.
pub async fn open_text_inputs(
    db: impl PgExecutor<'_>,
    repo_id: i64,
) -> Result<Vec<PrTextInputs>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.pr_id, t.head_sha, t.link_input, t.scope_input
         FROM pr_text_inputs t JOIN pull_requests p ON p.id = t.pr_id AND p.head_sha = t.head_sha
         WHERE p.repo_id = $1 AND p.state = 'open'
         ORDER BY p.number",
    )
    .bind(repo_id)
    .fetch_all(db)
    .await
}

/// A PR → issue link to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLink {
    /// The issue.
    pub issue_id: i64,
    /// EXPLICIT, BRANCH, MENTIONED or SUGGESTED.
    pub kind: String,
    /// Confidence.
    pub score: f64,
    /// Evidence.
    pub evidence: serde_json::Value,
}

/// Replaces the links of `pr_id`.
pub async fn replace_links(
    tx: &mut sqlx::PgConnection,
    pr_id: i64,
    links: &[NewLink],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM pr_issue_links WHERE pr_id = $1")
        .bind(pr_id)
        .execute(&mut *tx)
        .await?;
    macro_rules! column {
        ($field:ident) => {
            links.iter().map(|l| l.$field.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query(
        "INSERT INTO pr_issue_links (pr_id, issue_id, kind, score, evidence)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::text[], $4::float8[], $5::jsonb[])
         ON CONFLICT (pr_id, issue_id) DO NOTHING",
    )
    .bind(pr_id)
    .bind(column!(issue_id))
    .bind(column!(kind))
    .bind(column!(score))
    .bind(column!(evidence))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A link between a PR and an issue, with both sides' numbers and titles.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LinkView {
    /// The PR's number.
    pub pr_number: i32,
    /// The PR's title.
    pub pr_title: String,
    /// The PR's state.
    pub pr_state: String,
    /// The issue's number.
    pub issue_number: i32,
    /// The issue's title.
    pub issue_title: String,
    /// The issue's state.
    pub issue_state: String,
    /// EXPLICIT, BRANCH, MENTIONED or SUGGESTED.
    pub kind: String,
    /// Confidence.
    pub score: f64,
    /// Evidence.
    pub evidence: serde_json::Value,
}

const LINK_VIEW: &str = "SELECT p.number AS pr_number, p.title AS pr_title, p.state AS pr_state,
        i.number AS issue_number, i.title AS issue_title, i.state AS issue_state,
        l.kind, l.score, l.evidence
 FROM pr_issue_links l JOIN pull_requests p ON p.id = l.pr_id JOIN issues i ON i.id = l.issue_id";

/// Links of a PR, explicit kinds first, then by score.
pub async fn links_for_pr(
    db: impl PgExecutor<'_>,
    pr_id: i64,
) -> Result<Vec<LinkView>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LINK_VIEW} WHERE l.pr_id = $1 ORDER BY (l.kind = 'SUGGESTED'), l.score DESC, i.number"
    )))
    .bind(pr_id)
    .fetch_all(db)
    .await
}

/// Links to an issue, explicit kinds first, then by score.
pub async fn links_for_issue(
    db: impl PgExecutor<'_>,
    issue_id: i64,
) -> Result<Vec<LinkView>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LINK_VIEW} WHERE l.issue_id = $1 ORDER BY (l.kind = 'SUGGESTED'), l.score DESC, p.number"
    )))
    .bind(issue_id)
    .fetch_all(db)
    .await
}

/// A PR's scope verdict.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ScopeRow {
    /// The PR.
    pub pr_id: i64,
    /// Head judged.
    pub head_sha: String,
    /// IN_SCOPE, OUT_OF_SCOPE or UNCERTAIN.
    pub verdict: String,
    /// Confidence.
    pub confidence: f64,
    /// Reasons (JSON array).
    pub reasons: serde_json::Value,
    /// Hash of the vision document used.
    pub vision_hash: Option<String>,
}

/// Stores a PR's scope verdict.
pub async fn put_scope(db: impl PgExecutor<'_>, row: &ScopeRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pr_scope (pr_id, head_sha, verdict, confidence, reasons, vision_hash)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (pr_id) DO UPDATE SET head_sha = EXCLUDED.head_sha, verdict = EXCLUDED.verdict,
             confidence = EXCLUDED.confidence, reasons = EXCLUDED.reasons,
             vision_hash = EXCLUDED.vision_hash, updated_at = now()",
    )
    .bind(row.pr_id)
    .bind(&row.head_sha)
    .bind(&row.verdict)
    .bind(row.confidence)
    .bind(&row.reasons)
    .bind(&row.vision_hash)
    .execute(db)
    .await
    .map(|_| ())
}

/// A PR's scope verdict at its current head, if any.
pub async fn scope_for_pr(
    db: impl PgExecutor<'_>,
    pr_id: i64,
) -> Result<Option<ScopeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.pr_id, s.head_sha, s.verdict, s.confidence, s.reasons, s.vision_hash
         FROM pr_scope s JOIN pull_requests p ON p.id = s.pr_id AND p.head_sha = s.head_sha
         WHERE s.pr_id = $1",
    )
    .bind(pr_id)
    .fetch_optional(db)
    .await
}

/// Ids of the issues of `repo_id` with these numbers, as (number, id).
pub async fn ids_by_number(
    db: impl PgExecutor<'_>,
    repo_id: i64,
    numbers: &[i32],
) -> Result<Vec<(i32, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT number, id FROM issues WHERE repo_id = $1 AND number = ANY($2)")
        .bind(repo_id)
        .bind(numbers)
        .fetch_all(db)
        .await
}
