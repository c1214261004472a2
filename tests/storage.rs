//! The storage layer against a real Postgres: idempotent upserts, head changes, the
//! candidate index, symmetric edges, and scan progress.

use clawtriage::storage::analyses::{self, EngineVersions, NewAnalysis};
use clawtriage::storage::documents;
use clawtriage::storage::edges::{self, NewEdge};
use clawtriage::storage::index;
use clawtriage::storage::issues::{self, IssueUpsert};
use clawtriage::storage::prs::{self, PrUpsert};
use clawtriage::storage::repos::{self, RepoUpsert};
use clawtriage::storage::scans::{self, GithubUsage, ListingCounts, NewScan};
use clawtriage::testing::fresh_db;
use sqlx::PgPool;

fn pr(number: i32, head: &str) -> PrUpsert {
    PrUpsert {
        github_id: 1000 + i64::from(number),
        number,
        state: "open".into(),
        draft: false,
        title: format!("PR {number}"),
        body: Some("fixes #1".into()),
        author_login: Some("dev".into()),
        html_url: Some(format!("https://github.com/acme/webapp/pull/{number}")),
        head_sha: head.into(),
        head_ref: Some("feature".into()),
        base_ref: Some("main".into()),
        base_sha: Some("base".into()),
        created_at: None,
        updated_at: None,
        closed_at: None,
        merged_at: None,
    }
}

async fn repo(db: &PgPool) -> i64 {
    let upsert = RepoUpsert {
        github_id: 42,
        owner: "acme".into(),
        name: "webapp".into(),
        default_branch: "main".into(),
        html_url: None,
    };
    repos::upsert(db, &upsert).await.expect("repo").id
}

fn versions() -> EngineVersions {
    EngineVersions {
        signature: 1,
        algorithm: 1,
        config: "cfg".into(),
    }
}

async fn analyse(db: &PgPool, pr_id: i64, head: &str, status: &str) {
    let fingerprint = serde_json::json!({"head": head});
    let v = versions();
    analyses::upsert(
        db,
        &NewAnalysis {
            pr_id,
            head_sha: head,
            versions: &v,
            status,
            degraded_reasons: &[],
            error: None,
            fingerprint: Some(&fingerprint),
        },
    )
    .await
    .expect("analysis");
    prs::set_analysis_outcome(db, pr_id, head, status, None, Some((1, 2, 3)))
        .await
        .expect("outcome");
}

#[tokio::test]
async fn repository_upsert_is_idempotent_and_follows_renames() {
    let db = fresh_db().await;
    let first = repo(&db).await;
    assert_eq!(repo(&db).await, first);
    let renamed = RepoUpsert {
        github_id: 42,
        owner: "acme".into(),
        name: "web".into(),
        default_branch: "trunk".into(),
        html_url: None,
    };
    let row = repos::upsert(&db, &renamed).await.expect("rename");
    assert_eq!(
        (row.id, row.name.as_str(), row.default_branch.as_str()),
        (first, "web", "trunk")
    );
    assert_eq!(
        repos::by_name(&db, "ACME", "WEB")
            .await
            .expect("by name")
            .map(|r| r.id),
        Some(first)
    );
    assert_eq!(repos::list(&db).await.expect("list").len(), 1);
}

#[tokio::test]
async fn pr_upserts_are_idempotent_and_a_new_head_resets_analysis() {
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    let rows = prs::upsert_many(&db, repo_id, &[pr(1, "a1"), pr(2, "b1")])
        .await
        .expect("upsert");
    assert_eq!(rows.len(), 2);
    let again = prs::upsert_many(&db, repo_id, &[pr(1, "a1"), pr(2, "b1")])
        .await
        .expect("again");
    assert_eq!(rows, again, "same ids on a second upsert");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM pull_requests")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(count, 2);

    let one = rows[0].id;
    analyse(&db, one, "a1", "ANALYSED").await;
    assert_eq!(
        analyses::analysed_at_current_head(&db, &[one, rows[1].id], &versions())
            .await
            .expect("q"),
        vec![one]
    );
    // Same head again: still analysed. New head: pending and no longer skippable.
    prs::upsert_many(&db, repo_id, &[pr(1, "a1")])
        .await
        .expect("same head");
    assert_eq!(
        prs::by_number(&db, repo_id, 1)
            .await
            .expect("get")
            .expect("pr")
            .analysis_status,
        "ANALYSED"
    );
    prs::upsert_many(&db, repo_id, &[pr(1, "a2")])
        .await
        .expect("new head");
    let row = prs::by_number(&db, repo_id, 1)
        .await
        .expect("get")
        .expect("pr");
    assert_eq!(
        (row.analysis_status.as_str(), row.head_sha.as_str()),
        ("PENDING", "a2")
    );
    assert!(
        analyses::analysed_at_current_head(&db, &[one], &versions())
            .await
            .expect("q")
            .is_empty()
    );
    // A late outcome for the old head does not overwrite the new head's state.
    assert!(
        !prs::set_analysis_outcome(&db, one, "a1", "ANALYSED", None, None)
            .await
            .expect("late")
    );
    // Other engine versions do not count either.
    analyse(&db, one, "a2", "ANALYSED").await;
    let newer = EngineVersions {
        config: "other".into(),
        ..versions()
    };
    assert!(
        analyses::analysed_at_current_head(&db, &[one], &newer)
            .await
            .expect("q")
            .is_empty()
    );
}

#[tokio::test]
async fn a_run_whose_pr_outcome_was_never_written_is_not_skippable() {
    // The crash window of an ingest: the analysis run is committed, the edges and the
    // PR's outcome are not. The next scan must ingest the PR again.
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    let rows = prs::upsert_many(&db, repo_id, &[pr(1, "a1")])
        .await
        .expect("upsert");
    let one = rows[0].id;
    let fingerprint = serde_json::json!({"head": "a1"});
    let v = versions();
    analyses::upsert(
        &db,
        &NewAnalysis {
            pr_id: one,
            head_sha: "a1",
            versions: &v,
            status: "ANALYSED",
            degraded_reasons: &[],
            error: None,
            fingerprint: Some(&fingerprint),
        },
    )
    .await
    .expect("analysis");
    assert!(
        analyses::analysed_at_current_head(&db, &[one], &v)
            .await
            .expect("q")
            .is_empty()
    );
    analyse(&db, one, "a1", "ANALYSED").await;
    assert_eq!(
        analyses::analysed_at_current_head(&db, &[one], &v)
            .await
            .expect("q"),
        vec![one]
    );
}

#[tokio::test]
async fn a_complete_listing_closes_prs_it_no_longer_shows() {
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    prs::upsert_many(&db, repo_id, &[pr(1, "a"), pr(2, "b"), pr(3, "c")])
        .await
        .expect("upsert");
    assert_eq!(
        prs::close_missing(&db, repo_id, &[1, 3])
            .await
            .expect("close"),
        1
    );
    let two = prs::by_number(&db, repo_id, 2)
        .await
        .expect("get")
        .expect("pr");
    assert_eq!(two.state, "closed");
    assert!(two.closed_at.is_some());
}

#[tokio::test]
async fn candidates_come_from_shared_keys_and_common_keys_are_ignored() {
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    let rows = prs::upsert_many(
        &db,
        repo_id,
        &(1..=6).map(|n| pr(n, "h")).collect::<Vec<_>>(),
    )
    .await
    .expect("upsert");
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut conn = db.acquire().await.expect("conn");
    // Key 7 is on every PR (too common); 1..3 are specific.
    index::replace_keys(&mut conn, repo_id, ids[0], &[1, 2, 3, 7])
        .await
        .expect("keys");
    index::replace_keys(&mut conn, repo_id, ids[1], &[1, 2, 3, 7])
        .await
        .expect("keys");
    index::replace_keys(&mut conn, repo_id, ids[2], &[3, 7])
        .await
        .expect("keys");
    for id in &ids[3..] {
        index::replace_keys(&mut conn, repo_id, *id, &[7])
            .await
            .expect("keys");
    }
    let found = index::candidates(&db, repo_id, ids[0], &[1, 2, 3, 7], 4, 10)
        .await
        .expect("candidates");
    assert_eq!(found, vec![(ids[1], 3), (ids[2], 1)]);
    // Replacing keys drops the old ones.
    index::replace_keys(&mut conn, repo_id, ids[1], &[99])
        .await
        .expect("keys");
    let found = index::candidates(&db, repo_id, ids[0], &[1, 2, 3, 7], 4, 10)
        .await
        .expect("candidates");
    assert_eq!(found, vec![(ids[2], 1)]);
}

#[tokio::test]
async fn edges_are_symmetric_and_drop_when_a_head_moves() {
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    let rows = prs::upsert_many(&db, repo_id, &[pr(1, "a"), pr(2, "b")])
        .await
        .expect("upsert");
    let (a, b) = (rows[0].id, rows[1].id);
    let edge = NewEdge {
        pr_low: a.min(b),
        head_low: "a".into(),
        pr_high: a.max(b),
        head_high: "b".into(),
        category: "SAME_CHANGE".into(),
        final_score: 0.97,
        scores: serde_json::json!({"minhash": 1.0}),
        evidence: serde_json::json!({"overlappingProductionPaths": ["src/x.ts"]}),
        config_version: "cfg".into(),
    };
    let mut conn = db.acquire().await.expect("conn");
    edges::store_for_pr(&mut conn, repo_id, b, "b", std::slice::from_ref(&edge))
        .await
        .expect("store");
    edges::store_for_pr(&mut conn, repo_id, b, "b", std::slice::from_ref(&edge))
        .await
        .expect("store twice");
    let from_a = edges::for_pr(&db, a).await.expect("a");
    let from_b = edges::for_pr(&db, b).await.expect("b");
    assert_eq!((from_a.len(), from_b.len()), (1, 1));
    assert_eq!((from_a[0].other_number, from_b[0].other_number), (2, 1));
    assert_eq!(
        edges::current_for_repo(&db, repo_id, &["open"])
            .await
            .expect("current")
            .len(),
        1
    );

    // B moves to a new head: the old edge no longer counts for reads, and storing B's
    // new analysis removes it.
    prs::upsert_many(&db, repo_id, &[pr(2, "b2")])
        .await
        .expect("move");
    assert!(edges::for_pr(&db, a).await.expect("a").is_empty());
    assert!(
        edges::current_for_repo(&db, repo_id, &["open"])
            .await
            .expect("current")
            .is_empty()
    );
    edges::store_for_pr(&mut conn, repo_id, b, "b2", &[])
        .await
        .expect("store new head");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM candidate_edges")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn a_scan_finishes_when_every_item_settles() {
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    let rows = prs::upsert_many(&db, repo_id, &[pr(1, "a"), pr(2, "b"), pr(3, "c")])
        .await
        .expect("upsert");
    let new = NewScan {
        owner: "acme".into(),
        repo: "webapp".into(),
        snapshot: "s".into(),
        max_open_prs: None,
        idempotency_key: "k".into(),
    };
    let (scan, created) = scans::insert_or_get(&db, &new).await.expect("scan");
    assert!(created);
    scans::mark_running(&db, scan.id).await.expect("running");
    let items: Vec<(i64, String)> = rows.iter().map(|r| (r.id, r.head_sha.clone())).collect();
    scans::add_items(&db, scan.id, &items).await.expect("items");
    scans::add_items(&db, scan.id, &items)
        .await
        .expect("items again");
    scans::complete_listing(
        &db,
        scan.id,
        repo_id,
        ListingCounts {
            listed: 3,
            enqueued: 3,
            skipped_unchanged: 0,
        },
        GithubUsage {
            requests: 1,
            ..GithubUsage::default()
        },
    )
    .await
    .expect("listing");

    analyse(&db, rows[0].id, "a", "ANALYSED").await;
    let settled = scans::refresh_progress(&db, None, Some(rows[0].id))
        .await
        .expect("refresh");
    assert_eq!(settled.len(), 1, "the scan holding the PR is recounted");
    assert!(!settled[0].settled);
    let now = scans::get(&db, scan.id).await.expect("get").expect("scan");
    assert_eq!(
        (now.status.as_str(), now.analysed, now.failed),
        ("running", 1, 0)
    );

    analyse(&db, rows[1].id, "b", "FAILED").await;
    // PR 3 moves to a new head mid-scan: its item is superseded, not stuck.
    prs::upsert_many(&db, repo_id, &[pr(3, "c2")])
        .await
        .expect("move");
    let settled = scans::refresh_progress(&db, None, Some(rows[1].id))
        .await
        .expect("refresh");
    assert_eq!(settled.len(), 1);
    assert!(settled[0].settled);
    assert!(settled[0].has_failures);
    // Settled is not ended: the caller rebuilds the sets first, then finishes.
    let waiting = scans::get(&db, scan.id).await.expect("get").expect("scan");
    assert_eq!(
        (waiting.status.as_str(), waiting.analysed, waiting.failed),
        ("running", 2, 1)
    );
    assert!(scans::finish(&db, scan.id, true).await.expect("finish"));
    assert!(
        !scans::finish(&db, scan.id, true)
            .await
            .expect("finish twice")
    );
    let done = scans::get(&db, scan.id).await.expect("get").expect("scan");
    assert_eq!(done.status.as_str(), "partial");
    assert!(done.finished_at.is_some());
}

#[tokio::test]
async fn a_scan_with_nothing_to_do_finishes_at_the_end_of_its_listing() {
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    let new = NewScan {
        owner: "acme".into(),
        repo: "webapp".into(),
        snapshot: "s".into(),
        max_open_prs: None,
        idempotency_key: "k".into(),
    };
    let (scan, _) = scans::insert_or_get(&db, &new).await.expect("scan");
    scans::mark_running(&db, scan.id).await.expect("running");
    scans::complete_listing(
        &db,
        scan.id,
        repo_id,
        ListingCounts {
            listed: 5,
            enqueued: 0,
            skipped_unchanged: 5,
        },
        GithubUsage::default(),
    )
    .await
    .expect("listing");
    let settled = scans::refresh_progress(&db, Some(scan.id), None)
        .await
        .expect("refresh");
    assert_eq!(settled.len(), 1);
    assert!(settled[0].settled);
    assert!(!settled[0].has_failures);
    scans::finish(&db, scan.id, false).await.expect("finish");
    let done = scans::get(&db, scan.id).await.expect("get").expect("scan");
    assert_eq!(done.status, "done");
    assert_eq!(done.skipped_unchanged, 5);
}

fn issue(number: i32, body: &str) -> IssueUpsert {
    IssueUpsert {
        github_id: 5000 + i64::from(number),
        number,
        state: "open".into(),
        state_reason: None,
        title: format!("Issue {number}"),
        body: Some(body.into()),
        author_login: Some("reporter".into()),
        labels: vec!["bug".into(), "area/api".into()],
        html_url: Some(format!("https://github.com/acme/webapp/issues/{number}")),
        comments: 2,
        created_at: Some("2024-05-01T10:00:00Z".parse().expect("date")),
        updated_at: Some("2024-05-02T10:00:00Z".parse().expect("date")),
        closed_at: None,
    }
}

#[tokio::test]
async fn issue_upserts_are_idempotent_and_changed_text_resets_analysis() {
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    let batch = [issue(1001, "crash on save"), issue(1002, "slow export")];
    let rows = issues::upsert_many(&db, repo_id, &batch)
        .await
        .expect("upsert");
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.needs_analysis() && r.analysed_hash.is_none())
    );
    assert_eq!(rows[0].content_hash, batch[0].content_hash());
    let again = issues::upsert_many(&db, repo_id, &batch)
        .await
        .expect("again");
    let ids = |rows: &[issues::UpsertedIssue]| {
        let mut ids: Vec<(i32, i64)> = rows.iter().map(|r| (r.number, r.id)).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&again), ids(&rows), "same rows");

    let stored = issues::by_number(&db, repo_id, 1001)
        .await
        .expect("get")
        .expect("issue");
    assert_eq!(stored.labels, ["bug", "area/api"]);
    assert_eq!(stored.body.as_deref(), Some("crash on save"));
    assert_eq!(stored.comments, 2);
    assert_eq!(stored.state, "open");
    assert_eq!(stored.analysis_status, "PENDING");
    assert_eq!(stored.gh_created_at, batch[0].created_at);
    assert_eq!(stored.author_login.as_deref(), Some("reporter"));

    // Both analysed; then 1001's body changes while 1002 only gets a comment.
    for row in &rows {
        assert!(
            issues::set_analysed(&db, row.id, &row.content_hash, "ANALYSED")
                .await
                .expect("analysed")
        );
    }
    let mut edited = issue(1001, "crash on save and on load");
    edited.comments = 3;
    let mut commented = issue(1002, "slow export");
    commented.comments = 7;
    let after = issues::upsert_many(&db, repo_id, &[edited, commented])
        .await
        .expect("upsert");
    let by_number = |n: i32| after.iter().find(|r| r.number == n).expect("row").clone();
    assert!(by_number(1001).needs_analysis());
    assert!(!by_number(1002).needs_analysis());
    let one = issues::by_number(&db, repo_id, 1001)
        .await
        .expect("get")
        .expect("1001");
    let two = issues::by_number(&db, repo_id, 1002)
        .await
        .expect("get")
        .expect("1002");
    assert_eq!(
        one.analysis_status, "PENDING",
        "changed text is analysed again"
    );
    assert_eq!(
        two.analysis_status, "ANALYSED",
        "a comment count is not text"
    );
    assert_eq!(two.comments, 7);

    // An analysis of the old text lands too late: it does not apply.
    let old_hash = rows
        .iter()
        .find(|r| r.number == 1001)
        .expect("row")
        .content_hash
        .clone();
    assert!(
        !issues::set_analysed(&db, one.id, &old_hash, "ANALYSED")
            .await
            .expect("stale")
    );
    assert_eq!(
        issues::by_ids(&db, &[one.id]).await.expect("by id")[0].analysis_status,
        "PENDING"
    );
    // Labels count as text.
    let mut relabelled = issue(1002, "slow export");
    relabelled.labels = vec!["performance".into()];
    let rows = issues::upsert_many(&db, repo_id, &[relabelled])
        .await
        .expect("upsert");
    assert!(rows[0].needs_analysis());
    let two = issues::by_ids(&db, &[two.id]).await.expect("by id");
    assert_eq!(two[0].labels, ["performance"]);
    assert_eq!(two[0].analysis_status, "PENDING");

    // An issue with no labels and no body is stored as such.
    let mut bare = issue(1003, "");
    bare.body = None;
    bare.labels = Vec::new();
    issues::upsert_many(&db, repo_id, &[bare])
        .await
        .expect("bare");
    let bare = issues::by_number(&db, repo_id, 1003)
        .await
        .expect("get")
        .expect("1003");
    assert!(bare.labels.is_empty() && bare.body.is_none());
}

#[tokio::test]
async fn a_complete_issue_listing_closes_issues_it_no_longer_shows_and_lists_page_by_number() {
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    let batch: Vec<IssueUpsert> = (1..=7).map(|n| issue(1000 + n, "text")).collect();
    issues::upsert_many(&db, repo_id, &batch)
        .await
        .expect("upsert");
    assert_eq!(
        issues::close_missing(&db, repo_id, &[1001, 1002, 1004, 1005, 1007])
            .await
            .expect("close"),
        2
    );
    let three = issues::by_number(&db, repo_id, 1003)
        .await
        .expect("get")
        .expect("1003");
    assert_eq!(three.state, "closed");
    assert!(three.closed_at.is_some());
    assert_eq!(
        issues::close_missing(&db, repo_id, &[1001, 1002, 1004, 1005, 1007])
            .await
            .expect("again"),
        0,
        "closed ones stay closed"
    );

    let numbers = |rows: Vec<issues::IssueRow>| rows.iter().map(|r| r.number).collect::<Vec<_>>();
    let first = issues::list(&db, repo_id, Some("open"), None, 3)
        .await
        .expect("page");
    assert_eq!(numbers(first), vec![1001, 1002, 1004]);
    let second = issues::list(&db, repo_id, Some("open"), Some(1004), 3)
        .await
        .expect("page");
    assert_eq!(numbers(second), vec![1005, 1007]);
    let end = issues::list(&db, repo_id, Some("open"), Some(1007), 3)
        .await
        .expect("page");
    assert!(end.is_empty());
    let closed = issues::list(&db, repo_id, Some("closed"), None, 10)
        .await
        .expect("page");
    assert_eq!(numbers(closed), vec![1003, 1006]);
    let all = issues::list(&db, repo_id, None, Some(1002), 100)
        .await
        .expect("page");
    assert_eq!(numbers(all), vec![1003, 1004, 1005, 1006, 1007]);

    // Another repository's issues are its own.
    let other = repos::upsert(
        &db,
        &RepoUpsert {
            github_id: 43,
            owner: "acme".into(),
            name: "other".into(),
            default_branch: "main".into(),
            html_url: None,
        },
    )
    .await
    .expect("repo")
    .id;
    issues::upsert_many(&db, other, &[issue(1001, "elsewhere")])
        .await
        .expect("upsert");
    assert_eq!(
        issues::list(&db, other, None, None, 10)
            .await
            .expect("page")
            .len(),
        1
    );
    assert_eq!(
        issues::list(&db, repo_id, None, None, 10)
            .await
            .expect("page")
            .len(),
        7
    );
}

#[tokio::test]
async fn documents_are_stored_replaced_and_removed() {
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    assert_eq!(
        documents::get(&db, repo_id, "VISION.md")
            .await
            .expect("get"),
        None
    );
    assert!(
        documents::put(&db, repo_id, "VISION.md", "# Vision", Some("abc"))
            .await
            .expect("put"),
        "new"
    );
    let stored = documents::get(&db, repo_id, "VISION.md")
        .await
        .expect("get")
        .expect("document");
    assert_eq!(
        (stored.content.as_str(), stored.sha.as_deref()),
        ("# Vision", Some("abc"))
    );
    assert!(
        !documents::put(&db, repo_id, "VISION.md", "# Vision", Some("abc"))
            .await
            .expect("put"),
        "unchanged"
    );
    let refetched = documents::get(&db, repo_id, "VISION.md")
        .await
        .expect("get")
        .expect("document");
    assert!(refetched.fetched_at >= stored.fetched_at);
    assert!(
        documents::put(&db, repo_id, "VISION.md", "# Vision 2", None)
            .await
            .expect("put"),
        "changed"
    );
    let changed = documents::get(&db, repo_id, "VISION.md")
        .await
        .expect("get")
        .expect("document");
    assert_eq!(
        (changed.content.as_str(), changed.sha),
        ("# Vision 2", None)
    );
    assert!(
        documents::delete(&db, repo_id, "VISION.md")
            .await
            .expect("delete")
    );
    assert!(
        !documents::delete(&db, repo_id, "VISION.md")
            .await
            .expect("delete")
    );
    assert_eq!(
        documents::get(&db, repo_id, "VISION.md")
            .await
            .expect("get"),
        None
    );
}

#[tokio::test]
async fn issue_term_frequencies_follow_re_analysis() {
    use clawtriage::storage::issue_analysis::{self as store, NewIssueFingerprint};
    let db = fresh_db().await;
    let repo_id = repo(&db).await;
    let stored = issues::upsert_many(&db, repo_id, &[issue(1, "a"), issue(2, "b")])
        .await
        .expect("issues");
    let versions = clawtriage_triage::IssueVersions {
        signature: "s".into(),
        algorithm: "a".into(),
        config: "c".into(),
    };
    let fingerprint = serde_json::json!({});
    let store_keys = |issue_id: i64, keys: Vec<i64>| {
        let (db, versions, fingerprint) = (db.clone(), versions.clone(), fingerprint.clone());
        async move {
            let mut tx = db.begin().await.expect("tx");
            store::store_fingerprint(
                &mut tx,
                &NewIssueFingerprint {
                    issue_id,
                    repo_id,
                    content_hash: "h",
                    versions: &versions,
                    fingerprint: &fingerprint,
                    term_keys: &keys,
                    index_keys: &keys,
                },
            )
            .await
            .expect("store");
            tx.commit().await.expect("commit");
        }
    };
    store_keys(stored[0].id, vec![10, 20, 30]).await;
    store_keys(stored[1].id, vec![20, 30, 40]).await;
    let df = |keys: Vec<i64>| {
        let db = db.clone();
        async move {
            let mut counts = store::document_frequencies(&db, repo_id, &keys)
                .await
                .expect("df");
            counts.sort_unstable();
            counts
        }
    };
    assert_eq!(
        df(vec![10, 20, 30, 40]).await,
        vec![(10, 1), (20, 2), (30, 2), (40, 1)]
    );
    // Issue 1's text changed: its old terms no longer count, its new ones do.
    store_keys(stored[0].id, vec![30, 50]).await;
    assert_eq!(
        df(vec![10, 20, 30, 40, 50]).await,
        vec![(20, 1), (30, 2), (40, 1), (50, 1)]
    );
    // Candidates: weighted by idf, never the issue itself.
    let found = store::candidates(&db, repo_id, Some(stored[0].id), &[30, 50], 2, 100, 10)
        .await
        .expect("candidates");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, stored[1].id);
}
