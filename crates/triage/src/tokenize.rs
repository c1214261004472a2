//! Code tokenizer for shingling: identifiers and operators as themselves, numbers as
//! `<NUM>`, string literals as `<STR>` — unless the file is a manifest or config file,
//! where the literal content is the change (a dependency bump is its version string).
//! Tokens are emitted as 64-bit hashes; nothing is allocated per token.

use crate::hash::{hash_bytes, mix64};

const NUM: u64 = 0x4e55_4d00_0000_0001;
const STR: u64 = 0x5354_5200_0000_0002;
const SEED_IDENT: u64 = 0x11;
const SEED_OP: u64 = 0x22;
const SEED_LIT: u64 = 0x33;

#[inline]
fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b >= 0x80
}

#[inline]
fn is_ident_cont(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Appends the token hashes of `line` to `out`, each xor-ed with `salt` (the sign).
pub fn tokenize_into(line: &str, literal: bool, salt: u64, out: &mut Vec<u64>) {
    let b = line.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if is_ident_start(c) {
            let s = i;
            while i < n && is_ident_cont(b[i]) {
                i += 1;
            }
            out.push(hash_bytes(&b[s..i], SEED_IDENT) ^ salt);
        } else if c.is_ascii_digit() {
            let s = i;
            while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
            out.push(
                if literal {
                    hash_bytes(&b[s..i], SEED_LIT)
                } else {
                    NUM
                } ^ salt,
            );
        } else if c == b'"' || c == b'\'' || c == b'`' {
            let s = i;
            i += 1;
            while i < n && b[i] != c {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(n);
            out.push(
                if literal {
                    hash_bytes(&b[s..i], SEED_LIT)
                } else {
                    STR
                } ^ salt,
            );
        } else {
            out.push(mix64(u64::from(c) ^ SEED_OP) ^ salt);
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str, literal: bool) -> Vec<u64> {
        let mut v = Vec::new();
        tokenize_into(s, literal, 0, &mut v);
        v
    }

    #[test]
    fn numbers_and_strings_are_normalised() {
        assert_eq!(toks("x = 1;", false), toks("x = 42;", false));
        assert_eq!(toks("f('a')", false), toks("f(\"bcd\")", false));
        assert_ne!(toks("f(a)", false), toks("g(a)", false));
        assert_eq!(toks("a  =\tb", false), toks("a = b", false));
        assert_eq!(toks("foo(bar)", false).len(), 4);
    }

    #[test]
    fn literal_mode_keeps_content() {
        assert_ne!(
            toks(r#""lodash": "^4.17.21""#, true),
            toks(r#""axios": "^1.7.2""#, true)
        );
        assert_eq!(
            toks(r#""lodash": "^4.17.21""#, false),
            toks(r#""axios": "^1.7.2""#, false)
        );
    }

    #[test]
    fn unterminated_and_escapes_are_total() {
        assert_eq!(toks("'abc", false).len(), 1);
        assert_eq!(toks(r"'a\'b' x", false).len(), 2);
        assert_eq!(toks("\\", false).len(), 1);
        assert_eq!(toks("'\\", false).len(), 1);
        assert_eq!(toks("héllo wörld", false).len(), 2);
    }
}
