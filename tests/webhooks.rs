//! `POST /webhooks/github`: signature checks (with rotation), idempotency by delivery
//! id, PR actions mapped to ingests or state updates, other events acknowledged.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clawtriage::api::AppState;
use clawtriage::storage::{prs, repos};
use clawtriage::webhooks::signature::sign;
use clawtriage::worker::jobs::IngestPr;
use common::{Answer, app, config, send};

const SECRET: &str = "whsec-test";

fn app_mode(secret: &str) -> clawtriage::config::Config {
    config(&[
        "--github-mode",
        "app",
        "--github-app-id",
        "1",
        "--github-private-key-pem",
        "unused-in-these-tests",
        "--github-webhook-secret",
        secret,
    ])
}

fn opened() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/webhooks/pull_request.opened.json"
    ))
    .expect("fixture");
    serde_json::from_str(&text).expect("fixture json")
}

fn delivery(event: &str, id: &str, body: &[u8], signature: Option<String>) -> Request<Body> {
    let mut builder = Request::post("/webhooks/github")
        .header("content-type", "application/json")
        .header("x-github-event", event)
        .header("x-github-delivery", id);
    if let Some(signature) = signature {
        builder = builder.header("x-hub-signature-256", signature);
    }
    builder.body(Body::from(body.to_vec())).expect("request")
}

async fn post(
    app: &axum::Router,
    event: &str,
    id: &str,
    payload: &serde_json::Value,
    secret: &str,
) -> Answer {
    let body = serde_json::to_vec(payload).expect("json");
    send(app, delivery(event, id, &body, Some(sign(secret, &body)))).await
}

async fn ingest_tasks(state: &AppState) -> usize {
    let mut redis = state.services.redis.clone();
    clawtriage::worker::queue::stored_task_count(
        &mut redis,
        &state.config.queue_namespace,
        IngestPr::NAME,
    )
    .await
    .expect("count")
}

#[tokio::test]
async fn a_signed_opened_delivery_is_ingested_once() {
    let (app, state) = app(app_mode(SECRET)).await;
    let payload = opened();
    let first = post(&app, "pull_request", "d-1", &payload, SECRET).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{}", first.text);
    assert_eq!(first.json["outcome"], "ingest_enqueued");
    let repo = repos::by_name(&state.services.db, "acme", "webapp")
        .await
        .expect("q")
        .expect("repo stored");
    assert_eq!(repo.installation_id, Some(55501));
    let pr = prs::by_number(&state.services.db, repo.id, 4312)
        .await
        .expect("q")
        .expect("pr stored");
    assert_eq!(
        (pr.state.as_str(), pr.head_sha.as_str()),
        ("open", "8d3f1c2b9a7e6d5c4b3a29180716f5e4d3c2b1a0")
    );
    assert_eq!(ingest_tasks(&state).await, 1);

    let replay = post(&app, "pull_request", "d-1", &payload, SECRET).await;
    assert_eq!(replay.status, StatusCode::OK);
    assert_eq!(replay.json["duplicate"], true);
    assert_eq!(ingest_tasks(&state).await, 1, "a replay enqueued again");

    // A new delivery for the same head is deduplicated by the job's idempotency key.
    let again = post(&app, "pull_request", "d-2", &payload, SECRET).await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    assert_eq!(ingest_tasks(&state).await, 1);

    // synchronize to a new head: a new ingest.
    let mut pushed = payload.clone();
    pushed["action"] = "synchronize".into();
    pushed["pull_request"]["head"]["sha"] = "feedface00000000000000000000000000000001".into();
    assert_eq!(
        post(&app, "pull_request", "d-3", &pushed, SECRET)
            .await
            .status,
        StatusCode::ACCEPTED
    );
    assert_eq!(ingest_tasks(&state).await, 2);
}

#[tokio::test]
async fn signatures_are_required_and_checked_with_rotation() {
    let (app, state) = app(app_mode("old-secret,new-secret")).await;
    let body = serde_json::to_vec(&opened()).expect("json");
    let cases = [
        (None, "missing_signature"),
        (Some(sign("wrong", &body)), "invalid_signature"),
        (Some("sha256=00".to_owned()), "invalid_signature"),
        (
            Some(sign("new-secret", b"another body")),
            "invalid_signature",
        ),
    ];
    for (signature, code) in cases {
        let answer = send(&app, delivery("pull_request", "d-x", &body, signature)).await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::UNAUTHORIZED, code),
            "{}",
            answer.text
        );
    }
    assert_eq!(ingest_tasks(&state).await, 0);
    let recorded: i64 = sqlx::query_scalar("SELECT count(*) FROM webhook_deliveries")
        .fetch_one(&state.services.db)
        .await
        .expect("count");
    assert_eq!(recorded, 0, "an unverified delivery was recorded");
    for secret in ["old-secret", "new-secret"] {
        let answer = send(
            &app,
            delivery("pull_request", secret, &body, Some(sign(secret, &body))),
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::ACCEPTED,
            "{secret}: {}",
            answer.text
        );
    }
}

#[tokio::test]
async fn closing_updates_state_and_other_events_are_acknowledged() {
    let (app, state) = app(app_mode(SECRET)).await;
    let mut merged = opened();
    merged["action"] = "closed".into();
    merged["pull_request"]["state"] = "closed".into();
    merged["pull_request"]["merged"] = true.into();
    merged["pull_request"]["merged_at"] = "2026-11-21T10:00:00Z".into();
    merged["pull_request"]["closed_at"] = "2026-11-21T10:00:00Z".into();
    assert_eq!(
        post(&app, "pull_request", "c-1", &merged, SECRET)
            .await
            .status,
        StatusCode::ACCEPTED
    );
    let repo = repos::by_name(&state.services.db, "acme", "webapp")
        .await
        .expect("q")
        .expect("repo");
    let pr = prs::by_number(&state.services.db, repo.id, 4312)
        .await
        .expect("q")
        .expect("pr");
    assert_eq!(pr.state, "merged");

    let mut closed = opened();
    closed["number"] = 4313.into();
    closed["pull_request"]["number"] = 4313.into();
    closed["pull_request"]["id"] = 2199887767_i64.into();
    closed["action"] = "closed".into();
    closed["pull_request"]["state"] = "closed".into();
    let answer = post(&app, "pull_request", "c-2", &closed, SECRET).await;
    assert_eq!(answer.json["outcome"], "updated");
    let pr = prs::by_number(&state.services.db, repo.id, 4313)
        .await
        .expect("q")
        .expect("pr");
    assert_eq!(pr.state, "closed");

    let ping = post(
        &app,
        "ping",
        "p-1",
        &serde_json::json!({"zen": "Keep it logically awesome."}),
        SECRET,
    )
    .await;
    assert_eq!(
        (ping.status, ping.json["outcome"].as_str()),
        (StatusCode::OK, Some("ignored"))
    );
    let labeled = post(
        &app,
        "pull_request",
        "l-1",
        &serde_json::json!({"action": "labeled"}),
        SECRET,
    )
    .await;
    assert_eq!(
        labeled.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a pull_request without its PR is malformed"
    );
}

#[tokio::test]
async fn a_malformed_delivery_is_refused_and_its_redelivery_processed() {
    let (app, state) = app(app_mode(SECRET)).await;
    let broken = serde_json::json!({"action": "opened", "pull_request": {"number": "x"}});
    let answer = post(&app, "pull_request", "m-1", &broken, SECRET).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "malformed_payload")
    );
    // The same delivery id, now well-formed (a fixed redelivery), is processed.
    let answer = post(&app, "pull_request", "m-1", &opened(), SECRET).await;
    assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text);
    assert_eq!(ingest_tasks(&state).await, 1);
}

#[tokio::test]
async fn webhooks_are_off_in_public_mode_and_need_a_secret() {
    let (public, _) = app(config(&["--github-webhook-secret", SECRET])).await;
    let answer = post(&public, "pull_request", "x", &opened(), SECRET).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (no_secret, _) = app(config(&[
        "--github-mode",
        "hybrid",
        "--github-app-id",
        "1",
        "--github-private-key-pem",
        "k",
    ]))
    .await;
    let answer = post(&no_secret, "pull_request", "x", &opened(), SECRET).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer.text.contains("GITHUB_WEBHOOK_SECRET"));
    let unknown = common::get(&no_secret, "/webhooks/gitlab").await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}
