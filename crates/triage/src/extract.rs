//! Symbols, exports and imports of changed code (SPEC 5.4).
//!
//! The tree-sitter extractor (`ts` module) parses the changed lines of a hunk as a
//! fragment; this module holds the shared types, language detection and the lexical
//! extractor used for languages without a grammar and as the fallback.

use crate::patch::{DiffLine, Sign};

/// Source languages with dedicated extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    TypeScript,
    Tsx,
    JavaScript,
    Python,
    Rust,
    Go,
    Other,
}

impl Lang {
    pub fn from_path(path: &str) -> Lang {
        match crate::channel::extension(path).as_str() {
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
            "py" | "pyi" => Lang::Python,
            "rs" => Lang::Rust,
            "go" => Lang::Go,
            _ => Lang::Other,
        }
    }
}

/// Names found in changed code. Removed declarations carry a leading `-`, so a PR that
/// deletes `foo` does not match one that adds it.
#[derive(Debug, Default, Clone)]
pub struct Extracted {
    pub symbols: Vec<String>,
    pub exports: Vec<String>,
    pub imports: Vec<String>,
}

impl Extracted {
    pub fn add_symbol(&mut self, sign: Sign, name: &str) {
        if let Some(n) = clean_name(name) {
            self.symbols.push(signed(sign, n));
        }
    }
    pub fn add_export(&mut self, sign: Sign, name: &str) {
        if let Some(n) = clean_name(name)
            && n != "default"
        {
            self.exports.push(signed(sign, n));
        }
    }
    pub fn add_import(&mut self, sign: Sign, module: &str) {
        let m = normalize_module(module);
        if !m.is_empty() && sign == Sign::Added {
            self.imports.push(m);
        }
    }
}

fn signed(sign: Sign, name: &str) -> String {
    match sign {
        Sign::Added => name.to_string(),
        Sign::Removed => format!("-{name}"),
    }
}

fn clean_name(name: &str) -> Option<&str> {
    let n = name.trim();
    if n.is_empty()
        || n.len() > 80
        || !n
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    {
        return None;
    }
    Some(n)
}

/// Module specifiers compared by meaning: `./utils/slug.ts`, `../utils/slug` → `utils/slug`.
pub fn normalize_module(m: &str) -> String {
    let m = m.trim().trim_matches(|c| c == '\'' || c == '"' || c == '`');
    let mut s = m;
    loop {
        if let Some(r) = s.strip_prefix("./") {
            s = r;
        } else if let Some(r) = s.strip_prefix("../") {
            s = r;
        } else {
            break;
        }
    }
    let s = match s.rfind('.') {
        Some(i) if i > s.rfind('/').map_or(0, |j| j + 1) && m.starts_with('.') => &s[..i],
        _ => s,
    };
    s.chars().take(120).collect()
}

/// Identifier at the start of `s`.
pub fn ident(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// The quoted string starting at the first quote of `s`.
pub fn quoted(s: &str) -> Option<&str> {
    let start = s.find(['\'', '"', '`'])?;
    let q = s[start..].chars().next()?;
    let rest = &s[start + 1..];
    let end = rest.find(q)?;
    Some(&rest[..end])
}

fn strip_word<'a>(s: &'a str, w: &str) -> Option<&'a str> {
    let r = s.strip_prefix(w)?;
    if r.starts_with(|c: char| c.is_whitespace()) {
        Some(r.trim_start())
    } else {
        None
    }
}

const NOT_METHODS: &[&str] = &[
    "if", "for", "while", "switch", "catch", "return", "function", "else", "do", "try", "typeof",
    "new", "await", "super", "with", "yield", "throw",
];

/// Lexical extraction of one file's changed lines.
pub fn lexical(lang: Lang, lines: &[DiffLine<'_>], out: &mut Extracted) {
    let mut in_go_import_block = false;
    for l in lines {
        let raw = l.text;
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        let top_level = !raw.starts_with([' ', '\t']);
        match lang {
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript => js_line(l.sign, t, top_level, out),
            Lang::Python => py_line(l.sign, t, top_level, out),
            Lang::Rust => rust_line(l.sign, t, out),
            Lang::Go => go_line(l.sign, t, &mut in_go_import_block, out),
            Lang::Other => generic_line(l.sign, t, out),
        }
    }
}

fn js_line(sign: Sign, t: &str, top_level: bool, out: &mut Extracted) {
    if t.starts_with("import ") || t.starts_with("import{") {
        if let Some(i) = t.find(" from ") {
            if let Some(m) = quoted(&t[i..]) {
                out.add_import(sign, m);
            }
        } else if let Some(m) = quoted(t) {
            out.add_import(sign, m);
        }
        return;
    }
    for pat in ["require(", "import("] {
        if let Some(i) = t.find(pat)
            && let Some(m) = quoted(&t[i..])
        {
            out.add_import(sign, m);
        }
    }
    let mut s = t;
    let mut exported = false;
    if let Some(r) = strip_word(s, "export") {
        exported = true;
        s = r;
        if let Some(r) = strip_word(s, "default") {
            s = r;
        }
        if s.starts_with('{') || s.starts_with('*') {
            // export { a, b as c } [from '...']
            if let Some(i) = s.find(" from ")
                && let Some(m) = quoted(&s[i..])
            {
                out.add_import(sign, m);
            }
            let inner = s.trim_start_matches('{');
            let inner = inner.split('}').next().unwrap_or("");
            for part in inner.split(',') {
                let name = part.split(" as ").last().unwrap_or("").trim();
                out.add_export(sign, ident(name));
            }
            return;
        }
    }
    for m in [
        "declare",
        "abstract",
        "async",
        "public",
        "private",
        "protected",
        "static",
        "readonly",
    ] {
        if let Some(r) = strip_word(s, m) {
            s = r;
        }
    }
    for kw in [
        "function",
        "function*",
        "class",
        "interface",
        "type",
        "enum",
        "const",
        "let",
        "var",
        "namespace",
    ] {
        if let Some(r) = strip_word(s, kw) {
            if matches!(kw, "const" | "let" | "var") && !top_level {
                // Locals inside a function body are not symbols of the change.
                return;
            }
            let name = ident(r.trim_start_matches('*').trim_start());
            if !name.is_empty() {
                out.add_symbol(sign, name);
                if exported {
                    out.add_export(sign, name);
                }
            }
            return;
        }
    }
    // Class methods and object-literal functions: `name(args) {`.
    let name = ident(s);
    if !name.is_empty()
        && s[name.len()..].starts_with('(')
        && (t.ends_with('{') || t.ends_with("=> {"))
        && !NOT_METHODS.contains(&name)
    {
        out.add_symbol(sign, name);
    }
}

fn py_line(sign: Sign, t: &str, top_level: bool, out: &mut Extracted) {
    let s = strip_word(t, "async").unwrap_or(t);
    for kw in ["def", "class"] {
        if let Some(r) = strip_word(s, kw) {
            let name = ident(r);
            out.add_symbol(sign, name);
            if top_level && !name.starts_with('_') {
                out.add_export(sign, name);
            }
            return;
        }
    }
    if let Some(r) = strip_word(t, "import") {
        for part in r.split(',') {
            out.add_import(sign, part.split(" as ").next().unwrap_or("").trim());
        }
        return;
    }
    if let Some(r) = strip_word(t, "from")
        && let Some(i) = r.find(" import")
    {
        out.add_import(sign, r[..i].trim());
        return;
    }
    if top_level {
        let name = ident(t);
        if !name.is_empty()
            && t[name.len()..].trim_start().starts_with('=')
            && !t[name.len()..].trim_start().starts_with("==")
        {
            out.add_symbol(sign, name);
            if !name.starts_with('_') {
                out.add_export(sign, name);
            }
        }
    }
}

fn rust_line(sign: Sign, t: &str, out: &mut Extracted) {
    if let Some(r) = t
        .strip_prefix("use ")
        .or_else(|| t.strip_prefix("pub use "))
    {
        let path: String = r.trim_end_matches(';').split_whitespace().collect();
        out.add_import(sign, &path);
        return;
    }
    let mut s = t;
    let mut exported = false;
    if let Some(r) = s
        .strip_prefix("pub(crate) ")
        .or_else(|| s.strip_prefix("pub(super) "))
    {
        s = r;
    } else if let Some(r) = strip_word(s, "pub") {
        exported = true;
        s = r;
    }
    for m in ["async", "const", "unsafe", "extern \"C\""] {
        if s.starts_with(&format!("{m} fn")) {
            s = s[m.len()..].trim_start();
        }
    }
    if let Some(r) = strip_word(s, "impl").or_else(|| {
        s.strip_prefix("impl<")
            .map(|r| r.split_once('>').map_or("", |x| x.1).trim_start())
    }) {
        let r = r.split(" for ").last().unwrap_or(r);
        out.add_symbol(sign, ident(r.trim()));
        return;
    }
    for kw in [
        "fn",
        "struct",
        "enum",
        "trait",
        "type",
        "mod",
        "const",
        "static",
        "union",
        "macro_rules!",
    ] {
        if let Some(r) = strip_word(s, kw).or_else(|| {
            if kw == "macro_rules!" {
                s.strip_prefix(kw).map(str::trim_start)
            } else {
                None
            }
        }) {
            let name = ident(r);
            out.add_symbol(sign, name);
            if exported {
                out.add_export(sign, name);
            }
            return;
        }
    }
}

fn go_line(sign: Sign, t: &str, in_block: &mut bool, out: &mut Extracted) {
    if *in_block {
        if t.starts_with(')') {
            *in_block = false;
        } else if let Some(m) = quoted(t) {
            out.add_import(sign, m);
        }
        return;
    }
    if let Some(r) = strip_word(t, "import").or_else(|| t.strip_prefix("import(")) {
        if r.starts_with('(') || t.starts_with("import(") {
            *in_block = true;
        } else if let Some(m) = quoted(r) {
            out.add_import(sign, m);
        }
        return;
    }
    if let Some(r) = strip_word(t, "func") {
        let r = if r.starts_with('(') {
            r.split_once(')').map_or("", |x| x.1).trim_start()
        } else {
            r
        };
        let name = ident(r);
        go_name(sign, name, out);
        return;
    }
    for kw in ["type", "var", "const"] {
        if let Some(r) = strip_word(t, kw) {
            if !r.starts_with('(') {
                go_name(sign, ident(r), out);
            }
            return;
        }
    }
}

fn go_name(sign: Sign, name: &str, out: &mut Extracted) {
    out.add_symbol(sign, name);
    if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        out.add_export(sign, name);
    }
}

fn generic_line(sign: Sign, t: &str, out: &mut Extracted) {
    for kw in [
        "function",
        "def",
        "class",
        "fn",
        "func",
        "interface",
        "struct",
        "module",
        "sub",
    ] {
        if let Some(r) = strip_word(t, kw) {
            out.add_symbol(sign, ident(r));
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lang: Lang, text: &str) -> Extracted {
        let lines: Vec<DiffLine<'_>> = text
            .lines()
            .map(|l| match l.strip_prefix('-') {
                Some(t) => DiffLine {
                    sign: Sign::Removed,
                    text: t,
                },
                None => DiffLine {
                    sign: Sign::Added,
                    text: l.strip_prefix('+').unwrap_or(l),
                },
            })
            .collect();
        let mut out = Extracted::default();
        lexical(lang, &lines, &mut out);
        out.symbols.sort();
        out.exports.sort();
        out.imports.sort();
        out
    }

    #[test]
    fn typescript() {
        let e = run(
            Lang::TypeScript,
            "import { x } from '../utils/slug.ts';\nexport async function slugify(s: string) {\nexport const MAX = 3;\nclass Foo {\n  bar(a) {\n  if (a) {\nexport { a as b, c };\n-export function old() {",
        );
        assert_eq!(e.symbols, vec!["-old", "Foo", "MAX", "bar", "slugify"]);
        assert_eq!(e.exports, vec!["-old", "MAX", "b", "c", "slugify"]);
        assert_eq!(e.imports, vec!["utils/slug"]);
    }

    #[test]
    fn python_rust_go() {
        let e = run(
            Lang::Python,
            "from app.db import session\ndef load():\n    def _inner():\nclass Repo:\nLIMIT = 5",
        );
        assert_eq!(e.symbols, vec!["LIMIT", "Repo", "_inner", "load"]);
        assert_eq!(e.exports, vec!["LIMIT", "Repo", "load"]);
        assert_eq!(e.imports, vec!["app.db"]);
        let e = run(
            Lang::Rust,
            "use crate::a::{b, c};\npub fn run() {\nfn helper() {\nimpl Display for Thing {\npub(crate) struct S;",
        );
        assert_eq!(e.symbols, vec!["S", "Thing", "helper", "run"]);
        assert_eq!(e.exports, vec!["run"]);
        assert_eq!(e.imports, vec!["crate::a::{b,c}"]);
        let e = run(
            Lang::Go,
            "import (\n\t\"net/http\"\n)\nfunc (s *Server) Handle(w http.ResponseWriter) {\nfunc helper() {\ntype Config struct {",
        );
        assert_eq!(e.symbols, vec!["Config", "Handle", "helper"]);
        assert_eq!(e.exports, vec!["Config", "Handle"]);
        assert_eq!(e.imports, vec!["net/http"]);
    }
}
