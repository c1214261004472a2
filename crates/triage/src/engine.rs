//! The engine: validated configuration plus the entry points the service calls.

use serde::{Deserialize, Serialize};

use crate::base::BaseSuggestion;
use crate::channel::Classifier;
use crate::compare::{Comparison, Evidence};
use crate::config::{ClassificationRules, ConfigError, Thresholds};
use crate::fingerprint::{Ctx, Fingerprint, PrInput};
use crate::minhash::MinHasher;
use crate::sets::{DuplicateSet, SetEdge};

/// Built-in `config/classification_rules.yaml`.
pub const DEFAULT_CLASSIFICATION_RULES: &str =
    include_str!("../../../config/classification_rules.yaml");
/// Built-in `config/thresholds.yaml`.
pub const DEFAULT_THRESHOLDS: &str = include_str!("../../../config/thresholds.yaml");

/// Bump when the stored `Fingerprint` layout or its hashing changes.
pub const SIGNATURE_VERSION: &str = "fp-1";
/// Bump when scoring, categories, base inference or set building change.
pub const ALGORITHM_VERSION: &str = "triage-1";

/// Versions stamped on every stored result (SPEC 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Versions {
    pub signature: String,
    pub algorithm: String,
    /// First 16 hex chars of SHA-256 over both configuration files.
    pub config: String,
}

/// Immutable and `Send + Sync`: share it through an `Arc`.
#[derive(Debug)]
pub struct Engine {
    classifier: Classifier,
    rules: ClassificationRules,
    thresholds: Thresholds,
    minhasher: MinHasher,
    versions: Versions,
}

impl Engine {
    /// The defaults of `config/`, embedded at build time.
    pub fn with_defaults() -> Result<Engine, ConfigError> {
        Engine::from_yaml(DEFAULT_CLASSIFICATION_RULES, DEFAULT_THRESHOLDS)
    }

    pub fn from_yaml(classification_rules: &str, thresholds: &str) -> Result<Engine, ConfigError> {
        let rules = ClassificationRules::parse(classification_rules)?;
        let t = Thresholds::parse(thresholds)?;
        Ok(Engine {
            classifier: Classifier::new(&rules)?,
            rules,
            minhasher: MinHasher::new(t.minhash.num_hashes),
            thresholds: t,
            versions: Versions {
                signature: SIGNATURE_VERSION.to_string(),
                algorithm: ALGORITHM_VERSION.to_string(),
                config: crate::config::config_version(classification_rules, thresholds),
            },
        })
    }

    pub fn versions(&self) -> &Versions {
        &self.versions
    }

    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    pub fn classification_rules(&self) -> &ClassificationRules {
        &self.rules
    }

    /// Channel of a path by the configured globs (no content refinement).
    pub fn channel_of(&self, path: &str) -> crate::Channel {
        self.classifier.by_path(path)
    }

    /// Total: never panics, whatever the input.
    pub fn fingerprint(&self, pr: &PrInput) -> Fingerprint {
        crate::fingerprint::build(
            &Ctx {
                classifier: &self.classifier,
                thresholds: &self.thresholds,
                minhasher: &self.minhasher,
            },
            pr,
        )
    }

    /// Candidate-retrieval keys, sorted and deduplicated.
    pub fn index_keys(&self, fp: &Fingerprint) -> Vec<i64> {
        crate::index::index_keys(
            fp,
            self.thresholds.minhash.rows,
            self.thresholds.fingerprint.max_index_paths,
        )
    }

    /// Symmetric: `compare(a, b)` and `compare(b, a)` have the same category and scores
    /// (evidence line lists swap sides). Evidence is empty for NOT_RELATED.
    pub fn compare(&self, a: &Fingerprint, b: &Fingerprint) -> Comparison {
        crate::compare::compare(&self.thresholds, a, b)
    }

    /// Category and final score only: the cheap path for ranking many candidates.
    pub fn score(&self, a: &Fingerprint, b: &Fingerprint) -> (crate::Category, f64) {
        let (c, f, _, _) = crate::compare::score(&self.thresholds, a, b);
        (c, f)
    }

    /// Evidence for any pair, including NOT_RELATED ones.
    pub fn evidence(&self, a: &Fingerprint, b: &Fingerprint) -> Evidence {
        let same = a.diff_hash.is_some() && a.diff_hash == b.diff_hash;
        crate::compare::evidence(a, b, same)
    }

    pub fn infer_base(&self, members: &[(i64, &Fingerprint)]) -> BaseSuggestion {
        crate::base::infer_base(&self.thresholds.base, members)
    }

    /// Member lists of the duplicate sets (see [`Engine::duplicate_sets_detailed`]).
    pub fn duplicate_sets(&self, edges: &[SetEdge], size_cap: usize) -> Vec<Vec<i64>> {
        crate::sets::duplicate_sets(edges, size_cap)
            .into_iter()
            .map(|s| s.members)
            .collect()
    }

    /// Duplicate sets with their seed and whether the size cap cut them.
    pub fn duplicate_sets_detailed(&self, edges: &[SetEdge], size_cap: usize) -> Vec<DuplicateSet> {
        crate::sets::duplicate_sets(edges, size_cap)
    }

    /// The configured set size cap (`sets.size_cap`).
    pub fn set_size_cap(&self) -> usize {
        self.thresholds.sets.size_cap
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Publishing;

    #[test]
    fn defaults_load_and_version() {
        let e = Engine::with_defaults().expect("defaults");
        assert_eq!(e.versions().config.len(), 16);
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }

    #[test]
    fn publishing_is_off_by_default_and_optional() {
        let e = Engine::with_defaults().expect("defaults");
        let p = &e.thresholds().publishing;
        assert!(!p.labels.enabled && !p.comment.enabled);
        assert_eq!(p.labels.possible_duplicate, "triage:possible-duplicate");
        let start = DEFAULT_THRESHOLDS.find("\npublishing:").expect("section");
        let without = &DEFAULT_THRESHOLDS[..start];
        let e = Engine::from_yaml(DEFAULT_CLASSIFICATION_RULES, without).expect("no section");
        assert_eq!(e.thresholds().publishing, Publishing::default());
        let on = DEFAULT_THRESHOLDS.replace("enabled: false", "enabled: true");
        let e = Engine::from_yaml(DEFAULT_CLASSIFICATION_RULES, &on).expect("enabled");
        let p = &e.thresholds().publishing;
        assert!(p.labels.enabled && p.comment.enabled);
    }

    #[test]
    fn invalid_configs_are_rejected_with_clear_messages() {
        let bad = DEFAULT_THRESHOLDS.replace("minhash: 0.35", "minhash: 0.5");
        let err = Engine::from_yaml(DEFAULT_CLASSIFICATION_RULES, &bad)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("sum to 1.0")));
        let bad = DEFAULT_THRESHOLDS.replace("rows: 8", "rows: 7");
        let err = Engine::from_yaml(DEFAULT_CLASSIFICATION_RULES, &bad)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("bands × minhash.rows")));
        let bad = DEFAULT_THRESHOLDS.replace(
            "review_score_threshold: 0.55",
            "review_score_threshold: 1.5",
        );
        let err = Engine::from_yaml(DEFAULT_CLASSIFICATION_RULES, &bad)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("review_score_threshold")));
        let bad = DEFAULT_CLASSIFICATION_RULES.replace("\"**/*.snap\"", "\"**/[*.snap\"");
        let err = Engine::from_yaml(&bad, DEFAULT_THRESHOLDS)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("Invalid glob")));
        let bad = DEFAULT_THRESHOLDS.replace("high_confidence: 0.95", "high_confidence: 0");
        let err = Engine::from_yaml(DEFAULT_CLASSIFICATION_RULES, &bad)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("publishing.high_confidence")));
        let bad = DEFAULT_THRESHOLDS.replace("\"triage:possible-duplicate\"", "\" \"");
        let err = Engine::from_yaml(DEFAULT_CLASSIFICATION_RULES, &bad)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("publishing.labels.possible_duplicate")));
        let err = Engine::from_yaml("version: [", DEFAULT_THRESHOLDS)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("classification_rules.yaml")));
    }
}
