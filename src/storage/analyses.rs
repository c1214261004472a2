//! Analysis runs (one per PR head and engine version) and the fingerprints they hold.

use sqlx::PgExecutor;

/// The engine versions an analysis was made with; a change in any means re-analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineVersions {
    /// Fingerprint layout version.
    pub signature: i32,
    /// Scoring algorithm version.
    pub algorithm: i32,
    /// Content hash of the rules and thresholds.
    pub config: String,
}

/// A finished analysis to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAnalysis<'a> {
    /// PR.
    pub pr_id: i64,
    /// Head analysed.
    pub head_sha: &'a str,
    /// Engine versions.
    pub versions: &'a EngineVersions,
    /// ANALYSED / DEGRADED / FAILED.
    pub status: &'a str,
    /// Why it is degraded.
    pub degraded_reasons: &'a [String],
    /// Why it failed.
    pub error: Option<&'a str>,
    /// The fingerprint (absent for failures).
    pub fingerprint: Option<&'a serde_json::Value>,
}

/// Stores an analysis; a second one for the same head and versions replaces it (a
/// retried job after a crash).
pub async fn upsert(
    db: impl PgExecutor<'_>,
    analysis: &NewAnalysis<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO analysis_runs (pr_id, head_sha, signature_version, algorithm_version, config_version,
                                    status, degraded_reasons, error, fingerprint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (pr_id, head_sha, signature_version, algorithm_version, config_version) DO UPDATE
           SET status = EXCLUDED.status, degraded_reasons = EXCLUDED.degraded_reasons,
               error = EXCLUDED.error, fingerprint = EXCLUDED.fingerprint, created_at = now()
         RETURNING id",
    )
    .bind(analysis.pr_id)
    .bind(analysis.head_sha)
    .bind(analysis.versions.signature)
    .bind(analysis.versions.algorithm)
    .bind(&analysis.versions.config)
    .bind(analysis.status)
    .bind(analysis.degraded_reasons)
    .bind(analysis.error)
    .bind(analysis.fingerprint)
    .fetch_one(db)
    .await
}

/// Of `pr_ids`, those whose current head already has a successful analysis with these
/// versions *and* whose own state says so: a scan skips them without fetching anything.
/// The run is committed before the edges and the PR's outcome, so a crash between the
/// two leaves a run whose PR is still pending; that PR must be ingested again.
pub async fn analysed_at_current_head(
    db: impl PgExecutor<'_>,
    pr_ids: &[i64],
    versions: &EngineVersions,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT p.id FROM pull_requests p
         JOIN analysis_runs a ON a.pr_id = p.id AND a.head_sha = p.head_sha
         WHERE p.id = ANY($1) AND a.status IN ('ANALYSED', 'DEGRADED')
           AND p.analysed_head_sha = p.head_sha AND p.analysis_status IN ('ANALYSED', 'DEGRADED')
           AND a.signature_version = $2 AND a.algorithm_version = $3 AND a.config_version = $4",
    )
    .bind(pr_ids)
    .bind(versions.signature)
    .bind(versions.algorithm)
    .bind(&versions.config)
    .fetch_all(db)
    .await
}

/// A PR's current head that has a fingerprint with these versions.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CurrentHead {
    /// PR.
    pub pr_id: i64,
    /// PR number.
    pub number: i32,
    /// open / closed / merged.
    pub state: String,
    /// Head the fingerprint is of.
    pub head_sha: String,
}

/// Of `pr_ids`, those with a fingerprint of their current head, without the fingerprint
/// itself (callers holding it in memory skip the transfer).
pub async fn current_heads(
    db: impl PgExecutor<'_>,
    pr_ids: &[i64],
    versions: &EngineVersions,
) -> Result<Vec<CurrentHead>, sqlx::Error> {
    current(db, pr_ids, versions, "").await
}

/// Rows of `pr_ids` at a current head fingerprinted with `versions`: the PR columns of
/// [`CurrentHead`] plus `extra` (e.g. the fingerprint).
async fn current<T>(
    db: impl PgExecutor<'_>,
    pr_ids: &[i64],
    versions: &EngineVersions,
    extra: &str,
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let sql = format!(
        "SELECT p.id AS pr_id, p.number, p.state, a.head_sha{extra}
         FROM pull_requests p
         JOIN analysis_runs a ON a.pr_id = p.id AND a.head_sha = p.head_sha
         WHERE p.id = ANY($1) AND a.fingerprint IS NOT NULL
           AND a.signature_version = $2 AND a.algorithm_version = $3 AND a.config_version = $4"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(pr_ids)
        .bind(versions.signature)
        .bind(versions.algorithm)
        .bind(&versions.config)
        .fetch_all(db)
        .await
}

/// A stored fingerprint with the PR state scoring needs.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredFingerprint {
    /// PR.
    pub pr_id: i64,
    /// PR number.
    pub number: i32,
    /// open / closed / merged.
    pub state: String,
    /// Head the fingerprint is of.
    pub head_sha: String,
    /// The fingerprint as JSON text (decoded by the engine straight into its own type,
    /// without an intermediate `Value` tree: this is the hot read of every ingest).
    pub fingerprint: String,
}

/// Current-head fingerprints of `pr_ids`, in one query (no per-candidate round trips).
pub async fn current_fingerprints(
    db: impl PgExecutor<'_>,
    pr_ids: &[i64],
    versions: &EngineVersions,
) -> Result<Vec<StoredFingerprint>, sqlx::Error> {
    current(db, pr_ids, versions, ", a.fingerprint::text AS fingerprint").await
}

/// Records the rules text behind a `config_version` (once).
pub async fn record_config(
    db: impl PgExecutor<'_>,
    config_version: &str,
    classification_rules: &str,
    thresholds: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO config_snapshots (config_version, classification_rules, thresholds)
         VALUES ($1, $2, $3) ON CONFLICT (config_version) DO NOTHING",
    )
    .bind(config_version)
    .bind(classification_rules)
    .bind(thresholds)
    .execute(db)
    .await
    .map(|_| ())
}

/// Marks the analysis of `pr_id` at `head_sha` degraded for `reason` (kept, not redone:
/// e.g. its Check Run could not be published).
pub async fn mark_degraded(
    db: impl PgExecutor<'_>,
    pr_id: i64,
    head_sha: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH runs AS (
             UPDATE analysis_runs SET status = 'DEGRADED',
                    degraded_reasons = CASE WHEN $3 = ANY(degraded_reasons) THEN degraded_reasons
                                            ELSE array_append(degraded_reasons, $3) END
             WHERE pr_id = $1 AND head_sha = $2 AND status IN ('ANALYSED', 'DEGRADED')
         )
         UPDATE pull_requests SET analysis_status = 'DEGRADED',
                analysis_error = CASE
                    WHEN analysis_error IS NULL OR analysis_error = '' THEN $3
                    WHEN position($3 in analysis_error) > 0 THEN analysis_error
                    ELSE analysis_error || '; ' || $3 END
         WHERE id = $1 AND head_sha = $2 AND analysis_status IN ('ANALYSED', 'DEGRADED')",
    )
    .bind(pr_id)
    .bind(head_sha)
    .bind(reason)
    .execute(db)
    .await
    .map(|_| ())
}
