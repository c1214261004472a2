//! The checked-in corpus meets the quality targets (precision ≥ 0.98, top-5 ≥ 0.95).

mod support;

use std::path::Path;

#[test]
fn checked_in_corpus_meets_quality_targets() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/acme/webapp");
    let engine = clawtriage_triage::Engine::with_defaults().expect("default config");
    let r = support::quality::run(&engine, &dir).expect("corpus loads");
    println!("{r}");
    assert!(r.prs >= 250, "corpus too small: {}", r.prs);
    assert!(
        r.same_precision() >= 0.98,
        "SAME_* precision {:.3}\n{r}",
        r.same_precision()
    );
    assert!(
        r.strong_precision() >= 0.98,
        "duplicate precision {:.3}\n{r}",
        r.strong_precision()
    );
    assert!(r.top5() >= 0.95, "top-5 {:.3}\n{r}", r.top5());
    assert!(r.negative_fp.is_empty(), "{r}");
    assert!(
        r.base_accuracy() >= 0.9,
        "base accuracy {:.3}\n{r}",
        r.base_accuracy()
    );
}
