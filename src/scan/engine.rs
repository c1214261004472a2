//! The pipeline's view of the pure triage engine: GitHub files in, storable rows and
//! JSON out. Everything here is conversion; the decisions live in `clawtriage_triage`.

use std::collections::BTreeSet;
use std::path::Path;

use clawtriage_triage as triage;
use triage::{Category, Fingerprint, PatchState};

use super::fingerprints::FingerprintCache;
use super::source::ChangedFile;
use crate::storage::analyses::EngineVersions;
use crate::storage::prs::FileRow;

/// One PR analysed at one head, ready to store.
#[derive(Debug, Clone)]
pub struct Analysed {
    /// The fingerprint as stored (JSONB).
    pub fingerprint: serde_json::Value,
    /// Candidate-retrieval keys.
    pub keys: Vec<i64>,
    /// Files with their channels.
    pub files: Vec<FileRow>,
    /// Why the analysis is incomplete (empty: complete).
    pub degraded_reasons: Vec<String>,
    /// The fingerprint itself, for scoring without decoding it again.
    pub decoded: std::sync::Arc<Fingerprint>,
    /// The PR as the engine saw it (for the issue links and scope inputs).
    pub input: triage::PrInput,
}

/// A pair worth storing (anything but NOT_RELATED).
#[derive(Debug, Clone)]
pub struct Scored {
    /// SAME_CHANGE / SAME_FEATURE / COMPETING_IMPLEMENTATION / RELATED.
    pub category: String,
    /// 0..1.
    pub final_score: f64,
    /// Every similarity value.
    pub scores: serde_json::Value,
    /// Evidence for people.
    pub evidence: serde_json::Value,
}

/// A PR as the pure engine takes it.
fn pr_input(
    number: i32,
    title: &str,
    body: Option<&str>,
    files: &[ChangedFile],
) -> triage::PrInput {
    triage::PrInput {
        number: u64::try_from(number).unwrap_or_default(),
        title: title.to_owned(),
        body: body.map(str::to_owned),
        files: files
            .iter()
            .map(|f| triage::FileInput {
                path: f.path.clone(),
                previous_path: f.previous_path.clone(),
                status: f.status.clone(),
                additions: f.additions,
                deletions: f.deletions,
                patch: f.patch.clone(),
            })
            .collect(),
    }
}

/// Where a repository's vision document is, unless `VISION_PATH` says otherwise.
pub const DEFAULT_VISION_PATH: &str = "VISION.md";

/// The engine with the versions stored next to everything it produces.
#[derive(Debug)]
pub struct Engine {
    inner: triage::Engine,
    issues: triage::IssueEngine,
    vision_path: String,
    versions: EngineVersions,
    rules_text: String,
    thresholds_text: String,
    fingerprints: FingerprintCache,
}

impl Engine {
    /// The engine with the rules and thresholds built into the binary.
    pub fn with_defaults() -> anyhow::Result<Self> {
        Self::from_texts(
            triage::engine::DEFAULT_CLASSIFICATION_RULES.to_owned(),
            triage::engine::DEFAULT_THRESHOLDS.to_owned(),
            triage::issue_engine::DEFAULT_ISSUE_RULES,
        )
    }

    /// The engine with `classification_rules.yaml` and `thresholds.yaml` from `dir`
    /// (`TRIAGE_CONFIG_DIR`) where they exist there, the built-in ones otherwise.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Self> {
        let Some(dir) = dir else {
            return Self::with_defaults();
        };
        let read = |name: &str, default: &str| -> anyhow::Result<String> {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(default.to_owned()),
                Err(e) => Err(anyhow::anyhow!(
                    "TRIAGE_CONFIG_DIR: cannot read {}: {e}",
                    path.display()
                )),
            }
        };
        let rules = read(
            "classification_rules.yaml",
            triage::engine::DEFAULT_CLASSIFICATION_RULES,
        )?;
        let thresholds = read("thresholds.yaml", triage::engine::DEFAULT_THRESHOLDS)?;
        let issue_rules = read(
            "issue_rules.yaml",
            triage::issue_engine::DEFAULT_ISSUE_RULES,
        )?;
        Self::from_texts(rules, thresholds, &issue_rules)
            .map_err(|e| anyhow::anyhow!("TRIAGE_CONFIG_DIR ({}): {e:#}", dir.display()))
    }

    fn from_texts(
        rules_text: String,
        thresholds_text: String,
        issue_rules: &str,
    ) -> anyhow::Result<Self> {
        let inner = triage::Engine::from_yaml(&rules_text, &thresholds_text)
            .map_err(|e| anyhow::anyhow!("the triage configuration is invalid: {e}"))?;
        let issues = triage::IssueEngine::from_yaml(issue_rules)
            .map_err(|e| anyhow::anyhow!("the issue configuration is invalid: {e}"))?;
        let v = inner.versions();
        let versions = EngineVersions {
            signature: version_number(&v.signature),
            algorithm: version_number(&v.algorithm),
            config: v.config.clone(),
        };
        Ok(Self {
            inner,
            issues,
            vision_path: DEFAULT_VISION_PATH.to_owned(),
            versions,
            rules_text,
            thresholds_text,
            fingerprints: FingerprintCache::default(),
        })
    }

    /// Decoded fingerprints of recently scored PRs.
    pub fn fingerprints(&self) -> &FingerprintCache {
        &self.fingerprints
    }

    /// Versions stored with every analysis and edge.
    pub fn versions(&self) -> &EngineVersions {
        &self.versions
    }

    /// The rules and thresholds texts behind `versions().config`.
    pub fn config_texts(&self) -> (&str, &str) {
        (&self.rules_text, &self.thresholds_text)
    }

    /// What app mode may write on PRs besides Check Runs.
    pub fn publishing(&self) -> &triage::config::Publishing {
        &self.inner.thresholds().publishing
    }

    /// Reads the vision document from `path` in each repository instead of `VISION.md`.
    #[must_use]
    pub fn with_vision_path(mut self, path: &str) -> Self {
        path.clone_into(&mut self.vision_path);
        self
    }

    /// Where the vision document is in each repository.
    pub fn vision_path(&self) -> &str {
        &self.vision_path
    }

    /// The issue engine: issue fingerprints, PR ↔ issue links, scope.
    pub fn issues(&self) -> &triage::IssueEngine {
        &self.issues
    }

    /// The pure engine.
    pub fn inner(&self) -> &triage::Engine {
        &self.inner
    }

    /// Fingerprints one PR's files.
    pub fn analyse(
        &self,
        number: i32,
        title: &str,
        body: Option<&str>,
        files: &[ChangedFile],
    ) -> Analysed {
        let input = pr_input(number, title, body, files);
        let fp = self.inner.fingerprint(&input);
        let keys = self.inner.index_keys(&fp);
        // GitHub lists a path once per PR; keep the first should a malformed answer
        // repeat one, since the stored file rows are keyed by path.
        let mut seen = BTreeSet::new();
        let files = fp
            .files()
            .iter()
            .filter(|f| seen.insert(f.path.clone()))
            .map(|f| FileRow {
                path: f.path.clone(),
                previous_path: f.previous_path.clone(),
                status: f.status.clone(),
                additions: saturate(f.additions),
                deletions: saturate(f.deletions),
                channel: channel_name(f.channel).to_owned(),
                patch_state: match f.patch_state {
                    PatchState::Truncated => "truncated",
                    PatchState::Binary => "binary",
                    PatchState::Present | PatchState::Missing => "present",
                }
                .to_owned(),
            })
            .collect();
        let degraded_reasons = fp.degraded_reasons().to_vec();
        let fingerprint = serde_json::to_value(&fp).unwrap_or(serde_json::Value::Null);
        Analysed {
            fingerprint,
            keys,
            files,
            degraded_reasons,
            decoded: std::sync::Arc::new(fp),
            input,
        }
    }

    /// A stored fingerprint, or `None` when it cannot be read (written by another
    /// layout; the versions make that a re-analysis, not an error).
    pub fn decode(&self, stored: &str) -> Option<Fingerprint> {
        serde_json::from_str(stored).ok()
    }

    /// Scores a pair; `None` when they are not related.
    pub fn compare(&self, a: &Fingerprint, b: &Fingerprint) -> Option<Scored> {
        // The engine builds no evidence for unrelated pairs, so one call is the cheap path.
        let c = self.inner.compare(a, b);
        if c.category == Category::NotRelated {
            return None;
        }
        Some(Scored {
            category: category_name(c.category).to_owned(),
            final_score: c.final_score,
            scores: serde_json::to_value(&c.scores).unwrap_or_default(),
            evidence: serde_json::to_value(&c.evidence).unwrap_or_default(),
        })
    }
}

/// `"fp-3"` → 3: the engine names its versions, storage keeps the number.
fn version_number(name: &str) -> i32 {
    name.rsplit(['-', '.', 'v'])
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn saturate(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The stored spelling of a channel.
pub fn channel_name(channel: triage::Channel) -> &'static str {
    match channel {
        triage::Channel::Production => "PRODUCTION",
        triage::Channel::Tests => "TESTS",
        triage::Channel::Docs => "DOCS",
        triage::Channel::Meta => "META",
    }
}

/// The stored spelling of a category.
pub fn category_name(category: Category) -> &'static str {
    match category {
        Category::SameChange => "SAME_CHANGE",
        Category::SameFeature => "SAME_FEATURE",
        Category::CompetingImplementation => "COMPETING_IMPLEMENTATION",
        Category::Related => "RELATED",
        Category::NotRelated => "NOT_RELATED",
    }
}

/// A stored category, if it is one.
pub fn parse_category(name: &str) -> Option<Category> {
    match name {
        "SAME_CHANGE" => Some(Category::SameChange),
        "SAME_FEATURE" => Some(Category::SameFeature),
        "COMPETING_IMPLEMENTATION" => Some(Category::CompetingImplementation),
        "RELATED" => Some(Category::Related),
        "NOT_RELATED" => Some(Category::NotRelated),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, patch: Option<&str>) -> ChangedFile {
        ChangedFile {
            path: path.into(),
            previous_path: None,
            status: "modified".into(),
            additions: 2,
            deletions: 1,
            patch: patch.map(str::to_owned),
        }
    }

    #[test]
    fn versions_are_numbered_and_config_is_hashed() {
        let engine = Engine::with_defaults().expect("engine");
        assert!(engine.versions().signature > 0);
        assert!(engine.versions().algorithm > 0);
        assert!(!engine.versions().config.is_empty());
        assert_eq!(version_number("fp-12"), 12);
        assert_eq!(version_number("garbage"), 0);
    }

    #[test]
    fn analysis_rows_carry_channels_and_patch_states() {
        let engine = Engine::with_defaults().expect("engine");
        let patch = "@@ -1,2 +1,3 @@\n const a = 1;\n-const b = 2;\n+const b = 3;\n+export function retry() { return a + b; }\n";
        let files = [
            file("src/retry.ts", Some(patch)),
            file("src/retry.test.ts", Some(patch)),
            file("docs/retry.md", None),
            file("logo.png", None),
        ];
        let analysed = engine.analyse(7, "Retry", None, &files);
        let by_path = |p: &str| {
            analysed
                .files
                .iter()
                .find(|f| f.path == p)
                .expect("file row")
                .clone()
        };
        assert_eq!(by_path("src/retry.ts").channel, "PRODUCTION");
        assert_eq!(by_path("src/retry.test.ts").channel, "TESTS");
        assert_eq!(by_path("docs/retry.md").patch_state, "truncated");
        assert_eq!(by_path("logo.png").patch_state, "binary");
        assert!(!analysed.degraded_reasons.is_empty());
        assert!(!analysed.keys.is_empty());
        let fp = engine
            .decode(&analysed.fingerprint.to_string())
            .expect("round trip");
        let same = engine.compare(&fp, &fp).expect("a PR matches itself");
        assert_eq!(same.category, "SAME_CHANGE");
        assert!(engine.decode(r#"{"nope": 1}"#).is_none());
    }

    #[test]
    fn categories_round_trip() {
        for c in [
            Category::SameChange,
            Category::SameFeature,
            Category::CompetingImplementation,
            Category::Related,
            Category::NotRelated,
        ] {
            assert_eq!(parse_category(category_name(c)), Some(c));
        }
        assert_eq!(parse_category("x"), None);
    }
}
