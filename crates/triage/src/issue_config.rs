//! Typed `config/issue_rules.yaml`: term extraction, issue scoring, PR ↔ issue links and
//! the scope assist. Parsed and validated once; versioned on its own
//! ([`issue_config_version`]) so tuning issues never invalidates stored PR fingerprints.

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::config::ConfigError;

/// File name used in error messages.
const FILE: &str = "issue_rules.yaml";

/// `config/issue_rules.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRules {
    pub version: u32,
    pub text: TextRules,
    pub kinds: KindRules,
    pub weights: TermWeights,
    pub index: IndexRules,
    pub issues: IssueScoring,
    pub links: LinkRules,
    pub scope: ScopeRules,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextRules {
    /// Template phrases dropped before plain words are taken.
    #[serde(default)]
    pub boilerplate_phrases: Vec<String>,
    /// Words never kept as terms (lower case, unstemmed).
    #[serde(default)]
    pub generic_words: Vec<String>,
    pub max_terms: usize,
    pub max_text_chars: usize,
    pub max_error_chars: usize,
    /// Substrings (lower case) of `function@location` marking runtime/framework frames.
    #[serde(default)]
    pub frame_ignore: Vec<String>,
    /// Words that make a quoted sentence (`upload unsupported kind: image/heic`) an
    /// error message.
    #[serde(default)]
    pub message_words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindRules {
    #[serde(default)]
    pub bug_labels: Vec<String>,
    #[serde(default)]
    pub feature_labels: Vec<String>,
    #[serde(default)]
    pub bug_phrases: Vec<String>,
    #[serde(default)]
    pub feature_phrases: Vec<String>,
}

/// Per-kind term weights (see `issue_match`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermWeights {
    pub identifier: f64,
    pub error: f64,
    pub message: f64,
    pub frame: f64,
    pub path: f64,
    pub phrase: f64,
    pub word: f64,
    pub label: f64,
    pub title_boost: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexRules {
    pub max_keys: usize,
    pub max_word_keys: usize,
    pub min_word_len: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueScoring {
    pub score_weights: IssueScoreWeights,
    pub duplicate_threshold: f64,
    pub review_threshold: f64,
    pub identical_threshold: f64,
    pub min_shared_facts: usize,
    pub strong_frames_jaccard: f64,
    pub evidence_terms: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueScoreWeights {
    pub terms: f64,
    pub title: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRules {
    pub mentioned_score: f64,
    pub branch_score: f64,
    pub suggested_threshold: f64,
    pub score_weights: LinkScoreWeights,
    pub max_suggested: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkScoreWeights {
    pub coverage: f64,
    pub cosine: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeRules {
    pub headings: HeadingRules,
    #[serde(default)]
    pub paths: PathRules,
    pub policies: PolicyRules,
    pub max_phrase_words: usize,
    pub weights: ScopeWeights,
    pub min_evidence: f64,
    pub max_opposing: f64,
}

/// Substrings (lower case) classifying a vision heading; `out` is checked first.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingRules {
    #[serde(default)]
    pub out: Vec<String>,
    #[serde(default, rename = "in")]
    pub in_: Vec<String>,
    #[serde(default)]
    pub policy: Vec<String>,
}

/// Repository path rules (`scope.paths.in` / `scope.paths.out`), default empty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathRules {
    #[serde(default, rename = "in")]
    pub in_: Vec<String>,
    #[serde(default)]
    pub out: Vec<String>,
}

/// What a policy flag does to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyEffect {
    /// Counts against the PR being in scope.
    Out,
    /// Needs a human: blocks a confident verdict either way.
    Uncertain,
    Ignore,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRules {
    #[serde(default)]
    pub license_globs: Vec<String>,
    #[serde(default)]
    pub manifest_globs: Vec<String>,
    #[serde(default)]
    pub vendored_globs: Vec<String>,
    pub license: PolicyEffect,
    pub vendored: PolicyEffect,
    pub manifest: PolicyEffect,
    pub new_dependency: PolicyEffect,
    pub exports_changed: PolicyEffect,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeWeights {
    pub path_rule: f64,
    pub keyword_subject: f64,
    pub keyword_body: f64,
    pub policy: f64,
}

impl IssueRules {
    pub fn parse(yaml: &str) -> Result<Self, ConfigError> {
        let r: IssueRules = serde_norway::from_str(yaml)
            .map_err(|source| ConfigError::Yaml { file: FILE, source })?;
        r.validate()?;
        Ok(r)
    }

    /// Range and cross-field checks; every message names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let w = &self.weights;
        for (key, v) in [
            ("weights.identifier", w.identifier),
            ("weights.error", w.error),
            ("weights.message", w.message),
            ("weights.frame", w.frame),
            ("weights.path", w.path),
            ("weights.phrase", w.phrase),
            ("weights.word", w.word),
            ("weights.label", w.label),
        ] {
            if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
                return Err(invalid(format!("{key} must be within [0, 100], got {v}")));
            }
        }
        if !(w.title_boost.is_finite() && (1.0..=10.0).contains(&w.title_boost)) {
            return Err(invalid(format!(
                "weights.title_boost must be within [1, 10], got {}",
                w.title_boost
            )));
        }
        let s = &self.issues;
        let l = &self.links;
        for (key, v) in [
            ("issues.score_weights.terms", s.score_weights.terms),
            ("issues.score_weights.title", s.score_weights.title),
            ("issues.duplicate_threshold", s.duplicate_threshold),
            ("issues.review_threshold", s.review_threshold),
            ("issues.identical_threshold", s.identical_threshold),
            ("issues.strong_frames_jaccard", s.strong_frames_jaccard),
            ("links.mentioned_score", l.mentioned_score),
            ("links.branch_score", l.branch_score),
            ("links.suggested_threshold", l.suggested_threshold),
            ("links.score_weights.coverage", l.score_weights.coverage),
            ("links.score_weights.cosine", l.score_weights.cosine),
            ("scope.weights.path_rule", self.scope.weights.path_rule),
            (
                "scope.weights.keyword_subject",
                self.scope.weights.keyword_subject,
            ),
            (
                "scope.weights.keyword_body",
                self.scope.weights.keyword_body,
            ),
            ("scope.weights.policy", self.scope.weights.policy),
            ("scope.min_evidence", self.scope.min_evidence),
            ("scope.max_opposing", self.scope.max_opposing),
        ] {
            if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
                return Err(invalid(format!("{key} must be within [0, 1], got {v}")));
            }
        }
        for (key, sum) in [
            (
                "issues.score_weights (terms + title)",
                s.score_weights.terms + s.score_weights.title,
            ),
            (
                "links.score_weights (coverage + cosine)",
                l.score_weights.coverage + l.score_weights.cosine,
            ),
        ] {
            if (sum - 1.0).abs() > 1e-6 {
                return Err(invalid(format!("{key} must sum to 1.0, got {sum}")));
            }
        }
        if s.review_threshold > s.duplicate_threshold
            || s.duplicate_threshold > s.identical_threshold
        {
            return Err(invalid(format!(
                "issues.review_threshold ({}) ≤ duplicate_threshold ({}) ≤ identical_threshold ({}) \
                 must hold: each must not exceed the next",
                s.review_threshold, s.duplicate_threshold, s.identical_threshold
            )));
        }
        for (key, v) in [
            ("text.max_terms", self.text.max_terms),
            ("text.max_text_chars", self.text.max_text_chars),
            ("text.max_error_chars", self.text.max_error_chars),
            ("index.max_keys", self.index.max_keys),
            ("issues.evidence_terms", s.evidence_terms),
            ("issues.min_shared_facts", s.min_shared_facts),
            ("links.max_suggested", l.max_suggested),
            ("scope.max_phrase_words", self.scope.max_phrase_words),
        ] {
            if v == 0 {
                return Err(invalid(format!("{key} must be positive")));
            }
        }
        if self.scope.max_opposing > self.scope.min_evidence {
            return Err(invalid(format!(
                "scope.max_opposing ({}) must not exceed scope.min_evidence ({})",
                self.scope.max_opposing, self.scope.min_evidence
            )));
        }
        if self.index.max_word_keys > self.index.max_keys {
            return Err(invalid(format!(
                "index.max_word_keys ({}) must not exceed index.max_keys ({})",
                self.index.max_word_keys, self.index.max_keys
            )));
        }
        // Globs are compiled here so a bad one fails at load, naming its key.
        let p = &self.scope.policies;
        for (key, globs) in [
            ("scope.paths.in", &self.scope.paths.in_),
            ("scope.paths.out", &self.scope.paths.out),
            ("scope.policies.license_globs", &p.license_globs),
            ("scope.policies.manifest_globs", &p.manifest_globs),
            ("scope.policies.vendored_globs", &p.vendored_globs),
        ] {
            glob_set(key, globs)?;
        }
        Ok(())
    }
}

fn invalid(msg: String) -> ConfigError {
    ConfigError::Invalid(format!("{FILE}: {msg}"))
}

/// Case-insensitive glob set; `*` does not cross `/` (as the channel rules).
pub(crate) fn glob_set(key: &'static str, globs: &[String]) -> Result<GlobSet, ConfigError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = globset::GlobBuilder::new(g)
            .case_insensitive(true)
            .literal_separator(true)
            .build()
            .map_err(|source| ConfigError::Glob {
                key,
                glob: g.clone(),
                source,
            })?;
        b.add(glob);
    }
    b.build().map_err(|source| ConfigError::Glob {
        key,
        glob: globs.join(", "),
        source,
    })
}

/// A single glob compiled like [`glob_set`]'s members (vision-document globs).
pub(crate) fn one_glob(g: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(g)
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .ok()
        .map(|x: Glob| x.compile_matcher())
}

/// Content version of `issue_rules.yaml`: first 16 hex chars of its SHA-256.
pub fn issue_config_version(yaml: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"issue_rules.yaml\0");
    h.update(yaml.as_bytes());
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = include_str!("../../../config/issue_rules.yaml");

    fn err(yaml: &str) -> String {
        IssueRules::parse(yaml)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn defaults_parse_and_version_is_stable_hex() {
        let r = IssueRules::parse(DEFAULT).expect("defaults");
        assert!(r.scope.paths.in_.is_empty() && r.scope.paths.out.is_empty());
        let v = issue_config_version(DEFAULT);
        assert_eq!(v.len(), 16);
        assert_eq!(v, issue_config_version(DEFAULT));
        assert_ne!(v, issue_config_version(&format!("{DEFAULT}\n# x")));
        assert!(v.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn invalid_values_name_their_key() {
        assert!(err("version: [").contains("issue_rules.yaml"));
        assert!(err(&DEFAULT.replace("terms: 1.0", "terms: 0.8")).contains("issues.score_weights"));
        assert!(
            err(&DEFAULT.replace("review_threshold: 0.20", "review_threshold: 0.90"))
                .contains("must not exceed")
        );
        assert!(
            err(&DEFAULT.replace("duplicate_threshold: 0.35", "duplicate_threshold: 1.55"))
                .contains("issues.duplicate_threshold")
        );
        assert!(err(&DEFAULT.replace("max_keys: 64", "max_keys: 0")).contains("index.max_keys"));
        assert!(
            err(&DEFAULT.replace("max_word_keys: 24", "max_word_keys: 99"))
                .contains("index.max_word_keys")
        );
        assert!(
            err(&DEFAULT.replace("title_boost: 2.0", "title_boost: 0.5")).contains("title_boost")
        );
        assert!(
            err(&DEFAULT.replace("identifier: 3.0", "identifier: -1"))
                .contains("weights.identifier")
        );
        assert!(
            err(&DEFAULT.replace("    in: []\n", "    in: [\"src/[x\"]\n"))
                .contains("scope.paths.in")
        );
        assert!(
            err(&DEFAULT.replace("license: out", "license: maybe")).contains("issue_rules.yaml")
        );
        assert!(err(&format!("{DEFAULT}\nunknown_key: 1\n")).contains("unknown"));
    }
}
