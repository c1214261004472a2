//! Logging setup: JSON lines in production, human-readable text elsewhere.

use tracing_subscriber::EnvFilter;

/// How log lines are written (`LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum LogFormat {
    /// One JSON object per line (what Fly's log shipping and `jq` want).
    Json,
    /// Readable text for a terminal.
    #[default]
    Pretty,
}

/// The filter used when `RUST_LOG` is unset: our own crate at info, noisy dependencies quieter.
const DEFAULT_FILTER: &str =
    "info,sqlx=warn,apalis=warn,apalis_redis=warn,hyper=warn,tower_http=info";

/// Installs the global subscriber. Logs go to stdout (the platform collects it).
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout);
    // `try_init` fails only when a subscriber is already set (tests); that one is kept.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Pretty => builder.with_target(true).try_init(),
    };
}
