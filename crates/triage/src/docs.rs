//! Doc structure (SPEC 5.5): headings, code-fence languages and `#123` references of
//! changed documentation lines, sign-aware.

use serde::{Deserialize, Serialize};

use crate::intent::normalize_name;
use crate::patch::{DiffLine, Sign};

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocStructure {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fences: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
}

impl DocStructure {
    pub fn is_empty(&self) -> bool {
        self.headings.is_empty() && self.fences.is_empty() && self.refs.is_empty()
    }

    pub fn normalize(&mut self) {
        for v in [&mut self.headings, &mut self.fences, &mut self.refs] {
            crate::setops::normalize(v);
            v.truncate(200);
        }
    }

    /// Jaccard of the tagged union of headings, fences and refs (the parts are
    /// disjoint, so intersections and sizes simply add up; no allocation).
    pub fn similarity(&self, other: &DocStructure) -> Option<f64> {
        let parts = [
            (&self.headings, &other.headings),
            (&self.fences, &other.fences),
            (&self.refs, &other.refs),
        ];
        let (mut inter, mut total) = (0usize, 0usize);
        for (a, b) in parts {
            let i = crate::setops::intersection_len(a, b);
            inter += i;
            total += a.len() + b.len() - i;
        }
        if total == 0 {
            return None;
        }
        Some(inter as f64 / total as f64)
    }
}

/// Adds the structure of one doc file's changed lines.
pub fn extract(lines: &[DiffLine<'_>], out: &mut DocStructure) {
    for l in lines {
        let t = l.text.trim();
        let prefix = if l.sign == Sign::Removed { "-" } else { "" };
        if let Some(h) = t.strip_prefix('#') {
            let h = h.trim_start_matches('#');
            if h.starts_with(' ') {
                let n = normalize_name(h);
                if !n.is_empty() {
                    out.headings.push(format!("{prefix}{n}"));
                }
            }
        } else if let Some(f) = t.strip_prefix("```") {
            let lang = crate::extract::ident(f.trim()).to_ascii_lowercase();
            if !lang.is_empty() && l.sign == Sign::Added {
                out.fences.push(lang);
            }
        }
        if l.sign == Sign::Added {
            crate::issues::hash_refs(t, &mut out.refs);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_fences_refs() {
        let lines = [
            DiffLine {
                sign: Sign::Added,
                text: "## Install the CLI",
            },
            DiffLine {
                sign: Sign::Removed,
                text: "## Instal the CLI",
            },
            DiffLine {
                sign: Sign::Added,
                text: "```bash",
            },
            DiffLine {
                sign: Sign::Added,
                text: "See #42 and #7.",
            },
            DiffLine {
                sign: Sign::Added,
                text: "#notaheading",
            },
        ];
        let mut d = DocStructure::default();
        extract(&lines, &mut d);
        d.normalize();
        assert_eq!(d.headings, vec!["-instal the cli", "install the cli"]);
        assert_eq!(d.fences, vec!["bash"]);
        assert_eq!(d.refs, vec!["#42", "#7"]);
        assert_eq!(d.similarity(&d.clone()), Some(1.0));
        assert_eq!(
            DocStructure::default().similarity(&DocStructure::default()),
            None
        );
    }
}
