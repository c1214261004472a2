//! Pushing jobs: the one place that turns a job payload into a queued task with its
//! idempotency key.

use apalis::prelude::{TaskBuilder, TaskSink};
use apalis_redis::RedisStorage;

use super::jobs::{AnalyseIssues, IngestPr, PublicPrScan};

/// Attempts a job gets before it is dead (the Redis backend has its own cap as well).
const MAX_ATTEMPTS: usize = 5;

/// Failure to enqueue: Redis is down or refused the task.
#[derive(Debug, thiserror::Error)]
#[error("cannot enqueue {job}: {message}")]
pub struct EnqueueError {
    job: &'static str,
    message: String,
}

/// Handles to both queues; cheap to clone.
#[derive(Clone)]
pub struct Queues {
    scans: RedisStorage<PublicPrScan>,
    ingests: RedisStorage<IngestPr>,
    issues: RedisStorage<AnalyseIssues>,
}

impl Queues {
    /// Queues under `namespace` on `conn`.
    pub fn new(conn: redis::aio::ConnectionManager, namespace: &str) -> Self {
        Self {
            scans: super::storage(conn.clone(), namespace, PublicPrScan::NAME),
            ingests: super::storage(conn.clone(), namespace, IngestPr::NAME),
            issues: super::storage(conn, namespace, AnalyseIssues::NAME),
        }
    }

    /// Enqueues a scan. A second push with the same idempotency key is dropped by Redis.
    pub async fn push_scan(&self, job: PublicPrScan) -> Result<(), EnqueueError> {
        let key = job.idempotency_key();
        let task = TaskBuilder::new(job)
            .idempotency_key(key)
            .max_attempts(MAX_ATTEMPTS)
            .build();
        self.scans
            .clone()
            .push_task(task)
            .await
            .map_err(|e| EnqueueError {
                job: PublicPrScan::NAME,
                message: e.to_string(),
            })
    }

    /// Enqueues an ingest. A second push with the same idempotency key is dropped by Redis.
    pub async fn push_ingest(&self, job: IngestPr) -> Result<(), EnqueueError> {
        let key = job.idempotency_key();
        let task = TaskBuilder::new(job)
            .idempotency_key(key)
            .max_attempts(MAX_ATTEMPTS)
            .build();
        self.ingests
            .clone()
            .push_task(task)
            .await
            .map_err(|e| EnqueueError {
                job: IngestPr::NAME,
                message: e.to_string(),
            })
    }

    /// Enqueues an issue analysis. A second push with the same key is dropped by Redis.
    pub async fn push_issues(&self, job: AnalyseIssues) -> Result<(), EnqueueError> {
        let key = job.idempotency_key();
        let task = TaskBuilder::new(job)
            .idempotency_key(key)
            .max_attempts(MAX_ATTEMPTS)
            .build();
        self.issues
            .clone()
            .push_task(task)
            .await
            .map_err(|e| EnqueueError {
                job: AnalyseIssues::NAME,
                message: e.to_string(),
            })
    }
}

/// How many tasks the queue `{namespace}:{name}` holds in any state (queued, running,
/// done, dead), from the backend's task-data hash. For tests and diagnostics.
pub async fn stored_task_count(
    conn: &mut redis::aio::ConnectionManager,
    namespace: &str,
    name: &str,
) -> redis::RedisResult<usize> {
    let hash = apalis_redis::Config::default()
        .queue(format!("{namespace}:{name}"))
        .job_data_hash();
    redis::cmd("HLEN").arg(hash).query_async(conn).await
}
