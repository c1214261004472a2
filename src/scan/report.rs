//! The Check Run an analysed PR gets in app and hybrid modes: a neutral conclusion, a
//! title that counts the likely duplicates, and a summary of the strongest candidates
//! with their evidence and links. One run per head, updated on re-analysis.

use chrono::Utc;
use sqlx::PgPool;

use crate::github::{CheckRunOutput, GithubClient, NewCheckRun};
use crate::storage::check_runs;
use crate::storage::edges::{self, EdgeView};
use crate::storage::prs::PrRow;
use crate::storage::repos::RepoRow;

/// Candidates listed in the summary.
pub const SHOWN: usize = 5;

const DUPLICATE_CATEGORIES: [&str; 3] = ["SAME_CHANGE", "SAME_FEATURE", "COMPETING_IMPLEMENTATION"];

/// What the run says about a PR with these candidates (strongest first).
pub fn check_run(
    name: &str,
    pr: &PrRow,
    repo: &RepoRow,
    candidates: &[EdgeView],
    public_url: Option<&str>,
) -> NewCheckRun {
    let likely: Vec<&EdgeView> = candidates
        .iter()
        .filter(|c| DUPLICATE_CATEGORIES.contains(&c.category.as_str()))
        .collect();
    let title = match likely.len() {
        0 => "No likely duplicates found".to_owned(),
        1 => "1 likely duplicate found".to_owned(),
        n => format!("{n} likely duplicates found"),
    };
    let pr_link = |number: i32| match &repo.html_url {
        Some(url) => format!("[#{number}]({url}/pull/{number})"),
        None => format!("#{number}"),
    };
    let mut summary = String::new();
    if likely.is_empty() {
        summary.push_str("clawtriage found no open or merged PR that repeats this change.\n");
    } else {
        summary.push_str("| PR | Category | Score | Strongest evidence |\n|---|---|---|---|\n");
        for c in likely.iter().take(SHOWN) {
            summary.push_str(&format!(
                "| {} {} | {} | {:.0}% | {} |\n",
                pr_link(c.other_number),
                escape(&c.other_title),
                category_text(&c.category),
                c.final_score * 100.0,
                escape(&strongest_evidence(&c.evidence)),
            ));
        }
        if likely.len() > SHOWN {
            summary.push_str(&format!("\nand {} more.\n", likely.len() - SHOWN));
        }
    }
    let related: Vec<String> = candidates
        .iter()
        .filter(|c| c.category == "RELATED")
        .take(SHOWN)
        .map(|c| pr_link(c.other_number))
        .collect();
    if !related.is_empty() {
        summary.push_str(&format!(
            "\nRelated, below duplicate confidence: {}.\n",
            related.join(", ")
        ));
    }
    let details_url = public_url.map(|base| {
        format!(
            "{}/repos/{}/prs/{}",
            base.trim_end_matches('/'),
            repo.id,
            pr.number
        )
    });
    if let Some(url) = &details_url {
        summary.push_str(&format!("\n[Open #{} in clawtriage]({url})\n", pr.number));
    }
    NewCheckRun {
        name: name.to_owned(),
        head_sha: pr.head_sha.clone(),
        status: "completed".into(),
        conclusion: Some("neutral".into()),
        details_url,
        external_id: Some(format!("clawtriage:{}:{}", pr.id, pr.head_sha)),
        completed_at: Some(Utc::now()),
        output: Some(CheckRunOutput {
            title,
            summary,
            text: None,
        }),
    }
}

/// Publishes (or updates) the Check Run of `pr` at its current head.
pub async fn publish(
    db: &PgPool,
    github: &GithubClient,
    name: &str,
    public_url: Option<&str>,
    repo: &RepoRow,
    pr: &PrRow,
) -> anyhow::Result<()> {
    let candidates = edges::for_pr(db, pr.id).await?;
    let run = check_run(name, pr, repo, &candidates, public_url);
    match check_runs::get(db, pr.id, &pr.head_sha).await? {
        Some(id) => {
            let id = u64::try_from(id)?;
            github
                .update_check_run(&repo.owner, &repo.name, id, &run)
                .await?;
        }
        None => {
            let created = github
                .create_check_run(&repo.owner, &repo.name, &run)
                .await?;
            check_runs::record(db, pr.id, &pr.head_sha, i64::try_from(created.id)?).await?;
        }
    }
    Ok(())
}

/// Updates the Check Runs of `pr`'s likely duplicates that were published before this
/// pair was found, so the PR analysed first names the one analysed after it too.
/// Returns how many were updated.
pub async fn refresh_counterparts(
    db: &PgPool,
    github: &GithubClient,
    name: &str,
    public_url: Option<&str>,
    repo: &RepoRow,
    pr: &PrRow,
) -> anyhow::Result<usize> {
    let mut updated = 0;
    for edge in edges::for_pr(db, pr.id).await? {
        if edge.other_state != "open" || !DUPLICATE_CATEGORIES.contains(&edge.category.as_str()) {
            continue;
        }
        let Some(run_id) = check_runs::get(db, edge.other_pr_id, &edge.other_head_sha).await?
        else {
            continue;
        };
        let Some(other) = crate::storage::prs::by_number(db, repo.id, edge.other_number).await?
        else {
            continue;
        };
        if other.head_sha != edge.other_head_sha {
            continue;
        }
        let candidates = edges::for_pr(db, other.id).await?;
        let run = check_run(name, &other, repo, &candidates, public_url);
        github
            .update_check_run(&repo.owner, &repo.name, u64::try_from(run_id)?, &run)
            .await?;
        updated += 1;
    }
    Ok(updated)
}

fn category_text(category: &str) -> &'static str {
    match category {
        "SAME_CHANGE" => "Same change",
        "SAME_FEATURE" => "Same feature",
        "COMPETING_IMPLEMENTATION" => "Competing implementation",
        _ => "Related",
    }
}

/// The one or two strongest pieces of evidence, in words.
pub(crate) fn strongest_evidence(evidence: &serde_json::Value) -> String {
    if evidence["sameDiffHash"] == true {
        return "identical production diff".to_owned();
    }
    let list = |key: &str| -> Vec<String> {
        evidence[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut pieces = Vec::new();
    for (key, label) in [
        ("productionPaths", "files"),
        ("exports", "exports"),
        ("symbols", "symbols"),
        ("testNames", "tests"),
        ("docHeadings", "doc headings"),
        ("issueRefs", "issues"),
    ] {
        let items = list(key);
        if !items.is_empty() {
            let shown: Vec<String> = items.iter().take(2).map(|i| format!("`{i}`")).collect();
            pieces.push(format!("shared {label} {}", shown.join(", ")));
        }
        if pieces.len() == 2 {
            break;
        }
    }
    if pieces.is_empty() {
        "similar changed lines".to_owned()
    } else {
        pieces.join("; ")
    }
}

/// Keeps a title or path from breaking the Markdown table.
pub(crate) fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pr() -> PrRow {
        PrRow {
            id: 7,
            repo_id: 1,
            github_id: 70,
            number: 12,
            state: "open".into(),
            draft: false,
            title: "Add retry".into(),
            body: None,
            author_login: None,
            html_url: None,
            head_sha: "abc".into(),
            head_ref: None,
            base_ref: None,
            base_sha: None,
            gh_created_at: None,
            gh_updated_at: None,
            closed_at: None,
            merged_at: None,
            additions: None,
            deletions: None,
            changed_files: None,
            analysis_status: "ANALYSED".into(),
            analysis_error: None,
            analysed_head_sha: Some("abc".into()),
        }
    }

    fn repo() -> RepoRow {
        RepoRow {
            id: 3,
            github_id: Some(30),
            owner: "acme".into(),
            name: "webapp".into(),
            default_branch: "main".into(),
            html_url: Some("https://github.com/acme/webapp".into()),
            installation_id: Some(1),
            is_active: true,
        }
    }

    fn edge(number: i32, category: &str, score: f64, evidence: serde_json::Value) -> EdgeView {
        EdgeView {
            other_pr_id: i64::from(number),
            other_number: number,
            other_head_sha: "def".into(),
            other_state: "open".into(),
            other_title: format!("Other | {number}"),
            category: category.into(),
            final_score: score,
            scores: serde_json::json!({}),
            evidence,
            is_low: true,
        }
    }

    #[test]
    fn counts_likely_duplicates_and_lists_them_with_evidence_and_links() {
        let candidates = [
            edge(
                40,
                "SAME_CHANGE",
                0.97,
                serde_json::json!({"sameDiffHash": true}),
            ),
            edge(
                41,
                "COMPETING_IMPLEMENTATION",
                0.61,
                serde_json::json!({"testNames": ["retries 3 times"], "productionPaths": ["src/retry.ts"]}),
            ),
            edge(42, "RELATED", 0.56, serde_json::json!({})),
        ];
        let run = check_run(
            "clawtriage",
            &pr(),
            &repo(),
            &candidates,
            Some("https://triage.example/"),
        );
        let output = run.output.expect("output");
        assert_eq!(output.title, "2 likely duplicates found");
        assert_eq!(run.conclusion.as_deref(), Some("neutral"));
        assert_eq!(run.status, "completed");
        assert_eq!(run.head_sha, "abc");
        assert_eq!(
            run.details_url.as_deref(),
            Some("https://triage.example/repos/3/prs/12")
        );
        let summary = output.summary;
        assert!(
            summary.contains("[#40](https://github.com/acme/webapp/pull/40)"),
            "{summary}"
        );
        assert!(summary.contains("identical production diff"), "{summary}");
        assert!(
            summary.contains("| Competing implementation | 61% |"),
            "{summary}"
        );
        assert!(
            summary.contains("shared files `src/retry.ts`; shared tests `retries 3 times`"),
            "{summary}"
        );
        assert!(
            summary.contains("Other \\| 40"),
            "a title cannot break the table: {summary}"
        );
        assert!(
            summary.contains("Related, below duplicate confidence: [#42]"),
            "{summary}"
        );
        assert!(
            summary.contains("[Open #12 in clawtriage](https://triage.example/repos/3/prs/12)")
        );
    }

    #[test]
    fn a_pr_without_duplicates_says_so_quietly() {
        let run = check_run("clawtriage", &pr(), &repo(), &[], None);
        let output = run.output.expect("output");
        assert_eq!(output.title, "No likely duplicates found");
        assert!(run.details_url.is_none());
        assert!(!output.summary.contains('|'));
    }

    #[test]
    fn the_list_is_capped() {
        let many: Vec<EdgeView> = (0..8)
            .map(|n| edge(100 + n, "SAME_FEATURE", 0.8, serde_json::json!({})))
            .collect();
        let run = check_run("clawtriage", &pr(), &repo(), &many, None);
        let output = run.output.expect("output");
        assert_eq!(output.title, "8 likely duplicates found");
        assert!(output.summary.contains("and 3 more."));
        assert!(output.summary.contains("similar changed lines"));
    }
}
