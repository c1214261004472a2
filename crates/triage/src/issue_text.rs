//! Text primitives for issue (and PR text) fingerprints: plain words with light stemming,
//! code identifiers split into sub-words, normalised error lines, stack frames reduced to
//! `(function, file)`, and file paths without line/column.
//!
//! Everything here is a total function on arbitrary text: it never panics, never indexes
//! a string off a character boundary, and bounds its output. Normalisation exists so the
//! same problem reported twice produces the same terms: line numbers, addresses, quoted
//! values and machine-specific path prefixes differ between two reports of one bug.

/// English function words (never terms).
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "aren", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "did", "do", "does", "doing", "down", "during", "each", "etc", "even",
    "ever", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
    "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "let", "may", "me", "might", "more", "most", "much", "must", "my", "no", "nor", "not",
    "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over",
    "own", "per", "same", "she", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "through", "thus", "to", "too", "under",
    "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "why", "will", "with", "within", "without", "yet",
    "you", "your", "yours", "ll", "ve", "re",
];

/// Language keywords: code tokens too common to identify anything.
const CODE_WORDS: &[&str] = &[
    "async",
    "await",
    "bool",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "def",
    "default",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "final",
    "finally",
    "fn",
    "for",
    "func",
    "function",
    "if",
    "impl",
    "import",
    "in",
    "int",
    "interface",
    "let",
    "match",
    "mod",
    "mut",
    "new",
    "nil",
    "none",
    "null",
    "number",
    "object",
    "package",
    "pass",
    "private",
    "pub",
    "public",
    "raise",
    "return",
    "self",
    "static",
    "str",
    "string",
    "struct",
    "super",
    "switch",
    "this",
    "throw",
    "trait",
    "true",
    "try",
    "type",
    "undefined",
    "use",
    "var",
    "void",
    "while",
    "yield",
];

/// File extensions that make a bare `name.ext` token a path.
const SOURCE_EXTENSIONS: &[&str] = &[
    "ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "rs", "go", "java", "kt", "rb", "php", "cs", "c",
    "h", "cc", "cpp", "hpp", "swift", "json", "yaml", "yml", "toml", "md", "mdx", "css", "scss",
    "html", "vue", "svelte", "sql", "sh", "lock", "txt", "xml", "proto", "graphql",
];

/// Longest word, identifier or path component kept (longer tokens are data, not names).
const MAX_TOKEN_CHARS: usize = 64;
/// Path components kept from a frame's file after its source/build root.
const FRAME_FILE_COMPONENTS: usize = 3;
/// Source and build roots: a frame's file is taken below the last of them, so
/// `/home/u/app/src/services/billing.ts` and `/app/dist/services/billing.js` agree while
/// `tools/warehouse/cmd/main.go` and `tools/export/cmd/main.go` stay apart.
const FRAME_ROOTS: &[&str] = &["src", "dist", "build", "lib", "out", "app", "target", "bin"];
/// Source and compiled extensions of one module (`billing.ts` runs as `billing.js`).
const MODULE_EXTENSIONS: &[&str] = &[
    "ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "py", "pyc", "rs", "go", "java", "class",
    "kt", "rb", "php", "cs",
];

pub(crate) fn is_stop_word(w: &str) -> bool {
    STOP_WORDS.contains(&w)
}

pub(crate) fn is_code_word(w: &str) -> bool {
    CODE_WORDS.contains(&w)
}

/// Light English suffix stemmer: plural, `-ing`, `-ed`, `-ly`, final `e`. Enough to make
/// "crashes", "crashed", "crashing" one term; deliberately no dictionary.
pub fn stem(word: &str) -> String {
    let n = word.chars().count();
    if n <= 3 {
        return word.to_string();
    }
    let mut w = word.to_string();
    if let Some(s) = w.strip_suffix("ies").filter(|_| n > 4) {
        w = format!("{s}y");
    } else if let Some(s) = w.strip_suffix("ied").filter(|_| n > 4) {
        w = format!("{s}y");
    } else if w.ends_with("sses")
        || w.ends_with("xes")
        || w.ends_with("ches")
        || w.ends_with("shes")
        || w.ends_with("zes")
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(w.len() - 1);
    }
    for suffix in ["ing", "ed"] {
        if let Some(s) = w.strip_suffix(suffix)
            && s.chars().count() >= 3
            && s.chars().any(is_vowel)
        {
            w = s.to_string();
            undouble(&mut w);
            break;
        }
    }
    if let Some(s) = w.strip_suffix("ly")
        && s.chars().count() >= 4
    {
        w = s.to_string();
    }
    if w.chars().count() > 4 && w.ends_with('e') {
        w.pop();
    }
    w
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// "stopp" → "stop", "runn" → "run"; "fall", "pass", "buzz" stay.
fn undouble(w: &mut String) {
    let mut it = w.chars().rev();
    if let (Some(a), Some(b)) = (it.next(), it.next())
        && a == b
        && a.is_ascii_alphabetic()
        && !is_vowel(a)
        && !matches!(a, 'l' | 's' | 'z')
    {
        w.pop();
    }
}

/// Plain words of `text`: lower case, stop words and numbers dropped, stemmed.
pub fn words(text: &str, out: &mut Vec<String>) {
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if let Some(w) = word(raw) {
            out.push(w);
        }
    }
}

/// One raw alphanumeric token as a plain word, if it is one.
pub fn word(raw: &str) -> Option<String> {
    let n = raw.chars().count();
    if !(3..=30).contains(&n) || raw.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let lower = raw.to_lowercase();
    if is_stop_word(&lower) {
        return None;
    }
    let s = stem(&lower);
    (s.chars().count() >= 3).then_some(s)
}

/// Sub-words of an identifier, lower case: `parseHTTPResponse` → parse, http, response;
/// `MAX_RETRY_COUNT` → max, retry, count; `utf8Decode` → utf8, decode.
pub fn split_identifier(ident: &str) -> Vec<String> {
    let chars: Vec<char> = ident.chars().take(MAX_TOKEN_CHARS * 2).collect();
    let mut parts = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = if i > 0 {
            chars.get(i - 1).copied()
        } else {
            None
        };
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// The identifier's sub-words joined by `_`, so `enrichInvoiceHistory`,
/// `EnrichInvoiceHistory` and `enrich_invoice_history` are one term. `None` for tokens
/// too short, too long, keywords, or without a letter.
pub fn normalize_identifier(ident: &str) -> Option<String> {
    let n = ident.chars().count();
    if !(2..=MAX_TOKEN_CHARS).contains(&n) || !ident.chars().any(char::is_alphabetic) {
        return None;
    }
    let parts = split_identifier(ident);
    let joined = parts.join("_");
    if joined.chars().count() < 3 || is_code_word(&joined) || is_stop_word(&joined) {
        return None;
    }
    Some(joined)
}

/// A bare (non-backticked) token that is evidently code: camelCase, PascalCase with two
/// humps, snake_case or SCREAMING_SNAKE. Plain words ("Hello", "HTTP") are not.
pub fn is_code_identifier(tok: &str) -> bool {
    let b = tok.as_bytes();
    if b.len() < 3
        || b.len() > MAX_TOKEN_CHARS
        || !(b[0].is_ascii_alphabetic() || b[0] == b'_' || b[0] == b'$')
        || !b
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$')
        || !b.iter().any(u8::is_ascii_alphabetic)
    {
        return false;
    }
    let snake = b
        .windows(3)
        .any(|w| w[0].is_ascii_alphanumeric() && w[1] == b'_' && w[2].is_ascii_alphanumeric());
    let camel = b
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    snake || camel
}

/// `name.ext` or `dir/name.ext[:line[:col]]` as a normalised path (line/column, `./`,
/// `file://` and `#L12` anchors removed, `\` turned into `/`), if the token is one.
pub fn normalize_path(tok: &str) -> Option<String> {
    let t = tok.trim_matches(|c: char| "()[]{}<>\"'`,;!?*".contains(c));
    let t = t.trim_end_matches(['.', ':']);
    if t.contains("://") && !t.starts_with("file://") {
        return None;
    }
    let t = t.strip_prefix("file://").unwrap_or(t);
    let t = t.split('#').next().unwrap_or("");
    let t = strip_line_col(t);
    let t = t.replace('\\', "/");
    let t = t.trim_start_matches("./");
    if t.is_empty() || t.len() > 300 || t.contains(char::is_whitespace) {
        return None;
    }
    let name = t.rsplit('/').next().unwrap_or(t);
    let (stem, ext) = name.rsplit_once('.')?;
    let ext_ok = !ext.is_empty()
        && ext.len() <= 8
        && ext.bytes().all(|c| c.is_ascii_alphanumeric())
        && ext.bytes().any(|c| c.is_ascii_alphabetic());
    if !ext_ok || stem.is_empty() || stem.chars().count() > MAX_TOKEN_CHARS {
        return None;
    }
    let known = SOURCE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str());
    let valid_chars = t
        .chars()
        .all(|c| c.is_alphanumeric() || "/._-@+$[]".contains(c));
    if !valid_chars || !(known || (t.contains('/') && !stem.contains('.'))) {
        return None;
    }
    // Domain-like "example.com" has no slash and an unknown extension: rejected above.
    Some(t.trim_start_matches('/').to_string())
}

/// A backticked directory (`src/api/`, `worker/billing`): no extension, at least one
/// slash, path characters only; as `dir/` (one trailing slash).
pub fn normalize_dir(span: &str) -> Option<String> {
    let t = span.trim().trim_start_matches("./");
    if !t.contains('/') || t.contains("://") || t.len() > 200 {
        return None;
    }
    let d = t.trim_matches('/');
    let last = d.rsplit('/').next().unwrap_or(d);
    let ok = !d.is_empty()
        && !last.contains('.')
        && d.chars().all(|c| c.is_alphanumeric() || "/_-@".contains(c))
        && d.split('/').all(|p| !p.is_empty());
    ok.then(|| format!("{d}/"))
}

/// Removes a trailing `:line`, `:line:col` or ` +0x1d` (Go) from a location.
fn strip_line_col(t: &str) -> &str {
    let mut t = t.split(" +0x").next().unwrap_or(t);
    for _ in 0..2 {
        if let Some((head, tail)) = t.rsplit_once(':')
            && !tail.is_empty()
            && tail.bytes().all(|c| c.is_ascii_digit())
        {
            t = head;
        }
    }
    t
}

/// The last `n` components of a path: machine-specific prefixes (`/home/x/proj/`,
/// `/app/`) differ between two reports of the same frame.
pub fn path_tail(path: &str, n: usize) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let start = parts.len().saturating_sub(n);
    parts[start..].join("/")
}

/// The error-line head of a line, if the line reports an error (see [`normalize_error`]).
fn error_start(line: &str) -> Option<&str> {
    let mut t = line.trim();
    // Quote/list markers and pytest's "E   " prefix.
    for p in ["> ", "E   ", "- ", "* "] {
        if let Some(s) = t.strip_prefix(p) {
            t = s.trim_start();
        }
    }
    for p in [
        "Uncaught ",
        "Unhandled ",
        "Caused by: ",
        "uncaught ",
        "unhandled rejection ",
    ] {
        if let Some(s) = t.strip_prefix(p) {
            t = s.trim_start();
        }
    }
    if let Some(rest) = t.strip_prefix("Exception in thread ") {
        // Java: Exception in thread "main" java.lang.NullPointerException: msg
        let after = rest.trim_start_matches('"');
        let after = after.split_once('"').map_or(after, |(_, a)| a);
        t = after.trim_start();
    }
    if t.starts_with("thread '") && t.contains("' panicked at") {
        return Some(t);
    }
    line_start_error(t).or_else(|| embedded_error(t))
}

/// An error reported at the start of the (marker-stripped) line.
fn line_start_error(t: &str) -> Option<&str> {
    let (head, rest) = t.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let bare = match head.split_once(" [") {
        Some((h, code)) if code.ends_with(']') => h,
        _ => head,
    };
    let lower = bare.to_ascii_lowercase();
    let keyword = matches!(
        lower.as_str(),
        "error" | "panic" | "fatal" | "fatal error" | "exception"
    ) || (lower.starts_with("error[e") && lower.ends_with(']'));
    (keyword || is_typed_error(bare)).then_some(t)
}

/// `TypeError`, `requests.exceptions.ConnectionError`, `java.lang.IllegalStateException`.
fn is_typed_error(head: &str) -> bool {
    !head.is_empty()
        && head.len() <= 120
        && head
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || c == b'$')
        && head.as_bytes()[0].is_ascii_alphabetic()
        && ["Error", "Exception", "Err", "Panic", "Failure", "Rejection"]
            .iter()
            .any(|s| head.ends_with(s))
}

/// A typed error inside a line: prose ("then I get TypeError: x is not a function") or a
/// JSON log (`"stack": "TypeError: …"`, cut at the closing quote).
fn embedded_error(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    let mut from = 0;
    while let Some(i) = t[from..].find(": ").map(|i| i + from) {
        from = i + 2;
        let start = t[..i]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '_' || *c == '$'))
            .map_or(0, |(j, c)| j + c.len_utf8());
        let head = &t[start..i];
        let before = start.checked_sub(1).map(|j| b[j]);
        // A bare "Error:" mid-line is prose, unless it is chained after another colon
        // ("Unhandled error event: Error: connect …"); a typed one ("TypeError:") is not.
        let bare = matches!(head, "Error" | "Exception" | "Err" | "Panic" | "Failure");
        let chained = t[..start].ends_with(": ");
        if (bare && !chained) || !is_typed_error(head) {
            continue;
        }
        if !matches!(
            before,
            None | Some(b' ' | b'"' | b'\'' | b'`' | b'(' | b'[' | b'{' | b'=' | b'>')
        ) {
            continue;
        }
        let rest = &t[start..];
        return Some(if before == Some(b'"') {
            // Inside a JSON string: up to the closing (unescaped) quote.
            let body = rest.as_bytes();
            let mut end = rest.len();
            let mut k = 0;
            while k < body.len() {
                match body[k] {
                    b'\\' => k += 1,
                    b'"' => {
                        end = k;
                        break;
                    }
                    _ => {}
                }
                k += 1;
            }
            &rest[..end.min(rest.len())]
        } else {
            rest
        });
    }
    None
}

/// A normalised error line plus identifier-like quoted values it contained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLine {
    pub text: String,
    /// The message without the error type (`cannot read properties of undefined
    /// (reading <str>)`) when it has at least three words: what a report quoting the
    /// message without its type shares with this one.
    pub message: Option<String>,
    pub quoted: Vec<String>,
}

/// Normalises an error line (`TypeError: …`, `panic: …`, `Error: …`, `thread 'main'
/// panicked at …`, Python `XxxError: …`): lower case, quoted values → `<str>`, numbers →
/// `<n>`, hex/addresses/ids → `<hex>`, paths → their file name without line/column,
/// whitespace collapsed, cut to `max_chars`. `next` is the following line, which carries
/// the message of Rust's newer panic format. `None` if the line is no error line.
pub fn normalize_error(line: &str, next: Option<&str>, max_chars: usize) -> Option<ErrorLine> {
    let t = error_start(line)?;
    let t: String = t.chars().take(max_chars * 4).collect();
    let mut quoted = Vec::new();
    let text = if let Some(rest) = t.strip_prefix("thread '") {
        // Rust: both panic formats normalise to "panicked at <file>: <message>".
        let after = rest
            .split_once("' panicked at")
            .map_or("", |(_, a)| a.trim());
        let (msg, loc) = if let Some(m) = after.strip_prefix('\'') {
            // Old: 'message', src/main.rs:4:5
            match m.rsplit_once("', ") {
                Some((msg, loc)) => (msg.to_string(), loc.to_string()),
                None => (m.trim_end_matches('\'').to_string(), String::new()),
            }
        } else {
            // New: src/main.rs:4:5: (message on the next line)
            let loc = after.trim_end_matches(':').to_string();
            (next.map(str::trim).unwrap_or("").to_string(), loc)
        };
        let file = normalize_path(&loc)
            .map(|p| path_tail(&p, 1))
            .unwrap_or_default();
        let msg = normalize_message(&msg, true, &mut quoted);
        format!("panicked at {file}: {msg}")
    } else {
        normalize_message(&t, false, &mut quoted)
    };
    let text = text
        .trim_end_matches(|c: char| c == '.' || c == ':' || c == ',' || c.is_whitespace())
        .to_string();
    if text.is_empty() {
        return None;
    }
    let text: String = text.chars().take(max_chars).collect();
    quoted.sort_unstable();
    quoted.dedup();
    let message = text
        .split_once(": ")
        .map(|(_, m)| m.trim().to_string())
        .filter(|m| m.split_whitespace().count() >= 3);
    Some(ErrorLine {
        text,
        message,
        quoted,
    })
}

/// The message part of [`normalize_error`]. With `keep_quotes`, quoted text is kept as
/// words (Rust's old panic format quotes the whole message).
fn normalize_message(s: &str, keep_quotes: bool, quoted: &mut Vec<String>) -> String {
    let unquoted = if keep_quotes {
        s.to_string()
    } else {
        replace_quoted(s, quoted)
    };
    let mut out: Vec<String> = Vec::new();
    for tok in unquoted.split_whitespace() {
        let lower = tok.to_lowercase();
        let core = lower.trim_matches(|c: char| "()[]{},;".contains(c));
        let normal = if let Some(port) = host_port(core) {
            port
        } else if core.contains('/') || core.contains('\\') {
            match normalize_path(core) {
                Some(p) => path_tail(&p, 1),
                None => mask_numbers(&lower),
            }
        } else if is_hexish(core) {
            "<hex>".to_string()
        } else {
            mask_numbers(&lower)
        };
        if !normal.is_empty() {
            out.push(normal);
        }
    }
    out.join(" ")
}

/// Error messages quoted without a type: a backticked span, or a double-quoted string
/// inside it (`{"error":"upload unsupported kind: image/heic"}`), of 3–30 words that has
/// a colon or one of `message_words` ("failed", "unsupported", …). Normalised like
/// [`normalize_error`].
pub fn quoted_messages(span: &str, message_words: &[String], max_chars: usize) -> Vec<String> {
    let mut candidates = vec![span];
    let mut rest = span;
    while let Some(i) = rest.find('"') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('"') else { break };
        candidates.push(&after[..j]);
        rest = &after[j + 1..];
    }
    let mut out = Vec::new();
    for c in candidates {
        let c = truncate_chars(c.trim(), max_chars * 2);
        let n = c.split_whitespace().count();
        let wordy = c
            .split_whitespace()
            .filter(|w| w.chars().all(char::is_alphabetic))
            .count();
        if !(3..=30).contains(&n) || wordy < 2 || c.starts_with('{') {
            continue;
        }
        let lower = c.to_lowercase();
        let failure = lower.contains(": ")
            || lower
                .split(|ch: char| !ch.is_alphanumeric() && ch != '\'')
                .any(|w| message_words.iter().any(|m| m == w));
        if !failure {
            continue;
        }
        let mut quoted = Vec::new();
        let text = normalize_message(c, false, &mut quoted);
        let text = text.trim_end_matches(['.', ':', ',']).to_string();
        let text: String = text.chars().take(max_chars).collect();
        if !text.is_empty() && !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// `127.0.0.1:6379` → `<n>.<n>.<n>.<n>:6379`: the host varies between machines, the port
/// is configuration (Redis vs Postgres) and tells two problems apart.
fn host_port(t: &str) -> Option<String> {
    let (host, port) = t.rsplit_once(':')?;
    let host_ok = !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let port_ok = (2..=5).contains(&port.len()) && port.bytes().all(|c| c.is_ascii_digit());
    (host_ok && port_ok).then(|| format!("{}:{port}", mask_numbers(host)))
}

/// `'…'` and `"…"` → `<str>` (values differ between reports); an apostrophe inside a
/// word ("can't") is no quote. Identifier-like quoted values go to `quoted`.
fn replace_quoted(s: &str, quoted: &mut Vec<String>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let opens = (c == '\'' || c == '"')
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && chars.get(i + 1).is_some();
        if opens && let Some(len) = chars[i + 1..].iter().position(|&d| d == c) {
            let inner: String = chars[i + 1..i + 1 + len].iter().collect();
            if let Some(id) = identifier_value(&inner) {
                quoted.push(id);
            }
            out.push_str("<str>");
            i += len + 2;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A quoted value that names something (`user_id`, `map`, `fetchOrders`), normalised.
fn identifier_value(v: &str) -> Option<String> {
    let ok = v.chars().count() >= 3
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.')
        && v.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !ok {
        return None;
    }
    let last = v.rsplit('.').next().unwrap_or(v);
    normalize_identifier(last)
}

/// `0x7ffd…`, git SHAs, UUIDs and other long hex runs.
fn is_hexish(t: &str) -> bool {
    let t = t.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    if let Some(h) = t.strip_prefix("0x") {
        return !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit());
    }
    let hex: Vec<u8> = t.bytes().filter(|c| *c != b'-').collect();
    hex.len() >= 8
        && hex.iter().all(u8::is_ascii_hexdigit)
        && hex.iter().any(u8::is_ascii_digit)
        && hex.iter().any(u8::is_ascii_alphabetic)
}

/// Digit runs not glued to a preceding letter → `<n>` (`E0277`, `v2`, `utf8` stay).
fn mask_numbers(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut prev_alpha = false;
    let mut in_num = false;
    for c in t.chars() {
        if c.is_ascii_digit() && !prev_alpha {
            if !in_num {
                out.push_str("<n>");
                in_num = true;
            }
            continue;
        }
        if c.is_ascii_digit() && in_num {
            continue;
        }
        in_num = false;
        prev_alpha = c.is_alphabetic() || (c.is_ascii_digit() && prev_alpha);
        out.push(c);
    }
    out
}

/// A stack frame reduced to what survives between two reports: the function and the
/// file (its last components), never the line number.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Frame {
    pub function: String,
    pub file: String,
}

impl Frame {
    /// Lower-case `function@file`: the term text.
    pub fn key_text(&self) -> String {
        format!("{}@{}", self.function, self.file).to_lowercase()
    }
}

/// Parses one stack-trace line; `prev`/`next` are its neighbours (a Rust frame's function
/// is on the line before its `at`, a Go frame's file on the line after its call).
/// Formats: JS `at fn (path:l:c)` / `at path:l:c`, Java `at pkg.Cls.m(File.java:l)`,
/// Python `File "path", line n, in fn`, Go `pkg.Func(…)` + `\t/path/x.go:NN +0x1d`,
/// Rust `N: crate::f` + `at src/x.rs:NN:CC`.
pub fn parse_frame(line: &str, prev: Option<&str>, next: Option<&str>) -> Option<Frame> {
    parse_frame_located(line, prev, next).map(|(f, _)| f)
}

/// [`parse_frame`] plus the frame's raw `function@location` (lower case), which is what
/// runtime/framework filters (`node_modules/`, `node:internal`) look at.
pub fn parse_frame_located(
    line: &str,
    prev: Option<&str>,
    next: Option<&str>,
) -> Option<(Frame, String)> {
    let t = line.trim();
    if t.len() > 600 {
        return None;
    }
    if let Some(rest) = t.strip_prefix("at ") {
        return at_frame(rest.trim(), prev);
    }
    if let Some(rest) = t.strip_prefix("File \"") {
        let (path, tail) = rest.split_once('"')?;
        let func = tail.split_once(", in ").map(|(_, f)| f.trim())?;
        if !tail
            .trim_start_matches(',')
            .trim_start()
            .starts_with("line")
        {
            return None;
        }
        return frame(func, path);
    }
    go_frame(t, next?)
}

fn at_frame(rest: &str, prev: Option<&str>) -> Option<(Frame, String)> {
    let rest = rest.strip_prefix("async ").unwrap_or(rest);
    let rest = rest.strip_prefix("new ").unwrap_or(rest);
    let (func, loc) = if let Some(inner) = rest.strip_suffix(')') {
        if let Some((f, l)) = inner.rsplit_once(" (") {
            (f.to_string(), l)
        } else {
            let (f, l) = inner.split_once('(')?; // Java: pkg.Cls.m(File.java:42)
            (f.to_string(), l)
        }
    } else {
        let func = prev.and_then(rust_frame_function).unwrap_or("<anonymous>");
        (func.to_string(), rest)
    };
    // A location, not prose ("at the moment"): it carries a line number.
    let has_line = loc
        .split(':')
        .skip(1)
        .any(|p| p.bytes().next().is_some_and(|c| c.is_ascii_digit()));
    if !has_line || loc.contains(' ') {
        return None;
    }
    frame(&func, loc)
}

/// `  3: webapp::orders::create::h1a2b3c4d5e6f7a8b` → `webapp::orders::create`.
fn rust_frame_function(line: &str) -> Option<&str> {
    let (num, f) = line.trim().split_once(": ")?;
    if num.is_empty() || !num.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let f = f.trim();
    let f = match f.rsplit_once("::h") {
        Some((head, h)) if h.len() == 16 && h.bytes().all(|c| c.is_ascii_hexdigit()) => head,
        _ => f,
    };
    (!f.is_empty() && !f.contains(' ')).then_some(f)
}

/// Go: `github.com/acme/webapp/internal/orders.(*Service).Create(0xc000…)` then
/// `\t/home/u/webapp/internal/orders/service.go:42 +0x1d`.
fn go_frame(t: &str, next: &str) -> Option<(Frame, String)> {
    let n = next.trim();
    if !t.ends_with(')') || !n.contains(".go:") {
        return None;
    }
    let b = t.as_bytes();
    let open = (1..b.len()).find(|&i| b[i] == b'(' && b[i - 1] != b'.')?;
    let qualified = &t[..open];
    if qualified.contains(char::is_whitespace) {
        return None;
    }
    let func = qualified.rsplit('/').next().unwrap_or(qualified);
    if !func.contains('.') {
        return None;
    }
    let loc = n.split_whitespace().next()?;
    frame(func, loc)
}

fn frame(func: &str, loc: &str) -> Option<(Frame, String)> {
    let loc = loc
        .trim()
        .trim_start_matches("file://")
        .trim_start_matches("webpack:///")
        .trim_start_matches("webpack://");
    let loc = strip_line_col(loc).replace('\\', "/");
    let parts: Vec<&str> = loc
        .trim_start_matches("./")
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    // Below the last root, keeping at least the file name.
    let last = parts.len().saturating_sub(1);
    let below = parts[..last]
        .iter()
        .rposition(|p| FRAME_ROOTS.contains(&p.to_ascii_lowercase().as_str()))
        .map_or(0, |i| i + 1);
    let mut file = path_tail(&parts[below..].join("/"), FRAME_FILE_COMPONENTS);
    if let Some((stem, ext)) = file.rsplit_once('.')
        && MODULE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        && !stem.is_empty()
        && !stem.ends_with('/')
    {
        file.truncate(stem.len());
    }
    let func = func.trim();
    let func = func.strip_prefix("Object.").unwrap_or(func);
    // JS method aliases: "Layer.handle [as handle_request]".
    let func = match func.split_once(" [as ") {
        Some((f, _)) => f.trim(),
        None => func,
    };
    if file.is_empty() || func.is_empty() || func.len() > 200 || file.len() > 300 {
        return None;
    }
    let function = func.to_lowercase();
    let raw = format!("{function}@{}", loc.to_lowercase());
    Some((
        Frame {
            function,
            file: file.to_lowercase(),
        },
        raw,
    ))
}

/// A JSON-escaped multi-line string pasted as one line (a log's `"stack"` field) as
/// real lines; `None` when the line has fewer than two `\n` escapes.
pub fn expand_escaped_lines(line: &str) -> Option<String> {
    if line.matches("\\n").count() < 2 {
        return None;
    }
    Some(
        line.replace("\\r\\n", "\n")
            .replace("\\n", "\n")
            .replace("\\t", "\t")
            .replace("\\\"", "\""),
    )
}

/// Drops `<!-- … -->` comments (issue templates are full of them); an unterminated
/// comment runs to the end.
pub fn strip_html_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The first `max` characters of `s` (on a character boundary).
pub fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(line: &str) -> Option<String> {
        normalize_error(line, None, 240).map(|e| e.text)
    }

    #[test]
    fn stemming_merges_inflections() {
        for group in [
            &["crash", "crashes", "crashed", "crashing"][..],
            &["cache", "caches", "cached", "caching"],
            &["retry", "retries", "retried"],
            &["fail", "fails", "failed", "failing"],
            &["invoice", "invoices"],
            &["stop", "stopped", "stopping", "stops"],
            &["process", "processed", "processing", "processes"],
        ] {
            let s: Vec<String> = group.iter().map(|w| stem(w)).collect();
            assert!(s.iter().all(|x| x == &s[0]), "{group:?} → {s:?}");
        }
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("red"), "red");
        assert_eq!(stem("need"), "need");
        assert_eq!(stem("fall"), "fall");
        assert_eq!(stem("éééés"), "éééé");
    }

    #[test]
    fn words_drop_stop_words_numbers_and_short_tokens() {
        let mut w = Vec::new();
        words("The cache is NOT refreshed after 30 seconds, é x2!", &mut w);
        assert_eq!(w, vec!["cach", "refresh", "second"]);
        let mut w = Vec::new();
        words("Überprüfung der Größe", &mut w);
        assert_eq!(w, vec!["überprüfung", "der", "größ"]);
        assert_eq!(word(&"a".repeat(31)), None);
    }

    #[test]
    fn identifiers_split_into_sub_words() {
        assert_eq!(
            split_identifier("parseHTTPResponse"),
            vec!["parse", "http", "response"]
        );
        assert_eq!(
            split_identifier("MAX_RETRY_COUNT"),
            vec!["max", "retry", "count"]
        );
        assert_eq!(split_identifier("utf8Decode"), vec!["utf8", "decode"]);
        assert_eq!(split_identifier("IOError"), vec!["io", "error"]);
        assert_eq!(
            split_identifier("orders.createOrder()"),
            vec!["orders", "create", "order"]
        );
        assert_eq!(
            normalize_identifier("enrichInvoiceHistory"),
            normalize_identifier("enrich_invoice_history")
        );
        assert_eq!(
            normalize_identifier("EnrichInvoiceHistory").as_deref(),
            Some("enrich_invoice_history")
        );
        assert_eq!(normalize_identifier("const"), None);
        assert_eq!(normalize_identifier("42"), None);
        assert_eq!(normalize_identifier(&"a".repeat(65)), None);
    }

    #[test]
    fn bare_identifiers_need_code_shape() {
        for yes in [
            "getUser",
            "InvoiceHistory",
            "user_id",
            "MAX_RETRIES",
            "$scope_id",
        ] {
            assert!(is_code_identifier(yes), "{yes}");
        }
        for no in [
            "Hello", "HTTP", "ok", "the", "snake_", "_x", "café_au", "a-b", "1st_x",
        ] {
            assert!(!is_code_identifier(no), "{no}");
        }
    }

    #[test]
    fn paths_lose_line_col_and_prefixes() {
        assert_eq!(
            normalize_path("src/services/orders.ts:42:7").as_deref(),
            Some("src/services/orders.ts")
        );
        assert_eq!(normalize_path("(./lib/x.py)").as_deref(), Some("lib/x.py"));
        assert_eq!(
            normalize_path("C:\\proj\\src\\main.rs").as_deref(),
            None,
            "drive letters have a colon: not a path token we keep"
        );
        assert_eq!(
            normalize_path("proj\\src\\main.rs").as_deref(),
            Some("proj/src/main.rs")
        );
        assert_eq!(normalize_path("orders.ts.").as_deref(), Some("orders.ts"));
        assert_eq!(
            normalize_path("https://github.com/a/b/blob/main/src/x.ts#L10"),
            None
        );
        assert_eq!(normalize_path("src/x.ts#L10").as_deref(), Some("src/x.ts"));
        assert_eq!(
            normalize_path("file:///home/u/app/src/x.ts:3").as_deref(),
            Some("home/u/app/src/x.ts")
        );
        for no in [
            "example.com",
            "1.2.3",
            "e.g.",
            "v1.0",
            "",
            ".",
            "a b.ts",
            "README",
        ] {
            assert_eq!(normalize_path(no), None, "{no}");
        }
        assert_eq!(normalize_path("docs/Setup").as_deref(), None);
        assert_eq!(
            normalize_path("config/app.conf").as_deref(),
            Some("config/app.conf")
        );
        assert_eq!(path_tail("/home/u/app/src/x.ts", 3), "app/src/x.ts");
        assert_eq!(path_tail("x.ts", 3), "x.ts");
    }

    #[test]
    fn error_lines_of_each_format() {
        assert_eq!(
            err("TypeError: Cannot read properties of undefined (reading 'map')").as_deref(),
            Some("typeerror: cannot read properties of undefined (reading <str>)")
        );
        assert_eq!(
            err("Uncaught TypeError: x is not a function"),
            err("TypeError: x is not a function")
        );
        assert_eq!(
            err("panic: runtime error: index out of range [5] with length 3").as_deref(),
            Some("panic: runtime error: index out of range [<n>] with length <n>")
        );
        assert_eq!(
            err("Error: connect ECONNREFUSED 127.0.0.1:5432").as_deref(),
            Some("error: connect econnrefused <n>.<n>.<n>.<n>:5432")
        );
        assert_eq!(
            err("  ValueError: invalid literal for int() with base 10: 'abc'").as_deref(),
            Some("valueerror: invalid literal for int() with base <n>: <str>")
        );
        assert_eq!(
            err("django.db.utils.OperationalError: no such table: \"orders\"").as_deref(),
            Some("django.db.utils.operationalerror: no such table: <str>")
        );
        assert_eq!(
            err("error[E0382]: borrow of moved value: `v`").as_deref(),
            Some("error[e0382]: borrow of moved value: `v`")
        );
        assert_eq!(
            err("Exception in thread \"main\" java.lang.NullPointerException: boom").as_deref(),
            Some("java.lang.nullpointerexception: boom")
        );
        assert_eq!(
            err("Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/app/x.js'").as_deref(),
            Some("error [err_module_not_found]: cannot find module <str>")
        );
        assert_eq!(
            err("E   AssertionError: assert 3 == 4").as_deref(),
            Some("assertionerror: assert <n> == <n>")
        );
        assert_eq!(
            err("fatal error: all goroutines are asleep - deadlock!").as_deref(),
            Some("fatal error: all goroutines are asleep - deadlock!")
        );
        // Numbers, hex, ids and paths are masked; the same bug on two machines agrees.
        assert_eq!(
            err(
                "Error: segfault at 0x7ffd1234 in /home/bob/app/src/db.ts:12:3 (id 3fa85f64-5717-4562-b3fc-2c963f66afa6)"
            ),
            err(
                "Error: segfault at 0xdeadbeef in /srv/app/src/db.ts:99:1 (id 9b2e1c44-1111-4562-b3fc-2c963f66afa6)"
            )
        );
        // Prose and near misses are not error lines.
        for no in [
            "I get an error: sometimes",
            "The Error happens: rarely",
            "Errors: none",
            "TypeError:foo",
            "",
            "note: this is fine",
            "http://x.y/Error: z",
        ] {
            assert_eq!(err(no), None, "{no}");
        }
    }

    #[test]
    fn rust_panics_normalise_across_formats() {
        let old = err(
            "thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/orders.rs:42:5",
        );
        let new = normalize_error(
            "thread 'tokio-runtime-worker' panicked at src/orders.rs:40:9:",
            Some("called `Option::unwrap()` on a `None` value"),
            240,
        )
        .map(|e| e.text);
        assert_eq!(old, new);
        assert_eq!(
            old.as_deref(),
            Some("panicked at orders.rs: called `option::unwrap()` on a `none` value")
        );
        assert!(err("thread 'main' panicked at").is_some());
    }

    #[test]
    fn quoted_identifiers_are_kept_aside() {
        let e = normalize_error(
            "KeyError: 'user_id' (also \"x\" and 'fetchOrders')",
            None,
            240,
        );
        let q = e.map(|e| e.quoted).unwrap_or_default();
        assert_eq!(q, vec!["fetch_orders", "user_id"]);
        let e = normalize_error("Error: can't open 'a b'", None, 240).map(|e| e.text);
        assert_eq!(e.as_deref(), Some("error: can't open <str>"));
        let e = normalize_error("Error: unterminated 'quote", None, 240).map(|e| e.text);
        assert_eq!(e.as_deref(), Some("error: unterminated 'quote"));
    }

    #[test]
    fn error_lines_are_cut() {
        let long = format!("Error: {}", "word ".repeat(500));
        let e = normalize_error(&long, None, 50)
            .map(|e| e.text)
            .unwrap_or_default();
        assert_eq!(e.chars().count(), 50);
    }

    fn fr(f: &str, file: &str) -> Option<Frame> {
        Some(Frame {
            function: f.into(),
            file: file.into(),
        })
    }

    #[test]
    fn frames_of_each_format() {
        assert_eq!(
            parse_frame(
                "    at OrderService.create (/home/bob/app/src/services/orders.ts:42:7)",
                None,
                None
            ),
            fr("orderservice.create", "services/orders")
        );
        assert_eq!(
            parse_frame(
                "    at async fetchOrders (webpack:///src/api/orders.ts:3:1)",
                None,
                None
            ),
            fr("fetchorders", "api/orders")
        );
        assert_eq!(
            parse_frame("    at /app/src/index.js:10:5", None, None),
            fr("<anonymous>", "index")
        );
        assert_eq!(
            parse_frame(
                "    at Object.<anonymous> (/app/test/x.test.js:1:1)",
                None,
                None
            ),
            fr("<anonymous>", "test/x.test")
        );
        assert_eq!(
            parse_frame("\tat com.acme.Orders.create(Orders.java:42)", None, None),
            fr("com.acme.orders.create", "orders")
        );
        assert_eq!(
            parse_frame(
                "  File \"/usr/src/app/webapp/orders.py\", line 42, in create_order",
                None,
                None
            ),
            fr("create_order", "webapp/orders")
        );
        assert_eq!(
            parse_frame(
                "github.com/acme/webapp/internal/orders.(*Service).Create(0xc000123, {0x0, 0x0})",
                None,
                Some("\t/home/u/webapp/internal/orders/service.go:42 +0x1d")
            ),
            fr("orders.(*service).create", "internal/orders/service")
        );
        assert_eq!(
            parse_frame(
                "github.com/acme/webapp/internal/orders.(*Service).Create(0xc000123)",
                None,
                Some("\t/home/u/webapp/internal/orders/service.go:42 +0x1d")
            ),
            fr("orders.(*service).create", "internal/orders/service")
        );
        assert_eq!(
            parse_frame("main.main()", None, Some("\t/src/cmd/main.go:12 +0x25")),
            fr("main.main", "cmd/main")
        );
        assert_eq!(
            parse_frame(
                "             at ./src/orders.rs:42:5",
                Some("   3: webapp::orders::create::h1a2b3c4d5e6f7a8b"),
                None
            ),
            fr("webapp::orders::create", "orders")
        );
        for no in [
            "at the moment it fails",
            "at noon: 12",
            "File \"x.py\"",
            "foo(bar)",
            "",
            "at ",
            "at (",
            "at x (",
        ] {
            assert_eq!(parse_frame(no, None, None), None, "{no}");
        }
        assert_eq!(parse_frame("foo(bar)", None, Some("no go here")), None);
    }

    #[test]
    fn frames_agree_across_builds_and_machines() {
        let dev = parse_frame(
            "    at getInvoiceTotals (src/services/billing.ts:88:31)",
            None,
            None,
        );
        let prod = parse_frame(
            "    at getInvoiceTotals (/app/dist/services/billing.js:79:37)",
            None,
            None,
        );
        assert_eq!(dev, prod);
        let a = parse_frame(
            "main.main()",
            None,
            Some("\t/build/webapp/tools/warehouse/cmd/main.go:19 +0x45"),
        );
        let b = parse_frame(
            "main.main()",
            None,
            Some("\t/build/webapp/tools/export/cmd/main.go:31 +0x2a5"),
        );
        assert_ne!(a, b, "entry points of two tools");
        assert_eq!(
            parse_frame(
                "    at Layer.handle [as handle_request] (/x/layer.js:95:5)",
                None,
                None
            ),
            fr("layer.handle", "x/layer")
        );
        let (_, raw) = parse_frame_located(
            "    at next (/app/node_modules/express/lib/route.js:1:1)",
            None,
            None,
        )
        .unwrap_or_default();
        assert!(raw.contains("node_modules/"), "{raw}");
    }

    #[test]
    fn embedded_and_json_escaped_errors() {
        assert_eq!(
            err("then I get TypeError: x is not a function when saving").as_deref(),
            Some("typeerror: x is not a function when saving")
        );
        let json = r#"{"err": {"type": "TypeError", "stack": "TypeError: Cannot read properties of undefined (reading 'total')\n    at f (/app/a.js:1:2)\n    at g (/app/b.js:3:4)"}}"#;
        let expanded = expand_escaped_lines(json).unwrap_or_default();
        let first = expanded.lines().next().unwrap_or_default();
        assert_eq!(
            err(first).as_deref(),
            Some("typeerror: cannot read properties of undefined (reading <str>)")
        );
        assert_eq!(
            err(r#"{"msg": "ValueError: bad \"x\" value", "n": 1}"#).as_deref(),
            Some(r"valueerror: bad \<str> value")
        );
        assert_eq!(expand_escaped_lines("one \\n only"), None);
        assert_eq!(
            err("see the Error: x"),
            None,
            "a bare Error mid-line is prose"
        );
        assert_eq!(err("SomethingError:x"), None);
        // Chained after another colon, a bare Error is the error.
        assert_eq!(
            err("[ioredis] Unhandled error event: Error: connect ECONNREFUSED 127.0.0.1:6379")
                .as_deref(),
            Some("error: connect econnrefused <n>.<n>.<n>.<n>:6379")
        );
        // Multi-byte characters right before a colon (a panic regression).
        assert_eq!(
            err("Einstellungen → Benachrichtigungen: untranslated strings"),
            None
        );
        assert_eq!(err("→: Error: boom").as_deref(), Some("error: boom"));
    }

    #[test]
    fn directories_in_backticks() {
        assert_eq!(normalize_dir("src/api/").as_deref(), Some("src/api/"));
        assert_eq!(
            normalize_dir("./worker/billing").as_deref(),
            Some("worker/billing/")
        );
        for no in ["src", "src/x.ts", "a//b", "http://x/y", "a b/c", "/"] {
            assert_eq!(normalize_dir(no), None, "{no}");
        }
    }

    #[test]
    fn quoted_messages_need_words_and_a_failure_shape() {
        let words: Vec<String> = ["failed", "unsupported", "exceeded"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let q = |s: &str| quoted_messages(s, &words, 240);
        assert_eq!(
            q("upload unsupported kind: image/heic"),
            vec!["upload unsupported kind: image/heic"]
        );
        assert_eq!(
            q(r#"{"error":"upload unsupported kind: image/heic"}"#),
            vec!["upload unsupported kind: image/heic"]
        );
        assert_eq!(
            q("refund limit exceeded 1999"),
            vec!["refund limit exceeded <n>"]
        );
        assert!(q("Date.now() + SESSION_TTL").is_empty());
        assert!(q("Upload failed").is_empty(), "two words");
        assert!(q("pnpm vitest run").is_empty(), "no failure shape");
        assert!(q("").is_empty());
    }

    #[test]
    fn html_comments_and_truncation() {
        assert_eq!(strip_html_comments("a<!-- x -->b<!-- y"), "ab");
        assert_eq!(strip_html_comments("no comment"), "no comment");
        assert_eq!(truncate_chars("héllo", 2), "hé");
        assert_eq!(truncate_chars("hé", 10), "hé");
    }

    #[test]
    fn masking_and_hex() {
        assert_eq!(mask_numbers("e0277 v2 12ab 3"), "e0277 v2 <n>ab <n>");
        assert!(is_hexish("0x7ffd"));
        assert!(is_hexish("a1b2c3d4e5"));
        assert!(!is_hexish("deadbeef"), "no digit: a word");
        assert!(!is_hexish("0x"));
    }
}
