//! An in-process stack for pipeline tests: the API router and a worker on fresh
//! services, GitHub at a given URL (the fake), plus the sample corpus and its truth.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::{app, config, get, send};

pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

pub fn truth() -> Value {
    let text = std::fs::read_to_string(corpus_dir().join("acme/webapp/truth.json")).expect("truth");
    serde_json::from_str(&text).expect("truth json")
}

/// A stack in one process: API router and a worker, both on fresh services, GitHub
/// at `github_url`.
pub struct Stack {
    pub app: Router,
    pub state: clawtriage::api::AppState,
    pub stop: CancellationToken,
    pub worker: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Stack {
    pub async fn start(github_url: &str) -> Self {
        Self::start_with(github_url, &[]).await
    }

    /// A stack with `extra` settings (flags) on top of the defaults.
    pub async fn start_with(github_url: &str, extra: &[&str]) -> Self {
        let mut args = vec![
            "--ops-trigger-token",
            "ops",
            "--public-scan-allowed-repos",
            "acme/webapp",
            "--github-api-url",
            github_url,
            "--worker-concurrency",
            "4",
            // The corpus was made in 2024; index its merged PRs whatever today is.
            "--landed-window-days",
            "3650",
        ];
        args.extend_from_slice(extra);
        let config = config(&args);
        let (app, state) = app(config).await;
        let stop = CancellationToken::new();
        let worker = tokio::spawn(clawtriage::worker::run(
            Arc::clone(&state.config),
            state.services.clone(),
            stop.clone(),
        ));
        Self {
            app,
            state,
            stop,
            worker,
        }
    }

    pub async fn trigger(&self, snapshot: &str) -> Value {
        let request = Request::post("/api/ops/public-scan")
            .header("authorization", "Bearer ops")
            .header("content-type", "application/json")
            .body(Body::from(format!(
                r#"{{"owner":"acme","repo":"webapp","snapshot":"{snapshot}"}}"#
            )))
            .expect("request");
        let answer = send(&self.app, request).await;
        assert!(answer.status.is_success(), "{}", answer.text);
        answer.json
    }

    /// Triggers a scan of `snapshot` and waits (up to `limit`) until it ends `done`;
    /// returns its status document.
    pub async fn scan_done(&self, snapshot: &str, limit: Duration) -> Value {
        let trigger = self.trigger(snapshot).await;
        let job = trigger["jobId"].as_str().expect("job id").to_owned();
        let scan = self.wait(&job, limit).await;
        assert_eq!(scan["status"], "done", "{scan}");
        scan
    }

    /// Polls the scan until it is final; returns its status document.
    pub async fn wait(&self, job_id: &str, limit: Duration) -> Value {
        let started = Instant::now();
        loop {
            let status = get(&self.app, &format!("/api/ops/scans/{job_id}")).await;
            assert_eq!(status.status, StatusCode::OK, "{}", status.text);
            if matches!(
                status.json["status"].as_str(),
                Some("done" | "partial" | "failed")
            ) {
                return status.json;
            }
            assert!(
                started.elapsed() < limit,
                "scan not finished after {limit:?}: {}",
                status.text
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Every current duplicate set as sorted member numbers.
    pub async fn sets(&self, repo_id: i64) -> Vec<BTreeSet<i64>> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/repos/{repo_id}/duplicate-sets?limit=100&cursor={c}"),
                None => format!("/api/repos/{repo_id}/duplicate-sets?limit=100"),
            };
            let page = get(&self.app, &path).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text);
            for set in page.json["sets"].as_array().expect("sets") {
                out.push(
                    set["members"]
                        .as_array()
                        .expect("members")
                        .iter()
                        .filter_map(|m| m["prNumber"].as_i64())
                        .collect(),
                );
            }
            cursor = page.json["nextCursor"].as_str().map(str::to_owned);
            if cursor.is_none() {
                return out;
            }
        }
    }

    pub async fn stop(self) {
        self.stop.cancel();
        let stopped = tokio::time::timeout(Duration::from_secs(30), self.worker).await;
        assert!(stopped.is_ok(), "worker did not stop");
    }
}

pub fn members(group: &Value) -> BTreeSet<i64> {
    group["members"]
        .as_array()
        .expect("members")
        .iter()
        .filter_map(Value::as_i64)
        .collect()
}
