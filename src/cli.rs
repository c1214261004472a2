//! The command line: one binary, one subcommand per role.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::config::{Config, Role};
use crate::secret::Secret;
use crate::telemetry::LogFormat;

/// clawtriage keeps a busy GitHub repository's pull-request queue triaged.
#[derive(Debug, Parser)]
#[command(name = "clawtriage", version, about)]
pub struct Cli {
    /// `json` (production) or `pretty`.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty, global = true, ignore_case = true)]
    pub log_format: LogFormat,

    /// What to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The roles and tools of the binary.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Supervisor: embedded Postgres and Redis (unless URLs are given), migrations, API and worker.
    Serve(Config),
    /// HTTP API only (DATABASE_URL and REDIS_URL required).
    Api(Config),
    /// Background worker only (DATABASE_URL and REDIS_URL required).
    Worker(Config),
    /// Run the database migrations and exit (embedded Postgres unless DATABASE_URL is set).
    Migrate(Config),
    /// Ask a running server to scan a repository (POST /api/ops/public-scan).
    Trigger(TriggerArgs),
    /// Serve a corpus directory as a fake GitHub REST API (tests and the offline demo).
    FakeGithub(crate::fake_github::FakeGithubArgs),
}

/// Arguments of `clawtriage trigger`.
#[derive(Debug, Clone, clap::Args)]
pub struct TriggerArgs {
    /// Base URL of the clawtriage server.
    #[arg(long, env = "CLAWTRIAGE_URL", default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Bearer token of the trigger endpoint.
    #[arg(long, env = "OPS_TRIGGER_TOKEN", hide_env_values = true)]
    pub token: Secret,
    /// Repository owner.
    #[arg(long)]
    pub owner: String,
    /// Repository name.
    #[arg(long)]
    pub repo: String,
    /// Scan at most this many open PRs (1..=1000).
    #[arg(long)]
    pub max_open_prs: Option<u32>,
    /// Idempotency snapshot; the same snapshot never enqueues twice.
    #[arg(long)]
    pub snapshot: Option<String>,
    /// Poll the scan's status until it ends.
    #[arg(long)]
    pub wait: bool,
}

/// Prints a parse error: help and version as clap renders them, configuration errors as
/// one line that names the variable.
pub fn report_parse_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    let rendered = err.render().to_string();
    let first = rendered
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid arguments");
    eprintln!("clawtriage: {}", first.trim_start_matches("error: "));
    ExitCode::from(2)
}

/// Runs the chosen subcommand to completion.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("Cannot start the async runtime")?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve(config) => {
                config.validate(Role::Serve)?;
                crate::supervisor::serve(config).await
            }
            Command::Api(config) => {
                config.validate(Role::Api)?;
                crate::app::run_role(config, crate::app::Roles::API).await
            }
            Command::Worker(config) => {
                config.validate(Role::Worker)?;
                crate::app::run_role(config, crate::app::Roles::WORKER).await
            }
            Command::Migrate(config) => {
                config.validate(Role::Migrate)?;
                crate::supervisor::migrate_only(config).await
            }
            Command::Trigger(args) => trigger(args).await,
            Command::FakeGithub(args) => crate::fake_github::run(args).await,
        }
    })
}

/// How often `trigger --wait` polls the scan status.
const TRIGGER_POLL_INTERVAL: Duration = Duration::from_millis(1000);
/// Width of the progress bar, in cells.
const BAR_WIDTH: usize = 30;

async fn trigger(args: TriggerArgs) -> anyhow::Result<()> {
    use std::io::{IsTerminal, Write};
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .context("Cannot build the HTTP client")?;
    let base = args.url.trim_end_matches('/');
    let mut body = serde_json::json!({ "owner": args.owner, "repo": args.repo });
    if let Some(n) = args.max_open_prs {
        body["maxOpenPrs"] = n.into();
    }
    if let Some(s) = &args.snapshot {
        body["snapshot"] = s.clone().into();
    }
    let response = client
        .post(format!("{base}/api/ops/public-scan"))
        .bearer_auth(args.token.expose())
        .json(&body)
        .send()
        .await
        .with_context(|| format!("Cannot reach {base}"))?;
    let accepted = read_json(response).await?;
    println!("{accepted}");
    if !args.wait {
        return Ok(());
    }
    let job_id = accepted["jobId"]
        .as_str()
        .context("The server's answer has no jobId")?
        .to_owned();
    let interactive = std::io::stderr().is_terminal();
    let mut last_line = String::new();
    loop {
        let response = client
            .get(format!("{base}/api/ops/scans/{job_id}"))
            .bearer_auth(args.token.expose())
            .send()
            .await
            .with_context(|| format!("Cannot reach {base}"))?;
        let status = read_json(response).await?;
        let line = render_progress(&status);
        if interactive {
            eprint!("\r{line}\x1b[K");
            let _ = std::io::stderr().flush();
        } else if line != last_line {
            eprintln!("{line}");
        }
        last_line = line;
        match status["status"].as_str().unwrap_or("unknown") {
            "done" => break,
            state @ ("partial" | "failed") => {
                if interactive {
                    eprintln!();
                }
                let reason = status["error"].as_str().unwrap_or("some PRs failed");
                bail!("scan {job_id} ended {state}: {reason}");
            }
            _ => tokio::time::sleep(TRIGGER_POLL_INTERVAL).await,
        }
    }
    if interactive {
        eprintln!();
    }
    Ok(())
}

/// One line of `trigger --wait` output, e.g.
/// `[###########-------------------]  36% running: 18/50 analysed, 0 failed, 120 unchanged`.
pub fn render_progress(status: &serde_json::Value) -> String {
    let progress = status["progress"].as_f64().unwrap_or(0.0).clamp(0.0, 1.0);
    let filled = (progress * BAR_WIDTH as f64).round() as usize;
    let counts = &status["counts"];
    let number = |key: &str| counts[key].as_i64().unwrap_or(0);
    format!(
        "[{}{}] {:>3}% {}: {}/{} analysed, {} failed, {} unchanged",
        "#".repeat(filled),
        "-".repeat(BAR_WIDTH - filled),
        (progress * 100.0).round() as u32,
        status["status"].as_str().unwrap_or("unknown"),
        number("analysed"),
        number("enqueued"),
        number("failed"),
        number("skippedUnchanged"),
    )
}

/// Reads a JSON answer; a non-2xx status becomes an error carrying the server's message.
async fn read_json(response: reqwest::Response) -> anyhow::Result<serde_json::Value> {
    let status = response.status();
    let text = response
        .text()
        .await
        .context("Cannot read the server's answer")?;
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    if !status.is_success() {
        let message = value["error"]["message"].as_str().unwrap_or(text.as_str());
        bail!("server answered {status}: {message}");
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn progress_line_shows_bar_percent_and_counts() {
        let status = serde_json::json!({
            "status": "running", "progress": 0.5,
            "counts": {"analysed": 20, "enqueued": 40, "failed": 1, "skippedUnchanged": 7}
        });
        assert_eq!(
            render_progress(&status),
            "[###############---------------]  50% running: 20/40 analysed, 1 failed, 7 unchanged"
        );
    }

    #[test]
    fn progress_line_survives_missing_fields_and_out_of_range_values() {
        let line = render_progress(&serde_json::json!({"progress": 7.0}));
        assert!(
            line.starts_with("[##############################] 100% unknown"),
            "{line}"
        );
        let line = render_progress(&serde_json::json!(null));
        assert!(
            line.starts_with("[------------------------------]   0%"),
            "{line}"
        );
    }
}
