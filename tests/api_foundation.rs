//! The router without a port: health against real Postgres and Redis, JSON 404s under
//! `/api`, and the dashboard's SPA fallback.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use clawtriage::api::{AppState, create_router};
use clawtriage::app::Services;
use clawtriage::config::Config;
use tower::ServiceExt;

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    config: Config,
}

fn config(dashboard_dir: &std::path::Path) -> Config {
    let dir = dashboard_dir.to_str().expect("utf8");
    Wrapper::parse_from(["test", "--dashboard-dir", dir]).config
}

async fn live_services() -> Services {
    let db = clawtriage::testing::fresh_db().await;
    let redis_url = &clawtriage::testing::services().redis_url;
    let client = redis::Client::open(redis_url.expose()).expect("redis url");
    let redis = redis::aio::ConnectionManager::new(client)
        .await
        .expect("redis");
    Services { db, redis }
}

async fn get(app: &axum::Router, path: &str) -> (StatusCode, String, Option<String>) {
    let response = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    (
        status,
        String::from_utf8_lossy(&body).into_owned(),
        content_type,
    )
}

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

#[tokio::test]
async fn health_is_ok_when_postgres_and_redis_answer() {
    let dir = dashboard_dir();
    let app = create_router(AppState {
        config: Arc::new(config(dir.path())),
        services: live_services().await,
    });
    let (status, body, _) = get(&app, "/api/health").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["ok"], true);
    assert_eq!(json["postgres"], "ok");
    assert_eq!(json["redis"], "ok");
}

#[tokio::test]
async fn health_is_503_and_names_postgres_when_it_is_down() {
    let dir = dashboard_dir();
    let mut services = live_services().await;
    let dead_port = clawtriage::testing::free_port();
    services.db = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy(&format!("postgres://x:y@127.0.0.1:{dead_port}/none"))
        .expect("lazy pool");
    let app = create_router(AppState {
        config: Arc::new(config(dir.path())),
        services,
    });
    let (status, body, _) = get(&app, "/api/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["ok"], false);
    assert_eq!(json["postgres"], "unreachable");
    assert_eq!(json["redis"], "ok");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let dir = dashboard_dir();
    let app = create_router(AppState {
        config: Arc::new(config(dir.path())),
        services: live_services().await,
    });
    for path in ["/api/nope", "/api/repos/x/y/z", "/api/", "/api"] {
        let (status, body, content_type) = get(&app, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            content_type.is_some_and(|c| c.starts_with("application/json")),
            "{path}"
        );
        let json: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(json["error"]["code"], "not_found", "{path}");
    }
    let response = app
        .clone()
        .oneshot(
            Request::post("/api/health")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn client_routes_get_index_html_and_missing_assets_404() {
    let dir = dashboard_dir();
    let app = create_router(AppState {
        config: Arc::new(config(dir.path())),
        services: live_services().await,
    });
    for path in ["/", "/sets/12", "/repos/1/prs/42"] {
        let (status, body, _) = get(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(body.contains("SPA"), "{path}: {body}");
    }
    let (status, body, _) = get(&app, "/assets/app.js").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "console.log(1)"));
    let (status, _, _) = get(&app, "/assets/missing.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_a_built_dashboard_a_placeholder_explains_how_to_build_it() {
    let empty = tempfile::tempdir().expect("tempdir");
    let app = create_router(AppState {
        config: Arc::new(config(empty.path())),
        services: live_services().await,
    });
    let (status, body, _) = get(&app, "/anything").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("npm run build"), "{body}");
}
