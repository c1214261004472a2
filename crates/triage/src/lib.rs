//! The triage engine: pure functions from PR files to fingerprints, scores and evidence.
//!
//! No I/O, no clock, no environment: every input is a plain value, so the engine is
//! deterministic and exhaustively testable. Pipeline (SPEC 5): [`patch`] parses hunks,
//! [`channel`] classifies files, [`fingerprint`] builds the stored signature (canonical
//! diff hash, [`tokenize`]d [`shingle`]s, [`minhash`], [`extract`]ed symbols, test
//! [`intent`], [`docs`] structure, [`issues`]), [`index`] gives retrieval keys,
//! [`compare`] scores a pair, [`base`] and [`sets`] group duplicates.
//!
//! Issues (issue 10) have their own [`IssueEngine`] and `config/issue_rules.yaml`:
//! [`issue_text`] normalises words, identifiers, error lines, stack frames and paths,
//! [`issue_fingerprint`] builds typed terms and index keys, [`issue_match`] scores issue
//! pairs with idf from caller-supplied [`TermStats`], [`links`] finds PR ↔ issue links,
//! [`scope`] assesses a PR against a vision document.

mod b64;
pub mod base;
pub mod channel;
pub mod compare;
pub mod config;
pub mod docs;
pub mod engine;
pub mod extract;
pub mod fingerprint;
mod hash;
pub mod index;
pub mod intent;
pub mod issue_config;
pub mod issue_engine;
pub mod issue_fingerprint;
pub mod issue_match;
pub mod issue_text;
pub mod issues;
pub mod links;
pub mod manifest_deps;
pub mod minhash;
pub mod patch;
pub mod scope;
pub mod setops;
pub mod sets;
pub mod shingle;
pub mod tokenize;
pub mod ts;

pub use base::BaseSuggestion;
pub use channel::Channel;
pub use compare::{Category, Comparison, Evidence, MatchedLine, Scores};
pub use config::ConfigError;
pub use docs::DocStructure;
pub use engine::{Engine, Versions};
pub use fingerprint::{FileInput, FileSummary, Fingerprint, PatchState, PrInput};
pub use intent::TestIntent;
pub use issue_engine::{IssueEngine, IssueVersions};
pub use issue_fingerprint::{IssueFingerprint, IssueInput, IssueKind, Term, TermKind};
pub use issue_match::{
    CorpusStats, IssueCategory, IssueComparison, IssueEvidence, IssueScores, NoStats, SharedTerm,
    TermStats,
};
pub use issue_text::Frame;
pub use links::{Link, LinkEvidence, LinkKind, PrLinkInput};
pub use scope::{
    ScopeAssessment, ScopeDirection, ScopeFile, ScopeInput, ScopeReason, ScopeReasonKind,
    ScopeVerdict, Vision,
};
pub use sets::{DuplicateSet, SetEdge};
