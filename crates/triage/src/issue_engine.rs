//! The issue engine: validated `issue_rules.yaml` plus the entry points the service calls
//! for issues, PR ↔ issue links and the scope assist. Separate from [`crate::Engine`] so
//! PR fingerprints and their `config_version` never change because of issue tuning.

use serde::{Deserialize, Serialize};

use crate::config::ConfigError;
use crate::issue_config::{IssueRules, issue_config_version};
use crate::issue_fingerprint::{IssueFingerprint, IssueInput, TextCtx};
use crate::issue_match::{IssueCategory, IssueComparison, TermStats};
use crate::links::{Link, PrLinkInput};
use crate::scope::{ScopeAssessment, ScopeCtx, ScopeInput, Vision};

/// Built-in `config/issue_rules.yaml`.
pub const DEFAULT_ISSUE_RULES: &str = include_str!("../../../config/issue_rules.yaml");

/// Bump when the stored `IssueFingerprint` layout or term extraction changes.
pub const ISSUE_SIGNATURE_VERSION: &str = "issue-fp-2";
/// Bump when issue scoring, link or scope logic changes.
pub const ISSUE_ALGORITHM_VERSION: &str = "issue-2";

/// Versions stamped on every stored issue result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueVersions {
    pub signature: String,
    pub algorithm: String,
    /// `issue_config_version`: first 16 hex chars of SHA-256 over `issue_rules.yaml`.
    pub config: String,
}

/// Immutable and `Send + Sync`: share it through an `Arc`.
#[derive(Debug)]
pub struct IssueEngine {
    rules: IssueRules,
    text: TextCtx,
    scope: ScopeCtx,
    versions: IssueVersions,
}

impl IssueEngine {
    /// The defaults of `config/issue_rules.yaml`, embedded at build time.
    pub fn with_defaults() -> Result<IssueEngine, ConfigError> {
        IssueEngine::from_yaml(DEFAULT_ISSUE_RULES)
    }

    pub fn from_yaml(issue_rules: &str) -> Result<IssueEngine, ConfigError> {
        let rules = IssueRules::parse(issue_rules)?;
        Ok(IssueEngine {
            text: TextCtx::new(&rules.text, &rules.kinds),
            scope: ScopeCtx::new(&rules.scope)?,
            rules,
            versions: IssueVersions {
                signature: ISSUE_SIGNATURE_VERSION.to_string(),
                algorithm: ISSUE_ALGORITHM_VERSION.to_string(),
                config: issue_config_version(issue_rules),
            },
        })
    }

    pub fn versions(&self) -> &IssueVersions {
        &self.versions
    }

    /// `issue_config_version` alone.
    pub fn config_version(&self) -> &str {
        &self.versions.config
    }

    pub fn rules(&self) -> &IssueRules {
        &self.rules
    }

    /// Total: never panics, bounded output whatever the input.
    pub fn fingerprint_issue(&self, issue: &IssueInput) -> IssueFingerprint {
        crate::issue_fingerprint::build(&self.text, issue)
    }

    /// The PR's text, changed symbols and paths as a fingerprint comparable with issues
    /// (its `index_keys` query the issue index for link candidates).
    pub fn fingerprint_pr_text(&self, pr: &PrLinkInput) -> IssueFingerprint {
        crate::issue_fingerprint::build_parts(
            &self.text,
            pr.number,
            &pr.title,
            pr.body.as_deref(),
            &[],
            Some(crate::issue_fingerprint::PrCode {
                identifiers: &pr.symbols,
                paths: &pr.paths,
            }),
        )
    }

    /// Inverted-index keys for candidate retrieval (capped, strongest terms first),
    /// sorted and deduplicated.
    pub fn index_keys(&self, fp: &IssueFingerprint) -> Vec<i64> {
        crate::issue_fingerprint::index_keys(fp, &self.rules.index)
    }

    /// Keys to count document frequencies over (every term), sorted and deduplicated.
    pub fn term_keys(&self, fp: &IssueFingerprint) -> Vec<i64> {
        fp.term_keys()
    }

    /// Symmetric: `compare_issues(a, b)` and `compare_issues(b, a)` are equal.
    pub fn compare_issues(
        &self,
        a: &IssueFingerprint,
        b: &IssueFingerprint,
        stats: &dyn TermStats,
    ) -> IssueComparison {
        crate::issue_match::compare(&self.rules, a, b, stats)
    }

    /// Category and score only: the cheap path for ranking many candidates.
    pub fn score_issues(
        &self,
        a: &IssueFingerprint,
        b: &IssueFingerprint,
        stats: &dyn TermStats,
    ) -> (IssueCategory, f64) {
        let (c, s, _, _) = crate::issue_match::score(&self.rules, a, b, stats);
        (c, s)
    }

    /// Links of a PR: explicit references, then suggestions among `candidates` (issue
    /// fingerprints retrieved with `index_keys(fingerprint_pr_text(pr))`).
    pub fn links_for_pr(
        &self,
        pr: &PrLinkInput,
        candidates: &[&IssueFingerprint],
        stats: &dyn TermStats,
    ) -> Vec<Link> {
        let pr_fp = self.fingerprint_pr_text(pr);
        crate::links::links_for_pr(&self.rules, pr, &pr_fp, candidates, stats)
    }

    /// Parses a vision markdown document (cache it per repository and content).
    pub fn parse_vision(&self, markdown: &str) -> Vision {
        crate::scope::parse_vision(&self.scope, &self.text, markdown)
    }

    /// Advisory scope verdict with reasons; UNCERTAIN without vision and path rules.
    pub fn assess_scope(&self, pr: &ScopeInput, vision: Option<&Vision>) -> ScopeAssessment {
        crate::scope::assess(&self.scope, &self.text, pr, vision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_version_and_are_shareable() {
        let e = IssueEngine::with_defaults().expect("defaults");
        assert_eq!(e.config_version().len(), 16);
        assert_eq!(e.versions().signature, ISSUE_SIGNATURE_VERSION);
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<IssueEngine>();
        let bad = DEFAULT_ISSUE_RULES.replace("max_suggested: 5", "max_suggested: 0");
        let err = IssueEngine::from_yaml(&bad).err().map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("links.max_suggested")));
    }

    #[test]
    fn pr_engine_version_is_independent() {
        // Issue rules are not part of the PR engine's config_version.
        let pr = crate::Engine::with_defaults().expect("pr defaults");
        let v = pr.versions().config.clone();
        let again = crate::Engine::with_defaults().expect("pr defaults");
        assert_eq!(v, again.versions().config);
        assert_ne!(
            IssueEngine::with_defaults()
                .expect("defaults")
                .config_version(),
            v
        );
    }
}
