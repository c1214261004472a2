//! Debug aid: prints the comparison of two corpus PRs as JSON.
//!
//! ```text
//! cargo run -p clawtriage-triage --example compare_pair -- corpus/acme/webapp 45 140
//! ```

#[path = "../tests/support/quality.rs"]
#[expect(dead_code, reason = "shares the corpus loader with the quality report")]
mod quality;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: compare_pair <corpus-dir> <pr-a> <pr-b>");
        return ExitCode::FAILURE;
    }
    let (Ok(a), Ok(b)) = (args[2].parse::<u64>(), args[3].parse::<u64>()) else {
        eprintln!("PR numbers must be integers");
        return ExitCode::FAILURE;
    };
    let engine = match clawtriage_triage::Engine::with_defaults() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let prs = match quality::load_prs(&PathBuf::from(&args[1])) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let find = |n: u64| prs.iter().find(|p| p.input.number == n);
    let (Some(pa), Some(pb)) = (find(a), find(b)) else {
        eprintln!("PR not found in the corpus");
        return ExitCode::FAILURE;
    };
    let (fa, fb) = (engine.fingerprint(&pa.input), engine.fingerprint(&pb.input));
    let mut c = engine.compare(&fa, &fb);
    if c.evidence == clawtriage_triage::Evidence::default() {
        c.evidence = engine.evidence(&fa, &fb);
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&c).unwrap_or_else(|e| e.to_string())
    );
    let base = engine.infer_base(&[(a as i64, &fa), (b as i64, &fb)]);
    println!("base: {:?} — {}", base.base, base.reason);
    ExitCode::SUCCESS
}
