//! The dashboard: static files from `DASHBOARD_DIR`, with `index.html` for client routes.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use tower_http::services::ServeDir;

/// Shown when the dashboard has not been built (`npm run build` in `dashboard/`).
const PLACEHOLDER: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>clawtriage</title></head><body><h1>clawtriage</h1>\
<p>The API is running. The dashboard has not been built: run <code>npm ci &amp;&amp; npm run build</code> \
in <code>dashboard/</code>, or set <code>DASHBOARD_DIR</code>.</p></body></html>";

/// A router that serves the dashboard for every path it is given.
pub fn router(dir: &Path) -> Router {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dir = %dir.display(), "No built dashboard found; serving a placeholder page");
        return Router::new().fallback(|| async { Html(PLACEHOLDER) });
    }
    let fallback = move |uri: Uri| spa_fallback(index.clone(), uri);
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .precompressed_gzip()
        .precompressed_br()
        .fallback(fallback.into_service());
    Router::new().fallback_service(files)
}

/// Client routes (`/sets/12`) get `index.html` with 200 so deep links reload; a missing
/// file with an extension (`/assets/x.js`) is a real 404, so a stale bundle fails loudly
/// instead of being fed HTML.
async fn spa_fallback(index: PathBuf, uri: Uri) -> Response {
    let last = uri.path().rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match tokio::fs::read_to_string(&index).await {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(path = %index.display(), "Cannot read index.html: {err}");
            (StatusCode::INTERNAL_SERVER_ERROR, "dashboard unavailable").into_response()
        }
    }
}
