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
        }
    })
}

/// How often `trigger --wait` polls the scan status.
const TRIGGER_POLL_INTERVAL: Duration = Duration::from_secs(2);

async fn trigger(args: TriggerArgs) -> anyhow::Result<()> {
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
    loop {
        tokio::time::sleep(TRIGGER_POLL_INTERVAL).await;
        let response = client
            .get(format!("{base}/api/ops/scans/{job_id}"))
            .bearer_auth(args.token.expose())
            .send()
            .await
            .with_context(|| format!("Cannot reach {base}"))?;
        let status = read_json(response).await?;
        let state = status["status"].as_str().unwrap_or("unknown");
        eprintln!(
            "scan {job_id}: {state} — analysed {} of {} enqueued, {} failed",
            status["counts"]["analysed"], status["counts"]["enqueued"], status["counts"]["failed"]
        );
        match state {
            "done" => return Ok(()),
            "partial" | "failed" => bail!("scan {job_id} ended {state}"),
            _ => {}
        }
    }
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
}
