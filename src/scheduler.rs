//! The optional built-in schedule (`SCAN_SCHEDULE` + `SCAN_REPOS`), for self-hosters
//! with no external cron. Each tick triggers a scan per repository with a snapshot named
//! after the tick, so several worker processes firing the same tick make one scan.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::config::{RepoList, Schedule};
use crate::scan::trigger::{self, TriggerRequest};
use crate::worker::queue::Queues;

/// The next tick strictly after `now`.
pub fn next_tick(schedule: &Schedule, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    schedule.cron.find_next_occurrence(&now, false).ok()
}

/// The snapshot of a tick: stable for the tick, distinct across ticks.
pub fn snapshot_for(tick: DateTime<Utc>) -> String {
    format!("schedule-{}", tick.format("%Y-%m-%dT%H:%M:%SZ"))
}

/// Fires the schedule until `shutdown`.
pub async fn run(
    db: PgPool,
    queues: Queues,
    schedule: Schedule,
    repos: RepoList,
    shutdown: CancellationToken,
) {
    tracing::info!(schedule = %schedule.text, repos = repos.0.len(), "Built-in scan schedule on");
    loop {
        let Some(tick) = next_tick(&schedule, Utc::now()) else {
            tracing::warn!(schedule = %schedule.text, "The schedule has no next occurrence; stopping it");
            return;
        };
        let wait = (tick - Utc::now()).to_std().unwrap_or_default();
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = shutdown.cancelled() => return,
        }
        for (owner, repo) in &repos.0 {
            let request = TriggerRequest {
                owner: owner.clone(),
                repo: repo.clone(),
                max_open_prs: None,
                snapshot: snapshot_for(tick),
            };
            match trigger::trigger_scan(&db, &queues, request).await {
                Ok(outcome) => {
                    tracing::info!(%owner, %repo, job.id = %outcome.job_id, enqueued = outcome.enqueued, "Scheduled scan")
                }
                Err(err) => {
                    tracing::error!(%owner, %repo, "Scheduled scan could not be triggered: {err}")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn schedule(text: &str) -> Schedule {
        Schedule {
            text: text.into(),
            cron: croner::Cron::from_str(text).expect("valid"),
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn hourly_ticks_on_the_hour_and_never_repeats_the_current_one() {
        let hourly = schedule("0 * * * *");
        assert_eq!(
            next_tick(&hourly, at("2026-11-22T14:59:59Z")),
            Some(at("2026-11-22T15:00:00Z"))
        );
        assert_eq!(
            next_tick(&hourly, at("2026-11-22T15:00:00Z")),
            Some(at("2026-11-22T16:00:00Z"))
        );
    }

    #[test]
    fn snapshots_are_per_tick_and_valid_trigger_snapshots() {
        let a = snapshot_for(at("2026-11-22T15:00:00Z"));
        assert_eq!(a, "schedule-2026-11-22T15:00:00Z");
        assert_ne!(a, snapshot_for(at("2026-11-22T16:00:00Z")));
        assert!(crate::scan::trigger::is_valid_snapshot(&a));
    }
}
