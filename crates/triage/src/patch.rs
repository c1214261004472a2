//! Unified-diff hunk parser. Total on any input: unknown lines are context, malformed
//! headers are tolerated, CR is stripped, lines are borrowed (no copies).

/// Whether a changed line was added or removed. Kept on every derived signal so a
/// revert is not mistaken for the change it reverts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sign {
    Added,
    Removed,
}

impl Sign {
    pub fn as_char(self) -> char {
        match self {
            Sign::Added => '+',
            Sign::Removed => '-',
        }
    }
}

/// One changed line of a hunk, without its sign character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffLine<'a> {
    pub sign: Sign,
    pub text: &'a str,
}

/// A parsed patch: the changed lines in order plus parse diagnostics.
#[derive(Debug, Default, Clone)]
pub struct ParsedPatch<'a> {
    pub lines: Vec<DiffLine<'a>>,
    pub hunks: usize,
    /// Lines outside any hunk or headers that did not parse; informative only.
    pub malformed: usize,
    /// Git reported the file as binary ("Binary files … differ").
    pub binary: bool,
}

/// Parses `@@ -a,b +c,d @@` counts; `None` when malformed.
fn hunk_counts(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("@@")?;
    let end = rest.find("@@")?;
    let mut old = None;
    let mut new = None;
    for part in rest[..end].split_whitespace() {
        let (target, body) = if let Some(b) = part.strip_prefix('-') {
            (&mut old, b)
        } else if let Some(b) = part.strip_prefix('+') {
            (&mut new, b)
        } else {
            return None;
        };
        let count = match body.split_once(',') {
            Some((_, c)) => c.parse::<u64>().ok()?,
            None => {
                body.parse::<u64>().ok()?;
                1
            }
        };
        *target = Some(count);
    }
    Some((old?, new?))
}

/// Parses GitHub `patch` text (hunks starting at `@@`), also accepting full `git diff`
/// output. Lines longer than `max_line` bytes are cut at a char boundary.
pub fn parse(patch: &str, max_line: usize) -> ParsedPatch<'_> {
    let mut out = ParsedPatch::default();
    // Remaining old/new lines of the current hunk when its header parsed; lets us tell a
    // removed line "--- x" from a file header.
    let mut remaining: Option<(u64, u64)> = None;
    let mut in_hunk = false;
    for raw in patch.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.starts_with("@@") {
            in_hunk = true;
            out.hunks += 1;
            remaining = hunk_counts(line);
            if remaining.is_none() {
                out.malformed += 1;
            }
            continue;
        }
        if line.starts_with("diff --git ") {
            in_hunk = false;
            remaining = None;
            continue;
        }
        let exhausted = matches!(remaining, Some((0, 0)));
        if !in_hunk || exhausted {
            if line.starts_with("Binary files ") || line.starts_with("GIT binary patch") {
                out.binary = true;
            }
            if is_file_header(line) {
                in_hunk = false;
                remaining = None;
                continue;
            }
            if !in_hunk {
                if !line.is_empty() {
                    out.malformed += 1;
                }
                continue;
            }
        }
        let Some(first) = line.as_bytes().first() else {
            // An empty line inside a hunk: a context line whose space was stripped.
            dec(&mut remaining, true, true);
            continue;
        };
        match first {
            b'+' => {
                out.lines.push(DiffLine {
                    sign: Sign::Added,
                    text: cut(&line[1..], max_line),
                });
                dec(&mut remaining, false, true);
            }
            b'-' => {
                out.lines.push(DiffLine {
                    sign: Sign::Removed,
                    text: cut(&line[1..], max_line),
                });
                dec(&mut remaining, true, false);
            }
            b'\\' => {} // "\ No newline at end of file"
            _ => dec(&mut remaining, true, true),
        }
    }
    out
}

fn is_file_header(line: &str) -> bool {
    line.starts_with("diff --git ")
        || line.starts_with("index ")
        || line.starts_with("--- ")
        || line.starts_with("+++ ")
        || line.starts_with("new file mode")
        || line.starts_with("deleted file mode")
        || line.starts_with("similarity index")
        || line.starts_with("rename from")
        || line.starts_with("rename to")
        || line.starts_with("old mode")
        || line.starts_with("new mode")
}

fn dec(rem: &mut Option<(u64, u64)>, old: bool, new: bool) {
    if let Some((o, n)) = rem {
        if old {
            *o = o.saturating_sub(1);
        }
        if new {
            *n = n.saturating_sub(1);
        }
    }
}

/// Cuts `s` to at most `max` bytes on a char boundary.
pub fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signs(p: &ParsedPatch<'_>) -> Vec<(char, String)> {
        p.lines
            .iter()
            .map(|l| (l.sign.as_char(), l.text.to_string()))
            .collect()
    }

    #[test]
    fn simple_hunk() {
        let p = parse("@@ -1,3 +1,3 @@\n a\n-b\n+c\n d", 100);
        assert_eq!(p.hunks, 1);
        assert_eq!(signs(&p), vec![('-', "b".into()), ('+', "c".into())]);
        assert_eq!(p.malformed, 0);
    }

    #[test]
    fn crlf_and_no_newline_marker() {
        let p = parse(
            "@@ -1,2 +1,2 @@\r\n-old\r\n\\ No newline at end of file\r\n+new\r\n ctx\r\n",
            100,
        );
        assert_eq!(signs(&p), vec![('-', "old".into()), ('+', "new".into())]);
    }

    #[test]
    fn removed_line_that_looks_like_header() {
        // "--- x" inside a hunk with lines remaining is a removed line "-- x".
        let p = parse("@@ -1,2 +1,1 @@\n--- x\n-y\n+z", 100);
        assert_eq!(
            signs(&p),
            vec![('-', "-- x".into()), ('-', "y".into()), ('+', "z".into())]
        );
    }

    #[test]
    fn full_git_diff_headers_are_skipped() {
        let text = "diff --git a/f b/f\nindex 1..2 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\ndiff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -0,0 +1 @@\n+c\n";
        let p = parse(text, 100);
        assert_eq!(
            signs(&p),
            vec![('-', "a".into()), ('+', "b".into()), ('+', "c".into())]
        );
        assert_eq!(p.hunks, 2);
    }

    #[test]
    fn malformed_header_still_parses_lines() {
        let p = parse("@@ garbage @@\n+a\n-b\n", 100);
        assert_eq!(p.malformed, 1);
        assert_eq!(signs(&p), vec![('+', "a".into()), ('-', "b".into())]);
    }

    #[test]
    fn junk_and_binary() {
        let p = parse("Binary files a/x.png and b/x.png differ", 100);
        assert!(p.binary);
        assert!(p.lines.is_empty());
        let p = parse("\u{0}\u{1}\u{fffd}garbage\n+++\n", 100);
        assert!(p.lines.is_empty());
    }

    #[test]
    fn long_lines_are_cut_on_char_boundary() {
        let long = format!("@@ -0,0 +1 @@\n+{}", "é".repeat(100));
        let p = parse(&long, 11);
        assert_eq!(p.lines[0].text.len(), 10);
    }
}
