//! Dependencies a PR *adds* to a manifest, from the manifest's patch: a bump changes a
//! version (the name is both removed and added), a new dependency only appears. Policies
//! such as "no new runtime dependencies without an issue" are about the latter.
//!
//! Line-based on purpose (hunks are fragments, not parseable documents): package.json /
//! composer.json (`"name": "^1.2"`), Cargo.toml and Poetry (`name = "1"`,
//! `name = { version = … }`), requirements*.txt (`name==1.2`), pyproject lists
//! (`"name>=1",`), go.mod (`module/path v1.2.3`), Gemfile (`gem "name"`).

use crate::fingerprint::FileInput;
use crate::patch::{self, Sign};

/// Keys of manifests that are metadata, not dependencies.
const NOT_DEPENDENCIES: &[&str] = &[
    "name",
    "version",
    "description",
    "main",
    "module",
    "types",
    "license",
    "private",
    "type",
    "node",
    "npm",
    "pnpm",
    "yarn",
    "packagemanager",
    "edition",
    "rust-version",
    "authors",
    "readme",
    "repository",
    "homepage",
    "keywords",
    "categories",
    "publish",
    "workspace",
    "resolver",
    "python",
    "go",
    "toolchain",
    "requires-python",
    "build-backend",
    "path",
    "features",
    "default",
    "optional",
    "members",
    "exclude",
    "include",
    "scripts",
];

/// Manifest flavour by file name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Json,
    Toml,
    Requirements,
    GoMod,
    Gemfile,
}

fn flavour(path: &str) -> Option<Flavour> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    match name.as_str() {
        "package.json" | "composer.json" => Some(Flavour::Json),
        "cargo.toml" | "pyproject.toml" => Some(Flavour::Toml),
        "go.mod" => Some(Flavour::GoMod),
        "gemfile" => Some(Flavour::Gemfile),
        n if n.starts_with("requirements") && n.ends_with(".txt") => Some(Flavour::Requirements),
        _ => None,
    }
}

/// Names of the dependencies `files` add (sorted, unique): added in a manifest's patch
/// and not removed from the same manifest.
pub fn new_dependencies(files: &[FileInput]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        let (Some(fl), Some(p)) = (flavour(&f.path), f.patch.as_deref()) else {
            continue;
        };
        let parsed = patch::parse(p, 2000);
        let mut added = Vec::new();
        let mut removed = Vec::new();
        for l in &parsed.lines {
            let target = match l.sign {
                Sign::Added => &mut added,
                Sign::Removed => &mut removed,
            };
            if let Some(n) = dependency_name(fl, l.text) {
                target.push(n);
            }
        }
        crate::setops::normalize(&mut removed);
        for n in added {
            if removed.binary_search(&n).is_err() {
                out.push(n);
            }
        }
    }
    crate::setops::normalize(&mut out);
    out
}

/// The dependency a manifest line declares, lower case.
fn dependency_name(fl: Flavour, line: &str) -> Option<String> {
    let t = line.trim().trim_end_matches(',');
    if t.is_empty() || t.starts_with('#') || t.starts_with("//") {
        return None;
    }
    let name = match fl {
        Flavour::Json => {
            let rest = t.strip_prefix('"')?;
            let (name, value) = rest.split_once("\":")?;
            let value = value.trim();
            // Dependency values are version strings, never objects or arrays.
            if !value.starts_with('"') {
                return None;
            }
            name.to_string()
        }
        Flavour::Toml => {
            if let Some(q) = t.strip_prefix('"') {
                // pyproject list entry: "requests>=2.31",
                let spec = q.split('"').next()?;
                requirement_name(spec)?
            } else {
                let (k, v) = t.split_once('=')?;
                let v = v.trim();
                if !(v.starts_with('"') || v.starts_with('{') || v.starts_with('\'')) {
                    return None;
                }
                k.trim().trim_matches('"').to_string()
            }
        }
        Flavour::Requirements => {
            if t.starts_with('-') {
                return None;
            }
            requirement_name(t)?
        }
        Flavour::GoMod => {
            let t = t.strip_prefix("require ").unwrap_or(t).trim();
            let mut parts = t.split_whitespace();
            let module = parts.next()?;
            let version = parts.next()?;
            if !version.starts_with('v') || !module.contains('.') {
                return None;
            }
            module.to_string()
        }
        Flavour::Gemfile => {
            let rest = t.strip_prefix("gem ")?.trim();
            let q = rest.chars().next()?;
            if q != '"' && q != '\'' {
                return None;
            }
            rest[1..].split(q).next()?.to_string()
        }
    };
    let name = name.trim().to_ascii_lowercase();
    let valid = !name.is_empty()
        && name.len() <= 214
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@/._-~".contains(c))
        && !NOT_DEPENDENCIES.contains(&name.as_str());
    valid.then_some(name)
}

/// `requests>=2.31; python_version>"3"` → `requests`.
fn requirement_name(spec: &str) -> Option<String> {
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .unwrap_or(spec.len());
    let n = &spec[..end];
    (!n.is_empty()).then(|| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, patch: &str) -> FileInput {
        FileInput {
            path: path.into(),
            status: "modified".into(),
            patch: Some(patch.into()),
            ..FileInput::default()
        }
    }

    #[test]
    fn package_json_adds_but_not_bumps() {
        let added = file(
            "package.json",
            "@@ -22,3 +22,5 @@\n   \"dependencies\": {\n+    \"bitcoinjs-lib\": \"^6.1.5\",\n+    \"@scope/x\": \"^6.12.1\",\n     \"zod\": \"^3.23.8\"",
        );
        assert_eq!(
            new_dependencies(&[added]),
            vec!["@scope/x", "bitcoinjs-lib"]
        );
        let bump = file(
            "web/package.json",
            "@@ -1,3 +1,3 @@\n-    \"zod\": \"^7.26.17\",\n+    \"zod\": \"^7.26.22\",\n+  \"version\": \"1.2.0\",\n+  \"scripts\": {",
        );
        assert!(new_dependencies(&[bump]).is_empty());
    }

    #[test]
    fn other_manifests() {
        let cargo = file(
            "Cargo.toml",
            "@@ -1 +1,4 @@\n+serde = { version = \"1\", features = [\"derive\"] }\n+rand = \"0.9\"\n+edition = \"2024\"\n-tokio = \"1.0\"\n+tokio = \"1.1\"",
        );
        assert_eq!(new_dependencies(&[cargo]), vec!["rand", "serde"]);
        let req = file(
            "requirements-dev.txt",
            "@@ -1 +1,3 @@\n+requests>=2.31 ; python_version > \"3\"\n+-r base.txt\n+# comment",
        );
        assert_eq!(new_dependencies(&[req]), vec!["requests"]);
        let py = file("pyproject.toml", "@@ -1 +1 @@\n+  \"httpx>=0.27\",");
        assert_eq!(new_dependencies(&[py]), vec!["httpx"]);
        let go = file(
            "go.mod",
            "@@ -1 +1,2 @@\n+require github.com/pkg/errors v0.9.1\n+\tgolang.org/x/sync v0.7.0\n+go 1.22",
        );
        assert_eq!(
            new_dependencies(&[go]),
            vec!["github.com/pkg/errors", "golang.org/x/sync"]
        );
        let gem = file("Gemfile", "@@ -1 +1 @@\n+gem 'rails', '~> 7.1'");
        assert_eq!(new_dependencies(&[gem]), vec!["rails"]);
        let other = file("src/package.ts", "@@ -1 +1 @@\n+\"a\": \"1\"");
        assert!(new_dependencies(&[other]).is_empty());
    }

    #[test]
    fn junk_is_ignored() {
        for p in [
            "",
            "@@",
            "+\"",
            "+\"x\":",
            "+= \"1\"",
            "+gem",
            "+gem x",
            "+\"é\": \"1\"",
        ] {
            for path in [
                "package.json",
                "Cargo.toml",
                "go.mod",
                "Gemfile",
                "requirements.txt",
            ] {
                let _ = new_dependencies(&[file(path, p)]);
            }
        }
        let mut no_patch = file("package.json", "");
        no_patch.patch = None;
        assert!(new_dependencies(&[no_patch]).is_empty());
    }
}
