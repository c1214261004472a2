//! The router without a port: health against real Postgres and Redis, JSON 404s under
//! `/api`, and the dashboard's SPA fallback.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{app, config, get, send};

fn dashboard_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><div id=app>SPA</div>",
    )
    .expect("index");
    std::fs::create_dir(dir.path().join("assets")).expect("assets");
    std::fs::write(dir.path().join("assets/app.js"), "console.log(1)").expect("js");
    dir
}

fn config_for(dir: &tempfile::TempDir) -> clawtriage::config::Config {
    config(&["--dashboard-dir", dir.path().to_str().expect("utf8")])
}

#[tokio::test]
async fn health_is_ok_when_postgres_and_redis_answer() {
    let dir = dashboard_dir();
    let (app, _) = app(config_for(&dir)).await;
    let answer = get(&app, "/api/health").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json["ok"], true);
    assert_eq!(answer.json["postgres"], "ok");
    assert_eq!(answer.json["redis"], "ok");
}

#[tokio::test]
async fn health_is_503_and_names_postgres_when_it_is_down() {
    let dir = dashboard_dir();
    let mut services = common::live_services().await;
    let dead_port = clawtriage::testing::free_port();
    services.db = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy(&format!("postgres://x:y@127.0.0.1:{dead_port}/none"))
        .expect("lazy pool");
    let state = clawtriage::api::AppState::new(std::sync::Arc::new(config_for(&dir)), services);
    let app = clawtriage::api::create_router(state);
    let answer = get(&app, "/api/health").await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.json["ok"], false);
    assert_eq!(answer.json["postgres"], "unreachable");
    assert_eq!(answer.json["redis"], "ok");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_and_wrong_methods_json_405s() {
    let dir = dashboard_dir();
    let (app, _) = app(config_for(&dir)).await;
    for path in ["/api/nope", "/api/repos/x/y/z", "/api/", "/api"] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            answer
                .content_type
                .as_deref()
                .is_some_and(|c| c.starts_with("application/json")),
            "{path}"
        );
        assert_eq!(answer.code(), "not_found", "{path}");
    }
    let answer = send(
        &app,
        Request::post("/api/health")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.code(), "method_not_allowed");
}

#[tokio::test]
async fn client_routes_get_index_html_and_missing_assets_404() {
    let dir = dashboard_dir();
    let (app, _) = app(config_for(&dir)).await;
    for path in ["/", "/sets/12", "/repos/1/prs/42"] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(answer.text.contains("SPA"), "{path}: {}", answer.text);
    }
    let answer = get(&app, "/assets/app.js").await;
    assert_eq!(
        (answer.status, answer.text.as_str()),
        (StatusCode::OK, "console.log(1)")
    );
    assert_eq!(
        get(&app, "/assets/missing.js").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn without_a_built_dashboard_a_placeholder_explains_how_to_build_it() {
    let empty = tempfile::tempdir().expect("tempdir");
    let (app, _) = app(config(&[
        "--dashboard-dir",
        empty.path().to_str().expect("utf8"),
    ]))
    .await;
    let answer = get(&app, "/anything").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.text.contains("npm run build"), "{}", answer.text);
}
