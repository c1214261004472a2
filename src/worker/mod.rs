//! The background worker: apalis consumers of the `public-pr-scan` and `ingest-pr`
//! queues on Redis.

pub mod jobs;
pub mod queue;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use apalis::prelude::*;
use apalis_redis::RedisStorage;
use tokio_util::sync::CancellationToken;

use tracing::Instrument;

use crate::app::Services;
use crate::config::Config;
use crate::github::{GithubClient, GithubError};
use crate::scan::JobFailure;
use crate::scan::engine::Engine;
use jobs::{AnalyseIssues, IngestPr, PublicPrScan};

/// How often an idle worker polls its queue (the default re-poll is the 30 s heartbeat,
/// far too slow for a trigger that someone is watching).
const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// In-process retries of a failed job before the backend reschedules it.
const RETRIES: usize = 3;
/// How long a stopping worker lets its current jobs finish; past this they are handed
/// back to the queue (their heartbeats lapse and another worker resumes them).
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(20);
/// Idempotency keys are remembered this long in Redis (Postgres keeps them forever).
const IDEMPOTENCY_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// Workers report liveness this often ...
const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(10);
/// ... and count as dead after this many missed beats, when the jobs they held are
/// re-enqueued by the next live worker's heartbeat (30 s after a `kill -9`).
const MISSED_HEARTBEATS: usize = 3;

/// A job failing this many times is final: an ingest records FAILED and a scan is
/// marked failed, so every scan settles (the GitHub client already retried each call
/// with backoff inside every attempt).
const FINAL_ATTEMPT: usize = RETRIES;

/// What every job handler gets.
#[derive(Clone)]
pub struct JobContext {
    /// Settings.
    pub config: Arc<Config>,
    /// Database and Redis.
    pub services: Services,
    /// The triage engine.
    pub engine: Arc<Engine>,
    /// GitHub.
    pub github: GithubClient,
    /// Where scans enqueue ingests.
    pub queues: queue::Queues,
}

impl JobContext {
    /// The context of a worker process: the built-in engine (its rules recorded in
    /// Postgres) and a GitHub client whose ETag memory lives in Postgres.
    pub async fn new(config: Arc<Config>, services: Services) -> anyhow::Result<Self> {
        let engine = Engine::load(config.triage_config_dir.as_deref())?
            .with_vision_path(&config.vision_path);
        let (rules, thresholds) = engine.config_texts();
        crate::storage::analyses::record_config(
            &services.db,
            &engine.versions().config,
            rules,
            thresholds,
        )
        .await
        .context("Cannot record the triage configuration")?;
        let github = GithubClient::from_config(&config, Some(services.db.clone()))
            .context("Cannot build the GitHub client")?;
        let queues = queue::Queues::new(services.redis.clone(), &config.queue_namespace);
        Ok(Self {
            config,
            services,
            engine: Arc::new(engine),
            github,
            queues,
        })
    }
}

/// The queue of `T` named `{namespace}:{name}` on `conn`.
pub fn storage<T>(
    conn: redis::aio::ConnectionManager,
    namespace: &str,
    name: &str,
) -> RedisStorage<T> {
    RedisStorage::new(conn).with_config(
        apalis_redis::Config::default()
            .queue(format!("{namespace}:{name}"))
            .heartbeat_interval(HEARTBEAT_INTERVAL)
            .missed_heartbeats(MISSED_HEARTBEATS)
            .idempotency_ttl(Some(IDEMPOTENCY_TTL)),
    )
}

/// Runs both consumers until `shutdown` is cancelled.
pub async fn run(
    config: Arc<Config>,
    services: Services,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let concurrency = usize::from(config.worker_concurrency);
    let ctx = JobContext::new(config, services).await?;
    let namespace = ctx.config.queue_namespace.clone();
    if let Some(schedule) = ctx.config.scan_schedule.clone() {
        let queues = queue::Queues::new(ctx.services.redis.clone(), &namespace);
        let (db, repos) = (ctx.services.db.clone(), ctx.config.scan_repos.clone());
        tokio::spawn(crate::scheduler::run(
            db,
            queues,
            schedule,
            repos,
            shutdown.clone(),
        ));
    }
    let scans = storage::<PublicPrScan>(ctx.services.redis.clone(), &namespace, PublicPrScan::NAME);
    let ingests = storage::<IngestPr>(ctx.services.redis.clone(), &namespace, IngestPr::NAME);
    let issues =
        storage::<AnalyseIssues>(ctx.services.redis.clone(), &namespace, AnalyseIssues::NAME);
    let scan_ctx = ctx.clone();
    let issue_ctx = ctx.clone();
    let ingest_ctx = ctx;
    // apalis keeps a worker name "active" in Redis until its heartbeats lapse, and
    // refuses to register it again before that; every process instance gets its own.
    let instance = uuid::Uuid::new_v4().simple().to_string();
    let scan_worker = format!("{}-{}", PublicPrScan::NAME, &instance[..12]);
    let ingest_worker = format!("{}-{}", IngestPr::NAME, &instance[..12]);
    let issue_worker = format!("{}-{}", AnalyseIssues::NAME, &instance[..12]);
    tracing::info!(
        concurrency,
        worker.instance = &instance[..12],
        "Worker started"
    );
    Monitor::new()
        .register(move |_| {
            WorkerBuilder::new(scan_worker.as_str())
                .backend(scans.clone().poll_with_interval(POLL_INTERVAL))
                .concurrency(1)
                .retry(RetryPolicy::retries(RETRIES))
                .enable_tracing()
                .data(scan_ctx.clone())
                .build(run_public_pr_scan)
        })
        .register(move |_| {
            WorkerBuilder::new(ingest_worker.as_str())
                .backend(ingests.clone().poll_with_interval(POLL_INTERVAL))
                .concurrency(concurrency)
                .retry(RetryPolicy::retries(RETRIES))
                .enable_tracing()
                .data(ingest_ctx.clone())
                .build(run_ingest_pr)
        })
        .register(move |_| {
            WorkerBuilder::new(issue_worker.as_str())
                .backend(issues.clone().poll_with_interval(POLL_INTERVAL))
                .concurrency(1)
                .retry(RetryPolicy::retries(RETRIES))
                .enable_tracing()
                .data(issue_ctx.clone())
                .build(run_analyse_issues)
        })
        .shutdown_timeout(SHUTDOWN_TIMEOUT)
        .run_with_signal(async move {
            shutdown.cancelled().await;
            Ok(())
        })
        .await
        .context("Worker failed")
}

async fn run_public_pr_scan(
    job: PublicPrScan,
    ctx: Data<JobContext>,
    attempt: Attempt,
) -> Result<(), BoxDynError> {
    let span = tracing::info_span!("public-pr-scan", owner = %job.owner, repo = %job.repo, snapshot = %job.snapshot, attempt = attempt.current());
    let final_attempt = attempt.current() >= FINAL_ATTEMPT;
    let result = crate::scan::listing::run(
        &ctx.services.db,
        &ctx.queues,
        &ctx.github,
        &ctx.engine,
        &job,
        chrono::Duration::days(i64::from(ctx.config.landed_window_days)),
        final_attempt,
    )
    .instrument(span)
    .await;
    to_queue_result(result)
}

async fn run_ingest_pr(
    job: IngestPr,
    ctx: Data<JobContext>,
    attempt: Attempt,
) -> Result<(), BoxDynError> {
    let span = tracing::info_span!("ingest-pr", repo.id = job.repo_id, pr.number = job.pr_number, head = %job.head_sha, attempt = attempt.current());
    let final_attempt = attempt.current() >= FINAL_ATTEMPT;
    let result = crate::scan::ingest::run(
        &ctx.services.db,
        &ctx.github,
        &ctx.engine,
        &job,
        final_attempt,
    )
    .instrument(span.clone())
    .await;
    if matches!(result, Ok(crate::scan::ingest::IngestOutcome::Analysed)) && ctx.github.is_app() {
        publish_on_github(&ctx, &job).instrument(span).await;
    }
    to_queue_result(result.map(|_| ()))
}

async fn run_analyse_issues(
    job: AnalyseIssues,
    ctx: Data<JobContext>,
    attempt: Attempt,
) -> Result<(), BoxDynError> {
    let span = tracing::info_span!(
        "analyse-issues",
        repo.id = job.repo_id,
        issue.number = job.number,
        attempt = attempt.current()
    );
    let result = crate::scan::issues::after_webhook(&ctx.services.db, &ctx.engine, job.repo_id)
        .instrument(span)
        .await;
    to_queue_result(result)
}

/// Reports the analysis on the PR in app and hybrid modes: its Check Run, then the
/// label and comment a likely resubmission gets when `publishing` enables them. Quiet
/// about its own failures: they degrade the analysis, never hold up triage.
async fn publish_on_github(ctx: &JobContext, job: &IngestPr) {
    let db = &ctx.services.db;
    let found = async {
        let repo = crate::storage::repos::get(db, job.repo_id).await?;
        let number = i32::try_from(job.pr_number)?;
        let pr = crate::storage::prs::by_number(db, job.repo_id, number).await?;
        anyhow::Ok(repo.zip(pr))
    }
    .await;
    let (repo, pr) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return,
        Err(err) => {
            tracing::warn!("Check Run skipped: {err:#}");
            return;
        }
    };
    if pr.state != "open" || pr.head_sha != job.head_sha {
        return;
    }
    let published = crate::scan::report::publish(
        db,
        &ctx.github,
        &ctx.config.check_run_name,
        ctx.config.public_url.as_deref(),
        &repo,
        &pr,
    )
    .await;
    match published {
        Ok(()) => {
            // The duplicates' own analyses stand; their runs catch up at their next one.
            let refreshed = crate::scan::report::refresh_counterparts(
                db,
                &ctx.github,
                &ctx.config.check_run_name,
                ctx.config.public_url.as_deref(),
                &repo,
                &pr,
            )
            .await;
            if let Err(err) = refreshed {
                tracing::warn!(
                    pr.number = pr.number,
                    "Duplicates' Check Runs not updated: {err:#}"
                );
            }
        }
        // Hybrid mode also scans repositories the app is not installed on.
        Err(err) if matches!(err.downcast_ref(), Some(GithubError::NotInstalled { .. })) => {
            tracing::debug!(
                pr.number = pr.number,
                "No Check Run: the app is not installed"
            );
        }
        Err(err) => {
            // The analysis stands; it says what is missing.
            tracing::warn!(pr.number = pr.number, "Check Run not published: {err:#}");
            let reason = format!("Check Run not published: {err}");
            if let Err(err) =
                crate::storage::analyses::mark_degraded(db, pr.id, &pr.head_sha, &reason).await
            {
                tracing::warn!(
                    pr.number = pr.number,
                    "Cannot record the failed Check Run: {err}"
                );
            }
        }
    }
    let extras = crate::scan::publish::publish(
        db,
        &ctx.github,
        ctx.engine.publishing(),
        ctx.config.public_url.as_deref(),
        &repo,
        &pr,
    )
    .await;
    if let Err(err) = extras {
        tracing::warn!(pr.number = pr.number, "Label and comment skipped: {err:#}");
    }
}

/// A permanent failure stops the job at once (the backend would otherwise reschedule
/// it); a transient one goes back for another attempt.
fn to_queue_result(result: Result<(), JobFailure>) -> Result<(), BoxDynError> {
    match result {
        Ok(()) => Ok(()),
        Err(failure) if failure.is_permanent() => {
            tracing::warn!("Job failed permanently: {failure}");
            Err(AbortError::new(failure).into())
        }
        Err(failure) => {
            tracing::warn!("Job failed, will retry: {failure}");
            Err(failure.into())
        }
    }
}
