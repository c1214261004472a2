//! Dashboard reads against seeded data: auth modes, validation, symmetric candidates,
//! and cursor pagination that is disjoint and complete.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{app, config, get, seed, send};

#[tokio::test]
async fn repos_prs_and_symmetric_candidates() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed(&state, 4).await;
    let repos = get(&app, "/api/repos").await;
    assert_eq!(repos.status, StatusCode::OK);
    assert_eq!(repos.json["repos"][0]["repoId"], repo_id);
    assert_eq!(repos.json["repos"][0]["openPrs"], 4);

    let detail = get(&app, &format!("/api/repos/{repo_id}/prs/3")).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.text);
    assert_eq!(detail.json["title"], "Change 3");
    assert_eq!(detail.json["state"], "OPEN");

    // The edge was stored from PR 2's side; PR 1 lists it too.
    for (from, to) in [(1, 2), (2, 1)] {
        let c = get(&app, &format!("/api/repos/{repo_id}/prs/{from}/candidates")).await;
        assert_eq!(c.status, StatusCode::OK, "{}", c.text);
        assert_eq!(
            c.json["candidates"].as_array().map(Vec::len),
            Some(1),
            "{}",
            c.text
        );
        assert_eq!(c.json["candidates"][0]["candidatePrNumber"], to);
        assert_eq!(c.json["candidates"][0]["rank"], 1);
    }
    let filtered = get(
        &app,
        &format!("/api/repos/{repo_id}/prs/1/candidates?includeCategories=SAME_CHANGE"),
    )
    .await;
    assert_eq!(
        filtered.json["candidates"].as_array().map(Vec::len),
        Some(0)
    );
    let high = get(
        &app,
        &format!("/api/repos/{repo_id}/prs/1/candidates?minScore=0.99"),
    )
    .await;
    assert_eq!(high.json["candidates"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn bad_paths_and_queries_get_json_400s_and_404s() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed(&state, 2).await;
    let cases = [
        (
            "/api/repos/abc/triage-queue",
            StatusCode::BAD_REQUEST,
            "invalid_repo_id",
        ),
        (
            "/api/repos/0/triage-queue",
            StatusCode::BAD_REQUEST,
            "invalid_repo_id",
        ),
        (
            "/api/repos/999999/triage-queue",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            &format!("/api/repos/{repo_id}/prs/x") as &str,
            StatusCode::BAD_REQUEST,
            "invalid_pr_number",
        ),
        (
            &format!("/api/repos/{repo_id}/prs/-3"),
            StatusCode::BAD_REQUEST,
            "invalid_pr_number",
        ),
        (
            &format!("/api/repos/{repo_id}/prs/99"),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            &format!("/api/repos/{repo_id}/triage-queue?limit=0"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            &format!("/api/repos/{repo_id}/triage-queue?limit=201"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            &format!("/api/repos/{repo_id}/triage-queue?state=weird"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            &format!("/api/repos/{repo_id}/triage-queue?cursor=zz"),
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        (
            &format!("/api/repos/{repo_id}/triage-queue?limt=3"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
        ),
        (
            &format!("/api/repos/{repo_id}/triage-queue?limit=%ZZ"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            &format!("/api/repos/{repo_id}/prs/1/candidates?minScore=2"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            &format!("/api/repos/{repo_id}/prs/1/candidates?includeCategories=BOGUS"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
    ];
    for (path, status, code) in cases {
        let answer = get(&app, path).await;
        assert_eq!(
            (answer.status, answer.code()),
            (status, code),
            "{path}: {}",
            answer.text
        );
    }
}

#[tokio::test]
async fn triage_queue_pages_are_disjoint_and_complete() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed(&state, 23).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let path = match &cursor {
            Some(c) => {
                format!("/api/repos/{repo_id}/triage-queue?needsReview=false&limit=4&cursor={c}")
            }
            None => format!("/api/repos/{repo_id}/triage-queue?needsReview=false&limit=4"),
        };
        let page = get(&app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        for item in page.json["items"].as_array().expect("items") {
            seen.push(item["prNumber"].as_i64().expect("number"));
        }
        cursor = page.json["nextCursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "pages overlap: {seen:?}");
    assert_eq!(sorted, (1..=23).collect::<Vec<_>>(), "pages incomplete");
    // Strongest first: the top pair is 21/22 (score 0.81); PR 23 has no candidate and is last.
    assert_eq!(&seen[..2], &[21, 22]);
    assert_eq!(seen.last(), Some(&23));

    // needsReview (default) leaves out PRs without a candidate above the threshold.
    let review = get(
        &app,
        &format!("/api/repos/{repo_id}/triage-queue?limit=200"),
    )
    .await;
    let numbers: Vec<i64> = review.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["prNumber"].as_i64().expect("n"))
        .collect();
    assert_eq!(numbers.len(), 22);
    assert!(!numbers.contains(&23));
}

#[tokio::test]
async fn reads_follow_dashboard_auth_mode() {
    let (open, _) = app(config(&[
        "--dashboard-auth-mode",
        "disabled",
        "--dashboard-token",
        "dash",
    ]))
    .await;
    assert_eq!(get(&open, "/api/repos").await.status, StatusCode::OK);

    let (auto_without_token, _) = app(config(&[])).await;
    assert_eq!(
        get(&auto_without_token, "/api/repos").await.status,
        StatusCode::OK
    );

    let (guarded, _) = app(config(&[
        "--dashboard-token",
        "dash",
        "--ops-trigger-token",
        "ops",
    ]))
    .await;
    let answer = get(&guarded, "/api/repos").await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::UNAUTHORIZED, "missing_token")
    );
    for (header, value, expected) in [
        ("authorization", "Bearer dash", StatusCode::OK),
        ("x-admin-token", "dash", StatusCode::OK),
        ("authorization", "Bearer ops", StatusCode::OK),
        ("authorization", "Bearer nope", StatusCode::UNAUTHORIZED),
        ("x-admin-token", "nope", StatusCode::UNAUTHORIZED),
    ] {
        let request = Request::get("/api/repos")
            .header(header, value)
            .body(Body::empty())
            .expect("request");
        assert_eq!(
            send(&guarded, request).await.status,
            expected,
            "{header}: {value}"
        );
    }
    // Health stays open for the platform's checks.
    assert_eq!(get(&guarded, "/api/health").await.status, StatusCode::OK);
}
