//! Typed engine configuration, parsed from the two YAML files of `config/` and validated
//! once, so the hot path never re-checks a parameter.

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Why a configuration was rejected; the message names the offending key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("Cannot parse {file}: {source}")]
    Yaml {
        file: &'static str,
        #[source]
        source: serde_norway::Error,
    },
    #[error("Invalid glob {glob:?} in {key}: {source}")]
    Glob {
        key: &'static str,
        glob: String,
        #[source]
        source: globset::Error,
    },
    #[error("Invalid configuration: {0}")]
    Invalid(String),
}

/// `config/classification_rules.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassificationRules {
    pub version: u32,
    pub channels: ChannelRules,
    pub source_extensions: Vec<String>,
    pub content_refinement: ContentRefinement,
    #[serde(default)]
    pub generated_globs: Vec<String>,
    #[serde(default)]
    pub literal_globs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelRules {
    pub meta: MetaRules,
    pub tests: GlobList,
    pub docs: GlobList,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaRules {
    #[serde(default)]
    pub path_globs: Vec<String>,
    #[serde(default)]
    pub name_globs: Vec<String>,
    #[serde(default)]
    pub exclude_globs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobList {
    #[serde(default)]
    pub path_globs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentRefinement {
    #[serde(default)]
    pub test_framework_imports: Vec<String>,
    #[serde(default)]
    pub test_function_names: Vec<String>,
}

/// `config/thresholds.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub version: u32,
    pub weights: Weights,
    pub caps: Caps,
    pub categories: CategoryThresholds,
    pub minhash: MinHashParams,
    pub fingerprint: FingerprintParams,
    pub rewrite_mode: RewriteParams,
    pub base: BaseParams,
    pub sets: SetParams,
    /// Optional: absent means both off.
    #[serde(default)]
    pub publishing: Publishing,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub minhash: f64,
    pub exports: f64,
    pub symbols: f64,
    pub files: f64,
    pub imports: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caps {
    pub tests: f64,
    pub docs: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryThresholds {
    pub same_change: SameChange,
    pub same_feature: SameFeature,
    pub competing_implementation: Competing,
    pub review_score_threshold: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SameChange {
    pub minhash: f64,
    pub files: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SameFeature {
    pub prod: f64,
    pub supporting: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competing {
    pub tests: f64,
    pub prod_max: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinHashParams {
    pub num_hashes: usize,
    pub bands: usize,
    pub rows: usize,
    pub shingle_size: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FingerprintParams {
    pub max_shingles: usize,
    pub max_shingles_rewrite: usize,
    pub evidence_lines: usize,
    pub evidence_line_chars: usize,
    pub max_line_chars: usize,
    pub max_index_paths: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewriteParams {
    pub lines_changed: u64,
    pub files_changed: usize,
    pub rename_ratio: f64,
    pub winnow_window: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseParams {
    pub containment: f64,
    pub min_growth: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetParams {
    pub size_cap: usize,
}

/// What app mode may write on a PR besides its Check Run: a label and one comment, both
/// off by default, and only for a SAME_CHANGE at or above `high_confidence`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publishing {
    pub high_confidence: f64,
    #[serde(default)]
    pub labels: LabelPublishing,
    #[serde(default)]
    pub comment: CommentPublishing,
}

impl Default for Publishing {
    fn default() -> Self {
        Publishing {
            high_confidence: 0.95,
            labels: LabelPublishing::default(),
            comment: CommentPublishing::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelPublishing {
    pub enabled: bool,
    /// The label a likely resubmission gets.
    pub possible_duplicate: String,
}

impl Default for LabelPublishing {
    fn default() -> Self {
        LabelPublishing {
            enabled: false,
            possible_duplicate: "triage:possible-duplicate".into(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentPublishing {
    pub enabled: bool,
}

impl ClassificationRules {
    pub fn parse(yaml: &str) -> Result<Self, ConfigError> {
        serde_norway::from_str(yaml).map_err(|source| ConfigError::Yaml {
            file: "classification_rules.yaml",
            source,
        })
    }
}

impl Thresholds {
    pub fn parse(yaml: &str) -> Result<Self, ConfigError> {
        let t: Thresholds = serde_norway::from_str(yaml).map_err(|source| ConfigError::Yaml {
            file: "thresholds.yaml",
            source,
        })?;
        t.validate()?;
        Ok(t)
    }

    /// Cross-field checks: the scoring formula and LSH banding assume them.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let w = &self.weights;
        let sum = w.minhash + w.exports + w.symbols + w.files + w.imports;
        if (sum - 1.0).abs() > 1e-6 {
            return Err(ConfigError::Invalid(format!(
                "weights (minhash + exports + symbols + files + imports) must sum to 1.0, got {sum}"
            )));
        }
        let unit = [
            ("weights.minhash", w.minhash),
            ("weights.exports", w.exports),
            ("weights.symbols", w.symbols),
            ("weights.files", w.files),
            ("weights.imports", w.imports),
            ("caps.tests", self.caps.tests),
            ("caps.docs", self.caps.docs),
            (
                "categories.same_change.minhash",
                self.categories.same_change.minhash,
            ),
            (
                "categories.same_change.files",
                self.categories.same_change.files,
            ),
            (
                "categories.same_feature.prod",
                self.categories.same_feature.prod,
            ),
            (
                "categories.same_feature.supporting",
                self.categories.same_feature.supporting,
            ),
            (
                "categories.competing_implementation.tests",
                self.categories.competing_implementation.tests,
            ),
            (
                "categories.competing_implementation.prod_max",
                self.categories.competing_implementation.prod_max,
            ),
            (
                "categories.review_score_threshold",
                self.categories.review_score_threshold,
            ),
            ("rewrite_mode.rename_ratio", self.rewrite_mode.rename_ratio),
            ("base.containment", self.base.containment),
            ("base.min_growth", self.base.min_growth),
        ];
        for (key, v) in unit {
            if !(0.0..=1.0).contains(&v) {
                return Err(ConfigError::Invalid(format!(
                    "{key} must be within [0, 1], got {v}"
                )));
            }
        }
        let m = &self.minhash;
        if m.num_hashes == 0 || m.bands == 0 || m.rows == 0 {
            return Err(ConfigError::Invalid(
                "minhash.num_hashes, bands and rows must be positive".into(),
            ));
        }
        if m.bands * m.rows != m.num_hashes {
            return Err(ConfigError::Invalid(format!(
                "minhash.bands × minhash.rows must equal minhash.num_hashes ({} × {} != {})",
                m.bands, m.rows, m.num_hashes
            )));
        }
        if !(1..=16).contains(&m.shingle_size) {
            return Err(ConfigError::Invalid(format!(
                "minhash.shingle_size must be within 1..=16, got {}",
                m.shingle_size
            )));
        }
        let f = &self.fingerprint;
        if f.max_shingles == 0 || f.max_shingles_rewrite < f.max_shingles {
            return Err(ConfigError::Invalid(
                "fingerprint.max_shingles must be positive and <= max_shingles_rewrite".into(),
            ));
        }
        if self.rewrite_mode.winnow_window == 0 {
            return Err(ConfigError::Invalid(
                "rewrite_mode.winnow_window must be positive".into(),
            ));
        }
        let p = &self.publishing;
        if !(p.high_confidence > 0.0 && p.high_confidence <= 1.0) {
            return Err(ConfigError::Invalid(format!(
                "publishing.high_confidence must be in (0, 1], got {}",
                p.high_confidence
            )));
        }
        // GitHub refuses label names that are empty or longer than 50 characters.
        let label = p.labels.possible_duplicate.trim();
        if label.is_empty() || label.chars().count() > 50 {
            return Err(ConfigError::Invalid(format!(
                "publishing.labels.possible_duplicate must be 1 to 50 characters, got {:?}",
                p.labels.possible_duplicate
            )));
        }
        if self.sets.size_cap < 2 {
            return Err(ConfigError::Invalid(format!(
                "sets.size_cap must be at least 2, got {}",
                self.sets.size_cap
            )));
        }
        Ok(())
    }
}

/// Content version of a configuration: hex SHA-256 of both files, first 16 hex chars.
pub fn config_version(classification_rules: &str, thresholds: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"classification_rules.yaml\0");
    h.update(classification_rules.as_bytes());
    h.update(b"\0thresholds.yaml\0");
    h.update(thresholds.as_bytes());
    let d = h.finalize();
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
