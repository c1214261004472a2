//! Issue references: closing keywords in a PR's title/body (`fixes #123`,
//! `closes org/repo#123`, `resolves https://github.com/o/r/issues/9`) and bare `#123`.

/// Closing-keyword references, normalised to `#123` or `owner/repo#123` (lower case).
pub fn closing_refs(text: &str) -> Vec<String> {
    const KEYWORDS: &[&str] = &[
        "close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved",
    ];
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_end_matches(':');
        if !KEYWORDS.contains(&w) {
            continue;
        }
        // A keyword may be followed by a list: "fixes #1, #2 and #3".
        for next in words.iter().skip(i + 1).take(6) {
            let token = next
                .trim_matches(|c: char| c == ',' || c == '.' || c == ';' || c == ')' || c == '(');
            if token == "and" || token.is_empty() {
                continue;
            }
            match parse_ref(token) {
                Some(r) => out.push(r),
                None => break,
            }
        }
    }
    crate::setops::normalize(&mut out);
    out
}

fn parse_ref(token: &str) -> Option<String> {
    if let Some(rest) = token.strip_prefix("https://github.com/") {
        let parts: Vec<&str> = rest.split('/').collect();
        if parts.len() >= 4 && (parts[2] == "issues" || parts[2] == "pull") {
            let n = digits(parts[3])?;
            return Some(format!("{}/{}#{n}", parts[0], parts[1]));
        }
        return None;
    }
    let (repo, num) = token.split_once('#')?;
    let n = digits(num)?;
    if repo.is_empty() {
        return Some(format!("#{n}"));
    }
    let valid = repo.split('/').count() == 2
        && repo
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    valid.then(|| format!("{repo}#{n}"))
}

fn digits(s: &str) -> Option<u64> {
    let d: String = s.chars().take_while(char::is_ascii_digit).collect();
    if d.is_empty() || d.len() > 12 {
        return None;
    }
    d.parse().ok()
}

/// Bare `#123` mentions (docs).
pub fn hash_refs(text: &str, out: &mut Vec<String>) {
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let n: String = text[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .take(12)
                .collect();
            if !n.is_empty() {
                out.push(format!("#{n}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_keywords() {
        assert_eq!(closing_refs("Fixes #123"), vec!["#123"]);
        assert_eq!(
            closing_refs("closes Org/Repo#9; resolves: #1, #2 and #3."),
            vec!["#1", "#2", "#3", "org/repo#9"]
        );
        assert_eq!(
            closing_refs("resolves https://github.com/a/b/issues/77"),
            vec!["a/b#77"]
        );
        assert!(closing_refs("see #5, fix the thing").is_empty());
        assert!(closing_refs("fixes #").is_empty());
        assert!(closing_refs("").is_empty());
    }
}
