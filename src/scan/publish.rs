//! The label and the one comment app mode may write on a likely resubmission, besides
//! its Check Run. Off unless `publishing` in `config/thresholds.yaml` turns them on, and
//! even then only for a SAME_CHANGE at or above `high_confidence`. Of the two PRs, the
//! later one (by creation) is the resubmission and is the only one written on, whichever
//! of them was analysed last. Each PR gets each at most once, ever.

use clawtriage_triage::config::Publishing;
use sqlx::PgPool;

use super::report::{escape, strongest_evidence};
use crate::github::{GithubClient, GithubError};
use crate::storage::analyses;
use crate::storage::edges::{self, EdgeView};
use crate::storage::prs::{self, PrRow};
use crate::storage::publications::{self, Publication};
use crate::storage::repos::RepoRow;

/// Hidden in our comment, so one whose creation answer got lost is recognised.
pub const COMMENT_MARKER: &str = "<!-- clawtriage:possible-duplicate -->";

/// A resubmission to write on: `pr` repeats `original`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resubmission {
    /// The later PR (open).
    pub pr: PrRow,
    /// The earlier one (open or merged).
    pub original: PrRow,
    /// The SAME_CHANGE edge between them.
    pub edge: EdgeView,
}

/// Whether `publishing` asks for any write at all.
pub fn enabled(publishing: &Publishing) -> bool {
    publishing.labels.enabled || publishing.comment.enabled
}

/// Writes the label and comment `pr`'s high-confidence SAME_CHANGE edges call for, on
/// whichever side of each is the resubmission. A write GitHub refuses degrades that PR's
/// analysis with the reason (the analysis itself stands).
pub async fn publish(
    db: &PgPool,
    github: &GithubClient,
    publishing: &Publishing,
    public_url: Option<&str>,
    repo: &RepoRow,
    pr: &PrRow,
) -> anyhow::Result<()> {
    if !enabled(publishing) {
        return Ok(());
    }
    for found in resubmissions(db, publishing, repo.id, pr).await? {
        if let Err(err) = write(db, github, publishing, public_url, repo, &found).await {
            // Hybrid mode also scans repositories the app is not installed on.
            if matches!(err.downcast_ref(), Some(GithubError::NotInstalled { .. })) {
                return Ok(());
            }
            tracing::warn!(
                pr.number = found.pr.number,
                "Label or comment not written: {err:#}"
            );
            let reason = format!("Duplicate label or comment not written: {err}");
            analyses::mark_degraded(db, found.pr.id, &found.pr.head_sha, &reason).await?;
        }
    }
    Ok(())
}

/// The resubmissions among `pr` and its high-confidence SAME_CHANGE partners.
async fn resubmissions(
    db: &PgPool,
    publishing: &Publishing,
    repo_id: i64,
    pr: &PrRow,
) -> anyhow::Result<Vec<Resubmission>> {
    let mut found = Vec::new();
    for edge in edges::for_pr(db, pr.id).await? {
        if !qualifies(publishing, &edge) {
            continue;
        }
        let Some(other) = prs::by_number(db, repo_id, edge.other_number).await? else {
            continue;
        };
        let (later, earlier) = if is_later(pr, &other) {
            (pr.clone(), other)
        } else {
            (other, pr.clone())
        };
        if later.state == "open" && matches!(earlier.state.as_str(), "open" | "merged") {
            let edge = if later.id == pr.id {
                edge
            } else {
                // Seen from the other side, the evidence names the same two PRs.
                EdgeView {
                    other_pr_id: pr.id,
                    other_number: pr.number,
                    other_head_sha: pr.head_sha.clone(),
                    other_state: pr.state.clone(),
                    other_title: pr.title.clone(),
                    is_low: !edge.is_low,
                    ..edge
                }
            };
            found.push(Resubmission {
                pr: later,
                original: earlier,
                edge,
            });
        }
    }
    Ok(found)
}

/// A SAME_CHANGE at or above the high-confidence score.
pub fn qualifies(publishing: &Publishing, edge: &EdgeView) -> bool {
    edge.category == "SAME_CHANGE" && edge.final_score >= publishing.high_confidence
}

/// Whether `a` came after `b`: created later, or the higher number when a time is
/// missing or equal.
pub fn is_later(a: &PrRow, b: &PrRow) -> bool {
    match (a.gh_created_at, b.gh_created_at) {
        (Some(x), Some(y)) if x != y => x > y,
        _ => a.number > b.number,
    }
}

async fn write(
    db: &PgPool,
    github: &GithubClient,
    publishing: &Publishing,
    public_url: Option<&str>,
    repo: &RepoRow,
    found: &Resubmission,
) -> anyhow::Result<()> {
    let pr = &found.pr;
    if publishing.labels.enabled
        && publications::claim(
            db,
            pr.id,
            Publication::Label,
            &pr.head_sha,
            found.original.id,
        )
        .await?
    {
        let labels = [publishing.labels.possible_duplicate.clone()];
        match github
            .add_labels(&repo.owner, &repo.name, pr.number, &labels)
            .await
        {
            Ok(()) => publications::complete(db, pr.id, Publication::Label, None).await?,
            Err(err) => return Err(give_back(db, pr.id, Publication::Label, err).await),
        }
    }
    if publishing.comment.enabled
        && publications::claim(
            db,
            pr.id,
            Publication::Comment,
            &pr.head_sha,
            found.original.id,
        )
        .await?
    {
        let existing = github
            .find_comment(&repo.owner, &repo.name, pr.number, COMMENT_MARKER)
            .await;
        let posted = match existing {
            Ok(Some(comment)) => Ok(comment),
            Ok(None) => {
                let body = comment(repo, found, public_url);
                github
                    .create_comment(&repo.owner, &repo.name, pr.number, &body)
                    .await
            }
            Err(err) => Err(err),
        };
        match posted {
            Ok(comment) => {
                let id = i64::try_from(comment.id).ok();
                publications::complete(db, pr.id, Publication::Comment, id).await?;
            }
            Err(err) => return Err(give_back(db, pr.id, Publication::Comment, err).await),
        }
    }
    Ok(())
}

/// After a failed write: a refusal wrote nothing, so the claim is given back for a later
/// analysis; after anything else (the write may have happened) it stays, to stay quiet.
async fn give_back(db: &PgPool, pr_id: i64, kind: Publication, err: GithubError) -> anyhow::Error {
    if matches!(
        err,
        GithubError::Refused { .. }
            | GithubError::NotFound { .. }
            | GithubError::NotInstalled { .. }
    ) && let Err(db_err) = publications::release(db, pr_id, kind).await
    {
        return anyhow::Error::new(db_err).context(err.to_string());
    }
    err.into()
}

/// The one comment: which PR this one repeats, how sure, the strongest evidence, and
/// where to see the rest.
pub fn comment(repo: &RepoRow, found: &Resubmission, public_url: Option<&str>) -> String {
    let original = &found.original;
    let link = match &repo.html_url {
        Some(url) => format!("[#{n}]({url}/pull/{n})", n = original.number),
        None => format!("#{}", original.number),
    };
    let merged = if original.state == "merged" {
        ", which is already merged"
    } else {
        ""
    };
    let mut body = format!(
        "{COMMENT_MARKER}\n**Possible duplicate.** This pull request appears to repeat {link} \
         ({}){merged}: the same production change, {:.0}% match ({}).\n",
        escape(&original.title),
        found.edge.final_score * 100.0,
        strongest_evidence(&found.edge.evidence),
    );
    if let Some(base) = public_url {
        body.push_str(&format!(
            "\n[See the evidence in clawtriage]({}/repos/{}/prs/{})\n",
            base.trim_end_matches('/'),
            repo.id,
            found.pr.number
        ));
    }
    body.push_str(
        "\n_clawtriage comments at most once on a pull request and will not post here again. \
         A maintainer can mark the pair as not related on the dashboard._\n",
    );
    body
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn pr(number: i32, created: Option<i64>, state: &str) -> PrRow {
        PrRow {
            id: i64::from(number) * 10,
            repo_id: 1,
            github_id: i64::from(number) * 100,
            number,
            state: state.into(),
            draft: false,
            title: format!("Add retry | {number}"),
            body: None,
            author_login: None,
            html_url: None,
            head_sha: format!("{number:040}"),
            head_ref: None,
            base_ref: None,
            base_sha: None,
            gh_created_at: created.map(|s| Utc.timestamp_opt(s, 0).single().expect("time")),
            gh_updated_at: None,
            closed_at: None,
            merged_at: None,
            additions: None,
            deletions: None,
            changed_files: None,
            analysis_status: "ANALYSED".into(),
            analysis_error: None,
            analysed_head_sha: None,
        }
    }

    fn edge(category: &str, score: f64) -> EdgeView {
        EdgeView {
            other_pr_id: 10,
            other_number: 1,
            other_head_sha: "a".into(),
            other_state: "merged".into(),
            other_title: "Add retry".into(),
            category: category.into(),
            final_score: score,
            scores: serde_json::json!({}),
            evidence: serde_json::json!({"sameDiffHash": true}),
            is_low: false,
        }
    }

    #[test]
    fn only_a_high_confidence_same_change_qualifies() {
        let on = Publishing::default();
        assert!(qualifies(&on, &edge("SAME_CHANGE", 0.95)));
        assert!(qualifies(&on, &edge("SAME_CHANGE", 1.0)));
        assert!(!qualifies(&on, &edge("SAME_CHANGE", 0.94)));
        assert!(!qualifies(&on, &edge("SAME_FEATURE", 1.0)));
        assert!(!qualifies(&on, &edge("COMPETING_IMPLEMENTATION", 1.0)));
        assert!(!enabled(&on), "off by default");
    }

    #[test]
    fn the_later_pr_is_the_resubmission() {
        assert!(is_later(
            &pr(2, Some(200), "open"),
            &pr(9, Some(100), "open")
        ));
        assert!(!is_later(
            &pr(9, Some(100), "open"),
            &pr(2, Some(200), "open")
        ));
        // Without (or with equal) times the higher number is the later one.
        assert!(is_later(&pr(9, None, "open"), &pr(2, Some(200), "open")));
        assert!(is_later(&pr(9, Some(5), "open"), &pr(2, Some(5), "open")));
        assert!(!is_later(&pr(2, Some(5), "open"), &pr(9, Some(5), "open")));
    }

    #[test]
    fn the_comment_names_the_original_with_evidence_and_says_it_is_the_only_one() {
        let repo = RepoRow {
            id: 3,
            github_id: Some(30),
            owner: "acme".into(),
            name: "webapp".into(),
            default_branch: "main".into(),
            html_url: Some("https://github.com/acme/webapp".into()),
            installation_id: Some(1),
            is_active: true,
        };
        let found = Resubmission {
            pr: pr(12, Some(200), "open"),
            original: pr(1, Some(100), "merged"),
            edge: edge("SAME_CHANGE", 0.97),
        };
        let text = comment(&repo, &found, Some("https://triage.example/"));
        assert!(text.starts_with(COMMENT_MARKER), "{text}");
        assert!(
            text.contains("[#1](https://github.com/acme/webapp/pull/1) (Add retry \\| 1), which is already merged"),
            "{text}"
        );
        assert!(
            text.contains("97% match (identical production diff)"),
            "{text}"
        );
        assert!(
            text.contains("(https://triage.example/repos/3/prs/12)"),
            "{text}"
        );
        assert!(text.contains("at most once"), "{text}");
        let bare = RepoRow {
            html_url: None,
            ..repo
        };
        let text = comment(&bare, &found, None);
        assert!(text.contains("repeat #1 "), "{text}");
        assert!(!text.contains("See the evidence"), "{text}");
    }
}
