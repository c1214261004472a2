//! Issues and repository files, read through the same transport as the PRs (Link
//! pagination, ETags, rate limits, retries).
//!
//! GitHub's issues endpoints answer with PRs too (entries with a `pull_request` key);
//! they are dropped here, so an [`IssueListing`] holds issues only.

use chrono::{DateTime, Utc};

use super::GithubClient;
use super::error::GithubError;
use super::model::{ContentFile, Issue};
use super::ops::{MAX_CLOSED_PAGES, PER_PAGE, parse, repo_path};
use super::transport::Call;
use crate::storage::issues::IssueUpsert;

/// Safety bound of an open-issue listing. PRs share the listing (and its pages), so this
/// is twice the PR listing's bound: 20,000 entries, issues and PRs together.
pub const MAX_ISSUE_PAGES: usize = 200;
/// Largest repository file [`GithubClient::file_contents`] returns (a vision document is
/// a few KiB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024;
/// Longest path [`GithubClient::file_contents`] accepts.
const MAX_PATH_CHARS: usize = 255;

/// Open issues, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueListing {
    /// The issues (no PRs), each once.
    pub issues: Vec<IssueUpsert>,
    /// False when `max` or [`MAX_ISSUE_PAGES`] cut the listing short: issues missing
    /// from it must not be taken as closed.
    pub complete: bool,
}

impl GithubClient {
    /// Open issues, newest first, at most `max` (PRs, which GitHub lists among them, are
    /// skipped and not counted). An issue that moves between pages while we page is
    /// listed once.
    pub async fn list_open_issues(
        &self,
        owner: &str,
        repo: &str,
        max: Option<usize>,
    ) -> Result<IssueListing, GithubError> {
        let path = repo_path(owner, repo)?;
        let auth = self.auth_for(owner, repo).await?;
        let mut url = self.url(&format!(
            "{path}/issues?state=open&sort=created&direction=desc&per_page={PER_PAGE}"
        ));
        let limit = max.unwrap_or(usize::MAX);
        let mut seen = std::collections::HashSet::new();
        let mut issues = Vec::new();
        for _ in 0..MAX_ISSUE_PAGES {
            let (page, next) = self.page::<Issue>(&url, auth).await?;
            for issue in page {
                if issue.is_pull_request() || !seen.insert(issue.number) {
                    continue;
                }
                if issues.len() >= limit {
                    return Ok(IssueListing {
                        issues,
                        complete: false,
                    });
                }
                issues.push(IssueUpsert::from(issue));
            }
            match next {
                None => {
                    return Ok(IssueListing {
                        issues,
                        complete: true,
                    });
                }
                // Full, and more pages: the next issue (if any) would be one too many.
                Some(_) if issues.len() >= limit => break,
                Some(next) => url = next,
            }
        }
        Ok(IssueListing {
            issues,
            complete: false,
        })
    }

    /// Issues closed whose last update is at or after `since`, most recently updated
    /// first (PRs skipped). GitHub filters by `since`; paging also stops at the first
    /// older entry and after [`MAX_CLOSED_PAGES`].
    pub async fn list_recently_closed_issues(
        &self,
        owner: &str,
        repo: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<IssueUpsert>, GithubError> {
        let path = repo_path(owner, repo)?;
        let auth = self.auth_for(owner, repo).await?;
        let since_param = since.format("%Y-%m-%dT%H:%M:%SZ");
        let mut url = self.url(&format!(
            "{path}/issues?state=closed&sort=updated&direction=desc&since={since_param}&per_page={PER_PAGE}"
        ));
        let mut issues = Vec::new();
        for _ in 0..MAX_CLOSED_PAGES {
            let (page, next) = self.page::<Issue>(&url, auth).await?;
            for issue in page {
                if issue.updated_at.is_some_and(|u| u < since) {
                    return Ok(issues);
                }
                if !issue.is_pull_request() {
                    issues.push(IssueUpsert::from(issue));
                }
            }
            match next {
                Some(next) => url = next,
                None => break,
            }
        }
        Ok(issues)
    }

    /// Issue `number`; `None` when that number is a PR. A number that is neither is a
    /// [`GithubError::NotFound`].
    pub async fn issue(
        &self,
        owner: &str,
        repo: &str,
        number: i32,
    ) -> Result<Option<IssueUpsert>, GithubError> {
        let path = format!("{}/issues/{number}", repo_path(owner, repo)?);
        let auth = self.auth_for(owner, repo).await?;
        let answer = self.execute(&Call::get(self.url(&path), auth)).await?;
        let issue = parse::<Issue>(&path, &answer.body)?;
        Ok((!issue.is_pull_request()).then(|| issue.into()))
    }

    /// The UTF-8 text of the file at `path` on the default branch; `None` when there is
    /// none (404), when `path` is a directory or not a plain file, when it is larger than
    /// [`MAX_FILE_BYTES`], or when it is not UTF-8 text (the last two logged). `path`
    /// (`VISION.md`, `docs/scope.md`) must be relative, without `.` or `..` parts, in
    /// `[A-Za-z0-9._-]` and `/`.
    pub async fn file_contents(
        &self,
        owner: &str,
        repo: &str,
        path: &str,
    ) -> Result<Option<String>, GithubError> {
        let base = repo_path(owner, repo)?;
        check_file_path(&base, path)?;
        let api_path = format!("{base}/contents/{path}");
        let auth = self.auth_for(owner, repo).await?;
        let answer = match self.execute(&Call::get(self.url(&api_path), auth)).await {
            Ok(answer) => answer,
            Err(GithubError::NotFound { .. }) => return Ok(None),
            Err(err) => return Err(err),
        };
        // A directory answers a list of entries.
        if answer.body.trim_start().starts_with('[') {
            return Ok(None);
        }
        let file = parse::<ContentFile>(&api_path, &answer.body)?;
        if file.kind != "file" {
            return Ok(None);
        }
        if file.size > MAX_FILE_BYTES {
            tracing::warn!(
                repo = %format_args!("{owner}/{repo}"),
                file.path = path,
                file.size_bytes = file.size,
                "{owner}/{repo}:{path} is {} bytes, over the {MAX_FILE_BYTES}-byte limit; ignored",
                file.size
            );
            return Ok(None);
        }
        let encoded = match (file.encoding.as_deref(), file.content) {
            (Some("base64"), Some(content)) => content,
            (encoding, _) => {
                return Err(GithubError::Malformed {
                    path: api_path,
                    reason: format!("file content in encoding {encoding:?}, expected base64"),
                });
            }
        };
        let bytes = decode_base64(&encoded).ok_or_else(|| GithubError::Malformed {
            path: api_path.clone(),
            reason: "file content is not valid base64".into(),
        })?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text)),
            Err(_) => {
                tracing::warn!(
                    repo = %format_args!("{owner}/{repo}"),
                    file.path = path,
                    "{owner}/{repo}:{path} is not UTF-8 text; ignored"
                );
                Ok(None)
            }
        }
    }
}

/// Refuses a repository file path that could change the request's meaning.
fn check_file_path(base: &str, path: &str) -> Result<(), GithubError> {
    let part_ok = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    };
    if path.len() <= MAX_PATH_CHARS && path.split('/').all(part_ok) {
        Ok(())
    } else {
        Err(GithubError::Malformed {
            path: format!("{base}/contents"),
            reason: "a file path must be relative, without . or .. parts, in [A-Za-z0-9._-] and /"
                .into(),
        })
    }
}

/// Standard base64 as GitHub sends file contents: padded, with newlines (whitespace is
/// skipped). `None` when it is not base64.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    let mut padding = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b'\n' | b'\r' | b' ' | b'\t' => continue,
            _ => return None,
        };
        if padding > 0 {
            return None;
        }
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    (padding <= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_githubs_wrapped_content() {
        assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
        assert_eq!(decode_base64("Zg==\n").as_deref(), Some(&b"f"[..]));
        assert_eq!(
            decode_base64("Zm9v\nYmFy\n").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(decode_base64("+/8=").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(decode_base64("Zm9v!"), None);
        assert_eq!(decode_base64("Zg==Zg"), None, "data after padding");
    }

    #[test]
    fn file_paths_are_checked_before_they_reach_a_url() {
        for good in [
            "VISION.md",
            "docs/scope.md",
            "a/b-c/d_e.txt",
            ".github/x.yml",
        ] {
            assert!(check_file_path("/repos/o/r", good).is_ok(), "{good}");
        }
        let long = "a".repeat(300);
        for bad in [
            "",
            "/VISION.md",
            "docs/",
            "docs//x",
            "../secrets",
            "docs/../../x",
            "./VISION.md",
            "a b.md",
            "x?ref=evil",
            "x#y",
            "%2e%2e/x",
            "docs\\x",
            long.as_str(),
        ] {
            assert!(
                matches!(
                    check_file_path("/repos/o/r", bad),
                    Err(GithubError::Malformed { .. })
                ),
                "{bad:?}"
            );
        }
    }
}
