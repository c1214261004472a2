//! The corpus a fake GitHub serves, loaded into memory at start.
//!
//! On disk (the format the checked-in sample corpus is generated in):
//! ```text
//! <DIR>/<owner>/<repo>/repo.json             a GitHub repository object
//! <DIR>/<owner>/<repo>/pulls/<number>.json   {"pull": <list-shaped PR>, "files": [<PR files>]}
//! <DIR>/<owner>/<repo>/issues/<number>.json  {"issue": <GitHub issue object>}   (optional)
//! <DIR>/<owner>/<repo>/VISION.md, docs/...   served by the contents endpoint  (optional)
//! <DIR>/<owner>/<repo>/truth.json            labels for evaluation; ignored here
//! ```
//!
//! Every plain file of the repository directory other than `repo.json` and `truth.json`
//! (and those under `docs/`) is a repository file the contents endpoint serves, by its
//! path relative to the repository directory.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use serde_json::Value;

/// One PR: the object the list endpoint returns, and its files.
#[derive(Debug, Clone, PartialEq)]
pub struct PullData {
    /// The PR as `GET /repos/{o}/{r}/pulls` lists it.
    pub pull: Value,
    /// `GET /repos/{o}/{r}/pulls/{n}/files` entries, in order.
    pub files: Vec<Value>,
}

/// One repository.
#[derive(Debug, Clone, PartialEq)]
pub struct RepoData {
    /// Owner login, as in the URL.
    pub owner: String,
    /// Name, as in the URL.
    pub name: String,
    /// The repository object.
    pub repo: Value,
    /// PRs by number.
    pub pulls: BTreeMap<u64, PullData>,
    /// Issues by number, as `GET /repos/{o}/{r}/issues/{n}` returns them (no
    /// `pull_request` key: the PRs' issue shapes are built from [`RepoData::pulls`]).
    pub issues: BTreeMap<u64, Value>,
    /// Repository files by path (`VISION.md`, `docs/scope.md`), UTF-8 text.
    pub files: BTreeMap<String, String>,
}

impl RepoData {
    /// Whether `number` is an issue or a PR here (they share one numbering).
    pub fn has_number(&self, number: u64) -> bool {
        self.pulls.contains_key(&number) || self.issues.contains_key(&number)
    }
}

/// Everything the fake serves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// Repositories.
    pub repos: Vec<RepoData>,
}

impl Corpus {
    /// An empty corpus, to fill with [`Corpus::with_repo`], [`Corpus::with_pull`],
    /// [`Corpus::with_issue`] and [`Corpus::with_file`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads `<dir>/<owner>/<repo>/...`. Owner and repository names are those of the
    /// directories.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let mut corpus = Self::new();
        for owner in sorted_dirs(dir)? {
            for repo_dir in sorted_dirs(&owner)? {
                corpus.repos.push(load_repo(&owner, &repo_dir)?);
            }
        }
        if corpus.repos.is_empty() {
            bail!(
                "no repositories under {} (expected <owner>/<repo>/repo.json)",
                dir.display()
            );
        }
        Ok(corpus)
    }

    /// Adds a repository object (owner from `owner.login`, name from `name`).
    ///
    /// # Panics
    /// When the object has no owner login or name: a test's fixture is wrong.
    #[must_use]
    pub fn with_repo(mut self, repo: Value) -> Self {
        let owner = repo["owner"]["login"]
            .as_str()
            .expect("repository object needs owner.login")
            .to_owned();
        let name = repo["name"]
            .as_str()
            .expect("repository object needs name")
            .to_owned();
        self.repos.push(RepoData {
            owner,
            name,
            repo,
            pulls: BTreeMap::new(),
            issues: BTreeMap::new(),
            files: BTreeMap::new(),
        });
        self
    }

    /// Adds a PR to a repository added before.
    ///
    /// # Panics
    /// When the repository is unknown or the PR has no number: a test's fixture is wrong.
    #[must_use]
    pub fn with_pull(mut self, owner: &str, repo: &str, pull: Value, files: Vec<Value>) -> Self {
        let number = pull["number"].as_u64().expect("pull object needs a number");
        self.repo_mut(owner, repo)
            .pulls
            .insert(number, PullData { pull, files });
        self
    }

    /// Adds an issue (a GitHub issue object) to a repository added before.
    ///
    /// # Panics
    /// When the repository is unknown or the issue has no number: a test's fixture is
    /// wrong.
    #[must_use]
    pub fn with_issue(mut self, owner: &str, repo: &str, issue: Value) -> Self {
        let number = issue["number"]
            .as_u64()
            .expect("issue object needs a number");
        self.repo_mut(owner, repo).issues.insert(number, issue);
        self
    }

    /// Adds a repository file (`VISION.md`, `docs/scope.md`) to a repository added
    /// before.
    ///
    /// # Panics
    /// When the repository is unknown: a test's fixture is wrong.
    #[must_use]
    pub fn with_file(mut self, owner: &str, repo: &str, path: &str, content: &str) -> Self {
        self.repo_mut(owner, repo)
            .files
            .insert(path.to_owned(), content.to_owned());
        self
    }

    fn repo_mut(&mut self, owner: &str, repo: &str) -> &mut RepoData {
        self.repos
            .iter_mut()
            .find(|r| r.owner.eq_ignore_ascii_case(owner) && r.name.eq_ignore_ascii_case(repo))
            .expect("with_repo first")
    }
}

fn sorted_dirs(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut dirs: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("Cannot read the corpus directory {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

fn name_of(path: &Path) -> anyhow::Result<String> {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .with_context(|| format!("{} is not a UTF-8 name", path.display()))
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("Cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))
}

fn load_repo(owner_dir: &Path, repo_dir: &Path) -> anyhow::Result<RepoData> {
    let owner = name_of(owner_dir)?;
    let name = name_of(repo_dir)?;
    let repo = read_json(&repo_dir.join("repo.json"))?;
    let mut pulls = BTreeMap::new();
    let pulls_dir = repo_dir.join("pulls");
    if pulls_dir.is_dir() {
        let entries = std::fs::read_dir(&pulls_dir)
            .with_context(|| format!("Cannot read {}", pulls_dir.display()))?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let value = read_json(&path)?;
            let pull = value
                .get("pull")
                .cloned()
                .with_context(|| format!("{} has no \"pull\"", path.display()))?;
            let number = pull["number"]
                .as_u64()
                .with_context(|| format!("{}: pull.number missing", path.display()))?;
            let files = match value.get("files") {
                Some(Value::Array(files)) => files.clone(),
                None | Some(Value::Null) => Vec::new(),
                Some(_) => bail!("{}: \"files\" is not an array", path.display()),
            };
            pulls.insert(number, PullData { pull, files });
        }
    }
    Ok(RepoData {
        owner,
        name,
        repo,
        pulls,
        issues: load_issues(&repo_dir.join("issues"))?,
        files: load_files(repo_dir)?,
    })
}

/// `issues/<number>.json` files (`{"issue": {..}}`), none when the directory is absent.
fn load_issues(dir: &Path) -> anyhow::Result<BTreeMap<u64, Value>> {
    let mut issues = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(issues);
    }
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("Cannot read {}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let issue = read_json(&path)?
            .get("issue")
            .cloned()
            .with_context(|| format!("{} has no \"issue\"", path.display()))?;
        let number = issue["number"]
            .as_u64()
            .with_context(|| format!("{}: issue.number missing", path.display()))?;
        if issue.get("pull_request").is_some() {
            bail!(
                "{}: an issue file holds a PR (pulls/ is where PRs go)",
                path.display()
            );
        }
        issues.insert(number, issue);
    }
    Ok(issues)
}

/// Files the fake does not serve as repository contents.
const NOT_CONTENTS: [&str; 2] = ["repo.json", "truth.json"];
/// Repository files larger than this are left out (GitHub's contents API stops at 1 MB).
const MAX_CONTENT_FILE: u64 = 1 << 20;

/// The repository directory's plain files (except [`NOT_CONTENTS`]) and `docs/**`, by
/// relative path.
fn load_files(repo_dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    add_files(repo_dir, "", false, &mut files)?;
    let docs = repo_dir.join("docs");
    if docs.is_dir() {
        add_files(&docs, "docs/", true, &mut files)?;
    }
    Ok(files)
}

fn add_files(
    dir: &Path,
    prefix: &str,
    recurse: bool,
    files: &mut BTreeMap<String, String>,
) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("Cannot read {}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = name_of(&path)?;
        if path.is_dir() {
            if recurse {
                add_files(&path, &format!("{prefix}{name}/"), true, files)?;
            }
            continue;
        }
        if prefix.is_empty() && NOT_CONTENTS.contains(&name.as_str()) {
            continue;
        }
        if entry
            .metadata()
            .map_or(true, |m| m.len() > MAX_CONTENT_FILE)
        {
            continue;
        }
        let bytes =
            std::fs::read(&path).with_context(|| format!("Cannot read {}", path.display()))?;
        // Documents only: a binary file is not something the fake serves.
        if let Ok(text) = String::from_utf8(bytes) {
            files.insert(format!("{prefix}{name}"), text);
        }
    }
    Ok(())
}
