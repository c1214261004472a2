//! `/api/openapi.json` covers every API route, and real responses conform to the
//! schemas it documents (required fields present, types right, nothing undocumented).

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{app, config, get, seed, send};
use serde_json::Value;

/// Every route the router serves under /api (method, documented path).
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("post", "/api/ops/public-scan"),
    ("get", "/api/ops/scans"),
    ("get", "/api/ops/scans/{jobId}"),
    ("get", "/api/repos"),
    ("get", "/api/repos/{repoId}/triage-queue"),
    ("get", "/api/repos/{repoId}/duplicate-sets"),
    ("get", "/api/repos/{repoId}/duplicate-sets/{setId}"),
    ("get", "/api/repos/{repoId}/prs/{number}"),
    ("get", "/api/repos/{repoId}/prs/{number}/files"),
    ("get", "/api/repos/{repoId}/prs/{number}/candidates"),
    ("get", "/api/repos/{repoId}/prs/{number}/feedback"),
    ("post", "/api/repos/{repoId}/feedback"),
    ("get", "/api/repos/{repoId}/issues"),
    ("get", "/api/repos/{repoId}/issues/{number}"),
    ("get", "/api/repos/{repoId}/scope"),
];

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap_or_default();
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// Checks `value` against `schema` (the subset of JSON Schema utoipa emits).
fn conforms(doc: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let ok = options.iter().any(|option| {
            let mut sub = Vec::new();
            conforms(doc, option, value, path, &mut sub);
            sub.is_empty()
        });
        if !ok {
            errors.push(format!("{path}: matches none of the alternatives: {value}"));
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return, // untyped (free-form object): anything goes
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let type_ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
    if !type_ok {
        errors.push(format!("{path}: {actual} where {types:?} is documented"));
        return;
    }
    match value {
        Value::Object(map) if schema["properties"].is_object() => {
            let properties = schema["properties"].as_object().expect("object");
            for required in schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !map.contains_key(required) {
                    errors.push(format!("{path}: required `{required}` missing"));
                }
            }
            for (key, item) in map {
                match properties.get(key) {
                    Some(sub) => conforms(doc, sub, item, &format!("{path}.{key}"), errors),
                    None => errors.push(format!("{path}: `{key}` is not documented")),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                conforms(doc, &schema["items"], item, &format!("{path}[{i}]"), errors);
            }
        }
        _ => {}
    }
}

fn check(doc: &Value, method: &str, template: &str, status: u16, body: &Value) {
    let operation = &doc["paths"][template][method];
    assert!(
        operation.is_object(),
        "{method} {template} is not documented"
    );
    let response = &operation["responses"][status.to_string()];
    assert!(
        response.is_object(),
        "{method} {template}: status {status} is not documented"
    );
    let schema = &response["content"]["application/json"]["schema"];
    let mut errors = Vec::new();
    conforms(doc, schema, body, "$", &mut errors);
    assert!(
        errors.is_empty(),
        "{method} {template} {status}: {errors:#?}\nbody: {body}"
    );
}

#[tokio::test]
async fn every_route_is_documented_and_responses_match_their_schemas() {
    let (app, state) = app(config(&[
        "--ops-trigger-token",
        "ops",
        "--public-scan-allowed-repos",
        "acme/webapp",
        "--dashboard-token",
        "dash",
    ]))
    .await;
    let doc = get(&app, "/api/openapi.json").await;
    assert_eq!(doc.status, 200);
    let doc = doc.json;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .into_iter()
                .flatten()
                .map(move |(m, _)| (m.clone(), path.clone()))
        })
        .collect();
    for (method, path) in ROUTES {
        assert!(
            documented.contains(&((*method).into(), (*path).into())),
            "{method} {path} undocumented"
        );
    }
    assert_eq!(
        documented.len(),
        ROUTES.len(),
        "documented routes that do not exist: {documented:?}"
    );

    // Negative control: the checker does catch a wrong type, a missing and an extra field.
    let repo_list = serde_json::json!({"$ref": "#/components/schemas/RepoList"});
    let wrong = serde_json::json!({"repos": [{"repoId": "seven", "extra": 1}]});
    let mut errors = Vec::new();
    conforms(&doc, &repo_list, &wrong, "$", &mut errors);
    assert!(errors.iter().any(|e| e.contains("repoId")), "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`extra` is not documented")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("required `owner` missing")),
        "{errors:?}"
    );

    let repo_id = seed(&state, 4).await;
    let set_id = store_one_set(&state, repo_id).await;
    store_issue_rows(&state, repo_id).await;
    let auth = |r: axum::http::request::Builder| r.header("authorization", "Bearer dash");
    let authed_get = |path: String| auth(Request::get(path)).body(Body::empty()).expect("req");
    let cases = [
        ("/api/health".to_owned(), "/api/health"),
        ("/api/repos".to_owned(), "/api/repos"),
        (
            format!("/api/repos/{repo_id}/triage-queue?limit=1"),
            "/api/repos/{repoId}/triage-queue",
        ),
        (
            format!("/api/repos/{repo_id}/prs/1"),
            "/api/repos/{repoId}/prs/{number}",
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets"),
            "/api/repos/{repoId}/duplicate-sets",
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets/{set_id}"),
            "/api/repos/{repoId}/duplicate-sets/{setId}",
        ),
        (
            format!("/api/repos/{repo_id}/duplicate-sets/0"),
            "/api/repos/{repoId}/duplicate-sets/{setId}",
        ),
        (
            format!("/api/repos/{repo_id}/prs/1/files"),
            "/api/repos/{repoId}/prs/{number}/files",
        ),
        (
            format!("/api/repos/{repo_id}/prs/1/candidates"),
            "/api/repos/{repoId}/prs/{number}/candidates",
        ),
        (
            format!("/api/repos/{repo_id}/prs/1/feedback"),
            "/api/repos/{repoId}/prs/{number}/feedback",
        ),
        (
            format!("/api/repos/{repo_id}/prs/99"),
            "/api/repos/{repoId}/prs/{number}",
        ),
        (
            "/api/repos/x/prs/1".to_owned(),
            "/api/repos/{repoId}/prs/{number}",
        ),
        (
            format!("/api/repos/{repo_id}/issues?state=all&limit=1"),
            "/api/repos/{repoId}/issues",
        ),
        (
            format!("/api/repos/{repo_id}/issues?limit=0"),
            "/api/repos/{repoId}/issues",
        ),
        (
            format!("/api/repos/{repo_id}/issues/101"),
            "/api/repos/{repoId}/issues/{number}",
        ),
        (
            format!("/api/repos/{repo_id}/issues/999"),
            "/api/repos/{repoId}/issues/{number}",
        ),
        (
            format!("/api/repos/{repo_id}/scope?verdict=OUT_OF_SCOPE,IN_SCOPE"),
            "/api/repos/{repoId}/scope",
        ),
    ];
    for (path, template) in cases {
        let answer = send(&app, authed_get(path.clone())).await;
        check(&doc, "get", template, answer.status.as_u16(), &answer.json);
    }
    let unauthorized = get(&app, "/api/repos").await;
    check(
        &doc,
        "get",
        "/api/repos",
        unauthorized.status.as_u16(),
        &unauthorized.json,
    );

    let trigger = Request::post("/api/ops/public-scan")
        .header("authorization", "Bearer ops")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"owner":"acme","repo":"webapp"}"#))
        .expect("req");
    let answer = send(&app, trigger).await;
    check(
        &doc,
        "post",
        "/api/ops/public-scan",
        answer.status.as_u16(),
        &answer.json,
    );
    let job = answer.json["jobId"].as_str().expect("job").to_owned();
    let status = send(&app, authed_get(format!("/api/ops/scans/{job}"))).await;
    check(
        &doc,
        "get",
        "/api/ops/scans/{jobId}",
        status.status.as_u16(),
        &status.json,
    );
    let recent = send(&app, authed_get("/api/ops/scans".into())).await;
    check(
        &doc,
        "get",
        "/api/ops/scans",
        recent.status.as_u16(),
        &recent.json,
    );

    let feedback = auth(Request::post(format!("/api/repos/{repo_id}/feedback")))
        .header("content-type", "application/json")
        .body(Body::from(
            r#"{"prNumber":1,"candidatePrNumber":2,"decision":"DUPLICATE"}"#,
        ))
        .expect("req");
    let answer = send(&app, feedback).await;
    check(
        &doc,
        "post",
        "/api/repos/{repoId}/feedback",
        answer.status.as_u16(),
        &answer.json,
    );
    let listed = send(
        &app,
        authed_get(format!("/api/repos/{repo_id}/prs/1/feedback")),
    )
    .await;
    check(
        &doc,
        "get",
        "/api/repos/{repoId}/prs/{number}/feedback",
        listed.status.as_u16(),
        &listed.json,
    );
}

/// One stored set over the seeded pair 1-2, so the sets endpoints answer with content.
async fn store_one_set(state: &clawtriage::api::AppState, repo_id: i64) -> i64 {
    use clawtriage::storage::{prs, sets};
    let db = &state.services.db;
    let a = prs::by_number(db, repo_id, 1)
        .await
        .expect("a")
        .expect("pr");
    let b = prs::by_number(db, repo_id, 2)
        .await
        .expect("b")
        .expect("pr");
    let mut tx = db.begin().await.expect("tx");
    let ids = sets::replace_active(
        &mut tx,
        repo_id,
        &[sets::SetToStore {
            id: None,
            members: vec![a.id, b.id],
            base_pr_id: Some(a.id),
            base_reason: Some("smaller, contained in #2".into()),
            categories: vec!["SAME_CHANGE".into()],
            max_score: 0.97,
        }],
    )
    .await
    .expect("store");
    tx.commit().await.expect("commit");
    ids[0]
}

/// Two duplicate issues, PR 1 linked to one and judged out of scope, so the issue and
/// scope endpoints answer with content.
async fn store_issue_rows(state: &clawtriage::api::AppState, repo_id: i64) {
    use clawtriage::storage::issue_analysis::{self, NewIssueEdge, NewLink, ScopeRow};
    use clawtriage::storage::issues::{self, IssueUpsert};
    use clawtriage::storage::prs;
    let db = &state.services.db;
    let issue = |number: i32| IssueUpsert {
        github_id: i64::from(number),
        number,
        state: "open".into(),
        state_reason: None,
        title: format!("Crash {number}"),
        body: Some("TypeError: x is undefined".into()),
        author_login: None,
        labels: vec!["bug".into()],
        html_url: None,
        comments: 0,
        created_at: None,
        updated_at: None,
        closed_at: None,
    };
    let stored = issues::upsert_many(db, repo_id, &[issue(101), issue(102)])
        .await
        .expect("issues");
    let (low, high) = (
        stored[0].id.min(stored[1].id),
        stored[0].id.max(stored[1].id),
    );
    let pr = prs::by_number(db, repo_id, 1)
        .await
        .expect("pr")
        .expect("pr exists");
    let mut tx = db.begin().await.expect("tx");
    let edge = NewIssueEdge {
        issue_low: low,
        issue_high: high,
        category: "DUPLICATE".into(),
        score: 0.9,
        scores: serde_json::json!({"terms": 0.9, "specificShare": 0.8, "sharedFacts": 2}),
        evidence: serde_json::json!({"sharedErrors": ["TypeError: x is undefined"], "titleSimilarity": 0.5}),
        config_version: "cfg".into(),
    };
    issue_analysis::replace_edges(&mut tx, repo_id, low, &[edge])
        .await
        .expect("edge");
    let link = NewLink {
        issue_id: low,
        kind: "EXPLICIT".into(),
        score: 1.0,
        evidence: serde_json::json!({"references": ["fixes #101"]}),
    };
    issue_analysis::replace_links(&mut tx, pr.id, &[link])
        .await
        .expect("link");
    tx.commit().await.expect("commit");
    issue_analysis::put_scope(
        db,
        &ScopeRow {
            pr_id: pr.id,
            head_sha: pr.head_sha,
            verdict: "OUT_OF_SCOPE".into(),
            confidence: 0.8,
            reasons: serde_json::json!([{"kind": "POLICY", "direction": "OUT", "weight": 0.8,
                "source": "policy license", "message": "changes LICENSE"}]),
            vision_hash: None,
        },
    )
    .await
    .expect("scope");
}
