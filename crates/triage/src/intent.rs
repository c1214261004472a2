//! Test intent (SPEC 5.5): what the tests of a PR claim to check — suite and test names
//! (normalised), matcher names, and the modules under test (framework imports removed).
//! Harness code (setup helpers, mocks) deliberately contributes nothing: two PRs sharing
//! a test harness but testing different things must not look like competitors.

use serde::{Deserialize, Serialize};

use crate::channel::Classifier;
use crate::extract::{Lang, ident, normalize_module, quoted};
use crate::patch::{DiffLine, Sign};

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestIntent {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suites: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<String>,
}

impl TestIntent {
    pub fn is_empty(&self) -> bool {
        self.suites.is_empty() && self.names.is_empty()
    }

    pub fn normalize(&mut self) {
        for v in [
            &mut self.suites,
            &mut self.names,
            &mut self.matchers,
            &mut self.imports,
        ] {
            crate::setops::normalize(v);
            v.truncate(200);
        }
    }

    /// Similarity of intent: Jaccard over the union of tagged items. Suite and test names
    /// are required on both sides; matchers alone (everyone uses `toBe`) are not intent.
    pub fn similarity(&self, other: &TestIntent) -> Option<f64> {
        if self.is_empty() && other.is_empty() {
            return None;
        }
        if self.is_empty() || other.is_empty() {
            return Some(0.0);
        }
        // Names and suites weigh most; imports-under-test next; matchers least.
        let parts = [
            (&self.names, &other.names, 0.5),
            (&self.suites, &other.suites, 0.2),
            (&self.imports, &other.imports, 0.2),
            (&self.matchers, &other.matchers, 0.1),
        ];
        let (mut sum, mut w) = (0.0, 0.0);
        for (a, b, weight) in parts {
            if let Some(j) = crate::setops::jaccard(a, b) {
                sum += weight * j;
                w += weight;
            }
        }
        Some(if w > 0.0 { sum / w } else { 0.0 })
    }
}

/// Lower-case words joined by single spaces.
pub fn normalize_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out.chars().take(120).collect()
}

/// Splits `testFooBar`/`TestFooBar`/`test_foo_bar` into "foo bar".
fn name_from_ident(id: &str, prefix_len: usize) -> String {
    let rest = id.get(prefix_len..).unwrap_or("");
    let mut spaced = String::new();
    for (i, c) in rest.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            spaced.push(' ');
        }
        spaced.push(c);
    }
    normalize_name(&spaced)
}

/// Adds the intent found in one test file's added lines.
pub fn extract(path: &str, lines: &[DiffLine<'_>], classifier: &Classifier, out: &mut TestIntent) {
    let lang = Lang::from_path(path);
    let mut pending_rust_test = false;
    for l in lines.iter().filter(|l| l.sign == Sign::Added) {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        match lang {
            Lang::Python => python(t, classifier, out),
            Lang::Rust => rust(t, &mut pending_rust_test, out),
            Lang::Go => go(t, classifier, out),
            _ => js(t, classifier, out),
        }
    }
}

fn push_import(module: &str, classifier: &Classifier, out: &mut TestIntent) {
    let m = module.trim();
    if m.is_empty() || classifier.is_framework_import(m) {
        return;
    }
    let norm = normalize_module(m);
    let base = norm
        .rsplit(['/', '.', ':'])
        .next()
        .unwrap_or(&norm)
        .to_string();
    if !base.is_empty() {
        out.imports.push(base);
    }
}

fn js(t: &str, c: &Classifier, out: &mut TestIntent) {
    if t.starts_with("import ") {
        if let Some(i) = t.find(" from ")
            && let Some(m) = quoted(&t[i..])
            && !c.is_framework_import(m)
        {
            {
                push_import(m, c, out);
                // Named bindings are what is under test: `{ slugify }`.
                if let Some(open) = t.find('{')
                    && let Some(close) = t[open..].find('}')
                {
                    for part in t[open + 1..open + close].split(',') {
                        let n = part.split(" as ").next().unwrap_or("").trim();
                        let n = n.strip_prefix("type ").unwrap_or(n);
                        if !n.is_empty() {
                            out.imports.push(ident(n).to_string());
                        }
                    }
                }
            }
        }
        return;
    }
    if let Some(i) = t.find("require(")
        && let Some(m) = quoted(&t[i..])
    {
        push_import(m, c, out);
    }
    for (kw, suite) in [
        ("describe", true),
        ("it", false),
        ("test", false),
        ("context", true),
    ] {
        if let Some(r) = t.strip_prefix(kw) {
            let r = r
                .strip_prefix(".only")
                .or_else(|| r.strip_prefix(".skip"))
                .or_else(|| r.strip_prefix(".concurrent"))
                .unwrap_or(r);
            let r = match r.strip_prefix(".each") {
                Some(e) => e.split_once(")(").map_or("", |x| x.1),
                None => r.strip_prefix('(').unwrap_or(""),
            };
            if let Some(name) = quoted(r) {
                let n = normalize_name(name);
                if !n.is_empty() {
                    if suite {
                        out.suites.push(n);
                    } else {
                        out.names.push(n);
                    }
                }
            }
            break;
        }
    }
    // Matchers: `.toBe(`, `.not.toEqual(`, `assert.equal(`.
    let mut rest = t;
    while let Some(i) = rest.find(".to") {
        let m = ident(&rest[i + 1..]);
        if m.len() > 2 && m[2..].starts_with(|ch: char| ch.is_ascii_uppercase()) {
            out.matchers.push(m.to_string());
        }
        rest = &rest[i + 3..];
    }
    if let Some(i) = t.find("assert.") {
        let m = ident(&t[i + 7..]);
        if !m.is_empty() {
            out.matchers.push(format!("assert.{m}"));
        }
    }
}

fn python(t: &str, c: &Classifier, out: &mut TestIntent) {
    let s = t.strip_prefix("async ").unwrap_or(t);
    if let Some(r) = s.strip_prefix("def ") {
        let id = ident(r);
        if let Some(stripped) = id.strip_prefix("test") {
            let _ = stripped;
            out.names.push(name_from_ident(id, 4));
        }
        return;
    }
    if let Some(r) = s.strip_prefix("class ") {
        let id = ident(r);
        if id.starts_with("Test") {
            out.suites.push(name_from_ident(id, 4));
        }
        return;
    }
    if let Some(r) = t.strip_prefix("from ")
        && let Some(i) = r.find(" import ")
    {
        let module = r[..i].trim();
        if !c.is_framework_import(module) {
            push_import(module, c, out);
            for n in r[i + 8..].split(',') {
                let n = ident(n.trim().trim_start_matches('('));
                if !n.is_empty() {
                    out.imports.push(n.to_string());
                }
            }
        }
        return;
    }
    if let Some(r) = t.strip_prefix("import ") {
        push_import(r.split(" as ").next().unwrap_or(""), c, out);
        return;
    }
    if t.starts_with("assert ") {
        out.matchers.push("assert".into());
    } else if t.contains("pytest.raises") {
        out.matchers.push("raises".into());
    } else if let Some(i) = t.find("self.assert") {
        out.matchers.push(ident(&t[i + 5..]).to_string());
    }
}

fn rust(t: &str, pending: &mut bool, out: &mut TestIntent) {
    if t.starts_with("#[test]") || t.starts_with("#[tokio::test") || t.contains("proptest!") {
        *pending = true;
        return;
    }
    let s = t.strip_prefix("async ").unwrap_or(t);
    if let Some(r) = s.strip_prefix("fn ") {
        if *pending {
            out.names.push(normalize_name(ident(r)));
        }
        *pending = false;
        return;
    }
    if let Some(r) = t.strip_prefix("mod ") {
        out.suites.push(normalize_name(ident(r)));
        return;
    }
    if let Some(r) = t.strip_prefix("use ") {
        let path = r.trim_end_matches(';');
        if !path.starts_with("super::*") && !path.starts_with("std::") {
            out.imports.push(
                path.rsplit("::")
                    .next()
                    .unwrap_or(path)
                    .trim_matches(['{', '}'])
                    .to_string(),
            );
        }
        return;
    }
    for m in ["assert_eq!", "assert_ne!", "assert!", "assert_matches!"] {
        if t.contains(m) {
            out.matchers.push(m.to_string());
        }
    }
}

fn go(t: &str, c: &Classifier, out: &mut TestIntent) {
    if let Some(r) = t.strip_prefix("func ") {
        let id = ident(r);
        for p in ["Test", "Benchmark", "Fuzz"] {
            if id.starts_with(p) && id.len() > p.len() {
                out.names.push(name_from_ident(id, p.len()));
            }
        }
        return;
    }
    if let Some(i) = t.find(".Run(")
        && let Some(n) = quoted(&t[i..])
    {
        out.names.push(normalize_name(n));
    }
    if t.starts_with('"')
        && !t.contains(' ')
        && let Some(m) = quoted(t)
    {
        if !m.contains("testify") && m != "testing" {
            push_import(m, c, out);
        }
        return;
    }
    for p in ["assert.", "require."] {
        if let Some(i) = t.find(p) {
            out.matchers.push(ident(&t[i + p.len()..]).to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ClassificationRules;

    fn c() -> Classifier {
        let r =
            ClassificationRules::parse(crate::engine::DEFAULT_CLASSIFICATION_RULES).expect("rules");
        Classifier::new(&r).expect("compile")
    }

    fn added(text: &str) -> Vec<DiffLine<'_>> {
        text.lines()
            .map(|t| DiffLine {
                sign: Sign::Added,
                text: t,
            })
            .collect()
    }

    #[test]
    fn jest_style() {
        let mut ti = TestIntent::default();
        let src = "import { describe, it, expect } from 'vitest';\nimport { slugify, type Opts } from '../src/utils/slug';\ndescribe('slugify', () => {\n  it('lower-cases ASCII', () => {\n    expect(slugify('A')).toBe('a');\n    expect(x).not.toEqual(y);\n  });\n  test.each([[1]])('handles %s', () => {});";
        extract("src/__tests__/slug.test.ts", &added(src), &c(), &mut ti);
        ti.normalize();
        assert_eq!(ti.suites, vec!["slugify"]);
        assert_eq!(ti.names, vec!["handles s", "lower cases ascii"]);
        assert_eq!(ti.matchers, vec!["toBe", "toEqual"]);
        assert_eq!(ti.imports, vec!["Opts", "slug", "slugify"]);
    }

    #[test]
    fn pytest_rust_go() {
        let mut ti = TestIntent::default();
        extract(
            "tests/test_x.py",
            &added(
                "import pytest\nfrom app.slug import slugify\nclass TestSlug:\n    def test_lower_case(self):\n        assert slugify('A') == 'a'",
            ),
            &c(),
            &mut ti,
        );
        ti.normalize();
        assert_eq!(ti.suites, vec!["slug"]);
        assert_eq!(ti.names, vec!["lower case"]);
        assert_eq!(ti.imports, vec!["slug", "slugify"]);
        let mut ti = TestIntent::default();
        extract(
            "src/lib.rs",
            &added(
                "mod tests {\n#[test]\nfn parses_empty() {\nassert_eq!(1, 1);\n}\nfn helper() {}",
            ),
            &c(),
            &mut ti,
        );
        ti.normalize();
        assert_eq!(ti.names, vec!["parses empty"]);
        let mut ti = TestIntent::default();
        extract(
            "x_test.go",
            &added(
                "func TestParseURL(t *testing.T) {\nt.Run(\"empty input\", func(t *testing.T) {\nrequire.Equal(t, 1, 1)",
            ),
            &c(),
            &mut ti,
        );
        ti.normalize();
        assert_eq!(ti.names, vec!["empty input", "parse u r l"]);
        assert_eq!(ti.matchers, vec!["Equal"]);
    }

    #[test]
    fn similarity_absent_and_matchers_only() {
        let a = TestIntent::default();
        assert_eq!(a.similarity(&TestIntent::default()), None);
        let m = TestIntent {
            matchers: vec!["toBe".into()],
            ..Default::default()
        };
        assert_eq!(m.similarity(&m.clone()), None);
        let b = TestIntent {
            names: vec!["x".into()],
            ..Default::default()
        };
        assert_eq!(a.similarity(&b), Some(0.0));
        assert_eq!(b.similarity(&b.clone()), Some(1.0));
    }
}
