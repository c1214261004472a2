//! Property tests: MinHash accuracy, totality on arbitrary input, symmetry, order
//! independence. The long-running patch-parser fuzz is `#[ignore]`d:
//! `cargo test -p clawtriage-triage --release --test properties -- --ignored`.

use clawtriage_triage::minhash::{MinHasher, estimate};
use clawtriage_triage::patch;
use clawtriage_triage::setops::jaccard;
use clawtriage_triage::{Category, Engine, FileInput, PrInput, SetEdge};
use proptest::prelude::*;

/// |estimate − exact| bound for 128 hashes. The standard error of a 128-hash MinHash is
/// √(J(1−J)/128) ≤ 0.044, so 0.2 is more than 4.5σ: a failure means a broken hash
/// family, not bad luck.
const MINHASH_TOLERANCE: f64 = 0.2;

fn engine() -> &'static Engine {
    use std::sync::OnceLock;
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::with_defaults().expect("default config"))
}

/// Patch-like text: hunk headers, signed lines, CRLF, markers and junk.
fn patchish() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("@@ -1,3 +1,4 @@".to_string()),
        Just("@@ -0,0 +1 @@ fn x()".to_string()),
        Just("@@ garbage".to_string()),
        Just("\\ No newline at end of file".to_string()),
        Just("diff --git a/x b/x".to_string()),
        Just("--- a/x".to_string()),
        Just("+++ b/x".to_string()),
        Just("Binary files a/x and b/x differ".to_string()),
        "[+\\- ][ -~]{0,60}".prop_map(|s| s),
        "[+\\-]\\PC{0,40}".prop_map(|s| s),
        any::<String>(),
    ];
    (prop::collection::vec(line, 0..40), prop::bool::ANY)
        .prop_map(|(lines, crlf)| lines.join(if crlf { "\r\n" } else { "\n" }))
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("src/a.ts".to_string()),
        Just("src/a.test.ts".to_string()),
        Just("docs/x.md".to_string()),
        Just(".cursor/rules.md".to_string()),
        Just("package.json".to_string()),
        Just("pnpm-lock.yaml".to_string()),
        Just("lib/m.py".to_string()),
        Just("src/lib.rs".to_string()),
        Just("cmd/main.go".to_string()),
        any::<String>(),
    ]
}

fn file() -> impl Strategy<Value = FileInput> {
    (
        path(),
        prop::option::of(path()),
        prop_oneof![
            Just("added"),
            Just("modified"),
            Just("removed"),
            Just("renamed"),
            Just("??")
        ],
        any::<u32>(),
        any::<u32>(),
        prop::option::of(patchish()),
    )
        .prop_map(
            |(path, previous_path, status, additions, deletions, patch)| FileInput {
                path,
                previous_path,
                status: status.to_string(),
                additions,
                deletions,
                patch,
            },
        )
}

fn pr() -> impl Strategy<Value = PrInput> {
    (
        any::<u64>(),
        any::<String>(),
        prop::option::of(any::<String>()),
        prop::collection::vec(file(), 0..8),
    )
        .prop_map(|(number, title, body, files)| PrInput {
            number,
            title,
            body,
            files,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn minhash_estimates_jaccard(shared in 0usize..400, only_a in 0usize..400, only_b in 0usize..400, offset in any::<u32>()) {
        prop_assume!(shared + only_a > 0 && shared + only_b > 0);
        let base = offset / 2;
        let mut a: Vec<u32> = (0..shared + only_a).map(|i| base.wrapping_add(i as u32)).collect();
        let mut b: Vec<u32> = (0..shared).map(|i| base.wrapping_add(i as u32))
            .chain((0..only_b).map(|i| base.wrapping_add((shared + only_a + i) as u32)))
            .collect();
        a.sort_unstable();
        a.dedup();
        b.sort_unstable();
        b.dedup();
        let m = MinHasher::new(128);
        let est = estimate(&m.signature(&a), &m.signature(&b)).unwrap_or(-1.0);
        let exact = jaccard(&a, &b).unwrap_or(0.0);
        prop_assert!((est - exact).abs() <= MINHASH_TOLERANCE, "est {est} exact {exact}");
    }

    #[test]
    fn fingerprint_and_compare_are_total_and_symmetric(a in pr(), b in pr()) {
        let e = engine();
        let (fa, fb) = (e.fingerprint(&a), e.fingerprint(&b));
        let x = e.compare(&fa, &fb);
        let y = e.compare(&fb, &fa);
        prop_assert_eq!(x.category, y.category);
        prop_assert_eq!(&x.scores, &y.scores);
        prop_assert!((0.0..=1.0).contains(&x.final_score));
        let keys = e.index_keys(&fa);
        prop_assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let json = serde_json::to_string(&fa).expect("serialize");
        let back: clawtriage_triage::Fingerprint = serde_json::from_str(&json).expect("deserialize");
        prop_assert_eq!(&back, &fa);
        let _ = e.infer_base(&[(1, &fa), (2, &fb)]);
        // A PR compared with itself is never "not related" when it has comparable content.
        if fa.primary_channel().is_some() && fa.shingle_count() > 0 {
            prop_assert_eq!(e.compare(&fa, &fa).category, Category::SameChange);
        }
    }

    #[test]
    fn patch_parser_is_total(text in patchish(), max in 0usize..200) {
        let p = patch::parse(&text, max);
        for l in &p.lines {
            prop_assert!(l.text.len() <= max);
        }
    }

    #[test]
    fn duplicate_sets_ignore_edge_order(raw in prop::collection::vec((0i64..12, 0i64..12, 0u8..5, 0.0f64..1.0), 0..40), rot in 0usize..40) {
        let cats = [Category::SameChange, Category::SameFeature, Category::CompetingImplementation, Category::Related, Category::NotRelated];
        let edges: Vec<SetEdge> = raw.iter().map(|&(a, b, c, s)| SetEdge { a, b, category: cats[c as usize], score: s }).collect();
        let e = engine();
        let first = e.duplicate_sets(&edges, 4);
        let mut other: Vec<SetEdge> = edges.iter().rev().map(|x| SetEdge { a: x.b, b: x.a, ..*x }).collect();
        if !other.is_empty() {
            let r = rot % other.len();
            other.rotate_left(r);
        }
        prop_assert_eq!(e.duplicate_sets(&other, 4), first.clone());
        let mut seen = std::collections::BTreeSet::new();
        for s in &first {
            prop_assert!(s.len() >= 2 && s.len() <= 4);
            for m in s {
                prop_assert!(seen.insert(*m), "{m} in two sets");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(50_000))]

    /// Long-running fuzz of the patch parser and fingerprinting (`--ignored`).
    #[test]
    #[ignore = "long-running fuzz; run with --ignored"]
    fn fuzz_patch_parser_long(text in patchish(), p in path()) {
        let _ = patch::parse(&text, 2000);
        let input = PrInput {
            number: 1,
            title: String::new(),
            body: None,
            files: vec![FileInput { path: p, previous_path: None, status: "modified".into(), additions: 1, deletions: 1, patch: Some(text) }],
        };
        let _ = engine().fingerprint(&input);
    }
}
