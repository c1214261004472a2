//! Quality report over a labelled corpus:
//!
//! ```text
//! cargo run --release -p clawtriage-triage --example quality_report -- corpus/acme/webapp
//! ```
//!
//! Prints pairwise precision/recall, top-5 hit rate, look-alike false positives and
//! base-inference accuracy (see `tests/support/quality.rs`).

#[path = "../tests/support/quality.rs"]
mod quality;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("corpus/acme/webapp"), PathBuf::from);
    let engine = match clawtriage_triage::Engine::with_defaults() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("Cannot load the engine configuration: {e}");
            return ExitCode::FAILURE;
        }
    };
    match quality::run(&engine, &dir) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
