//! Tree-sitter extraction of symbols, exports and imports (SPEC 5.4).
//!
//! The changed lines of a file are parsed as a fragment, one per sign (added lines
//! together, removed lines together): tree-sitter is error tolerant, so a hunk from the
//! middle of a class still yields its declarations. Where the fragment does not parse
//! cleanly the lexical extractor runs as well and the results are merged. Parsers are
//! created once per thread and reused.

use std::cell::RefCell;

use tree_sitter::{Language, Node, Parser};

use crate::extract::{Extracted, Lang};
use crate::patch::{DiffLine, Sign};

/// One parser per language and thread, so a language is set once, not per file.
#[derive(Default)]
struct Parsers {
    by_lang: Vec<(Lang, Parser)>,
}

thread_local! {
    static PARSERS: RefCell<Parsers> = RefCell::new(Parsers::default());
}

fn language(lang: Lang) -> Option<Language> {
    Some(match lang {
        Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        Lang::Python => tree_sitter_python::LANGUAGE.into(),
        Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
        Lang::Go => tree_sitter_go::LANGUAGE.into(),
        Lang::Other => return None,
    })
}

/// Largest fragment handed to tree-sitter; bigger changes use the lexical extractor
/// (rewrite-sized files would dominate fingerprinting time for little gain).
const MAX_FRAGMENT: usize = 256 * 1024;

/// Extracts from one file's changed lines; falls back to the lexical extractor.
pub fn extract(lang: Lang, lines: &[DiffLine<'_>], out: &mut Extracted) {
    for sign in [Sign::Added, Sign::Removed] {
        let signed: Vec<DiffLine<'_>> = lines.iter().filter(|l| l.sign == sign).copied().collect();
        if signed.is_empty() {
            continue;
        }
        let text = skeleton(lang, &signed);
        let parsed = if text.len() <= MAX_FRAGMENT {
            parse_and_collect(lang, &text, sign, out)
        } else {
            None
        };
        if parsed != Some(true) {
            crate::extract::lexical(lang, &signed, out);
        }
    }
}

/// The declaration skeleton of a fragment: function and method *bodies* are dropped,
/// everything at module level or directly inside a class/interface/impl/object block is
/// kept, and so are the braces that open and close the dropped bodies, so the skeleton
/// stays balanced. Bodies are most of a change's text, and tree-sitter's view of the
/// declarations is the same without them — at a fraction of the parse cost.
/// Dropped lines stay as empty lines so positions (and columns) keep their meaning.
fn skeleton(lang: Lang, lines: &[DiffLine<'_>]) -> String {
    let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() / 2 + 1).sum());
    if lang == Lang::Python {
        for l in lines {
            let t = l.text.trim_start();
            let indent = l.text.len() - t.len();
            let decl = ["def ", "async def ", "class ", "@", "import ", "from "]
                .iter()
                .any(|k| t.starts_with(k));
            if indent == 0 || (indent <= 4 && decl) {
                text.push_str(l.text);
            }
            text.push('\n');
        }
        return text;
    }
    // Stack of open blocks: true = container (class, impl, …), false = body.
    let mut stack: Vec<bool> = Vec::new();
    let mut in_comment = false;
    for l in lines {
        let t = l.text.trim_start();
        let leading_closers = t
            .bytes()
            .take_while(|&b| b == b'}' || b == b' ')
            .filter(|&b| b == b'}')
            .count();
        for _ in 0..leading_closers {
            stack.pop();
        }
        let keep = !stack.contains(&false);
        let container = keep && opens_container(t);
        // Braces after the leading closers.
        let (opens, closes) = count_braces(
            t.trim_start_matches(['}', ' ']),
            lang == Lang::Rust,
            &mut in_comment,
        );
        let mut net_close = closes;
        for _ in 0..opens {
            if net_close > 0 {
                net_close -= 1;
                continue;
            }
            stack.push(container);
        }
        for _ in 0..net_close {
            stack.pop();
        }
        if keep {
            text.push_str(l.text);
        }
        text.push('\n');
    }
    text
}

/// Does this line open a block whose members are declarations?
fn opens_container(t: &str) -> bool {
    let mut s = t;
    for m in [
        "export ",
        "default ",
        "declare ",
        "abstract ",
        "pub(crate) ",
        "pub ",
        "unsafe ",
    ] {
        s = s.strip_prefix(m).unwrap_or(s);
    }
    const KEYS: &[&str] = &[
        "class ",
        "interface ",
        "namespace ",
        "module ",
        "enum ",
        "impl ",
        "impl<",
        "trait ",
        "mod ",
        "struct ",
        "union ",
        "extern ",
        "type ",
        "const ",
        "let ",
        "var ",
    ];
    if KEYS.iter().any(|k| s.starts_with(k)) {
        // `const f = () => {` and `const f = function () {` open bodies, not objects.
        return !(s.contains("=>") || s.contains("function"));
    }
    false
}

/// Counts `{`/`}` outside strings and comments (`//`, `/* */` across lines). In Rust
/// `'` starts a lifetime unless it is a char literal like `'{'`.
fn count_braces(s: &str, rust: bool, in_comment: &mut bool) -> (usize, usize) {
    let b = s.as_bytes();
    let (mut i, mut open, mut close) = (0, 0, 0);
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if *in_comment {
            if c == b'*' && b.get(i + 1) == Some(&b'/') {
                *in_comment = false;
                i += 1;
            }
        } else if let Some(q) = quote {
            if c == b'\\' {
                i += 1;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                // A lifetime (`'a`) is skipped; a char literal (`'{'`) is stepped over.
                b'\'' if rust => i += 2 * usize::from(b.get(i + 2) == Some(&b'\'')),
                b'"' | b'\'' | b'`' => quote = Some(c),
                b'/' if b.get(i + 1) == Some(&b'/') => break,
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    *in_comment = true;
                    i += 1;
                }
                b'{' => open += 1,
                b'}' => close += 1,
                _ => {}
            }
        }
        i += 1;
    }
    (open, close)
}

/// `Some(true)` when the fragment parsed without errors, `Some(false)` with errors,
/// `None` when no parser is available.
fn parse_and_collect(lang: Lang, text: &str, sign: Sign, out: &mut Extracted) -> Option<bool> {
    let ts_lang = language(lang)?;
    PARSERS.with(|cell| {
        let mut ps = cell.borrow_mut();
        let pos = match ps.by_lang.iter().position(|(l, _)| *l == lang) {
            Some(i) => i,
            None => {
                let mut parser = Parser::new();
                parser.set_language(&ts_lang).ok()?;
                ps.by_lang.push((lang, parser));
                ps.by_lang.len() - 1
            }
        };
        let tree = ps.by_lang[pos].1.parse(text, None)?;
        let root = tree.root_node();
        let src = text.as_bytes();
        let mut c = Collector {
            src,
            sign,
            lang,
            out,
        };
        walk(root, &mut c);
        Some(!root.has_error())
    })
}

struct Collector<'a, 'o> {
    src: &'a [u8],
    sign: Sign,
    lang: Lang,
    out: &'o mut Extracted,
}

impl Collector<'_, '_> {
    fn text(&self, n: Node<'_>) -> &str {
        n.utf8_text(self.src).unwrap_or("")
    }

    fn name_of(&self, n: Node<'_>) -> Option<String> {
        n.child_by_field_name("name")
            .map(|x| self.text(x).to_string())
    }

    fn visit(&mut self, n: Node<'_>) {
        match self.lang {
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript => self.js(n),
            Lang::Python => self.py(n),
            Lang::Rust => self.rust(n),
            Lang::Go => self.go(n),
            Lang::Other => {}
        }
    }

    fn js(&mut self, n: Node<'_>) {
        // `parent()` walks down from the root in tree-sitter: ask only for declarations.
        let exported = || n.parent().is_some_and(|p| p.kind() == "export_statement");
        match n.kind() {
            "function_declaration"
            | "generator_function_declaration"
            | "class_declaration"
            | "abstract_class_declaration"
            | "interface_declaration"
            | "type_alias_declaration"
            | "enum_declaration" => {
                if let Some(name) = self.name_of(n) {
                    self.out.add_symbol(self.sign, &name);
                    if exported() {
                        self.out.add_export(self.sign, &name);
                    }
                }
            }
            "method_definition" | "abstract_method_signature" => {
                if let Some(name) = self.name_of(n) {
                    self.out.add_symbol(self.sign, &name);
                }
            }
            // Module-level bindings only: locals of a function body are not symbols.
            "lexical_declaration" | "variable_declaration"
                if n.start_position().column == 0 || exported() =>
            {
                let exported = exported();
                let mut cur = n.walk();
                for d in n.children(&mut cur) {
                    if d.kind() == "variable_declarator"
                        && let Some(name) = d.child_by_field_name("name")
                        && name.kind() == "identifier"
                    {
                        let name = self.text(name).to_string();
                        self.out.add_symbol(self.sign, &name);
                        if exported {
                            self.out.add_export(self.sign, &name);
                        }
                    }
                }
            }
            "export_specifier" => {
                let name = n
                    .child_by_field_name("alias")
                    .or_else(|| n.child_by_field_name("name"));
                if let Some(x) = name {
                    let t = self.text(x).to_string();
                    self.out.add_export(self.sign, &t);
                }
            }
            "import_statement" | "export_statement" => {
                if let Some(s) = n.child_by_field_name("source") {
                    let t = self.text(s).to_string();
                    self.out.add_import(self.sign, &t);
                }
            }
            "call_expression" => {
                if let Some(f) = n.child_by_field_name("function")
                    && matches!(self.text(f), "require" | "import")
                    && let Some(args) = n.child_by_field_name("arguments")
                    && let Some(first) = args.named_child(0)
                    && first.kind() == "string"
                {
                    let t = self.text(first).to_string();
                    self.out.add_import(self.sign, &t);
                }
            }
            _ => {}
        }
    }

    fn py(&mut self, n: Node<'_>) {
        match n.kind() {
            "function_definition" | "class_definition" => {
                if let Some(name) = self.name_of(n) {
                    self.out.add_symbol(self.sign, &name);
                    let top = n.start_position().column == 0
                        || n.parent().is_some_and(|p| {
                            p.kind() == "decorated_definition" && p.start_position().column == 0
                        });
                    if top && !name.starts_with('_') {
                        self.out.add_export(self.sign, &name);
                    }
                }
            }
            "assignment" => {
                if n.start_position().column == 0
                    && let Some(left) = n.child_by_field_name("left")
                    && left.kind() == "identifier"
                {
                    let name = self.text(left).to_string();
                    self.out.add_symbol(self.sign, &name);
                    if !name.starts_with('_') {
                        self.out.add_export(self.sign, &name);
                    }
                }
            }
            "import_statement" => {
                let mut cur = n.walk();
                for c in n.children_by_field_name("name", &mut cur) {
                    let m = match c.kind() {
                        "aliased_import" => c.child_by_field_name("name").map(|x| self.text(x)),
                        _ => Some(self.text(c)),
                    };
                    if let Some(m) = m {
                        let m = m.to_string();
                        self.out.add_import(self.sign, &m);
                    }
                }
            }
            "import_from_statement" => {
                if let Some(m) = n.child_by_field_name("module_name") {
                    let m = self.text(m).to_string();
                    self.out.add_import(self.sign, &m);
                }
            }
            _ => {}
        }
    }

    fn rust(&mut self, n: Node<'_>) {
        match n.kind() {
            "function_item"
            | "function_signature_item"
            | "struct_item"
            | "enum_item"
            | "trait_item"
            | "type_item"
            | "mod_item"
            | "const_item"
            | "static_item"
            | "union_item"
            | "macro_definition" => {
                if let Some(name) = self.name_of(n) {
                    self.out.add_symbol(self.sign, &name);
                    let mut cur = n.walk();
                    let public = n
                        .children(&mut cur)
                        .any(|c| c.kind() == "visibility_modifier" && self.text(c) == "pub");
                    if public {
                        self.out.add_export(self.sign, &name);
                    }
                }
            }
            "impl_item" => {
                if let Some(t) = n.child_by_field_name("type") {
                    let name = crate::extract::ident(self.text(t)).to_string();
                    self.out.add_symbol(self.sign, &name);
                }
            }
            "use_declaration" => {
                if let Some(a) = n.child_by_field_name("argument") {
                    let path: String = self.text(a).split_whitespace().collect();
                    self.out.add_import(self.sign, &path);
                }
            }
            _ => {}
        }
    }

    fn go(&mut self, n: Node<'_>) {
        match n.kind() {
            "function_declaration" | "method_declaration" | "type_spec" | "type_alias" => {
                if let Some(name) = self.name_of(n) {
                    self.go_name(&name);
                }
            }
            "const_spec" | "var_spec" => {
                let mut cur = n.walk();
                let names: Vec<String> = n
                    .children_by_field_name("name", &mut cur)
                    .map(|x| self.text(x).to_string())
                    .collect();
                for name in names {
                    self.go_name(&name);
                }
            }
            "import_spec" => {
                if let Some(p) = n.child_by_field_name("path") {
                    let t = self.text(p).to_string();
                    self.out.add_import(self.sign, &t);
                }
            }
            _ => {}
        }
    }

    fn go_name(&mut self, name: &str) {
        self.out.add_symbol(self.sign, name);
        if name.starts_with(|c: char| c.is_ascii_uppercase()) {
            self.out.add_export(self.sign, name);
        }
    }
}

/// Pre-order walk with a cursor (no recursion: fragments can nest deeply).
fn walk(root: Node<'_>, c: &mut Collector<'_, '_>) {
    let mut cursor = root.walk();
    loop {
        c.visit(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
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
        extract(lang, &lines, &mut out);
        for v in [&mut out.symbols, &mut out.exports, &mut out.imports] {
            crate::setops::normalize(v);
        }
        out
    }

    #[test]
    fn typescript_fragment() {
        let e = run(
            Lang::TypeScript,
            "import { x } from '../utils/slug';\nexport async function slugify(s: string): string {\n  const local = s.trim();\n  return local;\n}\nexport const MAX = 3;\nexport interface Opts { a: number }\nclass Foo {\n  bar(a: number) { return a; }\n}\nexport { Foo as Bar };\nconst lib = require('lodash');",
        );
        assert_eq!(
            e.symbols,
            vec!["Foo", "MAX", "Opts", "bar", "lib", "slugify"]
        );
        assert_eq!(e.exports, vec!["Bar", "MAX", "Opts", "slugify"]);
        assert_eq!(e.imports, vec!["lodash", "utils/slug"]);
    }

    #[test]
    fn fragment_from_the_middle_of_a_function_still_parses() {
        let e = run(
            Lang::TypeScript,
            "    const x = compute(a);\n    }\n  }\n  async refresh(id: string) {\n",
        );
        assert!(
            e.symbols.contains(&"refresh".to_string()),
            "{:?}",
            e.symbols
        );
        assert!(!e.symbols.contains(&"x".to_string()));
    }

    #[test]
    fn skeleton_drops_bodies_and_stays_balanced() {
        let src = "export class Cache {\n  private map = new Map();\n  get(k: string) {\n    if (k) {\n      return this.map.get(k);\n    } else {\n      return '}';\n    }\n  }\n}\nexport function f() {\n  const x = { a: 1 };\n  return x;\n}\nconst api = {\n  list() {\n    return 1;\n  },\n};";
        let lines: Vec<DiffLine<'_>> = src
            .lines()
            .map(|t| DiffLine {
                sign: Sign::Added,
                text: t,
            })
            .collect();
        let s = skeleton(Lang::TypeScript, &lines);
        let kept: Vec<&str> = s.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            kept,
            vec![
                "export class Cache {",
                "  private map = new Map();",
                "  get(k: string) {",
                "  }",
                "}",
                "export function f() {",
                "}",
                "const api = {",
                "  list() {",
                "  },",
                "};"
            ]
        );
        assert_eq!(s.lines().count(), lines.len());
        let e = run(Lang::TypeScript, src);
        assert_eq!(e.symbols, vec!["Cache", "api", "f", "get", "list"]);
        assert_eq!(e.exports, vec!["Cache", "f"]);
    }

    #[test]
    fn python_rust_go() {
        let e = run(
            Lang::Python,
            "import os, app.db as db\nfrom app.models import User\n\n@cache\ndef load(x):\n    def _inner():\n        pass\n\nclass Repo:\n    def get(self):\n        pass\nLIMIT = 5\n",
        );
        assert_eq!(e.symbols, vec!["LIMIT", "Repo", "_inner", "get", "load"]);
        assert_eq!(e.exports, vec!["LIMIT", "Repo", "load"]);
        assert_eq!(e.imports, vec!["app.db", "app.models", "os"]);
        let e = run(
            Lang::Rust,
            "use crate::a::{b, c};\npub fn run() {}\nfn helper() {}\nimpl Display for Thing {\n    fn fmt(&self) {}\n}\npub(crate) struct S;\n-pub enum Old {}\n",
        );
        assert_eq!(
            e.symbols,
            vec!["-Old", "S", "Thing", "fmt", "helper", "run"]
        );
        assert_eq!(e.exports, vec!["-Old", "run"]);
        assert_eq!(e.imports, vec!["crate::a::{b,c}"]);
        let e = run(
            Lang::Go,
            "package x\nimport (\n\t\"net/http\"\n)\nfunc (s *Server) Handle(w http.ResponseWriter) {}\nfunc helper() {}\ntype Config struct{}\nconst Limit = 3\n",
        );
        assert_eq!(e.symbols, vec!["Config", "Handle", "Limit", "helper"]);
        assert_eq!(e.exports, vec!["Config", "Handle", "Limit"]);
        assert_eq!(e.imports, vec!["net/http"]);
    }
}
