//! The scan pipeline end to end: the ops trigger, the worker on real Redis, the GitHub
//! client against the fake GitHub serving the sample corpus, the engine, and the
//! duplicate sets read back through the API.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clawtriage::fake_github::{FakeConfig, FakeGithub};
use common::get;
use common::pipeline::{Stack, corpus_dir, members, truth};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn corpus_scan_finds_the_clusters_and_leaves_the_lookalikes_apart() {
    let github = FakeGithub::start(corpus_dir(), FakeConfig::default())
        .await
        .expect("fake github");
    let stack = Stack::start(&github.base_url()).await;
    let trigger = stack.trigger("e2e-1").await;
    let job = trigger["jobId"].as_str().expect("job id").to_owned();
    let scan = stack.wait(&job, Duration::from_secs(240)).await;
    assert_eq!(scan["status"], "done", "{scan}");
    let counts = &scan["counts"];
    assert_eq!(counts["failed"], 0, "{scan}");
    assert!(counts["listed"].as_i64().unwrap_or(0) > 200, "{scan}");
    let repo_id = scan["repoId"].as_i64().expect("repo id");
    // The scan's GitHub usage is its own requests, each counted once.
    assert_eq!(
        scan["github"]["requests"].as_u64(),
        Some(github.requests().total),
        "{scan}"
    );

    let sets = stack.sets(repo_id).await;
    let set_of: HashMap<i64, usize> = sets
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.iter().map(move |n| (*n, i)))
        .collect();
    let truth = truth();
    let open: BTreeSet<i64> = {
        let queue = get(
            &stack.app,
            &format!("/api/repos/{repo_id}/triage-queue?needsReview=false&limit=200"),
        )
        .await;
        let mut numbers: BTreeSet<i64> = BTreeSet::new();
        let mut page = queue.json;
        loop {
            for item in page["items"].as_array().expect("items") {
                numbers.insert(item["prNumber"].as_i64().expect("number"));
            }
            let Some(cursor) = page["nextCursor"].as_str() else {
                break;
            };
            page = get(
                &stack.app,
                &format!(
                    "/api/repos/{repo_id}/triage-queue?needsReview=false&limit=200&cursor={cursor}"
                ),
            )
            .await
            .json;
        }
        numbers
    };

    // Every cluster (its open members) sits together in one set.
    let mut missed = Vec::new();
    for cluster in truth["clusters"].as_array().expect("clusters") {
        let open_members: Vec<i64> = members(cluster)
            .into_iter()
            .filter(|n| open.contains(n))
            .collect();
        if open_members.len() < 2 {
            continue;
        }
        let homes: BTreeSet<Option<&usize>> = open_members.iter().map(|n| set_of.get(n)).collect();
        if homes.len() != 1 || homes.contains(&None) {
            missed.push(format!("{} {:?}", cluster["id"], open_members));
        }
    }
    // No look-alike pair shares a set.
    let mut false_positives = Vec::new();
    for negative in truth["negatives"].as_array().expect("negatives") {
        let group: Vec<i64> = members(negative).into_iter().collect();
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                if set_of.contains_key(a) && set_of.get(a) == set_of.get(b) {
                    false_positives.push(format!("{} #{a}-#{b}", negative["kind"]));
                }
            }
        }
    }
    let clusters = truth["clusters"].as_array().map_or(0, Vec::len);
    assert!(
        missed.len() * 20 <= clusters,
        "more than 5% of the {clusters} clusters missed: {missed:?}"
    );
    assert!(
        false_positives.is_empty(),
        "look-alikes grouped: {false_positives:?}"
    );

    // Open PRs that repeat merged work say where it landed.
    for landed in truth["landed"].as_array().expect("landed") {
        let open = landed["open"].as_i64().expect("open");
        let detail = get(&stack.app, &format!("/api/repos/{repo_id}/prs/{open}")).await;
        assert_eq!(
            detail.json["alreadyLanded"]["prNumber"], landed["merged"],
            "#{open}: {}",
            detail.text
        );
    }

    // Candidates are symmetric through the API.
    let (a, b) = sets
        .iter()
        .find_map(|s| {
            let mut it = s.iter();
            Some((*it.next()?, *it.next()?))
        })
        .expect("a set with two members");
    for (from, to) in [(a, b), (b, a)] {
        let c = get(
            &stack.app,
            &format!("/api/repos/{repo_id}/prs/{from}/candidates?limit=50"),
        )
        .await;
        let listed: Vec<i64> = c.json["candidates"]
            .as_array()
            .expect("candidates")
            .iter()
            .filter_map(|x| x["candidatePrNumber"].as_i64())
            .collect();
        assert!(listed.contains(&to), "#{from} lists {listed:?}, not #{to}");
    }

    // The same trigger again is the same scan; a new snapshot with nothing changed
    // fetches no files and keeps every set id.
    let again = stack.trigger("e2e-1").await;
    assert_eq!(again["jobId"], trigger["jobId"]);
    assert_eq!(again["enqueued"], false);
    github.reset_counters();
    let ids_before = set_ids(&stack, repo_id).await;
    let warm = stack.trigger("e2e-2").await;
    let warm_job = warm["jobId"].as_str().expect("job").to_owned();
    let warm_scan = stack.wait(&warm_job, Duration::from_secs(60)).await;
    assert_eq!(warm_scan["status"], "done", "{warm_scan}");
    assert_eq!(warm_scan["counts"]["enqueued"], 0, "{warm_scan}");
    let log = github.requests();
    assert_eq!(
        log.count_all("GET /repos/{owner}/{repo}/pulls/{number}/files"),
        0,
        "a warm scan fetched files: {log:?}"
    );
    assert_eq!(set_ids(&stack, repo_id).await, ids_before);
    let _ = &stack.state;
    stack.stop().await;
}

async fn set_ids(stack: &Stack, repo_id: i64) -> Vec<i64> {
    let page = get(
        &stack.app,
        &format!("/api/repos/{repo_id}/duplicate-sets?limit=100"),
    )
    .await;
    let mut ids: Vec<i64> = page.json["sets"]
        .as_array()
        .expect("sets")
        .iter()
        .filter_map(|s| s["setId"].as_i64())
        .collect();
    ids.sort_unstable();
    ids
}

/// A corpus of the first `clusters` truth clusters and `negatives` look-alike groups,
/// copied to a temporary directory (a full scan is slower than these tests need).
fn small_corpus(clusters: usize, negatives: usize) -> (tempfile::TempDir, Value) {
    let truth = truth();
    let dir = tempfile::tempdir().expect("tempdir");
    let from = corpus_dir().join("acme/webapp");
    let to = dir.path().join("acme/webapp");
    std::fs::create_dir_all(to.join("pulls")).expect("mkdir");
    std::fs::copy(from.join("repo.json"), to.join("repo.json")).expect("repo.json");
    let picked: Vec<&Value> = truth["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .take(clusters)
        .chain(
            truth["negatives"]
                .as_array()
                .expect("negatives")
                .iter()
                .take(negatives),
        )
        .collect();
    for group in &picked {
        for n in members(group) {
            let name = format!("pulls/{n}.json");
            std::fs::copy(from.join(&name), to.join(&name)).expect("copy pull");
        }
    }
    let small = serde_json::json!({
        "clusters": truth["clusters"].as_array().expect("clusters").iter().take(clusters).collect::<Vec<_>>(),
        "negatives": truth["negatives"].as_array().expect("negatives").iter().take(negatives).collect::<Vec<_>>(),
    });
    (dir, small)
}

fn stored_pull(dir: &std::path::Path, number: i64) -> Value {
    let text = std::fs::read_to_string(dir.join(format!("acme/webapp/pulls/{number}.json")))
        .expect("pull file");
    serde_json::from_str(&text).expect("pull json")
}

/// PR `from` of the corpus in `dir` opened again as `number`, head `head_char` × 40.
fn resubmission(dir: &std::path::Path, from: i64, number: i64, head_char: char) -> Value {
    let mut copy = stored_pull(dir, from);
    copy["pull"]["number"] = number.into();
    copy["pull"]["id"] = (9_000_000 + number).into();
    copy["pull"]["head"]["sha"] = head_char.to_string().repeat(40).into();
    copy["pull"]["title"] = "Re-submit of an open change".into();
    copy
}

fn files_requests(github: &FakeGithub) -> u64 {
    github
        .requests()
        .count_all("GET /repos/{owner}/{repo}/pulls/{number}/files")
}

/// The set (as member numbers) holding `number`, if any.
fn home(sets: &[BTreeSet<i64>], number: i64) -> Option<&BTreeSet<i64>> {
    sets.iter().find(|s| s.contains(&number))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rescan_fetches_only_what_moved_and_closed_prs_leave_their_sets() {
    let (dir, truth) = small_corpus(6, 2);
    let github = FakeGithub::start(dir.path(), FakeConfig::default())
        .await
        .expect("fake github");
    let stack = Stack::start(&github.base_url()).await;
    let scan = stack.scan_done("inc-1", Duration::from_secs(120)).await;
    let repo_id = scan["repoId"].as_i64().expect("repo");
    let before = stack.sets(repo_id).await;

    // Three clusters: one member's head moves (same change), one member closes, and a
    // new PR repeats a third cluster's change.
    let clusters = truth["clusters"].as_array().expect("clusters");
    let moved_cluster: Vec<i64> = members(&clusters[0]).into_iter().collect();
    // A pair, so closing one member dissolves its set.
    let closed_cluster: Vec<i64> = clusters
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != 0 && *i != 2 && members(c).len() == 2)
        .map(|(_, c)| members(c).into_iter().collect())
        .next()
        .expect("a two-PR cluster");
    let copied_cluster: Vec<i64> = members(&clusters[2]).into_iter().collect();
    assert!(home(&before, moved_cluster[0]).is_some(), "{before:?}");
    let moved = moved_cluster[0];
    github
        .set_head("acme", "webapp", moved as u64, &"a".repeat(40), None)
        .expect("move head");
    let closed = closed_cluster[0];
    github
        .close_pull("acme", "webapp", closed as u64, false)
        .expect("close");
    let copy = resubmission(dir.path(), copied_cluster[0], 9001, 'b');
    github.add_pull("acme", "webapp", copy).expect("add pull");

    // An ETag entry nobody refreshed for two months goes at the end of the next listing.
    let db = &stack.state.services.db;
    sqlx::query(
        "INSERT INTO http_cache (cache_key, etag, body, stored_at)
         VALUES ('GET https://gone.example/x', '\"e\"', '[]', now() - interval '60 days')",
    )
    .execute(db)
    .await
    .expect("stale entry");

    github.reset_counters();
    let scan = stack.scan_done("inc-2", Duration::from_secs(120)).await;
    let cached: (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE cache_key LIKE '%gone.example%'), count(*) FROM http_cache",
    )
    .fetch_one(db)
    .await
    .expect("count");
    assert_eq!(cached.0, 0, "the stale entry is pruned");
    assert!(cached.1 > 0, "the fresh ones stay");
    assert_eq!(
        scan["counts"]["enqueued"], 2,
        "only the moved and the new PR: {scan}"
    );
    assert_eq!(files_requests(&github), 2, "{:?}", github.requests());

    let after = stack.sets(repo_id).await;
    assert!(
        home(&after, moved).is_some_and(|s| moved_cluster.iter().all(|m| s.contains(m))),
        "the moved PR stays with its cluster: {after:?}"
    );
    assert!(
        home(&after, closed).is_none(),
        "a closed PR leaves the open sets: {after:?}"
    );
    assert!(home(&after, closed_cluster[1]).is_none(), "{after:?}");
    assert!(
        home(&after, 9001).is_some_and(|s| s.contains(&copied_cluster[0])),
        "the re-submission joins its cluster: {after:?}"
    );
    let history = get(
        &stack.app,
        &format!("/api/repos/{repo_id}/duplicate-sets?state=CLOSED"),
    )
    .await;
    assert!(
        history.json["sets"]
            .as_array()
            .is_some_and(|s| !s.is_empty()),
        "the closed cluster's set is history: {}",
        history.text
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn github_faults_do_not_fail_a_scan() {
    let (dir, _) = small_corpus(8, 2);
    let faults = clawtriage::fake_github::Faults {
        error_rate: 0.05,
        secondary_every: Some(25),
        secondary_retry_after: 1,
        latency_ms: 0,
    };
    let github = FakeGithub::start(
        dir.path(),
        FakeConfig {
            faults,
            ..FakeConfig::default()
        },
    )
    .await
    .expect("fake github");
    let stack = Stack::start(&github.base_url()).await;
    let scan = stack.scan_done("faults", Duration::from_secs(180)).await;
    assert_eq!(scan["counts"]["failed"], 0, "{scan}");
    let log = github.requests();
    assert!(
        log.count("GET /repos/{owner}/{repo}/pulls/{number}/files", 502)
            + log.count("GET /repos/{owner}/{repo}/pulls/{number}/files", 403)
            > 0,
        "faults were injected: {log:?}"
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_one_queue_analyse_every_pr_once() {
    let (dir, _) = small_corpus(10, 4);
    let github = FakeGithub::start(dir.path(), FakeConfig::default())
        .await
        .expect("fake github");
    let stack = Stack::start(&github.base_url()).await;
    let second_worker = tokio::spawn(clawtriage::worker::run(
        Arc::clone(&stack.state.config),
        stack.state.services.clone(),
        stack.stop.clone(),
    ));
    let scan = stack
        .scan_done("two-workers", Duration::from_secs(120))
        .await;
    // Every ingested PR (open, and merged ones in the landed window) exactly once.
    let ingested = scan["counts"]["enqueued"].as_u64().expect("enqueued");
    assert!(ingested >= scan["counts"]["listed"].as_u64().expect("listed"));
    assert_eq!(
        files_requests(&github),
        ingested,
        "each PR's files fetched exactly once"
    );
    let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM analysis_runs")
        .fetch_one(&stack.state.services.db)
        .await
        .expect("count");
    assert_eq!(runs as u64, ingested);
    stack.stop().await;
    let _ = tokio::time::timeout(Duration::from_secs(30), second_worker).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_ingest_outside_any_scan_updates_the_sets_itself() {
    let (dir, truth) = small_corpus(4, 1);
    let github = FakeGithub::start(dir.path(), FakeConfig::default())
        .await
        .expect("fake github");
    let stack = Stack::start(&github.base_url()).await;
    let scan = stack
        .scan_done("before-webhook", Duration::from_secs(120))
        .await;
    let repo_id = scan["repoId"].as_i64().expect("repo");

    // A re-submission arrives as a webhook would deliver it: stored, then one ingest.
    let cluster: Vec<i64> = members(&truth["clusters"][0]).into_iter().collect();
    let copy = resubmission(dir.path(), cluster[0], 9002, 'c');
    github.add_pull("acme", "webapp", copy).expect("add pull");
    let mut upsert = common::pr(9002);
    upsert.github_id = 9_000_000 + 9002;
    upsert.head_sha = "c".repeat(40);
    clawtriage::storage::prs::upsert_many(&stack.state.services.db, repo_id, &[upsert])
        .await
        .expect("store PR");
    stack
        .state
        .queues
        .push_ingest(clawtriage::worker::jobs::IngestPr {
            repo_id,
            pr_number: 9002,
            pr_id: 9_000_000 + 9002,
            head_sha: "c".repeat(40),
        })
        .await
        .expect("push ingest");

    let started = Instant::now();
    loop {
        let sets = stack.sets(repo_id).await;
        if home(&sets, 9002).is_some_and(|s| s.contains(&cluster[0])) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the webhook's PR never joined its cluster's set: {sets:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stack.stop().await;
}
