//! PR → fingerprint: everything `compare`, `index_keys` and `infer_base` need, computed
//! once per head SHA and stored (JSONB) so candidate scoring never re-reads patches.

use serde::{Deserialize, Serialize};

use crate::channel::{Channel, Classifier, extension};
use crate::config::Thresholds;
use crate::docs::DocStructure;
use crate::extract::{Extracted, Lang};
use crate::hash::hash_str;
use crate::intent::TestIntent;
use crate::minhash::MinHasher;
use crate::patch::{self, DiffLine, ParsedPatch, Sign};
use crate::setops::normalize;
use crate::shingle::{Sketch, shingles_into};
use crate::tokenize::tokenize_into;

/// A pull request as the engine sees it (GitHub's list + files endpoints).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrInput {
    pub number: u64,
    pub title: String,
    pub body: Option<String>,
    pub files: Vec<FileInput>,
}

/// One entry of GitHub's "list pull request files".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileInput {
    pub path: String,
    pub previous_path: Option<String>,
    /// added | modified | removed | renamed | copied | changed | unchanged
    pub status: String,
    pub additions: u32,
    pub deletions: u32,
    /// Unified-diff hunks; GitHub omits it for binary and very large files.
    pub patch: Option<String>,
}

/// What we know about a file's diff text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PatchState {
    Present,
    /// GitHub left the patch out although lines changed (large diff): analysis is degraded.
    Truncated,
    Binary,
    /// No patch and nothing changed (pure rename, mode change).
    Missing,
}

/// Per-file summary kept in the fingerprint (for the dashboard and for evidence).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSummary {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_path: Option<String>,
    pub status: String,
    pub additions: u32,
    pub deletions: u32,
    pub channel: Channel,
    pub patch_state: PatchState,
    /// Lockfile or generated file: listed, never compared.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generated: bool,
}

/// A changed line kept with its text, for the highlighted diff in evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLine {
    /// Hash of sign + whitespace-collapsed text (matches `line_hashes`).
    #[serde(rename = "h")]
    pub hash: u32,
    /// Index into `paths`.
    #[serde(rename = "p")]
    pub path: u32,
    #[serde(rename = "s")]
    pub sign: char,
    #[serde(rename = "t")]
    pub text: String,
}

/// The stored analysis of one PR head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fingerprint {
    pub(crate) number: u64,
    pub(crate) files: Vec<FileSummary>,
    /// The channel compared as "production": PRODUCTION when the PR changes production
    /// code, else TESTS or DOCS standing in for it (SPEC 5.3); `None` when only META or
    /// generated files changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) primary: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) diff_hash: Option<String>,
    pub(crate) shingles: Sketch,
    #[serde(with = "crate::b64")]
    pub(crate) minhash: Vec<u32>,
    /// Paths of the primary channel's files (sorted).
    pub(crate) paths: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) symbols: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) exports: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) imports: Vec<String>,
    #[serde(default, skip_serializing_if = "TestIntent::is_blank")]
    pub(crate) tests: TestIntent,
    #[serde(default, skip_serializing_if = "DocStructure::is_empty")]
    pub(crate) docs: DocStructure,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) issue_refs: Vec<String>,
    #[serde(with = "crate::b64")]
    pub(crate) line_hashes: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lines: Vec<StoredLine>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) rewrite: bool,
    /// Winnowed fingerprints of the primary channel (rewrite mode only).
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "crate::b64")]
    pub(crate) winnow: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) degraded: Vec<String>,
    pub(crate) lines_changed: u64,
}

impl TestIntent {
    fn is_blank(&self) -> bool {
        self.is_empty() && self.matchers.is_empty() && self.imports.is_empty()
    }
}

impl Fingerprint {
    pub fn number(&self) -> u64 {
        self.number
    }
    pub fn files(&self) -> &[FileSummary] {
        &self.files
    }
    /// Human-readable reasons the analysis is partial; empty when complete.
    pub fn degraded_reasons(&self) -> &[String] {
        &self.degraded
    }
    pub fn is_degraded(&self) -> bool {
        !self.degraded.is_empty()
    }
    pub fn issue_refs(&self) -> &[String] {
        &self.issue_refs
    }
    /// Hex SHA-256 of the canonical primary-channel diff (SPEC 5.2).
    pub fn diff_hash(&self) -> Option<&str> {
        self.diff_hash.as_deref()
    }
    pub fn primary_channel(&self) -> Option<Channel> {
        self.primary
    }
    pub fn production_paths(&self) -> &[String] {
        if self.primary == Some(Channel::Production) {
            &self.paths
        } else {
            &[]
        }
    }
    pub fn symbols(&self) -> &[String] {
        &self.symbols
    }
    pub fn exports(&self) -> &[String] {
        &self.exports
    }
    pub fn imports(&self) -> &[String] {
        &self.imports
    }
    pub fn test_intent(&self) -> &TestIntent {
        &self.tests
    }
    pub fn doc_structure(&self) -> &DocStructure {
        &self.docs
    }
    pub fn rewrite_mode(&self) -> bool {
        self.rewrite
    }
    /// Size of the primary shingle set (before sampling).
    pub fn shingle_count(&self) -> u32 {
        self.shingles.total
    }
    pub fn lines_changed(&self) -> u64 {
        self.lines_changed
    }
}

/// Everything fingerprinting needs from the engine.
pub(crate) struct Ctx<'a> {
    pub classifier: &'a Classifier,
    pub thresholds: &'a Thresholds,
    pub minhasher: &'a MinHasher,
}

const BINARY_EXTS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "ico", "bmp", "tiff", "pdf", "zip", "gz", "tgz", "jar",
    "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "mov", "wasm", "so", "dll", "exe", "bin",
    "dylib", "a", "o", "class", "pyc", "lockb", "sqlite", "db",
];

struct Work<'a> {
    path: &'a str,
    channel: Channel,
    generated: bool,
    parsed: ParsedPatch<'a>,
}

const SALT_ADDED: u64 = 0x0a0d_d0d0_0000_0000;
const SALT_REMOVED: u64 = 0x0dea_d0d0_0000_0000;
const MAX_NAMES: usize = 200;
const MAX_LINE_HASHES: usize = 2048;

fn salt(sign: Sign) -> u64 {
    match sign {
        Sign::Added => SALT_ADDED,
        Sign::Removed => SALT_REMOVED,
    }
}

/// Hash of a line for evidence matching: sign + whitespace-collapsed text.
fn line_hash(sign: Sign, text: &str) -> u32 {
    let mut h = hash_str("", u64::from(u32::from(sign.as_char())));
    for w in text.split_whitespace() {
        h = crate::hash::mix64(h ^ hash_str(w, 7));
    }
    (h >> 32) as u32
}

/// A line worth showing: has at least 3 alphanumeric characters.
fn significant(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphanumeric()).take(3).count() == 3
}

pub(crate) fn build(ctx: &Ctx<'_>, pr: &PrInput) -> Fingerprint {
    let p = &ctx.thresholds.fingerprint;
    let rw = &ctx.thresholds.rewrite_mode;

    let mut files = Vec::with_capacity(pr.files.len());
    let mut work: Vec<Work<'_>> = Vec::with_capacity(pr.files.len());
    let mut truncated = 0usize;
    let mut binary = 0usize;
    let mut lines_changed = 0u64;
    let mut renamed = 0usize;
    for f in &pr.files {
        lines_changed += u64::from(f.additions) + u64::from(f.deletions);
        if f.status == "renamed" {
            renamed += 1;
        }
        let parsed = match f.patch.as_deref() {
            Some(text) if !text.is_empty() => patch::parse(text, p.max_line_chars),
            _ => ParsedPatch::default(),
        };
        let patch_state = match f.patch.as_deref() {
            Some(text) if !text.is_empty() => {
                if parsed.binary && parsed.lines.is_empty() {
                    PatchState::Binary
                } else {
                    PatchState::Present
                }
            }
            _ => {
                if BINARY_EXTS.contains(&extension(&f.path).as_str()) {
                    PatchState::Binary
                } else if f.additions == 0 && f.deletions == 0 {
                    PatchState::Missing
                } else {
                    PatchState::Truncated
                }
            }
        };
        let generated = ctx.classifier.is_generated(&f.path);
        let channel = ctx.classifier.classify(
            &f.path,
            parsed
                .lines
                .iter()
                .filter(|l| l.sign == Sign::Added)
                .map(|l| l.text),
        );
        if patch_state == PatchState::Truncated && !generated && channel != Channel::Meta {
            truncated += 1;
        }
        if patch_state == PatchState::Binary {
            binary += 1;
        }
        files.push(FileSummary {
            path: f.path.clone(),
            previous_path: f.previous_path.clone(),
            status: f.status.clone(),
            additions: f.additions,
            deletions: f.deletions,
            channel,
            patch_state,
            generated,
        });
        work.push(Work {
            path: &f.path,
            channel,
            generated,
            parsed,
        });
    }

    let n_files = pr.files.len();
    let rewrite = n_files > rw.files_changed
        || lines_changed > rw.lines_changed
        || (n_files >= 4 && renamed as f64 / n_files as f64 > rw.rename_ratio);

    // Primary channel: production, else the tests/docs channel standing in for it.
    let comparable = |w: &Work<'_>| !w.generated && w.channel != Channel::Meta;
    let has_prod = work
        .iter()
        .any(|w| comparable(w) && w.channel == Channel::Production);
    let primary = if has_prod {
        Some(Channel::Production)
    } else {
        let count = |ch: Channel| {
            work.iter()
                .filter(|w| comparable(w) && w.channel == ch)
                .map(|w| w.parsed.lines.len() + 1)
                .sum::<usize>()
        };
        let (t, d) = (count(Channel::Tests), count(Channel::Docs));
        match (t, d) {
            (0, 0) => None,
            (t, d) if t > d => Some(Channel::Tests),
            _ => Some(Channel::Docs),
        }
    };
    let in_primary = |w: &Work<'_>| {
        comparable(w)
            && match primary {
                Some(Channel::Production) => w.channel == Channel::Production,
                Some(_) => matches!(w.channel, Channel::Tests | Channel::Docs),
                None => false,
            }
    };

    let mut order: Vec<usize> = (0..work.len()).filter(|&i| in_primary(&work[i])).collect();
    order.sort_by(|&a, &b| work[a].path.cmp(work[b].path));

    let mut paths: Vec<String> = Vec::with_capacity(order.len());
    let mut hasher = sha2::Sha256::new();
    let mut hashed_lines = 0usize;
    let mut tokens: Vec<u64> = Vec::new();
    let mut shingles: Vec<u32> = Vec::new();
    let mut winnowed: Vec<u32> = Vec::new();
    let mut file_shingles: Vec<u32> = Vec::new();
    let mut line_hashes: Vec<u32> = Vec::new();
    let mut lines: Vec<StoredLine> = Vec::new();
    let mut line_src: Vec<usize> = Vec::new();
    let mut extracted = Extracted::default();
    let k = ctx.thresholds.minhash.shingle_size;

    use sha2::Digest;
    for &i in &order {
        let w = &work[i];
        let first_line = lines.len();
        paths.push(w.path.to_string());
        if rewrite && let Some(prev) = pr.files[i].previous_path.as_deref() {
            // Rename tolerance: a moved file still matches PRs that touch its old path.
            paths.push(prev.to_string());
        }
        hasher.update(b"file:");
        hasher.update(w.path.as_bytes());
        hasher.update(b"\n");
        let literal = ctx.classifier.is_literal(w.path);
        tokens.clear();
        for l in &w.parsed.lines {
            let text = l.text.trim_end();
            hasher.update([l.sign.as_char() as u8]);
            hasher.update(text.as_bytes());
            hasher.update(b"\n");
            hashed_lines += 1;
            tokenize_into(text, literal, salt(l.sign), &mut tokens);
            if significant(text) {
                let h = line_hash(l.sign, text);
                line_hashes.push(h);
                if lines.len() < p.evidence_lines {
                    lines.push(StoredLine {
                        hash: h,
                        path: 0,
                        sign: l.sign.as_char(),
                        text: patch::cut(text.trim(), p.evidence_line_chars).to_string(),
                    });
                }
            }
        }
        file_shingles.clear();
        shingles_into(&tokens, k, &mut file_shingles);
        if rewrite {
            winnowed.extend(crate::shingle::winnow(&file_shingles, rw.winnow_window));
        }
        line_src.extend(std::iter::repeat_n(i, lines.len() - first_line));
        shingles.extend_from_slice(&file_shingles);
        if w.channel != Channel::Docs {
            extract_symbols(w.path, &w.parsed.lines, &mut extracted);
        }
    }
    normalize(&mut shingles);
    let minhash = ctx.minhasher.signature(&shingles);
    let cap = if rewrite {
        p.max_shingles_rewrite
    } else {
        p.max_shingles
    };
    let sketch = Sketch::from_sorted(&shingles, cap);
    normalize(&mut winnowed);
    let winnow = if rewrite {
        Sketch::from_sorted(&winnowed, p.max_shingles_rewrite).hashes
    } else {
        Vec::new()
    };
    let diff_hash = (hashed_lines > 0).then(|| {
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    });
    normalize(&mut line_hashes);
    line_hashes.truncate(MAX_LINE_HASHES);
    normalize(&mut paths);
    for (line, &src) in lines.iter_mut().zip(&line_src) {
        let idx = paths.binary_search_by(|p| p.as_str().cmp(work[src].path));
        line.path = idx.ok().and_then(|i| u32::try_from(i).ok()).unwrap_or(0);
    }

    let mut tests = TestIntent::default();
    let mut docs = DocStructure::default();
    for w in &work {
        if w.generated {
            continue;
        }
        match w.channel {
            Channel::Tests => {
                crate::intent::extract(w.path, &w.parsed.lines, ctx.classifier, &mut tests)
            }
            Channel::Docs => crate::docs::extract(&w.parsed.lines, &mut docs),
            _ => {}
        }
    }
    tests.normalize();
    docs.normalize();

    let mut text = pr.title.clone();
    if let Some(b) = &pr.body {
        text.push('\n');
        text.push_str(b);
    }
    let issue_refs = crate::issues::closing_refs(&text);

    for v in [
        &mut extracted.symbols,
        &mut extracted.exports,
        &mut extracted.imports,
    ] {
        normalize(v);
        v.truncate(MAX_NAMES);
    }

    let mut degraded = Vec::new();
    if truncated > 0 {
        degraded.push(format!(
            "{truncated} file{} without patch (truncated by GitHub)",
            if truncated == 1 { "" } else { "s" }
        ));
    }
    if rewrite {
        degraded.push(format!(
            "rewrite mode ({n_files} files, {lines_changed} changed lines, {renamed} renamed)"
        ));
    }
    // Binary files are listed with PatchState::Binary; they do not degrade the analysis.
    let _ = binary;

    Fingerprint {
        number: pr.number,
        files,
        primary,
        diff_hash,
        shingles: sketch,
        minhash,
        paths,
        symbols: extracted.symbols,
        exports: extracted.exports,
        imports: extracted.imports,
        tests,
        docs,
        issue_refs,
        line_hashes,
        lines,
        rewrite,
        winnow,
        degraded,
        lines_changed,
    }
}

/// Language-aware symbols of one file: tree-sitter where a grammar exists, lexical
/// otherwise.
fn extract_symbols(path: &str, lines: &[DiffLine<'_>], out: &mut Extracted) {
    let lang = Lang::from_path(path);
    if lang == Lang::Other {
        crate::extract::lexical(lang, lines, out);
    } else {
        crate::ts::extract(lang, lines, out);
    }
}
