//! The checked-in corpus meets the issue quality targets: duplicate-issue precision ≥ 0.9,
//! link precision ≥ 0.9 (explicit and suggested separately), no issue negative or link
//! negative reported, and recall floors below the measured figures (see the README).

#[path = "support/issue_quality.rs"]
mod issue_quality;

use std::path::Path;

#[test]
fn checked_in_corpus_meets_issue_quality_targets() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/acme/webapp");
    let r = issue_quality::run(&dir).expect("corpus loads");
    println!("{r}");
    assert!(r.issues >= 200, "corpus too small: {} issues", r.issues);
    assert!(
        r.dup_truth >= 50,
        "too few labelled duplicate pairs: {}",
        r.dup_truth
    );
    assert!(
        r.dup_precision() >= 0.9,
        "duplicate-issue precision {:.3}\n{r}",
        r.dup_precision()
    );
    assert!(
        r.dup_recall() >= 0.3,
        "duplicate-issue recall {:.3}\n{r}",
        r.dup_recall()
    );
    assert!(r.topk() >= 0.9, "top-5 hit rate {:.3}\n{r}", r.topk());
    assert!(
        r.negative_fp.len() <= 1,
        "issue negatives called DUPLICATE\n{r}"
    );
    assert!(
        r.explicit_precision() >= 0.9 && r.explicit_recall() >= 0.95,
        "explicit links {:.3}/{:.3}\n{r}",
        r.explicit_precision(),
        r.explicit_recall()
    );
    assert!(
        r.suggested_precision() >= 0.9,
        "suggested-link precision {:.3}\n{r}",
        r.suggested_precision()
    );
    assert!(
        r.suggested_recall() >= 0.6,
        "implicit-link recall {:.3}\n{r}",
        r.suggested_recall()
    );
    assert!(r.link_precision() >= 0.9, "link precision\n{r}");
    assert!(r.link_negative_fp.is_empty(), "link negatives linked\n{r}");
    // The scope assist is advisory: what it decides must be right; it may abstain.
    assert!(
        r.scope_decided_precision() >= 0.95,
        "scope IN/OUT precision {:.3}\n{r}",
        r.scope_decided_precision()
    );
    assert!(
        r.scope_accuracy() >= 0.7,
        "scope accuracy {:.3}\n{r}",
        r.scope_accuracy()
    );
    assert!(
        r.scope_unlabelled_out.is_empty(),
        "OUT_OF_SCOPE on ordinary PRs\n{r}"
    );
}

#[test]
fn one_pair_can_be_explained() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/acme/webapp");
    let text = issue_quality::explain_pair(&dir, 1012, 1013).expect("both issues exist");
    assert!(text.contains("\"category\""), "{text}");
    assert!(issue_quality::explain_pair(&dir, 1012, 1).is_err());
}
