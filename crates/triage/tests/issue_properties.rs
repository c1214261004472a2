//! Property tests of the issue engine: totality on arbitrary text, score bounds, symmetry,
//! bounded output, JSON round trips.

use clawtriage_triage::links::branch_issue;
use clawtriage_triage::{
    CorpusStats, IssueEngine, IssueInput, NoStats, PrLinkInput, ScopeFile, ScopeInput,
};
use proptest::prelude::*;

fn engine() -> &'static IssueEngine {
    use std::sync::OnceLock;
    static E: OnceLock<IssueEngine> = OnceLock::new();
    E.get_or_init(|| IssueEngine::with_defaults().expect("default issue config"))
}

/// Issue-like text: traces, error lines, fences, code, markdown, junk.
fn issueish() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("```".to_string()),
        Just("TypeError: Cannot read properties of undefined (reading 'map')".to_string()),
        Just("    at computeTotal (/app/src/billing/invoice.ts:41:12)".to_string()),
        Just("  File \"/srv/app/orders.py\", line 9, in create_order".to_string()),
        Just("panic: runtime error: index out of range [3] with length 2".to_string()),
        Just("main.main()".to_string()),
        Just("\t/src/cmd/main.go:12 +0x25".to_string()),
        Just("thread 'main' panicked at src/lib.rs:4:5:".to_string()),
        Just("   3: webapp::orders::create::h1a2b3c4d5e6f7a8b".to_string()),
        Just("             at ./src/orders.rs:42:5".to_string()),
        Just("### Steps to reproduce".to_string()),
        Just("- [ ] I have searched the existing issues".to_string()),
        Just("<!-- template".to_string()),
        Just("fixes #12, closes acme/webapp#13 and #".to_string()),
        "[ -~]{0,80}".prop_map(|s| s),
        "[→é🙂ß: `'\"(){}\\[\\]a-zA-Z0-9_.#/-]{0,60}".prop_map(|s| s),
        "[A-Za-z→é]{0,12}(Error|Exception)?: [→éa-z '\"]{0,30}".prop_map(|s| s),
        "[`'\"#:/\\\\.()\\[\\]a-zA-Z0-9_ -]{0,60}".prop_map(|s| s),
        any::<String>(),
    ];
    (prop::collection::vec(line, 0..30), prop::bool::ANY)
        .prop_map(|(lines, crlf)| lines.join(if crlf { "\r\n" } else { "\n" }))
}

fn issue(n: u64) -> impl Strategy<Value = IssueInput> {
    (
        issueish(),
        prop::option::of(issueish()),
        prop::collection::vec("[a-z: /-]{0,20}|bug|enhancement", 0..4),
    )
        .prop_map(move |(title, body, labels)| IssueInput {
            number: n,
            title,
            body,
            labels,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fingerprints_are_total_bounded_and_round_trip(i in issue(1)) {
        let e = engine();
        let fp = e.fingerprint_issue(&i);
        prop_assert!(fp.terms.len() <= e.rules().text.max_terms);
        prop_assert!(e.index_keys(&fp).len() <= e.rules().index.max_keys);
        let mut sorted = fp.terms.clone();
        sorted.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.text.cmp(&b.text)));
        sorted.dedup_by(|a, b| a.kind == b.kind && a.text == b.text);
        prop_assert_eq!(&sorted, &fp.terms);
        let json = serde_json::to_string(&fp).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: clawtriage_triage::IssueFingerprint =
            serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, fp);
    }

    #[test]
    fn comparison_is_symmetric_and_bounded(a in issue(1), b in issue(2), extra in issue(3)) {
        let e = engine();
        let (fa, fb, fx) = (e.fingerprint_issue(&a), e.fingerprint_issue(&b), e.fingerprint_issue(&extra));
        let mut stats = CorpusStats::new();
        for f in [&fa, &fb, &fx] {
            stats.add(f);
        }
        for s in [&stats as &dyn clawtriage_triage::TermStats, &NoStats] {
            let ab = e.compare_issues(&fa, &fb, s);
            let ba = e.compare_issues(&fb, &fa, s);
            prop_assert!(ab.score.is_finite() && (0.0..=1.0).contains(&ab.score));
            prop_assert_eq!(ab.category, ba.category);
            prop_assert!((ab.score - ba.score).abs() < 1e-9);
            prop_assert_eq!(&ab.evidence.shared_errors, &ba.evidence.shared_errors);
            prop_assert_eq!(&ab.evidence.shared_frames, &ba.evidence.shared_frames);
            prop_assert_eq!(e.score_issues(&fa, &fb, s), (ab.category, ab.score));
            let aa = e.compare_issues(&fa, &fa, s);
            prop_assert!((0.0..=1.0).contains(&aa.score));
        }
    }

    #[test]
    fn links_are_total_and_bounded(
        text in issueish(),
        head in "[a-zA-Z0-9/_#.-]{0,30}",
        symbols in prop::collection::vec("[a-zA-Z_]{0,20}", 0..10),
        paths in prop::collection::vec("[a-z/._]{0,30}", 0..10),
        i in issue(1000),
    ) {
        let e = engine();
        let fi = e.fingerprint_issue(&i);
        let pr = PrLinkInput {
            number: 5,
            title: text.chars().take(80).collect(),
            body: Some(text),
            head_ref: Some(head.clone()),
            repo: Some("acme/webapp".into()),
            symbols,
            added_paths: paths.iter().take(1).cloned().collect(),
            paths,
        };
        let links = e.links_for_pr(&pr, &[&fi], &NoStats);
        let suggested = links
            .iter()
            .filter(|l| l.kind == clawtriage_triage::LinkKind::Suggested)
            .count();
        prop_assert!(suggested <= e.rules().links.max_suggested);
        for l in &links {
            prop_assert!(l.score.is_finite() && (0.0..=1.0).contains(&l.score));
            prop_assert!(l.issue != 5);
        }
        let mut issues: Vec<u64> = links.iter().map(|l| l.issue).collect();
        issues.sort_unstable();
        let n = issues.len();
        issues.dedup();
        prop_assert_eq!(n, issues.len(), "one link per issue");
        let _ = branch_issue(&head);
    }

    #[test]
    fn scope_is_total(
        md in issueish(),
        title in issueish(),
        files in prop::collection::vec(("[a-zA-Z/._*-]{0,30}", any::<u32>(), any::<u32>()), 0..8),
        exports in prop::collection::vec("[a-zA-Z]{0,10}", 0..3),
        manifest in any::<bool>(),
    ) {
        let e = engine();
        let v = e.parse_vision(&md);
        let pr = ScopeInput {
            title,
            body: Some(md.clone()),
            files: files
                .into_iter()
                .map(|(path, additions, deletions)| ScopeFile { path, additions, deletions })
                .collect(),
            new_dependencies: exports.iter().take(1).cloned().collect(),
            exports_changed: exports,
            manifest_changed: manifest,
        };
        for vision in [Some(&v), None] {
            let a = e.assess_scope(&pr, vision);
            prop_assert!(a.confidence.is_finite() && (0.0..=1.0).contains(&a.confidence));
            prop_assert!(a.reasons.iter().all(|r| r.weight.is_finite() && r.weight >= 0.0));
        }
    }
}
