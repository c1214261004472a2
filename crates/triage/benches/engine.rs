//! Engine benchmark on the checked-in corpus's real size mix:
//!
//! ```text
//! cargo bench -p clawtriage-triage --bench engine
//! CLAWTRIAGE_BENCH_CORPUS=/tmp/bench-corpus/acme/webapp cargo bench -p clawtriage-triage --bench engine
//! CLAWTRIAGE_BENCH_QUICK=1 cargo bench -p clawtriage-triage --bench engine   # summary lines only
//! ```
//!
//! Reports fingerprinting throughput (PRs/s and MB/s of patch text, single thread) for
//! all PRs and for median-sized PRs, scoring time per retrieved candidate pair (compare
//! on already-deserialized fingerprints) and the JSON size of a stored fingerprint.

#[path = "../tests/support/quality.rs"]
#[expect(dead_code, reason = "shares the corpus loader with the quality report")]
mod quality;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use clawtriage_triage::{Engine, Fingerprint, PrInput};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus_dir() -> PathBuf {
    std::env::var_os("CLAWTRIAGE_BENCH_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/acme/webapp"),
        PathBuf::from,
    )
}

fn patch_bytes(p: &PrInput) -> usize {
    p.files
        .iter()
        .map(|f| f.patch.as_ref().map_or(0, String::len))
        .sum()
}

fn changed_lines(p: &PrInput) -> u32 {
    p.files.iter().map(|f| f.additions + f.deletions).sum()
}

fn bench(c: &mut Criterion) {
    let engine = Engine::with_defaults().expect("default config");
    let prs: Vec<PrInput> = quality::load_prs(&corpus_dir())
        .expect("corpus loads")
        .into_iter()
        .map(|p| p.input)
        .collect();
    let total_bytes: usize = prs.iter().map(patch_bytes).sum();

    // Median-sized PRs: the middle fifth by changed lines.
    let mut by_size: Vec<&PrInput> = prs.iter().collect();
    by_size.sort_by_key(|p| (changed_lines(p), p.number));
    let n = by_size.len();
    let median: Vec<PrInput> = by_size[2 * n / 5..3 * n / 5]
        .iter()
        .map(|p| (*p).clone())
        .collect();
    let median_bytes: usize = median.iter().map(patch_bytes).sum();
    let mid = by_size[n / 2];
    println!(
        "corpus: {} PRs, {:.2} MB patch text; median PR {} files, {} changed lines",
        n,
        total_bytes as f64 / 1e6,
        mid.files.len(),
        changed_lines(mid)
    );

    let fps: Vec<Fingerprint> = prs.iter().map(|p| engine.fingerprint(p)).collect();
    let mut sizes: Vec<usize> = fps
        .iter()
        .map(|f| serde_json::to_vec(f).map_or(0, |v| v.len()))
        .collect();
    sizes.sort_unstable();
    println!(
        "fingerprint JSON: median {} bytes, p90 {} bytes, max {} bytes",
        sizes[sizes.len() / 2],
        sizes[sizes.len() * 9 / 10],
        sizes[sizes.len() - 1]
    );
    // Scoring works on deserialized fingerprints, as the service loads them from Postgres.
    let fps: Vec<Fingerprint> = fps
        .iter()
        .map(|f| {
            serde_json::from_slice(&serde_json::to_vec(f).expect("serialize")).expect("deserialize")
        })
        .collect();
    let keys: Vec<Vec<i64>> = fps.iter().map(|f| engine.index_keys(f)).collect();
    let cands = quality::retrieve(&keys);
    let pairs: Vec<(usize, usize)> = cands
        .iter()
        .enumerate()
        .flat_map(|(i, cs)| cs.iter().filter(move |&&j| i < j).map(move |&j| (i, j)))
        .collect();
    println!(
        "candidate pairs (retrieved via index_keys): {}",
        pairs.len()
    );

    // Plain wall-clock summary lines (criterion's own output follows).
    let t = Instant::now();
    for p in &prs {
        black_box(engine.fingerprint(p));
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "fingerprint, all PRs: {:.0} PRs/s, {:.1} MB/s",
        prs.len() as f64 / s,
        total_bytes as f64 / 1e6 / s
    );
    let t = Instant::now();
    for _ in 0..5 {
        for p in &median {
            black_box(engine.fingerprint(p));
        }
    }
    let s = t.elapsed().as_secs_f64() / 5.0;
    println!(
        "fingerprint, median-sized PRs: {:.0} PRs/s, {:.1} MB/s",
        median.len() as f64 / s,
        median_bytes as f64 / 1e6 / s
    );
    let t = Instant::now();
    for &(i, j) in &pairs {
        black_box(engine.compare(&fps[i], &fps[j]));
    }
    println!(
        "compare: {:.2} µs per candidate pair",
        t.elapsed().as_secs_f64() * 1e6 / pairs.len().max(1) as f64
    );

    if std::env::var_os("CLAWTRIAGE_BENCH_QUICK").is_some() {
        return;
    }
    let mut g = c.benchmark_group("fingerprint");
    g.sample_size(10);
    g.throughput(Throughput::Elements(prs.len() as u64));
    g.bench_function("all_prs", |b| {
        b.iter(|| {
            for p in &prs {
                black_box(engine.fingerprint(p));
            }
        })
    });
    g.throughput(Throughput::Elements(median.len() as u64));
    g.bench_function("median_prs", |b| {
        b.iter(|| {
            for p in &median {
                black_box(engine.fingerprint(p));
            }
        })
    });
    g.throughput(Throughput::Bytes(total_bytes as u64));
    g.bench_function("all_prs_bytes", |b| {
        b.iter(|| {
            for p in &prs {
                black_box(engine.fingerprint(p));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("compare");
    g.sample_size(10);
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.bench_function("candidate_pairs", |b| {
        b.iter(|| {
            for &(i, j) in &pairs {
                black_box(engine.compare(&fps[i], &fps[j]));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
