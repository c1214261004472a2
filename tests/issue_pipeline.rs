//! Issues end to end: a scan lists the corpus's issues through the fake GitHub, finds
//! duplicate issues, links PRs to the issues they fix, and judges each PR's scope by the
//! repository's VISION.md; a changed issue or vision is picked up by the next scan
//! without fetching any PR again.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use clawtriage::fake_github::{FakeConfig, FakeGithub};
use common::pipeline::{Stack, corpus_dir, members, truth};
use serde_json::Value;
use sqlx::PgPool;

/// Stored issue edges of `category` as pairs of issue numbers.
async fn issue_pairs(db: &PgPool, category: &str) -> BTreeSet<(i64, i64)> {
    let rows: Vec<(i32, i32)> = sqlx::query_as(
        "SELECT least(a.number, b.number), greatest(a.number, b.number)
         FROM issue_edges e JOIN issues a ON a.id = e.issue_low JOIN issues b ON b.id = e.issue_high
         WHERE e.category = $1",
    )
    .bind(category)
    .fetch_all(db)
    .await
    .expect("edges");
    rows.into_iter()
        .map(|(a, b)| (i64::from(a), i64::from(b)))
        .collect()
}

/// Stored links as (PR number, issue number) → kind.
async fn links(db: &PgPool) -> HashMap<(i64, i64), String> {
    let rows: Vec<(i32, i32, String)> = sqlx::query_as(
        "SELECT p.number, i.number, l.kind
         FROM pr_issue_links l JOIN pull_requests p ON p.id = l.pr_id JOIN issues i ON i.id = l.issue_id",
    )
    .fetch_all(db)
    .await
    .expect("links");
    rows.into_iter()
        .map(|(p, i, k)| ((i64::from(p), i64::from(i)), k))
        .collect()
}

fn corpus_pull(number: i64) -> Value {
    let path = corpus_dir().join(format!("acme/webapp/pulls/{number}.json"));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("pull file")).expect("json");
    doc["pull"].clone()
}

fn truth_pairs(groups: &Value) -> BTreeSet<(i64, i64)> {
    let mut pairs = BTreeSet::new();
    for group in groups.as_array().expect("groups") {
        let m: Vec<i64> = members(group).into_iter().collect();
        for (i, a) in m.iter().enumerate() {
            for b in &m[i + 1..] {
                pairs.insert((*a.min(b), *a.max(b)));
            }
        }
    }
    pairs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_scan_finds_duplicate_issues_links_prs_to_issues_and_judges_scope() {
    let github = FakeGithub::start(corpus_dir(), FakeConfig::default())
        .await
        .expect("fake github");
    let stack = Stack::start(&github.base_url()).await;
    let scan = stack.scan_done("issues-1", Duration::from_secs(240)).await;
    let repo_id = scan["repoId"].as_i64().expect("repo");
    let db = &stack.state.services.db;
    let truth = truth();

    // Every issue stored, none of the PRs the issues endpoint also lists.
    let stored: Vec<i32> = sqlx::query_scalar("SELECT number FROM issues WHERE repo_id = $1")
        .bind(repo_id)
        .fetch_all(db)
        .await
        .expect("issues");
    assert!(stored.len() >= 240, "{}", stored.len());
    assert!(
        stored.iter().all(|n| *n >= 1000),
        "no PR stored as an issue"
    );
    let unanalysed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM issues i LEFT JOIN issue_fingerprints f ON f.issue_id = i.id
         WHERE f.issue_id IS NULL OR i.analysis_status <> 'ANALYSED'",
    )
    .fetch_one(db)
    .await
    .expect("count");
    assert_eq!(unanalysed, 0);

    // Duplicate issues: what is called a duplicate is one.
    let found = issue_pairs(db, "DUPLICATE").await;
    let clusters = truth_pairs(&truth["issue_clusters"]);
    let negatives = truth_pairs(&truth["issue_negatives"]);
    let right = found.intersection(&clusters).count();
    let precision = right as f64 / found.len().max(1) as f64;
    println!(
        "duplicate issues: {} found, {right} right of {} true pairs (precision {precision:.3}, recall {:.3})",
        found.len(),
        clusters.len(),
        right as f64 / clusters.len() as f64
    );
    assert!(right >= 5, "some duplicate issues are found: {found:?}");
    assert!(precision >= 0.9, "{found:?}");
    // The engine's own quality floor: at most one look-alike pair (two feature requests
    // from one template about one function read word for word alike).
    let lookalikes: Vec<_> = found.intersection(&negatives).collect();
    assert!(
        lookalikes.len() <= 1,
        "look-alikes stay apart: {lookalikes:?}"
    );

    // Links: every closing reference, and suggestions that are right.
    let stored_links = links(db).await;
    let mut explicit_truth = 0;
    let mut explicit_found = 0;
    for link in truth["pr_issue_links"].as_array().expect("links") {
        let key = (
            link["pr"].as_i64().expect("pr"),
            link["issue"].as_i64().expect("issue"),
        );
        // Closed-unmerged PRs are not analysed (nothing left to triage), so not linked.
        let pull = corpus_pull(key.0);
        let closed_unmerged = pull["state"] == "closed" && pull["merged_at"].is_null();
        if link["kind"] == "explicit" && !closed_unmerged {
            explicit_truth += 1;
            explicit_found += usize::from(stored_links.contains_key(&key));
        }
    }
    let truth_links: BTreeSet<(i64, i64)> = truth["pr_issue_links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| {
            (
                l["pr"].as_i64().expect("pr"),
                l["issue"].as_i64().expect("issue"),
            )
        })
        .collect();
    let suggested: Vec<&(i64, i64)> = stored_links
        .iter()
        .filter(|(_, kind)| kind.as_str() == "SUGGESTED")
        .map(|(k, _)| k)
        .collect();
    let suggested_right = suggested.iter().filter(|k| truth_links.contains(k)).count();
    println!(
        "links: {explicit_found}/{explicit_truth} explicit; {} suggested, {suggested_right} right",
        suggested.len()
    );
    assert!(explicit_truth > 0);
    assert_eq!(
        explicit_found, explicit_truth,
        "every closing reference is a link"
    );
    assert!(
        suggested_right as f64 >= 0.9 * suggested.len() as f64,
        "suggestions are mostly right: {suggested:?}"
    );

    // Scope: the out-of-scope fixtures are told apart from ordinary PRs.
    let verdicts: HashMap<i64, String> = sqlx::query_as::<_, (i32, String)>(
        "SELECT p.number, s.verdict FROM pr_scope s JOIN pull_requests p ON p.id = s.pr_id",
    )
    .fetch_all(db)
    .await
    .expect("scope")
    .into_iter()
    .map(|(n, v)| (i64::from(n), v))
    .collect();
    let mut agree = 0;
    let mut judged = 0;
    for item in truth["scope"].as_array().expect("scope") {
        let pr = item["pr"].as_i64().expect("pr");
        if let Some(verdict) = verdicts.get(&pr) {
            judged += 1;
            agree += usize::from(item["expected"] == verdict.as_str());
            // Assist-only, but never the opposite of the truth.
            let opposite = if item["expected"] == "IN_SCOPE" {
                "OUT_OF_SCOPE"
            } else {
                "IN_SCOPE"
            };
            assert_ne!(verdict, opposite, "PR #{pr}");
        }
    }
    println!("scope: {agree}/{judged} as labelled");
    assert!(judged >= 25, "labelled PRs were judged: {judged}");
    assert!(agree * 10 >= judged * 7, "{agree}/{judged}");

    // A new duplicate of a known issue, and a vision that rules a directory out: the next
    // scan picks both up without fetching a PR's files again.
    let cluster: Vec<i64> = members(&truth["issue_clusters"][0]).into_iter().collect();
    let original: Value = serde_json::from_str(
        &std::fs::read_to_string(
            corpus_dir().join(format!("acme/webapp/issues/{}.json", cluster[0])),
        )
        .expect("issue file"),
    )
    .expect("json");
    let mut copy = original["issue"].clone();
    copy["number"] = 5000.into();
    copy["id"] = 2_100_005_000_i64.into();
    copy["state"] = "open".into();
    copy["closed_at"] = Value::Null;
    copy["title"] = format!("Again: {}", copy["title"].as_str().unwrap_or("")).into();
    github.put_issue("acme", "webapp", copy).expect("add issue");
    github.reset_counters();
    stack.scan_done("issues-2", Duration::from_secs(120)).await;
    let files_requests = github
        .requests()
        .count_all("GET /repos/{owner}/{repo}/pulls/{number}/files");
    assert_eq!(files_requests, 0, "no PR was fetched again");
    let found = issue_pairs(db, "DUPLICATE").await;
    assert!(
        found.iter().any(|(a, b)| *b == 5000 && cluster.contains(a)),
        "the re-posted issue is found as a duplicate: {found:?}"
    );
    stack.stop().await;
}
