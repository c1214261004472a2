//! Feedback writes: always token-guarded, validated, refused on a stale head, and read back.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{app, config, get, seed, send};

fn post(repo_id: i64, body: &str, token: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(format!("/api/repos/{repo_id}/feedback"))
        .header("content-type", "application/json");
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    builder.body(Body::from(body.to_owned())).expect("request")
}

#[tokio::test]
async fn feedback_needs_the_dashboard_token_even_when_reads_are_open() {
    let (app, state) = app(config(&[
        "--dashboard-auth-mode",
        "disabled",
        "--dashboard-token",
        "dash",
    ]))
    .await;
    let repo_id = seed(&state, 2).await;
    let body = r#"{"prNumber":1,"candidatePrNumber":2,"decision":"DUPLICATE"}"#;
    assert_eq!(
        send(&app, post(repo_id, body, None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&app, post(repo_id, body, Some("wrong"))).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&app, post(repo_id, body, Some("dash"))).await.status,
        StatusCode::CREATED
    );

    let (no_token_app, state) = common::app(config(&[])).await;
    let repo_id = seed(&state, 2).await;
    let answer = send(&no_token_app, post(repo_id, body, Some("anything"))).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::FORBIDDEN, "writes_disabled")
    );
}

#[tokio::test]
async fn feedback_is_validated_and_round_trips() {
    let (app, state) = app(config(&["--dashboard-token", "dash"])).await;
    let repo_id = seed(&state, 3).await;
    let cases = [
        (
            r#"{"prNumber":1,"decision":"DUPLICATE"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_candidate",
        ),
        (
            r#"{"prNumber":1,"candidatePrNumber":2,"decision":"MAYBE"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_decision",
        ),
        (
            r#"{"prNumber":1,"decision":"BASE"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_base",
        ),
        (
            r#"{"prNumber":1,"candidatePrNumber":1,"decision":"DUPLICATE"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_candidate",
        ),
        (
            r#"{"prNumber":"1","decision":"OUT_OF_SCOPE"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            r#"{"prNumber":1,"decision":"OUT_OF_SCOPE","extra":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            r#"{"prNumber":99,"decision":"OUT_OF_SCOPE"}"#,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            r#"{"prNumber":1,"candidatePrNumber":99,"decision":"RELATED"}"#,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            r#"{"prNumber":1,"headSha":"old","decision":"OUT_OF_SCOPE"}"#,
            StatusCode::CONFLICT,
            "stale_head",
        ),
        (r#"{"prNumber":1,"#, StatusCode::BAD_REQUEST, "invalid_json"),
    ];
    for (body, status, code) in cases {
        let answer = send(&app, post(repo_id, body, Some("dash"))).await;
        assert_eq!(
            (answer.status, answer.code()),
            (status, code),
            "{body}: {}",
            answer.text
        );
    }
    let long_notes = format!(
        r#"{{"prNumber":1,"decision":"OUT_OF_SCOPE","notes":"{}"}}"#,
        "n".repeat(2001)
    );
    let answer = send(&app, post(repo_id, &long_notes, Some("dash"))).await;
    assert_eq!(answer.code(), "notes_too_long");
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM feedback")
        .fetch_one(&state.services.db)
        .await
        .expect("count");
    assert_eq!(none, 0, "a refused request stored feedback");

    let ok = send(&app, post(repo_id, r#"{"prNumber":1,"headSha":"h1","candidatePrNumber":2,"decision":"not_related","notes":"different bug"}"#, Some("dash"))).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    assert_eq!(ok.json["saved"], true);
    let forced = send(
        &app,
        post(
            repo_id,
            r#"{"prNumber":2,"headSha":"old","force":true,"basePrNumber":1,"decision":"BASE"}"#,
            Some("dash"),
        ),
    )
    .await;
    assert_eq!(forced.status, StatusCode::CREATED, "{}", forced.text);

    // Both sides of the pair see the decision.
    let request = Request::get(format!("/api/repos/{repo_id}/prs/2/feedback"))
        .header("x-admin-token", "dash")
        .body(Body::empty())
        .expect("req");
    let listed = send(&app, request).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    let items = listed.json["feedback"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert!(items.iter().any(|f| f["decision"] == "NOT_RELATED"
        && f["prNumber"] == 1
        && f["candidatePrNumber"] == 2));
    assert!(
        items
            .iter()
            .any(|f| f["decision"] == "BASE" && f["basePrNumber"] == 1)
    );
    assert_eq!(
        get(&app, &format!("/api/repos/{repo_id}/prs/2/feedback"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
