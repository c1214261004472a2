//! GitHub's rate-limit headers, read from every response, and the decision of what a
//! 403/429 means: the primary budget is spent (wait for the reset), a secondary limit
//! (back off), or a plain refusal.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;

/// The `x-ratelimit-*` headers of one response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    /// `x-ratelimit-limit`: the budget of the window.
    pub limit: Option<u64>,
    /// `x-ratelimit-remaining`.
    pub remaining: u64,
    /// `x-ratelimit-reset`: when the window ends.
    pub reset: DateTime<Utc>,
    /// `x-ratelimit-used`.
    pub used: Option<u64>,
    /// `x-ratelimit-resource` (`core`, `search`, ...).
    pub resource: Option<String>,
}

impl RateLimit {
    /// Reads the headers; `None` when `remaining` or `reset` is missing or unreadable.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let remaining = number(headers, "x-ratelimit-remaining")?;
        let reset = number(headers, "x-ratelimit-reset")?;
        let reset = DateTime::from_timestamp(i64::try_from(reset).ok()?, 0)?;
        Some(Self {
            limit: number(headers, "x-ratelimit-limit"),
            remaining,
            reset,
            used: number(headers, "x-ratelimit-used"),
            resource: headers
                .get("x-ratelimit-resource")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }

    /// How long until the budget is back, plus a second of slack for clock skew (GitHub
    /// gives whole seconds), or zero when the reset has passed.
    pub fn wait_until_reset(&self, now: DateTime<Utc>) -> Duration {
        let reset = self.reset + chrono::Duration::seconds(1);
        (reset - now).to_std().unwrap_or(Duration::ZERO)
    }
}

fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// What a 403 or 429 answer means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The primary budget is spent; it comes back at the reset.
    Primary(RateLimit),
    /// A secondary (abuse) limit: wait `retry_after` when given, else back off.
    Secondary {
        /// The `retry-after` header.
        retry_after: Option<Duration>,
    },
    /// A 429 with no further sign: treat as a secondary limit without `retry-after`.
    TooMany,
    /// Not a rate limit: permissions, blocked, and so on.
    Forbidden,
}

/// Classifies a 403/429 from its headers and (short) body, as GitHub documents it.
pub fn classify(status: u16, headers: &HeaderMap, body: &str) -> Refusal {
    let retry_after = headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    // GitHub's documented order: a secondary-limit message wins; else a spent budget
    // means wait for the reset; else a `retry-after` alone is a secondary limit too.
    if body.to_ascii_lowercase().contains("secondary rate limit") {
        return Refusal::Secondary { retry_after };
    }
    if let Some(limit) = RateLimit::from_headers(headers).filter(|l| l.remaining == 0) {
        return Refusal::Primary(limit);
    }
    if retry_after.is_some() {
        return Refusal::Secondary { retry_after };
    }
    if status == 429 {
        Refusal::TooMany
    } else {
        Refusal::Forbidden
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).expect("header"));
        }
        map
    }

    #[test]
    fn reads_all_headers() {
        let h = headers(&[
            ("x-ratelimit-limit", "5000"),
            ("x-ratelimit-remaining", "4999"),
            ("x-ratelimit-reset", "1700000000"),
            ("x-ratelimit-used", "1"),
            ("x-ratelimit-resource", "core"),
        ]);
        let limit = RateLimit::from_headers(&h).expect("parsed");
        assert_eq!(limit.limit, Some(5000));
        assert_eq!(limit.remaining, 4999);
        assert_eq!(limit.reset.timestamp(), 1_700_000_000);
        assert_eq!(limit.used, Some(1));
        assert_eq!(limit.resource.as_deref(), Some("core"));
        assert!(RateLimit::from_headers(&headers(&[("x-ratelimit-remaining", "x")])).is_none());
    }

    #[test]
    fn classifies_refusals() {
        let exhausted = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "10")]);
        assert!(matches!(
            classify(
                403,
                &exhausted,
                "{\"message\":\"API rate limit exceeded for x\"}"
            ),
            Refusal::Primary(_)
        ));
        let secondary = headers(&[("retry-after", "3"), ("x-ratelimit-remaining", "10")]);
        assert_eq!(
            classify(403, &secondary, ""),
            Refusal::Secondary {
                retry_after: Some(Duration::from_secs(3))
            }
        );
        assert_eq!(
            classify(
                403,
                &HeaderMap::new(),
                "You have exceeded a secondary rate limit."
            ),
            Refusal::Secondary { retry_after: None }
        );
        assert_eq!(classify(429, &HeaderMap::new(), ""), Refusal::TooMany);
        assert_eq!(
            classify(
                403,
                &HeaderMap::new(),
                "Resource not accessible by integration"
            ),
            Refusal::Forbidden
        );
    }

    #[test]
    fn wait_adds_a_second_and_never_goes_negative() {
        let now = DateTime::from_timestamp(100, 0).expect("time");
        let limit = RateLimit {
            limit: None,
            remaining: 0,
            reset: DateTime::from_timestamp(103, 0).expect("time"),
            used: None,
            resource: None,
        };
        assert_eq!(limit.wait_until_reset(now), Duration::from_secs(4));
        let later = DateTime::from_timestamp(200, 0).expect("time");
        assert_eq!(limit.wait_until_reset(later), Duration::ZERO);
    }
}
