//! `clawtriage`: one binary, several roles. `main` stays thin: parse, init logs, run.

use std::process::ExitCode;

use clap::Parser;
use clawtriage::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clawtriage::cli::report_parse_error(err),
    };
    clawtriage::telemetry::init(cli.log_format);
    match clawtriage::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            // A one-line summary on stderr as well, for start-up failures read by a human.
            eprintln!("clawtriage: {err:#}");
            ExitCode::FAILURE
        }
    }
}
