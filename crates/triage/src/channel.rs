//! File → channel classification (SPEC 5.1): globs first (META, TESTS, DOCS), then a
//! content refinement for source files that are really tests.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::config::{ClassificationRules, ConfigError};

/// The channel a changed file belongs to. Exactly one per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Channel {
    Production,
    Tests,
    Docs,
    Meta,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Production => "PRODUCTION",
            Channel::Tests => "TESTS",
            Channel::Docs => "DOCS",
            Channel::Meta => "META",
        }
    }
}

/// Compiled classification rules.
#[derive(Debug, Clone)]
pub struct Classifier {
    meta_path: GlobSet,
    meta_name: GlobSet,
    meta_exclude: GlobSet,
    tests: GlobSet,
    docs: GlobSet,
    generated: GlobSet,
    literal: GlobSet,
    source_exts: Vec<String>,
    framework_imports: Vec<String>,
    test_fns: Vec<String>,
}

fn build_set(key: &'static str, globs: &[String]) -> Result<GlobSet, ConfigError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(compile(key, g)?);
    }
    b.build().map_err(|source| ConfigError::Glob {
        key,
        glob: globs.join(", "),
        source,
    })
}

fn compile(key: &'static str, g: &str) -> Result<Glob, ConfigError> {
    GlobBuilder::new(g)
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .map_err(|source| ConfigError::Glob {
            key,
            glob: g.to_string(),
            source,
        })
}

/// Lower-cased extension of a path's last component, without the dot.
pub fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rfind('.') {
        Some(i) if i > 0 => name[i + 1..].to_ascii_lowercase(),
        _ => String::new(),
    }
}

impl Classifier {
    pub fn new(rules: &ClassificationRules) -> Result<Self, ConfigError> {
        let c = &rules.channels;
        Ok(Classifier {
            meta_path: build_set("channels.meta.path_globs", &c.meta.path_globs)?,
            meta_name: build_set("channels.meta.name_globs", &c.meta.name_globs)?,
            meta_exclude: build_set("channels.meta.exclude_globs", &c.meta.exclude_globs)?,
            tests: build_set("channels.tests.path_globs", &c.tests.path_globs)?,
            docs: build_set("channels.docs.path_globs", &c.docs.path_globs)?,
            generated: build_set("generated_globs", &rules.generated_globs)?,
            literal: build_set("literal_globs", &rules.literal_globs)?,
            source_exts: rules
                .source_extensions
                .iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
                .collect(),
            framework_imports: rules.content_refinement.test_framework_imports.clone(),
            test_fns: rules.content_refinement.test_function_names.clone(),
        })
    }

    pub fn is_source(&self, path: &str) -> bool {
        let ext = extension(path);
        !ext.is_empty() && self.source_exts.contains(&ext)
    }

    /// Channel from the path alone (META, TESTS, DOCS, else PRODUCTION).
    pub fn by_path(&self, path: &str) -> Channel {
        if !self.meta_exclude.is_match(path)
            && (self.meta_path.is_match(path)
                || (!self.is_source(path) && self.meta_name.is_match(path)))
        {
            return Channel::Meta;
        }
        if self.tests.is_match(path) {
            return Channel::Tests;
        }
        if self.docs.is_match(path) {
            return Channel::Docs;
        }
        Channel::Production
    }

    /// Path channel refined by content: a PRODUCTION source file whose added lines call
    /// a test function or import a test framework is TESTS.
    pub fn classify<'a>(&self, path: &str, added: impl Iterator<Item = &'a str>) -> Channel {
        let ch = self.by_path(path);
        if ch != Channel::Production || !self.is_source(path) {
            return ch;
        }
        let ext = extension(path);
        if matches!(ext.as_str(), "rs" | "go") {
            // Inline `#[cfg(test)]` modules and `_test.go` naming are handled by path;
            // a Rust/Go production file with a test module stays production.
            return ch;
        }
        for line in added {
            if self.looks_like_test_line(line.trim_start()) {
                return Channel::Tests;
            }
        }
        ch
    }

    fn looks_like_test_line(&self, t: &str) -> bool {
        for f in &self.test_fns {
            if let Some(rest) = t.strip_prefix(f.as_str())
                && (rest.starts_with('(')
                    || rest.starts_with(".each")
                    || rest.starts_with(".only(")
                    || rest.starts_with(".skip("))
            {
                return true;
            }
        }
        if t.starts_with("import ") || t.starts_with("from ") || t.contains("require(") {
            for fw in &self.framework_imports {
                if import_names(t, fw) {
                    return true;
                }
            }
        }
        false
    }

    /// Lockfiles and generated files: never drive similarity.
    pub fn is_generated(&self, path: &str) -> bool {
        self.generated.is_match(path)
    }

    /// Manifests and config files whose literals carry the meaning.
    pub fn is_literal(&self, path: &str) -> bool {
        self.literal.is_match(path)
    }

    /// Framework modules excluded from "imports under test".
    pub fn is_framework_import(&self, module: &str) -> bool {
        self.framework_imports
            .iter()
            .any(|fw| module == fw || module.starts_with(&format!("{fw}/")))
    }
}

/// Does an import line name module `fw` (JS `from 'fw'`, `require("fw")`, Python `import fw`)?
fn import_names(line: &str, fw: &str) -> bool {
    for q in ['\'', '"'] {
        let pat = format!("{q}{fw}{q}");
        if line.contains(&pat) {
            return true;
        }
        let pat = format!("{q}{fw}/");
        if line.contains(&pat) {
            return true;
        }
    }
    let py1 = format!("import {fw}");
    let py2 = format!("from {fw} import");
    line == py1
        || line.starts_with(&format!("{py1} "))
        || line.starts_with(&format!("{py1}."))
        || line.starts_with(&py2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ClassificationRules;

    fn classifier() -> Classifier {
        let rules = ClassificationRules::parse(crate::engine::DEFAULT_CLASSIFICATION_RULES)
            .expect("default rules parse");
        Classifier::new(&rules).expect("default rules compile")
    }

    #[test]
    fn name_rules_do_not_swallow_source_code() {
        let c = classifier();
        for p in [
            "src/logger.ts",
            "planner.rs",
            "src/plan/index.ts",
            "src/agent/runner.ts",
            "src/prompts/render.py",
            "lib/trace.go",
            "src/catalog.json",
        ] {
            assert_eq!(c.by_path(p), Channel::Production, "{p}");
        }
        for p in [
            ".cursor/rules.md",
            "PLAN.md",
            "notes/agent-trace.txt",
            "prompts/x.txt",
            ".aider.chat.history.md",
            "docs/plan-2024.md",
            "AGENTS.md",
            "run.log",
        ] {
            assert_eq!(c.by_path(p), Channel::Meta, "{p}");
        }
    }

    #[test]
    fn tests_docs_and_order() {
        let c = classifier();
        assert_eq!(c.by_path("src/__tests__/a.ts"), Channel::Tests);
        assert_eq!(c.by_path("src/a.test.ts"), Channel::Tests);
        assert_eq!(c.by_path("pkg/x_test.go"), Channel::Tests);
        assert_eq!(c.by_path("tests/test_api.py"), Channel::Tests);
        assert_eq!(c.by_path("docs/guide.md"), Channel::Docs);
        assert_eq!(c.by_path("README.md"), Channel::Docs);
        assert_eq!(c.by_path("CHANGELOG.md"), Channel::Docs);
        assert_eq!(c.by_path("RELEASE_NOTES.md"), Channel::Docs);
        // META wins over TESTS and DOCS.
        assert_eq!(c.by_path(".cursor/tests/x.md"), Channel::Meta);
        assert_eq!(c.by_path("src/index.ts"), Channel::Production);
    }

    #[test]
    fn content_refinement() {
        let c = classifier();
        let lines = [
            "import { describe, it } from 'vitest';",
            "describe('x', () => {",
        ];
        assert_eq!(
            c.classify("src/check.ts", lines.into_iter()),
            Channel::Tests
        );
        let lines = ["export function it2() {}"];
        assert_eq!(
            c.classify("src/check.ts", lines.into_iter()),
            Channel::Production
        );
        let lines = ["import pytest"];
        assert_eq!(
            c.classify("app/check.py", lines.into_iter()),
            Channel::Tests
        );
    }

    #[test]
    fn generated_and_literal() {
        let c = classifier();
        assert!(c.is_generated("pnpm-lock.yaml"));
        assert!(c.is_generated("web/package-lock.json"));
        assert!(c.is_generated("assets/app.min.js"));
        assert!(!c.is_generated("src/app.js"));
        assert!(c.is_literal("package.json"));
        assert!(c.is_literal("Cargo.toml"));
        assert!(!c.is_literal("src/app.ts"));
        assert!(c.is_framework_import("@testing-library/react"));
        assert!(!c.is_framework_import("react"));
    }
}
