//! Mutation fuzzer for the patch parser and fingerprinting (cargo-fuzz needs nightly;
//! this runs on stable):
//!
//! ```text
//! cargo run --release -p clawtriage-triage --example fuzz_patch -- [ITERATIONS] [SEED] [CORPUS_DIR]
//! ```
//!
//! Seeds are the patches of the corpus (default `corpus/acme/webapp`); each iteration
//! applies random byte/line mutations (splices, truncation, CR insertion, sign flips,
//! header corruption, invalid UTF-8 replaced lossily) and feeds the result to
//! `patch::parse` and `Engine::fingerprint`/`compare`. A panic aborts with the input's
//! iteration number, so the run is reproducible from SEED.

#[path = "../tests/support/quality.rs"]
#[expect(dead_code, reason = "shares the corpus loader with the quality report")]
mod quality;

use std::path::PathBuf;
use std::process::ExitCode;

use clawtriage_triage::{Engine, FileInput, PrInput, patch};

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&str] = &[
    "@@ -1,2 +1,3 @@",
    "@@",
    "@@ -x +y @@",
    "\r",
    "\n",
    "\\ No newline at end of file",
    "+",
    "-",
    " ",
    "diff --git a/f b/f",
    "--- a/f",
    "+++ b/f",
    "Binary files a b differ",
    "\u{0}",
    "é",
    "'",
    "\"",
    "`",
    "{",
    "}",
    "/*",
    "*/",
    "//",
    "#[test]",
    "describe('x', () => {",
    "export ",
];

fn mutate(rng: &mut Rng, seed: &str, other: &str) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(7) {
            0 => bytes.truncate(at),
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, t.bytes());
            }
            2 if at < bytes.len() => bytes[at] = (rng.next() & 0xff) as u8,
            3 => {
                let o = other.as_bytes();
                let s = rng.below(o.len() + 1);
                let e = (s + rng.below(400)).min(o.len());
                bytes.splice(at..at, o[s..e].iter().copied());
            }
            4 => {
                bytes = bytes
                    .iter()
                    .flat_map(|&b| {
                        if b == b'\n' {
                            vec![b'\r', b'\n']
                        } else {
                            vec![b]
                        }
                    })
                    .collect()
            }
            5 if at < bytes.len() => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let n = rng.below(5000);
                bytes.splice(at..at, std::iter::repeat_n(b'x', n));
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let iterations: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    let dir = args
        .get(3)
        .map_or_else(|| PathBuf::from("corpus/acme/webapp"), PathBuf::from);
    let engine = match Engine::with_defaults() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let seeds: Vec<(String, String)> = match quality::load_prs(&dir) {
        Ok(prs) => prs
            .into_iter()
            .flat_map(|p| p.input.files)
            .filter_map(|f| f.patch.map(|p| (f.path, p)))
            .collect(),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if seeds.is_empty() {
        eprintln!("no seed patches found in {}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut rng = Rng(seed | 1);
    let mut lines = 0usize;
    let mut prev = engine.fingerprint(&PrInput::default());
    for i in 0..iterations {
        let (path, a) = &seeds[rng.below(seeds.len())];
        let (_, b) = &seeds[rng.below(seeds.len())];
        let text = mutate(&mut rng, a, b);
        lines += patch::parse(&text, 2000).lines.len();
        let pr = PrInput {
            number: i,
            title: String::new(),
            body: None,
            files: vec![FileInput {
                path: path.clone(),
                previous_path: None,
                status: "modified".into(),
                additions: 1,
                deletions: 1,
                patch: Some(text),
            }],
        };
        let fp = engine.fingerprint(&pr);
        let _ = engine.compare(&fp, &prev);
        prev = fp;
        if (i + 1) % 10_000 == 0 {
            println!("{} iterations, {lines} changed lines parsed", i + 1);
        }
    }
    println!("fuzz_patch: {iterations} iterations (seed {seed}) without a panic");
    ExitCode::SUCCESS
}
