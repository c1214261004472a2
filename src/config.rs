//! Typed configuration, read once from the environment (or flags) at start-up.
//!
//! This is the only module that reads configuration variables. Every value is parsed
//! into its final type here, so a missing or malformed setting stops start-up with one
//! line naming the variable, instead of failing later in the middle of a request.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::secret::Secret;

/// How the service talks to GitHub (`GITHUB_MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum GithubMode {
    /// Scans public repositories on a trigger, with an optional token.
    #[default]
    Public,
    /// Runs as a GitHub App: webhooks drive ingest, results go out as Check Runs.
    App,
    /// Both of the above.
    Hybrid,
}

/// Who may read the dashboard API (`DASHBOARD_AUTH_MODE`). Writes always need the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum DashboardAuthMode {
    /// Reads need the token when `DASHBOARD_TOKEN` is set, and are open otherwise.
    #[default]
    Auto,
    /// Reads always need the token (`DASHBOARD_TOKEN` must be set).
    Required,
    /// Reads are open even when a token is set.
    Disabled,
}

/// Default port of the embedded Postgres. Off the usual 5432 so a system Postgres on the
/// same host does not collide with ours.
pub const DEFAULT_EMBEDDED_PG_PORT: u16 = 54320;
/// Default port of the embedded Redis, off the usual 6379 for the same reason.
pub const DEFAULT_EMBEDDED_REDIS_PORT: u16 = 63790;

/// Settings of the service roles (`serve`, `api`, `worker`, `migrate`).
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Port of the HTTP API and dashboard.
    #[arg(long, env = "PORT", default_value_t = 8080, value_parser = parse_port)]
    pub port: u16,

    /// Address the HTTP API binds to.
    #[arg(long, env = "BIND_ADDR", default_value = "0.0.0.0")]
    pub bind_addr: IpAddr,

    /// Where the embedded Postgres and Redis keep their data (`/data` in the image).
    #[arg(long, env = "DATA_ROOT", default_value = "./data")]
    pub data_root: PathBuf,

    /// Postgres to use instead of the embedded one.
    #[arg(long, env = "DATABASE_URL", value_parser = parse_postgres_url, hide_env_values = true)]
    pub database_url: Option<Secret>,

    /// Redis to use instead of the embedded one.
    #[arg(long, env = "REDIS_URL", value_parser = parse_redis_url, hide_env_values = true)]
    pub redis_url: Option<Secret>,

    /// Directory holding the Postgres server binaries (`postgres`, `initdb`).
    #[arg(long, env = "PG_BIN_DIR")]
    pub pg_bin_dir: Option<PathBuf>,

    /// Loopback port of the embedded Postgres.
    #[arg(long, env = "EMBEDDED_PG_PORT", default_value_t = DEFAULT_EMBEDDED_PG_PORT, value_parser = parse_port)]
    pub embedded_pg_port: u16,

    /// Loopback port of the embedded Redis.
    #[arg(long, env = "EMBEDDED_REDIS_PORT", default_value_t = DEFAULT_EMBEDDED_REDIS_PORT, value_parser = parse_port)]
    pub embedded_redis_port: u16,

    /// Unprivileged user the embedded Postgres and Redis run as when the supervisor is
    /// root (default: `postgres` if it exists, else `nobody`).
    #[arg(long, env = "EMBEDDED_RUN_AS")]
    pub embedded_run_as: Option<String>,

    /// Base URL of the GitHub REST API (a fake GitHub in tests and the offline demo).
    #[arg(long, env = "GITHUB_API_URL", default_value = "https://api.github.com", value_parser = parse_http_url)]
    pub github_api_url: String,

    /// Token for public mode (optional; raises the rate limit from 60 to 5,000 an hour).
    #[arg(long, env = "GITHUB_TOKEN", hide_env_values = true)]
    pub github_token: Option<Secret>,

    /// `public`, `app` or `hybrid`.
    #[arg(long, env = "GITHUB_MODE", value_enum, default_value_t = GithubMode::Public, ignore_case = true)]
    pub github_mode: GithubMode,

    /// GitHub App id (app and hybrid modes).
    #[arg(long, env = "GITHUB_APP_ID")]
    pub github_app_id: Option<u64>,

    /// GitHub App private key, PEM text (app and hybrid modes).
    #[arg(long, env = "GITHUB_PRIVATE_KEY_PEM", hide_env_values = true)]
    pub github_private_key_pem: Option<Secret>,

    /// Secret(s) that sign webhook deliveries; comma-separated to allow rotation.
    #[arg(long, env = "GITHUB_WEBHOOK_SECRET", hide_env_values = true)]
    pub github_webhook_secret: Option<Secret>,

    /// Bearer token of `POST /api/ops/public-scan`. Unset: every trigger is refused.
    #[arg(long, env = "OPS_TRIGGER_TOKEN", hide_env_values = true)]
    pub ops_trigger_token: Option<Secret>,

    /// Repositories the trigger may scan: comma-separated `owner/repo`, case-insensitive.
    /// Empty denies all.
    #[arg(long, env = "PUBLIC_SCAN_ALLOWED_REPOS", default_value = "", value_parser = parse_repo_list)]
    pub public_scan_allowed_repos: RepoList,

    /// `auto`, `required` or `disabled`.
    #[arg(long, env = "DASHBOARD_AUTH_MODE", value_enum, default_value_t = DashboardAuthMode::Auto, ignore_case = true)]
    pub dashboard_auth_mode: DashboardAuthMode,

    /// Token for the dashboard API (`Authorization: Bearer` or `X-Admin-Token`).
    #[arg(long, env = "DASHBOARD_TOKEN", hide_env_values = true)]
    pub dashboard_token: Option<Secret>,

    /// Directory of the built dashboard (`index.html` and assets).
    #[arg(long, env = "DASHBOARD_DIR", default_value = "dashboard/dist")]
    pub dashboard_dir: PathBuf,

    /// How many jobs one worker process runs at once.
    #[arg(long, env = "WORKER_CONCURRENCY", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub worker_concurrency: u16,

    /// Prefix of the queue names in Redis, so deployments (or tests) can share one Redis.
    #[arg(long, env = "QUEUE_NAMESPACE", default_value = "clawtriage", value_parser = parse_namespace)]
    pub queue_namespace: String,

    /// Lowest final score stored as RELATED.
    #[arg(long, env = "REVIEW_SCORE_THRESHOLD", default_value_t = 0.55, value_parser = parse_unit_interval)]
    pub review_score_threshold: f64,

    /// Merged and closed PRs updated within this many days are indexed too, so an open
    /// PR repeating work that already landed is flagged.
    #[arg(long, env = "LANDED_WINDOW_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub landed_window_days: u16,

    /// Public base URL of this service, for links back to the dashboard (Check Runs).
    #[arg(long, env = "PUBLIC_URL", value_parser = parse_http_url)]
    pub public_url: Option<String>,

    /// Name of the Check Run published in app mode.
    #[arg(long, env = "CHECK_RUN_NAME", default_value = "clawtriage")]
    pub check_run_name: String,

    /// Directory with `thresholds.yaml` and/or `classification_rules.yaml` replacing the
    /// built-in ones (e.g. to enable labels and comments under `publishing`). Changing
    /// them changes the config version, so the next scan analyses every PR again.
    #[arg(long, env = "TRIAGE_CONFIG_DIR")]
    pub triage_config_dir: Option<PathBuf>,

    /// Path of the vision document in each repository, read by the scope assist.
    #[arg(long, env = "VISION_PATH", default_value = "VISION.md", value_parser = parse_repo_path)]
    pub vision_path: String,

    /// Cron expression (UTC) for the built-in scan schedule, e.g. `0 * * * *` (optional).
    #[arg(long, env = "SCAN_SCHEDULE", value_parser = parse_schedule)]
    pub scan_schedule: Option<Schedule>,

    /// Repositories the built-in schedule scans: comma-separated `owner/repo`.
    #[arg(long, env = "SCAN_REPOS", default_value = "", value_parser = parse_repo_list)]
    pub scan_repos: RepoList,
}

/// Which process is starting; decides which settings are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Supervisor: embedded services unless URLs are given.
    Serve,
    /// HTTP API only.
    Api,
    /// Background worker only.
    Worker,
    /// Migrations only.
    Migrate,
}

/// A configuration problem found after parsing: which variable, and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: &'static str,
    /// What is wrong with it, in words.
    pub problem: String,
}

impl Config {
    /// Checks the settings that depend on each other or on the role.
    pub fn validate(&self, role: Role) -> Result<(), ConfigError> {
        if matches!(role, Role::Api | Role::Worker) {
            if self.database_url.is_none() {
                return Err(required("DATABASE_URL", role));
            }
            if self.redis_url.is_none() {
                return Err(required("REDIS_URL", role));
            }
        }
        if matches!(self.github_mode, GithubMode::App | GithubMode::Hybrid) {
            if self.github_app_id.is_none() {
                return Err(ConfigError {
                    variable: "GITHUB_APP_ID",
                    problem: "is required when GITHUB_MODE is app or hybrid".into(),
                });
            }
            if is_blank(&self.github_private_key_pem) {
                return Err(ConfigError {
                    variable: "GITHUB_PRIVATE_KEY_PEM",
                    problem: "is required when GITHUB_MODE is app or hybrid".into(),
                });
            }
        }
        if self.scan_schedule.is_some() && self.scan_repos.0.is_empty() {
            return Err(ConfigError {
                variable: "SCAN_REPOS",
                problem: "is required when SCAN_SCHEDULE is set (comma-separated owner/repo)"
                    .into(),
            });
        }
        if self.dashboard_auth_mode == DashboardAuthMode::Required
            && is_blank(&self.dashboard_token)
        {
            return Err(ConfigError {
                variable: "DASHBOARD_TOKEN",
                problem: "is required when DASHBOARD_AUTH_MODE=required".into(),
            });
        }
        if matches!(role, Role::Serve | Role::Worker)
            && let Some(dir) = &self.triage_config_dir
        {
            // Checked here so a typo stops start-up, not the first job.
            crate::scan::engine::Engine::load(Some(dir)).map_err(|e| ConfigError {
                variable: "TRIAGE_CONFIG_DIR",
                problem: format!("{e:#}").replace('\n', " "),
            })?;
        }
        Ok(())
    }

    /// Whether the supervisor must start its own Postgres.
    pub fn wants_embedded_postgres(&self) -> bool {
        self.database_url.is_none()
    }

    /// Whether the supervisor must start its own Redis.
    pub fn wants_embedded_redis(&self) -> bool {
        self.redis_url.is_none()
    }
}

fn required(variable: &'static str, role: Role) -> ConfigError {
    let role = match role {
        Role::Api => "api",
        Role::Worker => "worker",
        Role::Serve => "serve",
        Role::Migrate => "migrate",
    };
    ConfigError {
        variable,
        problem: format!("is required for `clawtriage {role}`"),
    }
}

fn is_blank(value: &Option<Secret>) -> bool {
    value.as_ref().is_none_or(|s| s.expose().trim().is_empty())
}

/// A list of `owner/repo` names, lower-cased for case-insensitive matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepoList(pub Vec<(String, String)>);

impl RepoList {
    /// Whether `owner/repo` is in the list (case-insensitive).
    pub fn contains(&self, owner: &str, repo: &str) -> bool {
        self.0
            .iter()
            .any(|(o, r)| o.eq_ignore_ascii_case(owner) && r.eq_ignore_ascii_case(repo))
    }
}

/// Characters GitHub allows in owner and repository names.
pub fn is_valid_repo_part(part: &str) -> bool {
    !part.is_empty()
        && part.len() <= 100
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

fn parse_repo_list(raw: &str) -> Result<RepoList, String> {
    let mut repos = Vec::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (owner, repo) = item
            .split_once('/')
            .filter(|(o, r)| is_valid_repo_part(o) && is_valid_repo_part(r))
            .ok_or_else(|| format!("`{item}` is not of the form owner/repo"))?;
        repos.push((owner.to_ascii_lowercase(), repo.to_ascii_lowercase()));
    }
    Ok(RepoList(repos))
}

/// A parsed cron expression with the text it came from.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The expression as configured.
    pub text: String,
    /// Parsed.
    pub cron: croner::Cron,
}

fn parse_schedule(raw: &str) -> Result<Schedule, String> {
    use std::str::FromStr;
    croner::Cron::from_str(raw.trim())
        .map(|cron| Schedule {
            text: raw.trim().to_owned(),
            cron,
        })
        .map_err(|e| format!("`{raw}` is not a cron expression: {e}"))
}

fn parse_namespace(raw: &str) -> Result<String, String> {
    let valid = !raw.is_empty()
        && raw.len() <= 64
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'));
    if valid {
        Ok(raw.to_owned())
    } else {
        Err(format!(
            "expected 1-64 characters of [a-z0-9_-], got `{raw}`"
        ))
    }
}

/// A file path inside a repository: relative, `/`-separated, no `.` or `..` parts.
fn parse_repo_path(raw: &str) -> Result<String, String> {
    let valid = !raw.is_empty()
        && raw.len() <= 256
        && raw.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        });
    if valid {
        Ok(raw.to_owned())
    } else {
        Err(format!(
            "expected a relative path like docs/VISION.md ([A-Za-z0-9._-] parts), got `{raw}`"
        ))
    }
}

fn parse_port(raw: &str) -> Result<u16, String> {
    match raw.trim().parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(format!(
            "expected a port number from 1 to 65535, got `{raw}`"
        )),
    }
}

fn parse_unit_interval(raw: &str) -> Result<f64, String> {
    match raw.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("expected a number from 0 to 1, got `{raw}`")),
    }
}

fn parse_http_url(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_end_matches('/');
    if (trimmed.starts_with("http://") || trimmed.starts_with("https://"))
        && trimmed.len() > "https://".len()
    {
        Ok(trimmed.to_owned())
    } else {
        Err(format!("expected an http(s) URL, got `{raw}`"))
    }
}

fn parse_postgres_url(raw: &str) -> Result<Secret, String> {
    // The value may hold a password: never echo it back.
    if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
        Ok(Secret::new(raw))
    } else {
        Err("expected a postgres:// URL".into())
    }
}

fn parse_redis_url(raw: &str) -> Result<Secret, String> {
    if raw.starts_with("redis://") || raw.starts_with("rediss://") {
        Ok(Secret::new(raw))
    } else {
        Err("expected a redis:// URL".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_list_parses_trims_and_matches_case_insensitively() {
        let list = parse_repo_list(" Acme/WebApp, other/x ").expect("valid list");
        assert!(list.contains("acme", "webapp"));
        assert!(list.contains("ACME", "WEBAPP"));
        assert!(list.contains("other", "X"));
        assert!(!list.contains("acme", "other"));
        assert_eq!(
            parse_repo_list("").expect("empty is valid"),
            RepoList::default()
        );
    }

    #[test]
    fn repo_list_rejects_malformed_items() {
        assert!(parse_repo_list("acme").is_err());
        assert!(parse_repo_list("acme/web app").is_err());
        assert!(parse_repo_list("a/b/c").is_err());
    }

    #[test]
    fn repo_paths_must_stay_inside_the_repository() {
        assert_eq!(parse_repo_path("VISION.md").as_deref(), Ok("VISION.md"));
        assert!(parse_repo_path("docs/vision-2025.md").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "a/./b",
            "a b",
            "a?b",
        ] {
            assert!(parse_repo_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn port_rejects_zero_and_garbage() {
        assert_eq!(parse_port("8080"), Ok(8080));
        assert!(parse_port("0").is_err());
        assert!(parse_port("abc").is_err());
        assert!(parse_port("70000").is_err());
    }

    #[test]
    fn urls_are_checked_without_echoing_credentials() {
        let err = parse_postgres_url("mysql://user:pw@host/db").expect_err("not postgres");
        assert!(!err.contains("pw"));
        assert!(parse_http_url("ftp://x").is_err());
        assert_eq!(
            parse_http_url("http://127.0.0.1:9/").as_deref(),
            Ok("http://127.0.0.1:9")
        );
    }
}
