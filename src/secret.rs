//! A string that never shows itself in logs or `Debug` output.

use std::fmt;

/// A token, password or URL with credentials. `Debug`/`Display` print a placeholder, so
/// a stray `{:?}` of a config struct cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that needs it (a header, a connect call).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Compares with `candidate` in time independent of where they differ.
    pub fn constant_time_eq(&self, candidate: &[u8]) -> bool {
        use subtle::ConstantTimeEq;
        // Length is not secret for our tokens; `ct_eq` on unequal lengths returns false.
        self.0.as_bytes().ct_eq(candidate).into()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
    }

    #[test]
    fn constant_time_eq_matches_only_the_exact_value() {
        let s = Secret::new("abc");
        assert!(s.constant_time_eq(b"abc"));
        assert!(!s.constant_time_eq(b"abd"));
        assert!(!s.constant_time_eq(b"ab"));
        assert!(!s.constant_time_eq(b""));
    }
}
