//! Arbitrary requests against the whole router (real Postgres and Redis behind it): no
//! input may produce a 5xx, and every error answer has the JSON error shape.

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::{config, seed, send};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};

const TEMPLATES: &[&str] = &[
    "/api/health",
    "/api/openapi.json",
    "/api/ops/public-scan",
    "/api/ops/scans",
    "/api/ops/scans/{id}",
    "/api/repos",
    "/api/repos/{id}/triage-queue",
    "/api/repos/{id}/duplicate-sets",
    "/api/repos/{id}/duplicate-sets/{id}",
    "/api/repos/{id}/prs/{id}",
    "/api/repos/{id}/prs/{id}/files",
    "/api/repos/{id}/prs/{id}/candidates",
    "/api/repos/{id}/prs/{id}/feedback",
    "/api/repos/{id}/feedback",
    "/api/repos/{id}/issues",
    "/api/repos/{id}/issues/{id}",
    "/api/repos/{id}/scope",
    "/webhooks/github",
    "/api/{id}",
];

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1".to_owned()),
        Just("2".to_owned()),
        Just("0".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("00000000-0000-0000-0000-000000000000".to_owned()),
        "[a-zA-Z0-9%._~-]{0,12}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("limit"),
        Just("cursor"),
        Just("minScore"),
        Just("state"),
        Just("needsReview"),
        Just("includeCategories"),
        Just("x"),
    ];
    let value = prop_oneof![
        Just("1".to_owned()),
        Just("-5".to_owned()),
        Just("1e400".to_owned()),
        Just("NaN".to_owned()),
        Just("OPEN,MERGED".to_owned()),
        Just("SAME_CHANGE,COMPETING_IMPLEMENTATION".to_owned()),
        Just("ALL".to_owned()),
        "[a-zA-Z0-9%,._-]{0,16}",
    ];
    proptest::collection::vec((key, value), 0..3).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(br#"{"owner":"acme","repo":"webapp"}"#.to_vec()),
        Just(br#"{"prNumber":1,"candidatePrNumber":2,"decision":"DUPLICATE"}"#.to_vec()),
        Just(br#"{"owner":"acme","repo":"webapp","maxOpenPrs":1e308,"snapshot":null}"#.to_vec()),
        Just(br#"{"prNumber":2147483648,"decision":"BASE","basePrNumber":-1}"#.to_vec()),
        Just(
            b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
                .to_vec()
        ),
        proptest::collection::vec(any::<u8>(), 0..256),
        "\\PC{0,64}".prop_map(String::into_bytes),
    ]
}

#[derive(Debug, Clone)]
struct Fuzzed {
    method: Method,
    path: String,
    content_type: Option<&'static str>,
    auth: Option<&'static str>,
    body: Vec<u8>,
}

fn request() -> impl Strategy<Value = Fuzzed> {
    let method = prop_oneof![
        Just(Method::GET),
        Just(Method::POST),
        Just(Method::PUT),
        Just(Method::DELETE)
    ];
    let template = proptest::sample::select(TEMPLATES);
    let content_type = prop_oneof![
        Just(None),
        Just(Some("application/json")),
        Just(Some("text/plain"))
    ];
    let auth = prop_oneof![
        Just(None),
        Just(Some("Bearer ops")),
        Just(Some("Bearer dash")),
        Just(Some("Bearer ")),
        Just(Some("Basic x"))
    ];
    (
        method,
        template,
        proptest::collection::vec(segment(), 2),
        query(),
        content_type,
        auth,
        body(),
    )
        .prop_map(
            |(method, template, segments, query, content_type, auth, body)| {
                let mut path =
                    template
                        .replacen("{id}", &segments[0], 1)
                        .replacen("{id}", &segments[1], 1);
                if !query.is_empty() {
                    path = format!("{path}?{query}");
                }
                Fuzzed {
                    method,
                    path,
                    content_type,
                    auth,
                    body,
                }
            },
        )
}

#[tokio::test(flavor = "multi_thread")]
async fn no_request_produces_a_server_error() {
    let cfg = config(&[
        "--ops-trigger-token",
        "ops",
        "--dashboard-token",
        "dash",
        "--public-scan-allowed-repos",
        "acme/webapp",
        "--github-mode",
        "hybrid",
        "--github-app-id",
        "1",
        "--github-private-key-pem",
        "k",
        "--github-webhook-secret",
        "s",
    ]);
    let (app, state) = common::app(cfg).await;
    seed(&state, 3).await;
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 400,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let result = tokio::task::block_in_place(|| {
        runner
            .run(&request(), |fuzzed| {
                let mut builder = Request::builder()
                    .method(fuzzed.method.clone())
                    .uri(fuzzed.path.as_str());
                if let Some(ct) = fuzzed.content_type {
                    builder = builder.header("content-type", ct);
                }
                if let Some(auth) = fuzzed.auth {
                    builder = builder.header("authorization", auth);
                }
                let Ok(request) = builder.body(Body::from(fuzzed.body.clone())) else {
                    return Ok(()); // not a valid HTTP request at all (e.g. a bad URI)
                };
                let answer = handle.block_on(send(&app, request));
                prop_assert!(
                    answer.status.as_u16() < 500,
                    "{fuzzed:?} -> {} {}",
                    answer.status,
                    answer.text
                );
                if answer.status.is_client_error() {
                    prop_assert!(
                        answer.json["error"]["code"].is_string()
                            && answer.json["error"]["message"].is_string(),
                        "{fuzzed:?} -> {} {}",
                        answer.status,
                        answer.text
                    );
                }
                Ok(())
            })
            .map_err(|err| err.to_string())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}
