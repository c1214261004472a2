//! Issue → fingerprint: normalised, typed terms from the title, body and labels, stored
//! (JSON) once per issue edit so scoring never re-reads the text.
//!
//! Term kinds, strongest first: normalised error lines, stack frames `(function, file)`,
//! code identifiers (whole, normalised to `snake_words`; their sub-words also become plain
//! words), file paths (file name and `dir/file`, no line/column), labels, plain words
//! (lower case, stop words, generic issue words and template boilerplate removed, light
//! stemming). A term counts its occurrences (`tf`) and whether it is in the title. Term
//! weights and idf are applied at comparison time (`issue_match`), so the stored
//! fingerprint depends only on the text rules, never on corpus statistics.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use crate::hash::key;
use crate::issue_config::{IndexRules, KindRules, TextRules};
use crate::issue_text::{
    self, Frame, is_code_identifier, normalize_error, normalize_identifier, normalize_path,
    parse_frame_located, path_tail, split_identifier,
};

/// An issue as the engine sees it (GitHub's issue object, reduced).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IssueInput {
    pub number: u64,
    pub title: String,
    pub body: Option<String>,
    /// Label names.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// Kind of a term, strongest first (the order of index-key preference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TermKind {
    Error,
    /// An error message without its type: the message part of an error line, or a quoted
    /// sentence shaped like one (`upload unsupported kind: image/heic`).
    Message,
    Frame,
    Identifier,
    Path,
    /// Two to four consecutive content words of a title, or the sub-words of a changed
    /// symbol, joined (`calculat_cach_limit`): how a PR's `calculateCacheLimits` meets an
    /// issue titled "calculate cache limits". Used for links, not between issues.
    Phrase,
    Label,
    Word,
}

impl TermKind {
    /// Index-key tag (disjoint from the PR index's tags 1..=7).
    fn tag(self) -> u64 {
        match self {
            TermKind::Error => 101,
            TermKind::Message => 107,
            TermKind::Frame => 102,
            TermKind::Identifier => 103,
            TermKind::Path => 104,
            TermKind::Phrase => 108,
            TermKind::Label => 105,
            TermKind::Word => 106,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Error => "ERROR",
            TermKind::Message => "MESSAGE",
            TermKind::Frame => "FRAME",
            TermKind::Identifier => "IDENTIFIER",
            TermKind::Path => "PATH",
            TermKind::Phrase => "PHRASE",
            TermKind::Label => "LABEL",
            TermKind::Word => "WORD",
        }
    }

    /// Terms that identify a subject by themselves; plain words, labels and title phrases
    /// do not.
    pub fn is_specific(self) -> bool {
        matches!(
            self,
            TermKind::Error
                | TermKind::Message
                | TermKind::Frame
                | TermKind::Identifier
                | TermKind::Path
        )
    }
}

/// One normalised term of a fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    #[serde(rename = "k")]
    pub kind: TermKind,
    #[serde(rename = "t")]
    pub text: String,
    /// Occurrences in title and body.
    #[serde(rename = "n")]
    pub tf: u32,
    /// The term occurs in the title.
    #[serde(rename = "ti", default, skip_serializing_if = "std::ops::Not::not")]
    pub title: bool,
}

impl Term {
    /// Stable inverted-index / document-frequency key of the term.
    pub fn key(&self) -> i64 {
        key(self.kind.tag(), &self.text)
    }
}

/// Bug report, feature request, or unknown (labels first, then wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IssueKind {
    Bug,
    Feature,
    #[default]
    Unknown,
}

/// The stored fingerprint of an issue (or of a PR's text, for links).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueFingerprint {
    pub number: u64,
    pub kind: IssueKind,
    /// Sorted by (kind, text), unique.
    pub terms: Vec<Term>,
    /// Stack frames (sorted, unique), for evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<Frame>,
    /// Paths mentioned, as written (line/column removed), for link evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Text or term list was cut to the configured limits.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl IssueFingerprint {
    /// Keys of every term: what the service counts document frequencies over.
    pub fn term_keys(&self) -> Vec<i64> {
        let mut k: Vec<i64> = self.terms.iter().map(Term::key).collect();
        crate::setops::normalize(&mut k);
        k
    }

    /// Normalised error lines.
    pub fn errors(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .filter(|t| t.kind == TermKind::Error)
            .map(|t| t.text.as_str())
    }
}

/// Frames and paths kept for evidence, at most.
const MAX_EVIDENCE_ITEMS: usize = 50;

/// Compiled text rules (lower-cased lists, generic words with their stems).
#[derive(Debug)]
pub(crate) struct TextCtx {
    generic: HashSet<String>,
    boilerplate_multi: Vec<String>,
    boilerplate_single: HashSet<String>,
    frame_ignore: Vec<String>,
    message_words: Vec<String>,
    kinds: KindRules,
    max_terms: usize,
    max_text_chars: usize,
    max_error_chars: usize,
}

impl TextCtx {
    pub(crate) fn new(t: &TextRules, kinds: &KindRules) -> TextCtx {
        let mut generic = HashSet::new();
        for w in &t.generic_words {
            let l = w.to_lowercase();
            generic.insert(issue_text::stem(&l));
            generic.insert(l);
        }
        let (multi, single): (Vec<String>, Vec<String>) = t
            .boilerplate_phrases
            .iter()
            .map(|p| p.to_lowercase())
            .filter(|p| !p.trim().is_empty())
            .partition(|p| p.contains(' '));
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        TextCtx {
            generic,
            boilerplate_multi: multi,
            boilerplate_single: single.into_iter().collect(),
            frame_ignore: lower(&t.frame_ignore),
            message_words: lower(&t.message_words),
            kinds: KindRules {
                bug_labels: lower(&kinds.bug_labels),
                feature_labels: lower(&kinds.feature_labels),
                bug_phrases: lower(&kinds.bug_phrases),
                feature_phrases: lower(&kinds.feature_phrases),
            },
            max_terms: t.max_terms,
            max_text_chars: t.max_text_chars,
            max_error_chars: t.max_error_chars,
        }
    }

    pub(crate) fn is_generic_word(&self, w: &str) -> bool {
        self.generic.contains(w)
    }
}

/// Term accumulator: (kind, text) → (tf, in title).
#[derive(Default)]
struct Acc {
    terms: BTreeMap<(TermKind, String), (u32, bool)>,
    frames: BTreeSet<Frame>,
    paths: BTreeSet<String>,
}

impl Acc {
    fn add(&mut self, kind: TermKind, text: String, title: bool) {
        let e = self.terms.entry((kind, text)).or_insert((0, false));
        e.0 = e.0.saturating_add(1);
        e.1 |= title;
    }
}

/// What a line may contribute.
#[derive(Clone, Copy)]
struct LineMode {
    title: bool,
    /// Plain words are taken (not inside a code fence, not a template checkbox).
    words: bool,
    /// Inside a code fence (and not an error line): every code-shaped token is code.
    code: bool,
}

/// Fingerprint of an issue. Total: never panics, bounded output whatever the input.
pub(crate) fn build(ctx: &TextCtx, input: &IssueInput) -> IssueFingerprint {
    build_parts(
        ctx,
        input.number,
        &input.title,
        input.body.as_deref(),
        &input.labels,
        None,
    )
}

/// A PR's code: changed symbols and paths, known from elsewhere than its text.
pub(crate) struct PrCode<'a> {
    pub identifiers: &'a [String],
    pub paths: &'a [String],
}

/// Shared by issues (`code: None`: title phrases) and PR texts (`code`: symbols, whose
/// sub-words are its phrases, and paths).
pub(crate) fn build_parts(
    ctx: &TextCtx,
    number: u64,
    title: &str,
    body: Option<&str>,
    labels: &[String],
    code: Option<PrCode<'_>>,
) -> IssueFingerprint {
    let mut acc = Acc::default();
    let mut truncated = false;
    let title_text = issue_text::truncate_chars(title, 1000);
    if code.is_none() {
        // An issue's title names its subject; a PR's subject is its symbols (a PR title's
        // n-grams would meet every issue sharing a bigram).
        title_phrases(ctx, &mut acc, title_text);
    }
    scan_line(
        ctx,
        &mut acc,
        title_text,
        None,
        None,
        LineMode {
            title: true,
            words: true,
            code: false,
        },
    );
    let body = body.unwrap_or("");
    let cut = issue_text::truncate_chars(body, ctx.max_text_chars);
    truncated |= cut.len() < body.len();
    let body = issue_text::strip_html_comments(cut);
    // Stacks pasted inside JSON log lines become real lines.
    let expanded: Vec<String> = body
        .lines()
        .map(|l| issue_text::expand_escaped_lines(l).unwrap_or_else(|| l.to_string()))
        .collect();
    let expanded = expanded.join("\n");
    let lines: Vec<&str> = expanded.lines().collect();
    let mut in_fence = false;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        let checkbox = ["- [ ]", "- [x]", "- [X]", "* [ ]", "* [x]"]
            .iter()
            .any(|p| trimmed.starts_with(p));
        let prev = i.checked_sub(1).and_then(|j| lines.get(j)).copied();
        let next = lines.get(i + 1).copied();
        scan_line(
            ctx,
            &mut acc,
            line,
            prev,
            next,
            LineMode {
                title: false,
                words: !in_fence && !checkbox,
                code: in_fence,
            },
        );
    }
    for label in labels {
        let l = label.trim().to_lowercase();
        let kind_label = ctx.kinds.bug_labels.contains(&l) || ctx.kinds.feature_labels.contains(&l);
        if !l.is_empty() && l.chars().count() <= 64 && !kind_label {
            acc.add(TermKind::Label, l, false);
        }
    }
    let (identifiers, paths) = code.map_or((&[][..], &[][..]), |c| (c.identifiers, c.paths));
    for ident in identifiers {
        add_identifier(ctx, &mut acc, ident, false);
        let subs: Vec<String> = split_identifier(ident)
            .iter()
            .filter_map(|w| content_word(ctx, w))
            .collect();
        if (MIN_PHRASE..=MAX_PHRASE).contains(&subs.len()) {
            acc.add(TermKind::Phrase, subs.join("_"), false);
        }
    }
    for p in paths {
        add_path(&mut acc, p, false);
    }
    let kind = classify(ctx, title, &body, labels, &acc);
    let mut terms: Vec<Term> = acc
        .terms
        .into_iter()
        .map(|((kind, text), (tf, title))| Term {
            kind,
            text,
            tf,
            title,
        })
        .collect();
    if terms.len() > ctx.max_terms {
        truncated = true;
        terms.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then(b.title.cmp(&a.title))
                .then(b.tf.cmp(&a.tf))
                .then(a.text.cmp(&b.text))
        });
        terms.truncate(ctx.max_terms);
        terms.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.text.cmp(&b.text)));
    }
    let mut label_list: Vec<String> = labels
        .iter()
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .take(MAX_EVIDENCE_ITEMS)
        .collect();
    crate::setops::normalize(&mut label_list);
    IssueFingerprint {
        number,
        kind,
        terms,
        frames: acc.frames.into_iter().take(MAX_EVIDENCE_ITEMS).collect(),
        paths: acc.paths.into_iter().take(MAX_EVIDENCE_ITEMS).collect(),
        labels: label_list,
        truncated,
    }
}

fn scan_line(
    ctx: &TextCtx,
    acc: &mut Acc,
    line: &str,
    prev: Option<&str>,
    next: Option<&str>,
    mode: LineMode,
) {
    let line = issue_text::truncate_chars(line, 2000);
    if let Some((f, raw)) = parse_frame_located(line, prev, next) {
        let text = f.key_text();
        if ctx.frame_ignore.iter().any(|s| raw.contains(s.as_str())) {
            // Runtime and framework frames say nothing about this issue.
            return;
        }
        acc.add(TermKind::Frame, text, mode.title);
        acc.frames.insert(f);
        // Names and paths of the frame line count too; its words are noise.
        scan_tokens(
            ctx,
            acc,
            line,
            LineMode {
                words: false,
                ..mode
            },
        );
        return;
    }
    let mut mode = mode;
    if let Some(e) = normalize_error(line, next, ctx.max_error_chars) {
        acc.add(TermKind::Error, e.text, mode.title);
        if let Some(m) = e.message {
            acc.add(TermKind::Message, m, mode.title);
        }
        for q in e.quoted {
            acc.add(TermKind::Identifier, q, mode.title);
        }
        // An error message is prose, even inside a code fence: its words count.
        mode.words = true;
        mode.code = false;
    }
    scan_tokens(ctx, acc, line, mode);
}

/// Identifiers, paths and (in `mode.words`) plain words of one line.
fn scan_tokens(ctx: &TextCtx, acc: &mut Acc, line: &str, mode: LineMode) {
    let mut prose = String::new();
    // Backticked spans are code whatever their shape.
    let mut rest = line;
    let mut outside = String::new();
    while let Some(i) = rest.find('`') {
        outside.push_str(&rest[..i]);
        outside.push(' ');
        let after = &rest[i + 1..];
        match after.find('`') {
            Some(j) => {
                code_span(ctx, acc, &after[..j], mode.title);
                rest = &after[j + 1..];
            }
            None => {
                rest = after;
                break;
            }
        }
    }
    outside.push_str(rest);
    for raw in outside.split_whitespace() {
        if raw.contains("://") && !raw.starts_with("file://") {
            continue;
        }
        if let Some(p) = normalize_path(raw) {
            add_path(acc, &p, mode.title);
            continue;
        }
        // Code syntax around a token ("OrderService.create", "render()") makes even a
        // PascalCase word code; in prose "JavaScript" or "GitHub" are just words.
        let core = raw.trim_end_matches(|c: char| ".,;:!?)]}\"'".contains(c));
        let syntax = core.contains('(') || core.contains('.') || core.contains("::");
        let is_code =
            |part: &str| is_code_identifier(part) && (mode.code || syntax || !is_pascal_word(part));
        let mut plain = true;
        for part in raw.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$')) {
            if is_code(part) {
                add_identifier(ctx, acc, part, mode.title);
                plain = false;
            }
        }
        if plain {
            prose.push_str(raw);
            prose.push(' ');
        } else {
            // Keep the non-identifier pieces of a mixed token ("getUser()-based").
            for part in raw.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')) {
                if !is_code(part) {
                    prose.push_str(part);
                    prose.push(' ');
                }
            }
        }
    }
    if mode.words {
        let lower = strip_boilerplate(ctx, &prose.to_lowercase());
        let mut ws = Vec::new();
        issue_text::words(&lower, &mut ws);
        for w in ws {
            if !ctx.is_generic_word(&w) {
                acc.add(TermKind::Word, w, mode.title);
            }
        }
    }
}

/// `JavaScript`, `GitHub`, `TypeError`: upper-case start, no underscore (a proper noun in
/// prose; code only with code syntax around it).
fn is_pascal_word(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase) && !t.contains('_')
}

/// Contents of a `backtick` span: a path, or identifiers (any shape: the reporter marked
/// them as code).
fn code_span(ctx: &TextCtx, acc: &mut Acc, span: &str, title: bool) {
    let span = span.trim();
    for m in issue_text::quoted_messages(span, &ctx.message_words, ctx.max_error_chars) {
        acc.add(TermKind::Message, m, title);
    }
    if let Some(p) = normalize_path(span) {
        add_path(acc, &p, title);
        return;
    }
    if let Some(d) = issue_text::normalize_dir(span) {
        acc.add(TermKind::Path, d.to_lowercase(), title);
        if acc.paths.len() < MAX_EVIDENCE_ITEMS * 4 {
            acc.paths.insert(d);
        }
        return;
    }
    for tok in span.split_whitespace() {
        if let Some(p) = normalize_path(tok) {
            add_path(acc, &p, title);
            continue;
        }
        for part in tok.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$')) {
            let looks = part.len() >= 3
                && part
                    .as_bytes()
                    .first()
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'$');
            if looks {
                add_identifier(ctx, acc, part, title);
            }
        }
    }
}

/// The whole identifier as one term and its sub-words as plain words.
fn add_identifier(ctx: &TextCtx, acc: &mut Acc, ident: &str, title: bool) {
    let Some(norm) = normalize_identifier(ident) else {
        return;
    };
    let subs = split_identifier(ident);
    if subs.len() > 1 {
        for s in subs {
            if let Some(w) = issue_text::word(&s)
                && !ctx.is_generic_word(&w)
            {
                acc.add(TermKind::Word, w, title);
            }
        }
    } else if ctx.is_generic_word(&norm) {
        return;
    }
    acc.add(TermKind::Identifier, norm, title);
}

/// A path as its file name and `dir/file` terms (prefixes differ between machines).
fn add_path(acc: &mut Acc, path: &str, title: bool) {
    let path = path.trim_matches('/');
    if path.is_empty() {
        return;
    }
    let name = path_tail(path, 1).to_lowercase();
    let tail = path_tail(path, 2).to_lowercase();
    if tail != name {
        acc.add(TermKind::Path, tail, title);
    }
    acc.add(TermKind::Path, name, title);
    if acc.paths.len() < MAX_EVIDENCE_ITEMS * 4 {
        acc.paths.insert(path.to_string());
    }
}

/// Words in a phrase term.
const MIN_PHRASE: usize = 2;
const MAX_PHRASE: usize = 4;

/// A plain content word (stemmed, not a stop or generic word).
fn content_word(ctx: &TextCtx, raw: &str) -> Option<String> {
    issue_text::word(raw).filter(|w| !ctx.is_generic_word(w))
}

/// Title n-grams (2..=4 consecutive content words; identifiers and paths break a run).
fn title_phrases(ctx: &TextCtx, acc: &mut Acc, title: &str) {
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    for raw in title.split_whitespace() {
        let code = raw.contains('`')
            || normalize_path(raw).is_some()
            || raw
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                .any(is_code_identifier);
        if code {
            runs.push(Vec::new());
            continue;
        }
        for part in raw.split(|c: char| !c.is_alphanumeric()) {
            if let Some(w) = content_word(ctx, part)
                && let Some(run) = runs.last_mut()
            {
                run.push(w);
            }
        }
    }
    for run in runs {
        for n in MIN_PHRASE..=MAX_PHRASE {
            for win in run.windows(n) {
                acc.add(TermKind::Phrase, win.join("_"), true);
            }
        }
    }
}

/// Multi-word template phrases anywhere; single-word ones only as a whole line
/// ("### Environment", "**Logs:**").
fn strip_boilerplate(ctx: &TextCtx, lower: &str) -> String {
    let bare = lower
        .trim()
        .trim_matches(|c: char| "#*_>:-=|".contains(c) || c.is_whitespace());
    if ctx.boilerplate_single.contains(bare) {
        return String::new();
    }
    let mut s = lower.to_string();
    for p in &ctx.boilerplate_multi {
        if s.contains(p.as_str()) {
            s = s.replace(p.as_str(), " ");
        }
    }
    s
}

fn classify(ctx: &TextCtx, title: &str, body: &str, labels: &[String], acc: &Acc) -> IssueKind {
    let k = &ctx.kinds;
    let labels: Vec<String> = labels.iter().map(|l| l.trim().to_lowercase()).collect();
    let bug_label = labels.iter().any(|l| k.bug_labels.contains(l));
    let feature_label = labels.iter().any(|l| k.feature_labels.contains(l));
    match (bug_label, feature_label) {
        (true, false) => return IssueKind::Bug,
        (false, true) => return IssueKind::Feature,
        _ => {}
    }
    let title = title.to_lowercase();
    let has = |text: &str, phrases: &[String]| phrases.iter().any(|p| text.contains(p.as_str()));
    if has(&title, &k.feature_phrases) {
        return IssueKind::Feature;
    }
    let crashed = acc
        .terms
        .keys()
        .any(|(kind, _)| matches!(kind, TermKind::Error | TermKind::Frame));
    if has(&title, &k.bug_phrases) || crashed {
        return IssueKind::Bug;
    }
    let body = issue_text::truncate_chars(body, 20_000).to_lowercase();
    match (has(&body, &k.bug_phrases), has(&body, &k.feature_phrases)) {
        (true, false) => IssueKind::Bug,
        (false, true) => IssueKind::Feature,
        _ => IssueKind::Unknown,
    }
}

/// Candidate-retrieval keys: every specific term first (title terms, then the rest by
/// kind and frequency), then plain words (title first) up to `max_word_keys`, all capped
/// at `max_keys`. Deterministic and independent of corpus statistics, so two issues
/// sharing a rare term emit its key whenever either was fingerprinted.
pub(crate) fn index_keys(fp: &IssueFingerprint, rules: &IndexRules) -> Vec<i64> {
    let mut ranked: Vec<&Term> = fp
        .terms
        .iter()
        .filter(|t| t.kind != TermKind::Word || t.text.chars().count() >= rules.min_word_len)
        .collect();
    ranked.sort_by(|a, b| {
        (a.kind == TermKind::Word)
            .cmp(&(b.kind == TermKind::Word))
            .then(b.title.cmp(&a.title))
            .then(a.kind.cmp(&b.kind))
            .then(b.tf.cmp(&a.tf))
            .then(b.text.len().cmp(&a.text.len()))
            .then(a.text.cmp(&b.text))
    });
    let mut keys = Vec::new();
    let mut words = 0;
    for t in ranked {
        if keys.len() >= rules.max_keys {
            break;
        }
        if t.kind == TermKind::Word {
            if words >= rules.max_word_keys {
                break;
            }
            words += 1;
        }
        keys.push(t.key());
    }
    crate::setops::normalize(&mut keys);
    keys
}

/// The default text context, for tests in this crate.
#[cfg(test)]
pub(crate) fn test_ctx() -> (TextCtx, crate::issue_config::IssueRules) {
    let r =
        crate::issue_config::IssueRules::parse(include_str!("../../../config/issue_rules.yaml"))
            .expect("defaults");
    (TextCtx::new(&r.text, &r.kinds), r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(title: &str, body: &str, labels: &[&str]) -> IssueFingerprint {
        let (ctx, _) = test_ctx();
        build(
            &ctx,
            &IssueInput {
                number: 1,
                title: title.into(),
                body: Some(body.into()),
                labels: labels.iter().map(|s| s.to_string()).collect(),
            },
        )
    }

    fn has(f: &IssueFingerprint, kind: TermKind, text: &str) -> bool {
        f.terms.iter().any(|t| t.kind == kind && t.text == text)
    }

    fn texts(f: &IssueFingerprint, kind: TermKind) -> Vec<&str> {
        f.terms
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.text.as_str())
            .collect()
    }

    #[test]
    fn extracts_every_kind() {
        let f = fp(
            "enrichInvoiceHistory crashes on empty invoices",
            "Calling `fetchOrders` from src/services/orders.ts:42 fails.\n\n\
             ```\nTypeError: Cannot read properties of undefined (reading 'map')\n    \
             at enrichInvoiceHistory (/home/bob/webapp/src/jobs/enrich.ts:12:5)\n```\n",
            &["bug", "area/billing"],
        );
        assert_eq!(f.kind, IssueKind::Bug);
        assert!(has(&f, TermKind::Identifier, "enrich_invoice_history"));
        assert!(has(&f, TermKind::Identifier, "fetch_orders"));
        assert!(has(&f, TermKind::Identifier, "map"), "quoted error value");
        assert!(has(&f, TermKind::Path, "orders.ts"));
        assert!(has(&f, TermKind::Path, "services/orders.ts"));
        assert!(has(&f, TermKind::Path, "jobs/enrich.ts"));
        assert!(has(
            &f,
            TermKind::Error,
            "typeerror: cannot read properties of undefined (reading <str>)"
        ));
        assert!(has(&f, TermKind::Frame, "enrichinvoicehistory@jobs/enrich"));
        assert!(has(&f, TermKind::Label, "area/billing"));
        assert!(!has(&f, TermKind::Label, "bug"), "kind labels are the kind");
        // Sub-words of identifiers are words; generic words and stop words are not.
        assert!(has(&f, TermKind::Word, "invoic"));
        assert!(has(&f, TermKind::Word, "histor") || has(&f, TermKind::Word, "history"));
        assert!(has(&f, TermKind::Word, "crash"));
        assert!(!has(&f, TermKind::Word, "fail"));
        assert!(!has(&f, TermKind::Word, "the"));
        let title_terms: Vec<&Term> = f.terms.iter().filter(|t| t.title).collect();
        assert!(
            title_terms
                .iter()
                .any(|t| t.text == "enrich_invoice_history")
        );
        assert_eq!(f.frames.len(), 1);
        assert_eq!(
            f.paths,
            vec![
                "home/bob/webapp/src/jobs/enrich.ts",
                "src/services/orders.ts"
            ]
        );
        // Sorted and unique: a stable stored form.
        let mut sorted = f.terms.clone();
        sorted.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.text.cmp(&b.text)));
        assert_eq!(sorted, f.terms);
    }

    #[test]
    fn proper_nouns_in_prose_are_words_and_directories_are_paths() {
        let f = fp(
            "JavaScript heap out of memory on GitHub",
            "See OrderService.create and `src/api/`; TypeError shows up.\n```\nconst x = new InvoiceList()\n```",
            &[],
        );
        assert!(has(&f, TermKind::Word, "javascript"));
        assert!(!has(&f, TermKind::Identifier, "java_script"));
        assert!(!has(&f, TermKind::Identifier, "git_hub"));
        assert!(has(&f, TermKind::Identifier, "order_service"));
        assert!(has(&f, TermKind::Identifier, "invoice_list"), "code fence");
        assert!(has(&f, TermKind::Path, "src/api/"));
        assert!(!has(&f, TermKind::Identifier, "src"));
    }

    #[test]
    fn code_fences_keep_names_but_not_words() {
        let f = fp("x", "```\nconst totalAmount = compute(order)\n```\n", &[]);
        assert!(has(&f, TermKind::Identifier, "total_amount"));
        assert!(!has(&f, TermKind::Word, "compute"));
        assert!(
            has(&f, TermKind::Word, "total"),
            "identifier sub-words count"
        );
    }

    #[test]
    fn boilerplate_checkboxes_and_comments_are_dropped() {
        let f = fp(
            "Dashboard",
            "<!-- Please describe the chart rendering -->\n### Steps to reproduce\n\
             1. open dashboard\n### Expected behavior\nchart renders\n### Environment\n\
             - [x] I have searched the existing issues for duplicates\n",
            &[],
        );
        for w in [
            "step",
            "expect",
            "behavior",
            "environment",
            "search",
            "duplicat",
            "chart",
        ] {
            let present = has(&f, TermKind::Word, w);
            assert_eq!(present, w == "chart", "{w}");
        }
        assert!(has(&f, TermKind::Word, "dashboard"));
        assert!(has(&f, TermKind::Word, "render"));
        assert!(!has(&f, TermKind::Word, "describ"), "inside a comment");
        // A single-word phrase inside a sentence is content.
        let f = fp("x", "The environment variable is ignored", &[]);
        assert!(has(&f, TermKind::Word, "environment"));
    }

    #[test]
    fn frames_from_ignored_runtimes_are_not_terms() {
        let f = fp(
            "x",
            "Error: boom\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)\n    \
             at Module._compile (/app/node_modules/x/index.js:1:1)\n    at run (/app/src/run.ts:3:3)",
            &[],
        );
        assert_eq!(texts(&f, TermKind::Frame), vec!["run@run"]);
    }

    #[test]
    fn kinds_from_labels_then_wording() {
        assert_eq!(
            fp("Crash on save", "", &["enhancement"]).kind,
            IssueKind::Feature
        );
        assert_eq!(fp("Add dark mode", "", &["Bug"]).kind, IssueKind::Bug);
        assert_eq!(
            fp("Feature request: export CSV", "", &[]).kind,
            IssueKind::Feature
        );
        assert_eq!(
            fp("Save button", "TypeError: x is undefined", &[]).kind,
            IssueKind::Bug
        );
        assert_eq!(fp("Save button", "it crashes", &[]).kind, IssueKind::Bug);
        assert_eq!(fp("Save button", "", &[]).kind, IssueKind::Unknown);
        assert_eq!(
            fp("Save button", "", &["bug", "enhancement"]).kind,
            IssueKind::Unknown
        );
    }

    #[test]
    fn term_counts_and_keys() {
        let f = fp("retry", "retry retries retried", &[]);
        let t = f.terms.iter().find(|t| t.text == "retry");
        assert_eq!(t.map(|t| (t.tf, t.title)), Some((4, true)));
        let keys = f.term_keys();
        assert_eq!(keys.len(), f.terms.len());
        // The same text under two kinds gives two keys.
        let a = Term {
            kind: TermKind::Word,
            text: "orders".into(),
            tf: 1,
            title: false,
        };
        let b = Term {
            kind: TermKind::Identifier,
            ..a.clone()
        };
        assert_ne!(a.key(), b.key());
    }

    #[test]
    fn index_keys_prefer_specific_terms_and_are_capped() {
        let (ctx, rules) = test_ctx();
        let body: String = (0..300)
            .map(|i| format!("word{i}x longword{}y `ident{i}Name` ", i * 7))
            .collect();
        let f = build(
            &ctx,
            &IssueInput {
                number: 1,
                title: "TypeError in checkoutFlow".into(),
                body: Some(body),
                labels: vec![],
            },
        );
        let keys = index_keys(&f, &rules.index);
        assert_eq!(keys.len(), rules.index.max_keys);
        let ident = f
            .terms
            .iter()
            .find(|t| t.text == "checkout_flow")
            .map(Term::key);
        assert!(ident.is_some_and(|k| keys.contains(&k)));
        let small = fp("Login button", "", &[]);
        assert_eq!(index_keys(&small, &rules.index).len(), small.terms.len());
    }

    #[test]
    fn limits_hold_on_huge_input() {
        let (ctx, _) = test_ctx();
        let body = "`aB` a_b ".repeat(100_000) + &"x".repeat(300_000);
        let f = build(
            &ctx,
            &IssueInput {
                number: 1,
                title: "t".repeat(100_000),
                body: Some(body),
                labels: vec!["l".repeat(1000)],
            },
        );
        assert!(f.truncated);
        assert!(f.terms.len() <= ctx.max_terms);
    }

    #[test]
    fn empty_and_odd_input_is_fine() {
        let (ctx, _) = test_ctx();
        let f = build(&ctx, &IssueInput::default());
        assert!(f.terms.is_empty());
        assert_eq!(f.kind, IssueKind::Unknown);
        for body in [
            "```",
            "`",
            "``",
            "<!--",
            "\u{0}\u{feff}é🙂",
            "at (",
            "File \"",
            "\r\n\r\n",
        ] {
            let _ = fp(body, body, &[body]);
        }
    }

    #[test]
    fn fingerprint_round_trips_as_json() {
        let f = fp(
            "crash in `foo_bar`",
            "Error: x\n  at f (src/a.ts:1:2)",
            &["area/x"],
        );
        let json = serde_json::to_string(&f).unwrap_or_default();
        let back: Option<IssueFingerprint> = serde_json::from_str(&json).ok();
        assert_eq!(back.as_ref(), Some(&f));
        assert!(json.contains("\"k\":\"IDENTIFIER\""));
    }
}
