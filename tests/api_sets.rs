//! Duplicate sets: stored sets keep their ids, the list pages and filters, a set's page
//! shows members and evidence, and bad input is a JSON 400/404.

mod common;

use axum::http::StatusCode;
use clawtriage::storage::{prs, sets};
use common::{app, config, get, seed};
use sets::SetToStore;

/// Stores one set per seeded pair (1-2, 3-4, …) and returns their ids.
async fn store_pair_sets(state: &clawtriage::api::AppState, repo_id: i64, n: i32) -> Vec<i64> {
    let db = &state.services.db;
    let mut to_store = Vec::new();
    for first in (1..n).step_by(2) {
        let a = prs::by_number(db, repo_id, first)
            .await
            .expect("a")
            .expect("pr");
        let b = prs::by_number(db, repo_id, first + 1)
            .await
            .expect("b")
            .expect("pr");
        to_store.push(SetToStore {
            id: None,
            members: vec![a.id, b.id],
            base_pr_id: Some(a.id),
            base_reason: Some(format!("#{} is contained in #{}", first, first + 1)),
            categories: vec![
                if first == 1 {
                    "SAME_CHANGE"
                } else {
                    "SAME_FEATURE"
                }
                .into(),
            ],
            max_score: 0.6 + f64::from(first) / 100.0,
        });
    }
    let mut tx = db.begin().await.expect("tx");
    sets::lock_repo(&mut tx, repo_id).await.expect("lock");
    let ids = sets::replace_active(&mut tx, repo_id, &to_store)
        .await
        .expect("store");
    tx.commit().await.expect("commit");
    ids
}

#[tokio::test]
async fn sets_list_with_members_base_and_evidence() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed(&state, 7).await;
    store_pair_sets(&state, repo_id, 6).await;

    let page = get(&app, &format!("/api/repos/{repo_id}/duplicate-sets")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let listed = page.json["sets"].as_array().expect("sets");
    assert_eq!(listed.len(), 3);
    // Strongest first: the 5-6 pair scores highest.
    assert_eq!(listed[0]["members"][0]["prNumber"], 5);
    assert_eq!(listed[0]["members"][0]["isBase"], true);
    assert_eq!(listed[0]["suggestedBase"]["prNumber"], 5);
    assert_eq!(
        listed[0]["suggestedBase"]["reason"],
        "#5 is contained in #6"
    );
    assert_eq!(listed[0]["edges"][0]["a"], 5);
    assert_eq!(listed[0]["edges"][0]["b"], 6);
    assert_eq!(
        listed[0]["edges"][0]["evidence"]["overlappingProductionPaths"][0],
        "src/a.ts"
    );
    assert_eq!(listed[0]["state"], "OPEN");

    let same_change = get(
        &app,
        &format!("/api/repos/{repo_id}/duplicate-sets?includeCategories=SAME_CHANGE"),
    )
    .await;
    assert_eq!(same_change.json["sets"].as_array().map(Vec::len), Some(1));
    let strong = get(
        &app,
        &format!("/api/repos/{repo_id}/duplicate-sets?minScore=0.63"),
    )
    .await;
    assert_eq!(strong.json["sets"].as_array().map(Vec::len), Some(2));

    let id = listed[1]["setId"].as_i64().expect("id");
    let one = get(&app, &format!("/api/repos/{repo_id}/duplicate-sets/{id}")).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    assert_eq!(one.json["memberCount"], 2);
    assert_eq!(one.json["members"].as_array().map(Vec::len), Some(2));

    let pr = get(&app, &format!("/api/repos/{repo_id}/prs/3")).await;
    assert_eq!(pr.json["duplicateSetId"], id);
    let lonely = get(&app, &format!("/api/repos/{repo_id}/prs/7")).await;
    assert!(lonely.json["duplicateSetId"].is_null(), "{}", lonely.text);
}

#[tokio::test]
async fn pages_are_disjoint_and_complete() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed(&state, 12).await;
    store_pair_sets(&state, repo_id, 12).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let path = match &cursor {
            Some(c) => format!("/api/repos/{repo_id}/duplicate-sets?limit=4&cursor={c}"),
            None => format!("/api/repos/{repo_id}/duplicate-sets?limit=4"),
        };
        let page = get(&app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        for set in page.json["sets"].as_array().expect("sets") {
            seen.push(set["setId"].as_i64().expect("id"));
        }
        cursor = page.json["nextCursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(seen.len(), 6);
    assert_eq!(unique.len(), 6);
}

#[tokio::test]
async fn replaced_sets_keep_ids_and_old_ones_become_history() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed(&state, 4).await;
    let ids = store_pair_sets(&state, repo_id, 4).await;
    let db = &state.services.db;
    let active = sets::active_memberships(db, repo_id).await.expect("active");
    assert_eq!(active.len(), 2);

    // Next scan: the first set continues (grown by nothing), the second is gone.
    let a = prs::by_number(db, repo_id, 1)
        .await
        .expect("a")
        .expect("pr");
    let b = prs::by_number(db, repo_id, 2)
        .await
        .expect("b")
        .expect("pr");
    let mut tx = db.begin().await.expect("tx");
    sets::lock_repo(&mut tx, repo_id).await.expect("lock");
    let kept = sets::replace_active(
        &mut tx,
        repo_id,
        &[SetToStore {
            id: Some(ids[0]),
            members: vec![a.id, b.id],
            base_pr_id: Some(b.id),
            base_reason: Some("confirmed by a maintainer".into()),
            categories: vec!["SAME_CHANGE".into()],
            max_score: 0.99,
        }],
    )
    .await
    .expect("replace");
    tx.commit().await.expect("commit");
    assert_eq!(kept, vec![ids[0]]);

    let open = get(&app, &format!("/api/repos/{repo_id}/duplicate-sets")).await;
    assert_eq!(open.json["sets"].as_array().map(Vec::len), Some(1));
    assert_eq!(open.json["sets"][0]["setId"], ids[0]);
    assert_eq!(open.json["sets"][0]["suggestedBase"]["prNumber"], 2);
    let closed = get(
        &app,
        &format!("/api/repos/{repo_id}/duplicate-sets?state=closed"),
    )
    .await;
    assert_eq!(closed.json["sets"].as_array().map(Vec::len), Some(1));
    assert_eq!(closed.json["sets"][0]["setId"], ids[1]);
    assert_eq!(closed.json["sets"][0]["state"], "CLOSED");
    let all = get(
        &app,
        &format!("/api/repos/{repo_id}/duplicate-sets?state=ALL"),
    )
    .await;
    assert_eq!(all.json["sets"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn bad_set_queries_are_json_400s_and_404s() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed(&state, 2).await;
    let cases = [
        (
            format!("/api/repos/{repo_id}/duplicate-sets?state=maybe"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets?minScore=2"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets?includeCategories=RELATED"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets?includeCategories=,"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets?cursor=zz"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets?limit=0"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets?sort=x"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets/abc"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets/999999"),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/repos/999999/duplicate-sets".to_owned(),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (path, status) in cases {
        let answer = get(&app, &path).await;
        assert_eq!(answer.status, status, "{path}: {}", answer.text);
        assert!(!answer.code().is_empty(), "{path}: {}", answer.text);
    }
}

#[tokio::test]
async fn a_picked_base_shows_at_once_and_decisions_appear_on_the_set() {
    let (app, state) = app(config(&["--dashboard-token", "dash"])).await;
    let repo_id = seed(&state, 2).await;
    let ids = store_pair_sets(&state, repo_id, 2).await;
    let request = axum::http::Request::post(format!("/api/repos/{repo_id}/feedback"))
        .header("authorization", "Bearer dash")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            r#"{"prNumber":1,"candidatePrNumber":2,"decision":"BASE","basePrNumber":2}"#,
        ))
        .expect("request");
    let saved = common::send(&app, request).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.text);
    let set = common::send(
        &app,
        axum::http::Request::get(format!("/api/repos/{repo_id}/duplicate-sets/{}", ids[0]))
            .header("authorization", "Bearer dash")
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert_eq!(set.json["suggestedBase"]["prNumber"], 2);
    assert_eq!(
        set.json["suggestedBase"]["reason"],
        sets::CONFIRMED_BASE_REASON
    );
    assert_eq!(set.json["feedback"][0]["decision"], "BASE");
    assert_eq!(set.json["feedback"][0]["basePrNumber"], 2);
    assert_eq!(set.json["members"][0]["prNumber"], 2, "base listed first");
}
