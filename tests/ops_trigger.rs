//! `POST /api/ops/public-scan` and `GET /api/ops/scans/{jobId}`: the whole matrix of
//! bad requests (none of which enqueues anything), idempotency, and status.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clawtriage::api::AppState;
use clawtriage::worker::jobs::PublicPrScan;
use common::{Answer, app, config, get, send};

const TOKEN: &str = "s3cret-ops-token";

fn trigger_config() -> clawtriage::config::Config {
    config(&[
        "--ops-trigger-token",
        TOKEN,
        "--public-scan-allowed-repos",
        "Acme/WebApp,other/lib",
    ])
}

fn post(body: &str, content_type: Option<&str>, auth: Option<&str>) -> Request<Body> {
    let mut builder = Request::post("/api/ops/public-scan");
    if let Some(ct) = content_type {
        builder = builder.header("content-type", ct);
    }
    if let Some(auth) = auth {
        builder = builder.header("authorization", auth);
    }
    builder.body(Body::from(body.to_owned())).expect("request")
}

fn authed(body: &str) -> Request<Body> {
    post(
        body,
        Some("application/json"),
        Some(&format!("Bearer {TOKEN}")),
    )
}

async fn nothing_enqueued(state: &AppState) {
    let scans: i64 = sqlx::query_scalar("SELECT count(*) FROM scans")
        .fetch_one(&state.services.db)
        .await
        .expect("count");
    assert_eq!(scans, 0, "a scan row was created");
    let mut redis = state.services.redis.clone();
    let tasks = clawtriage::worker::queue::stored_task_count(
        &mut redis,
        &state.config.queue_namespace,
        PublicPrScan::NAME,
    )
    .await
    .expect("count tasks");
    assert_eq!(tasks, 0, "a task was enqueued");
}

fn expect(answer: &Answer, status: StatusCode, code: &str, case: &str) {
    assert_eq!(answer.status, status, "{case}: {}", answer.text);
    assert_eq!(answer.code(), code, "{case}: {}", answer.text);
    assert!(
        answer.json["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{case}"
    );
    assert!(!answer.text.contains(TOKEN), "{case}: token echoed");
}

#[tokio::test]
async fn authentication_is_required_and_checked() {
    let (app, state) = app(trigger_config()).await;
    let body = r#"{"owner":"acme","repo":"webapp"}"#;
    let cases = [
        (post(body, Some("application/json"), None), "missing_token"),
        (
            post(
                body,
                Some("application/json"),
                Some(&format!("Basic {TOKEN}")),
            ),
            "invalid_auth_scheme",
        ),
        (
            post(body, Some("application/json"), Some("Bearer")),
            "invalid_auth_scheme",
        ),
        (
            post(body, Some("application/json"), Some("Bearer wrong-token")),
            "invalid_token",
        ),
        (
            post(
                body,
                Some("application/json"),
                Some(&format!("Bearer {TOKEN}x")),
            ),
            "invalid_token",
        ),
        (
            post(
                body,
                Some("application/json"),
                Some(&format!("Bearer {}", &TOKEN[..5])),
            ),
            "invalid_token",
        ),
    ];
    for (i, (request, code)) in cases.into_iter().enumerate() {
        let answer = send(&app, request).await;
        expect(
            &answer,
            StatusCode::UNAUTHORIZED,
            code,
            &format!("case {i}"),
        );
    }
    nothing_enqueued(&state).await;
    let answer = send(
        &app,
        post(
            body,
            Some("application/json"),
            Some(&format!("bearer {TOKEN}")),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text);
}

#[tokio::test]
async fn invalid_requests_are_refused_with_specific_codes_and_enqueue_nothing() {
    let (app, state) = app(trigger_config()).await;
    let long = "s".repeat(121);
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            authed(r#"{"owner":"evil","repo":"webapp"}"#),
            StatusCode::FORBIDDEN,
            "repo_not_allowed",
        ),
        (
            authed(r#"{"owner":"acme","repo":"other"}"#),
            StatusCode::FORBIDDEN,
            "repo_not_allowed",
        ),
        (
            authed(r#"{"owner":"ac me","repo":"webapp"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_owner",
        ),
        (
            authed(r#"{"repo":"webapp"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_owner",
        ),
        (
            authed(r#"{"owner":"acme","repo":"web/app"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_repo",
        ),
        (
            authed(r#"{"owner":"acme","repo":"webapp","maxOpenPrs":0}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_max_open_prs",
        ),
        (
            authed(r#"{"owner":"acme","repo":"webapp","maxOpenPrs":1001}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_max_open_prs",
        ),
        (
            authed(r#"{"owner":"acme","repo":"webapp","maxOpenPrs":"x"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_max_open_prs",
        ),
        (
            authed(r#"{"owner":"acme","repo":"webapp","maxOpenPrs":1.5}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_max_open_prs",
        ),
        (
            authed(&format!(
                r#"{{"owner":"acme","repo":"webapp","snapshot":"{long}"}}"#
            )),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_snapshot",
        ),
        (
            authed(r#"{"owner":"acme","repo":"webapp","snapshot":"a b"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_snapshot",
        ),
        (
            authed(r#"{"owner":"acme","repo":"webapp","snapshot":"x;y"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_snapshot",
        ),
        (
            authed(r#"{"owner":"acme","#),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (authed(""), StatusCode::BAD_REQUEST, "invalid_json"),
        (
            authed("[1,2]"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            post(
                r#"{"owner":"acme","repo":"webapp"}"#,
                Some("text/plain"),
                Some(&format!("Bearer {TOKEN}")),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            post(
                r#"{"owner":"acme","repo":"webapp"}"#,
                None,
                Some(&format!("Bearer {TOKEN}")),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            authed(&format!(
                r#"{{"owner":"acme","repo":"webapp","pad":"{}"}}"#,
                "x".repeat(20_000)
            )),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            Request::get("/api/ops/public-scan")
                .header("authorization", format!("Bearer {TOKEN}"))
                .body(Body::empty())
                .expect("req"),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
    ];
    for (i, (request, status, code)) in cases.into_iter().enumerate() {
        let answer = send(&app, request).await;
        expect(&answer, status, code, &format!("case {i} ({code})"));
    }
    nothing_enqueued(&state).await;
}

#[tokio::test]
async fn the_same_snapshot_twice_is_one_scan_and_one_job() {
    let (app, state) = app(trigger_config()).await;
    let body = r#"{"owner":"acme","repo":"webapp","snapshot":"2026-11-22T14","maxOpenPrs":50}"#;
    let first = send(&app, authed(body)).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{}", first.text);
    assert_eq!(first.json["enqueued"], true);
    assert_eq!(first.json["owner"], "acme");
    assert_eq!(first.json["repo"], "webapp");
    assert_eq!(first.json["snapshot"], "2026-11-22T14");
    let second = send(&app, authed(body)).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    assert_eq!(second.json["enqueued"], false);
    assert_eq!(second.json["jobId"], first.json["jobId"]);
    // Case differences are the same repository and the same scan.
    let shouted = send(
        &app,
        authed(r#"{"owner":"ACME","repo":"WebApp","snapshot":"2026-11-22T14"}"#),
    )
    .await;
    assert_eq!(
        shouted.json["jobId"], first.json["jobId"],
        "{}",
        shouted.text
    );

    let scans: i64 = sqlx::query_scalar("SELECT count(*) FROM scans")
        .fetch_one(&state.services.db)
        .await
        .expect("count");
    assert_eq!(scans, 1);
    let mut redis = state.services.redis.clone();
    let tasks = clawtriage::worker::queue::stored_task_count(
        &mut redis,
        &state.config.queue_namespace,
        PublicPrScan::NAME,
    )
    .await
    .expect("count tasks");
    assert_eq!(tasks, 1);

    let other = send(
        &app,
        authed(r#"{"owner":"acme","repo":"webapp","snapshot":"2026-11-22T15"}"#),
    )
    .await;
    assert_eq!(other.status, StatusCode::ACCEPTED);
    assert_ne!(other.json["jobId"], first.json["jobId"]);
}

#[tokio::test]
async fn concurrent_identical_triggers_make_one_scan() {
    let (app, state) = app(trigger_config()).await;
    let body = r#"{"owner":"acme","repo":"webapp","snapshot":"race"}"#;
    let answers = futures::future::join_all((0..8).map(|_| send(&app, authed(body)))).await;
    let ids: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|a| a.json["jobId"].to_string())
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(
        answers
            .iter()
            .filter(|a| a.status == StatusCode::ACCEPTED)
            .count(),
        1
    );
    let mut redis = state.services.redis.clone();
    let tasks = clawtriage::worker::queue::stored_task_count(
        &mut redis,
        &state.config.queue_namespace,
        PublicPrScan::NAME,
    )
    .await
    .expect("count tasks");
    assert_eq!(tasks, 1);
}

#[tokio::test]
async fn a_server_without_a_trigger_token_refuses_every_trigger() {
    let (app, state) = app(config(&["--public-scan-allowed-repos", "acme/webapp"])).await;
    for auth in [None, Some("Bearer anything"), Some("Bearer ")] {
        let answer = send(
            &app,
            post(
                r#"{"owner":"acme","repo":"webapp"}"#,
                Some("application/json"),
                auth,
            ),
        )
        .await;
        expect(
            &answer,
            StatusCode::SERVICE_UNAVAILABLE,
            "trigger_disabled",
            &format!("{auth:?}"),
        );
        assert!(
            answer.json["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("OPS_TRIGGER_TOKEN"))
        );
    }
    nothing_enqueued(&state).await;
}

#[tokio::test]
async fn an_empty_allowlist_denies_everything() {
    let (app, state) = app(config(&["--ops-trigger-token", TOKEN])).await;
    let answer = send(&app, authed(r#"{"owner":"acme","repo":"webapp"}"#)).await;
    expect(
        &answer,
        StatusCode::FORBIDDEN,
        "repo_not_allowed",
        "empty allowlist",
    );
    nothing_enqueued(&state).await;
}

#[tokio::test]
async fn scan_status_is_readable_by_id() {
    let (app, _) = app(trigger_config()).await;
    let answer = send(
        &app,
        authed(r#"{"owner":"acme","repo":"webapp","snapshot":"s1"}"#),
    )
    .await;
    let job_id = answer.json["jobId"].as_str().expect("jobId").to_owned();
    let status = get(&app, &format!("/api/ops/scans/{job_id}")).await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.text);
    assert_eq!(status.json["status"], "queued");
    assert_eq!(status.json["jobId"], job_id.as_str());
    assert_eq!(status.json["counts"]["enqueued"], 0);
    let missing = get(&app, "/api/ops/scans/00000000-0000-0000-0000-000000000000").await;
    assert_eq!(
        (missing.status, missing.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let recent = get(&app, "/api/ops/scans?limit=5").await;
    assert_eq!(recent.status, StatusCode::OK, "{}", recent.text);
    assert_eq!(recent.json["scans"][0]["jobId"], job_id.as_str());
    assert_eq!(
        get(&app, "/api/ops/scans?limit=0").await.code(),
        "invalid_parameter"
    );
    let bad = get(&app, "/api/ops/scans/not-a-uuid").await;
    assert_eq!(
        (bad.status, bad.code()),
        (StatusCode::BAD_REQUEST, "invalid_job_id")
    );
}
