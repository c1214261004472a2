//! The corpus a fake GitHub serves, loaded into memory at start.
//!
//! On disk (the format the checked-in sample corpus is generated in):
//! ```text
//! <DIR>/<owner>/<repo>/repo.json             a GitHub repository object
//! <DIR>/<owner>/<repo>/pulls/<number>.json   {"pull": <list-shaped PR>, "files": [<PR files>]}
//! <DIR>/<owner>/<repo>/truth.json            labels for evaluation; ignored here
//! ```

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
}

/// Everything the fake serves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// Repositories.
    pub repos: Vec<RepoData>,
}

impl Corpus {
    /// An empty corpus, to fill with [`Corpus::with_repo`] and [`Corpus::with_pull`].
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
        let data = self
            .repos
            .iter_mut()
            .find(|r| r.owner.eq_ignore_ascii_case(owner) && r.name.eq_ignore_ascii_case(repo))
            .expect("with_repo first");
        data.pulls.insert(number, PullData { pull, files });
        self
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
    })
}
