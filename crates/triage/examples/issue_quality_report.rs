//! Issue quality report over a labelled corpus:
//!
//! ```text
//! cargo run --release -p clawtriage-triage --example issue_quality_report -- corpus/acme/webapp
//! ```
//!
//! Prints precision/recall of duplicate-issue pairs, top-5 hit rate, negatives called
//! duplicate, precision/recall of PR ↔ issue links (explicit and suggested separately) and
//! scope accuracy per verdict (see `tests/support/issue_quality.rs`).

#[path = "../tests/support/issue_quality.rs"]
mod issue_quality;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("corpus/acme/webapp"), PathBuf::from);
    match issue_quality::run(&dir) {
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
