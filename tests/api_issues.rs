//! Issue reads (issue 10) against rows stored through the storage functions: the issue
//! list with duplicate groups first and its filters, an issue with its duplicates,
//! related issues and linked PRs, the PR page's links and scope verdict, the scope page,
//! cursor pagination that is disjoint and complete, JSON 400s/404s, and auth.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clawtriage::api::AppState;
use clawtriage::storage::issue_analysis::{self, NewIssueEdge, NewLink, ScopeRow};
use clawtriage::storage::issues::{self, IssueUpsert};
use clawtriage::storage::{documents, prs};
use common::{app, config, get, seed, send};
use serde_json::{Value, json};

/// Open issues 1001..=1009, closed 1010..=1012.
const OPEN: std::ops::RangeInclusive<i32> = 1001..=1009;
const CLOSED: std::ops::RangeInclusive<i32> = 1010..=1012;

fn issue(number: i32) -> IssueUpsert {
    let closed = CLOSED.contains(&number);
    IssueUpsert {
        github_id: 90_000 + i64::from(number),
        number,
        state: if closed { "closed" } else { "open" }.into(),
        state_reason: closed.then(|| "completed".into()),
        title: format!("Problem {number}"),
        body: Some(format!(
            "Steps for {number}.\n\n<script>alert({number})</script>\n```\nTypeError: x is undefined\n```"
        )),
        author_login: Some(format!("user{number}")),
        labels: vec!["bug".into()],
        html_url: Some(format!("https://github.com/acme/webapp/issues/{number}")),
        comments: 2,
        created_at: None,
        updated_at: None,
        closed_at: None,
    }
}

/// Issue evidence in the engine's `IssueEvidence` shape.
fn evidence(error: &str) -> Value {
    json!({
        "sharedTerms": [{"kind": "ERROR", "text": error, "weight": 0.8},
                        {"kind": "IDENTIFIER", "text": "computeTotal", "weight": 0.4}],
        "sharedErrors": [error],
        "sharedFrames": [{"function": "computeTotal", "file": "src/billing/total.ts"}],
        "titleSimilarity": 0.42,
    })
}

/// DUPLICATE: 1001-1002, 1002-1003 (a group of three), 1005-1010 (open and closed).
/// RELATED: 1001-1004, 1006-1007.
const EDGES: [(i32, i32, &str, f64); 5] = [
    (1001, 1002, "DUPLICATE", 0.91),
    (1002, 1003, "DUPLICATE", 0.83),
    (1005, 1010, "DUPLICATE", 0.77),
    (1001, 1004, "RELATED", 0.41),
    (1006, 1007, "RELATED", 0.38),
];

/// A repository with PRs 1..=6 (open) and 7 (closed), the issues above with their
/// edges, links from PRs 1 and 2, scope verdicts, and a vision document.
async fn seed_issues(state: &AppState) -> i64 {
    let repo_id = seed(state, 6).await;
    let db = &state.services.db;
    let mut closed_pr = common::pr(7);
    closed_pr.state = "closed".into();
    prs::upsert_many(db, repo_id, &[closed_pr])
        .await
        .expect("closed pr");
    let all: Vec<IssueUpsert> = OPEN.chain(CLOSED).map(issue).collect();
    let stored = issues::upsert_many(db, repo_id, &all)
        .await
        .expect("issues");
    let id = |n: i32| stored.iter().find(|i| i.number == n).expect("issue").id;
    let mut tx = db.begin().await.expect("tx");
    for issue in &stored {
        let touching: Vec<NewIssueEdge> = EDGES
            .iter()
            .filter(|(a, b, ..)| *a == issue.number || *b == issue.number)
            .map(|(a, b, category, score)| NewIssueEdge {
                issue_low: id(*a).min(id(*b)),
                issue_high: id(*a).max(id(*b)),
                category: (*category).into(),
                score: *score,
                scores: json!({"terms": score, "title": 0.42, "frames": 1.0,
                               "specificShare": 0.7, "sharedFacts": 2}),
                evidence: evidence(&format!("TypeError: total of {a} is undefined")),
                config_version: "cfg".into(),
            })
            .collect();
        issue_analysis::replace_edges(&mut tx, repo_id, issue.id, &touching)
            .await
            .expect("edges");
    }
    let pr_id = |n: i32| async move {
        prs::by_number(db, repo_id, n)
            .await
            .expect("pr")
            .expect("pr exists")
    };
    let links = [
        (
            1,
            vec![
                (
                    1001,
                    "EXPLICIT",
                    1.0,
                    json!({"references": ["fixes #1001"]}),
                ),
                (1004, "MENTIONED", 0.6, json!({"references": ["#1004"]})),
            ],
        ),
        (
            2,
            vec![(
                1001,
                "SUGGESTED",
                0.55,
                json!({"similarity": 0.55, "sharedIdentifiers": ["computeTotal"],
                       "issuePathsTouched": ["src/billing/total.ts"]}),
            )],
        ),
    ];
    for (pr, to) in links {
        let rows: Vec<NewLink> = to
            .into_iter()
            .map(|(issue, kind, score, evidence)| NewLink {
                issue_id: id(issue),
                kind: kind.into(),
                score,
                evidence,
            })
            .collect();
        issue_analysis::replace_links(&mut tx, pr_id(pr).await.id, &rows)
            .await
            .expect("links");
    }
    tx.commit().await.expect("commit");
    // PR 5 has no verdict; PR 6's is of an older head; PR 7 is closed.
    let verdicts = [
        (1, "OUT_OF_SCOPE", 0.9, None),
        (2, "UNCERTAIN", 0.5, None),
        (3, "IN_SCOPE", 0.8, None),
        (4, "OUT_OF_SCOPE", 0.7, None),
        (6, "OUT_OF_SCOPE", 0.95, Some("an-older-head")),
        (7, "OUT_OF_SCOPE", 0.99, None),
    ];
    for (n, verdict, confidence, head) in verdicts {
        let pr = pr_id(n).await;
        issue_analysis::put_scope(
            db,
            &ScopeRow {
                pr_id: pr.id,
                head_sha: head.map_or(pr.head_sha.clone(), str::to_owned),
                verdict: verdict.into(),
                confidence,
                reasons: json!([{
                    "kind": "PATH_RULE", "direction": "OUT", "weight": confidence,
                    "source": "vision § Out of scope", "rule": "`vendor/**`",
                    "matched": ["vendor/lib.js"], "message": format!("PR {n} changes vendored code"),
                }]),
                vision_hash: Some("v1".into()),
            },
        )
        .await
        .expect("scope");
    }
    documents::put(
        db,
        repo_id,
        "VISION.md",
        "# Vision\n## Out of scope\n- `vendor/**`\n",
        None,
    )
    .await
    .expect("vision");
    repo_id
}

fn numbers(page: &Value, list: &str, key: &str) -> Vec<i64> {
    page[list]
        .as_array()
        .expect("list")
        .iter()
        .map(|i| i[key].as_i64().expect("number"))
        .collect()
}

#[tokio::test]
async fn issue_list_puts_duplicates_first_with_counts_and_filters() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed_issues(&state).await;

    let page = get(&app, &format!("/api/repos/{repo_id}/issues")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    // Open issues (the default): those with a duplicate first, newest first within each.
    assert_eq!(
        numbers(&page.json, "items", "issueNumber"),
        [1005, 1003, 1002, 1001, 1009, 1008, 1007, 1006, 1004]
    );
    assert!(page.json["nextCursor"].is_null());
    let item = |n: i64| {
        page.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["issueNumber"] == n)
            .expect("item")
            .clone()
    };
    let first = item(1001);
    assert_eq!(first["title"], "Problem 1001");
    assert_eq!(first["state"], "OPEN");
    assert_eq!(first["labels"], json!(["bug"]));
    assert_eq!(first["authorLogin"], "user1001");
    assert_eq!(
        first["htmlUrl"],
        "https://github.com/acme/webapp/issues/1001"
    );
    assert_eq!(first["duplicateCount"], 1);
    assert_eq!(first["duplicates"], json!([1002]));
    assert_eq!(first["relatedCount"], 1);
    assert_eq!(first["linkedPrCount"], 2);
    assert_eq!(item(1002)["duplicates"], json!([1001, 1003]));
    assert_eq!(item(1002)["linkedPrCount"], 0);
    // A closed duplicate is named even when only open issues are listed.
    assert_eq!(item(1005)["duplicates"], json!([1010]));
    assert_eq!(item(1004)["duplicateCount"], 0);
    assert_eq!(item(1004)["relatedCount"], 1);
    assert_eq!(item(1004)["linkedPrCount"], 1);

    let closed = get(&app, &format!("/api/repos/{repo_id}/issues?state=closed")).await;
    assert_eq!(
        numbers(&closed.json, "items", "issueNumber"),
        [1010, 1012, 1011]
    );
    assert_eq!(closed.json["items"][0]["state"], "CLOSED");
    assert_eq!(closed.json["items"][0]["stateReason"], "completed");
    let all = get(&app, &format!("/api/repos/{repo_id}/issues?state=ALL")).await;
    assert_eq!(all.json["items"].as_array().map(Vec::len), Some(12));
    let dups = get(
        &app,
        &format!("/api/repos/{repo_id}/issues?duplicates=true"),
    )
    .await;
    assert_eq!(
        numbers(&dups.json, "items", "issueNumber"),
        [1005, 1003, 1002, 1001]
    );
    let all_dups = get(
        &app,
        &format!("/api/repos/{repo_id}/issues?duplicates=true&state=all"),
    )
    .await;
    assert_eq!(
        numbers(&all_dups.json, "items", "issueNumber"),
        [1010, 1005, 1003, 1002, 1001]
    );
    let not_only = get(
        &app,
        &format!("/api/repos/{repo_id}/issues?duplicates=false&limit=200"),
    )
    .await;
    assert_eq!(not_only.json["items"].as_array().map(Vec::len), Some(9));
}

#[tokio::test]
async fn issue_pages_are_disjoint_complete_and_in_order() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed_issues(&state).await;
    for (filter, expected) in [
        (
            "state=all",
            vec![
                1010, 1005, 1003, 1002, 1001, 1012, 1011, 1009, 1008, 1007, 1006, 1004,
            ],
        ),
        (
            "state=all&duplicates=true",
            vec![1010, 1005, 1003, 1002, 1001],
        ),
    ] {
        for limit in [1, 2, 3, 5] {
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            for _ in 0..20 {
                let path = match &cursor {
                    Some(c) => {
                        format!("/api/repos/{repo_id}/issues?{filter}&limit={limit}&cursor={c}")
                    }
                    None => format!("/api/repos/{repo_id}/issues?{filter}&limit={limit}"),
                };
                let page = get(&app, &path).await;
                assert_eq!(page.status, StatusCode::OK, "{}", page.text);
                seen.extend(numbers(&page.json, "items", "issueNumber"));
                cursor = page.json["nextCursor"].as_str().map(str::to_owned);
                if cursor.is_none() {
                    break;
                }
            }
            assert_eq!(seen, expected, "{filter}, limit {limit}");
        }
    }
}

#[tokio::test]
async fn an_issue_shows_its_text_duplicates_related_issues_and_linked_prs() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed_issues(&state).await;

    let one = get(&app, &format!("/api/repos/{repo_id}/issues/1001")).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    let d = &one.json;
    assert_eq!(d["repoId"], repo_id);
    assert_eq!(d["issueNumber"], 1001);
    assert_eq!(d["state"], "OPEN");
    assert_eq!(d["comments"], 2);
    assert_eq!(d["analysisStatus"], "PENDING");
    assert!(
        d["body"]
            .as_str()
            .is_some_and(|b| b.contains("<script>alert(1001)</script>")),
        "the body is the author's text, unchanged: {}",
        d["body"]
    );
    assert_eq!(numbers(d, "duplicates", "issueNumber"), [1002]);
    let dup = &d["duplicates"][0];
    assert_eq!(dup["title"], "Problem 1002");
    assert_eq!(dup["state"], "OPEN");
    assert_eq!(dup["category"], "DUPLICATE");
    assert_eq!(dup["score"], 0.91);
    assert_eq!(dup["scores"]["frames"], 1.0);
    assert_eq!(
        dup["evidence"]["sharedErrors"][0],
        "TypeError: total of 1001 is undefined"
    );
    assert_eq!(
        dup["evidence"]["sharedFrames"][0]["function"],
        "computeTotal"
    );
    assert_eq!(numbers(d, "related", "issueNumber"), [1004]);
    assert_eq!(d["related"][0]["category"], "RELATED");
    // Explicit links before suggestions.
    assert_eq!(numbers(d, "linkedPrs", "prNumber"), [1, 2]);
    let link = &d["linkedPrs"][0];
    assert_eq!(link["kind"], "EXPLICIT");
    assert_eq!(link["prTitle"], "Change 1");
    assert_eq!(link["prState"], "OPEN");
    assert_eq!(link["issueNumber"], 1001);
    assert_eq!(link["issueState"], "OPEN");
    assert_eq!(link["evidence"]["references"][0], "fixes #1001");
    assert_eq!(d["linkedPrs"][1]["kind"], "SUGGESTED");
    assert_eq!(
        d["linkedPrs"][1]["evidence"]["sharedIdentifiers"][0],
        "computeTotal"
    );

    // The middle of a group lists both others, strongest first; a closed issue its open twin.
    let middle = get(&app, &format!("/api/repos/{repo_id}/issues/1002")).await;
    assert_eq!(
        numbers(&middle.json, "duplicates", "issueNumber"),
        [1001, 1003]
    );
    let closed = get(&app, &format!("/api/repos/{repo_id}/issues/1010")).await;
    assert_eq!(closed.json["state"], "CLOSED");
    assert_eq!(numbers(&closed.json, "duplicates", "issueNumber"), [1005]);
    let lonely = get(&app, &format!("/api/repos/{repo_id}/issues/1009")).await;
    assert_eq!(lonely.status, StatusCode::OK);
    for list in ["duplicates", "related", "linkedPrs"] {
        assert_eq!(lonely.json[list], json!([]), "{list}");
    }
}

#[tokio::test]
async fn the_pr_page_carries_its_issue_links_and_current_scope_verdict() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed_issues(&state).await;

    let pr = get(&app, &format!("/api/repos/{repo_id}/prs/1")).await;
    assert_eq!(pr.status, StatusCode::OK, "{}", pr.text);
    assert_eq!(numbers(&pr.json, "issueLinks", "issueNumber"), [1001, 1004]);
    assert_eq!(pr.json["issueLinks"][0]["kind"], "EXPLICIT");
    assert_eq!(pr.json["issueLinks"][0]["issueTitle"], "Problem 1001");
    assert_eq!(pr.json["issueLinks"][1]["kind"], "MENTIONED");
    let scope = &pr.json["scope"];
    assert_eq!(scope["verdict"], "OUT_OF_SCOPE");
    assert_eq!(scope["confidence"], 0.9);
    assert_eq!(scope["reasons"][0]["source"], "vision § Out of scope");
    assert_eq!(scope["reasons"][0]["matched"], json!(["vendor/lib.js"]));

    let suggested = get(&app, &format!("/api/repos/{repo_id}/prs/2")).await;
    assert_eq!(suggested.json["issueLinks"][0]["kind"], "SUGGESTED");
    assert_eq!(suggested.json["scope"]["verdict"], "UNCERTAIN");
    // No verdict, and a verdict of an older head: null, not a stale answer.
    for n in [5, 6] {
        let pr = get(&app, &format!("/api/repos/{repo_id}/prs/{n}")).await;
        assert_eq!(pr.status, StatusCode::OK);
        assert!(pr.json["scope"].is_null(), "#{n}: {}", pr.text);
        assert_eq!(pr.json["issueLinks"], json!([]));
    }
}

#[tokio::test]
async fn the_scope_page_lists_what_needs_a_maintainer_first() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed_issues(&state).await;

    let page = get(&app, &format!("/api/repos/{repo_id}/scope")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    // Default: out of scope then uncertain, most confident first; closed PRs and older
    // heads left out.
    assert_eq!(numbers(&page.json, "items", "prNumber"), [1, 4, 2]);
    let first = &page.json["items"][0];
    assert_eq!(first["verdict"], "OUT_OF_SCOPE");
    assert_eq!(first["confidence"], 0.9);
    assert_eq!(first["title"], "Change 1");
    assert_eq!(first["headSha"], "h1");
    assert_eq!(first["reasons"][0]["message"], "PR 1 changes vendored code");
    assert_eq!(
        page.json["vision"],
        json!({"path": "VISION.md", "present": true, "fetchedAt": page.json["vision"]["fetchedAt"]})
    );
    assert!(page.json["vision"]["fetchedAt"].is_string());
    assert_eq!(
        page.json["counts"],
        json!({"outOfScope": 2, "uncertain": 1, "inScope": 1, "notJudged": 2})
    );

    let in_scope = get(
        &app,
        &format!("/api/repos/{repo_id}/scope?verdict=IN_SCOPE"),
    )
    .await;
    assert_eq!(numbers(&in_scope.json, "items", "prNumber"), [3]);
    let every = "verdict=in_scope,UNCERTAIN,OUT_OF_SCOPE";
    let all = get(&app, &format!("/api/repos/{repo_id}/scope?{every}")).await;
    assert_eq!(numbers(&all.json, "items", "prNumber"), [1, 4, 2, 3]);

    // Pages of one are disjoint and complete.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let path = match &cursor {
            Some(c) => format!("/api/repos/{repo_id}/scope?{every}&limit=1&cursor={c}"),
            None => format!("/api/repos/{repo_id}/scope?{every}&limit=1"),
        };
        let page = get(&app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        seen.extend(numbers(&page.json, "items", "prNumber"));
        cursor = page.json["nextCursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, [1, 4, 2, 3]);

    documents::delete(&state.services.db, repo_id, "VISION.md")
        .await
        .expect("delete");
    let without = get(&app, &format!("/api/repos/{repo_id}/scope")).await;
    assert_eq!(
        without.json["vision"],
        json!({"path": "VISION.md", "present": false, "fetchedAt": null})
    );
}

#[tokio::test]
async fn a_repository_without_issues_answers_empty_lists() {
    let (app, state) = app(config(&["--vision-path", "docs/VISION.md"])).await;
    let repo_id = seed(&state, 2).await;
    let list = get(&app, &format!("/api/repos/{repo_id}/issues?state=all")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert_eq!(list.json, json!({"items": [], "nextCursor": null}));
    let scope = get(&app, &format!("/api/repos/{repo_id}/scope")).await;
    assert_eq!(scope.status, StatusCode::OK, "{}", scope.text);
    assert_eq!(scope.json["items"], json!([]));
    assert_eq!(scope.json["vision"]["path"], "docs/VISION.md");
    assert_eq!(scope.json["vision"]["present"], false);
    assert_eq!(scope.json["counts"]["notJudged"], 2);
}

#[tokio::test]
async fn bad_issue_and_scope_requests_get_json_400s_and_404s() {
    let (app, state) = app(config(&[])).await;
    let repo_id = seed_issues(&state).await;
    let r = format!("/api/repos/{repo_id}");
    let cases: Vec<(String, StatusCode, &str)> = vec![
        (
            "/api/repos/abc/issues".into(),
            StatusCode::BAD_REQUEST,
            "invalid_repo_id",
        ),
        (
            "/api/repos/0/scope".into(),
            StatusCode::BAD_REQUEST,
            "invalid_repo_id",
        ),
        (
            "/api/repos/999999/issues".into(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/repos/999999/issues/1001".into(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/repos/999999/scope".into(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            format!("{r}/issues/x"),
            StatusCode::BAD_REQUEST,
            "invalid_issue_number",
        ),
        (
            format!("{r}/issues/0"),
            StatusCode::BAD_REQUEST,
            "invalid_issue_number",
        ),
        (
            format!("{r}/issues/-4"),
            StatusCode::BAD_REQUEST,
            "invalid_issue_number",
        ),
        (
            format!("{r}/issues/99999999999"),
            StatusCode::BAD_REQUEST,
            "invalid_issue_number",
        ),
        (
            format!("{r}/issues/4242"),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        // A PR's number is not an issue's.
        (format!("{r}/issues/1"), StatusCode::NOT_FOUND, "not_found"),
        (
            format!("{r}/issues?state=merged"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            format!("{r}/issues?duplicates=yes"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            format!("{r}/issues?limit=0"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            format!("{r}/issues?limit=201"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            format!("{r}/issues?limit=%ZZ"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            format!("{r}/issues?cursor=zz"),
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        // A cursor of another endpoint (three parts) is refused, not misread.
        (
            format!("{r}/issues?cursor={}", hex("0|0.5|3")),
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        (
            format!("{r}/issues?cursor={}", hex("maybe|3")),
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        (
            format!("{r}/issues?sate=open"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
        ),
        (
            format!("{r}/scope?verdict=BOGUS"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            format!("{r}/scope?verdict="),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            format!("{r}/scope?verdict=,"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            format!("{r}/scope?limit=-1"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            format!("{r}/scope?cursor={}", hex("true|3")),
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        (
            format!("{r}/scope?cursor={}", hex("0|NaN|3")),
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        (
            format!("{r}/scope?cursor={}", hex("0|inf|3")),
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        (
            format!("{r}/scope?state=open"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
        ),
    ];
    for (path, status, code) in cases {
        let answer = get(&app, &path).await;
        assert_eq!(
            (answer.status, answer.code()),
            (status, code),
            "{path}: {}",
            answer.text
        );
    }
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn issue_reads_need_the_dashboard_token_when_one_is_set() {
    let (app, state) = app(config(&["--dashboard-token", "dash"])).await;
    let repo_id = seed_issues(&state).await;
    for path in [
        format!("/api/repos/{repo_id}/issues"),
        format!("/api/repos/{repo_id}/issues/1001"),
        format!("/api/repos/{repo_id}/scope"),
    ] {
        let anonymous = get(&app, &path).await;
        assert_eq!(
            (anonymous.status, anonymous.code()),
            (StatusCode::UNAUTHORIZED, "missing_token"),
            "{path}"
        );
        for (header, value, expected) in [
            ("authorization", "Bearer dash", StatusCode::OK),
            ("x-admin-token", "dash", StatusCode::OK),
            ("authorization", "Bearer nope", StatusCode::UNAUTHORIZED),
        ] {
            let request = Request::get(&path)
                .header(header, value)
                .body(Body::empty())
                .expect("request");
            assert_eq!(
                send(&app, request).await.status,
                expected,
                "{path} {header}: {value}"
            );
        }
    }
    // The token is checked before the repository: nothing about what exists leaks.
    let unknown = get(&app, "/api/repos/999999/issues").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
}
