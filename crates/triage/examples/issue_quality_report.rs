//! Issue quality report over a labelled corpus:
//!
//! ```text
//! cargo run --release -p clawtriage-triage --example issue_quality_report -- corpus/acme/webapp
//! ```
//!
//! Prints precision/recall of duplicate-issue pairs, top-5 hit rate, negatives called
//! duplicate, precision/recall of PR ↔ issue links (explicit and suggested separately) and
//! scope accuracy per verdict (see `tests/support/issue_quality.rs`). With `--pair A B`
//! it prints the comparison of two issues and both fingerprints instead.

#[path = "../tests/support/issue_quality.rs"]
mod issue_quality;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .map_or_else(|| PathBuf::from("corpus/acme/webapp"), PathBuf::from);
    if args.get(1).map(String::as_str) == Some("--pair") {
        let n = |i: usize| {
            args.get(i)
                .and_then(|s| s.trim_start_matches('#').parse().ok())
        };
        let (Some(a), Some(b)) = (n(2), n(3)) else {
            eprintln!("usage: issue_quality_report <corpus dir> --pair <issue> <issue>");
            return ExitCode::FAILURE;
        };
        return match issue_quality::explain_pair(&dir, a, b) {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
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
