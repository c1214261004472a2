//! Parsing path and query parameters into typed values with specific 400s, instead of
//! the framework's plain-text rejections.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};

use super::error::ApiError;

/// A repository id from the path.
pub fn repo_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::bad_request("invalid_repo_id", "repoId must be a positive whole number")
    })
}

/// A PR number from the path.
pub fn pr_number(raw: &str) -> Result<i32, ApiError> {
    raw.parse::<i32>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_pr_number",
            "the PR number must be a positive whole number",
        )
    })
}

/// Query parameters with typed accessors; unknown names are refused so a typo is not
/// silently ignored.
pub struct QueryParams {
    values: HashMap<String, String>,
}

impl QueryParams {
    /// Checks that only `allowed` names are present.
    pub fn new(values: HashMap<String, String>, allowed: &[&str]) -> Result<Self, ApiError> {
        if let Some(unknown) = values.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(ApiError::bad_request(
                "unknown_parameter",
                format!(
                    "unknown query parameter `{unknown}`; expected one of: {}",
                    allowed.join(", ")
                ),
            ));
        }
        Ok(Self { values })
    }

    /// A whole number in `min..=max`, or `default`.
    pub fn int(&self, name: &str, default: i64, min: i64, max: i64) -> Result<i64, ApiError> {
        match self.values.get(name) {
            None => Ok(default),
            Some(raw) => raw
                .parse::<i64>()
                .ok()
                .filter(|v| (min..=max).contains(v))
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_parameter",
                        format!("{name} must be a whole number from {min} to {max}"),
                    )
                }),
        }
    }

    /// A number in `0..=1`, if given.
    pub fn unit(&self, name: &str) -> Result<Option<f64>, ApiError> {
        match self.values.get(name) {
            None => Ok(None),
            Some(raw) => raw
                .parse::<f64>()
                .ok()
                .filter(|v| (0.0..=1.0).contains(v))
                .map(Some)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_parameter",
                        format!("{name} must be a number from 0 to 1"),
                    )
                }),
        }
    }

    /// One of `choices` (case-insensitive, returned as given in `choices`), or `default`.
    pub fn choice(
        &self,
        name: &str,
        choices: &[&'static str],
        default: &'static str,
    ) -> Result<&'static str, ApiError> {
        match self.values.get(name) {
            None => Ok(default),
            Some(raw) => choices
                .iter()
                .find(|c| c.eq_ignore_ascii_case(raw))
                .copied()
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_parameter",
                        format!("{name} must be one of: {}", choices.join(", ")),
                    )
                }),
        }
    }

    /// A comma-separated subset of `choices`, or all of them.
    pub fn subset(
        &self,
        name: &str,
        choices: &[&'static str],
    ) -> Result<Vec<&'static str>, ApiError> {
        let Some(raw) = self.values.get(name) else {
            return Ok(choices.to_vec());
        };
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|item| {
                choices
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(item))
                    .copied()
                    .ok_or_else(|| {
                        ApiError::bad_request(
                            "invalid_parameter",
                            format!("{name}: `{item}` is not one of {}", choices.join(", ")),
                        )
                    })
            })
            .collect()
    }

    /// The raw value, if present.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// Encodes a cursor as an opaque token (hex, so it is URL-safe without escaping).
pub fn encode_cursor(parts: &[String]) -> String {
    hex::encode(parts.join("|"))
}

/// Decodes a token made by [`encode_cursor`] into `expected` parts.
pub fn decode_cursor(token: &str, expected: usize) -> Result<Vec<String>, ApiError> {
    let invalid =
        || ApiError::bad_request("invalid_cursor", "cursor is not a cursor this API returned");
    let bytes = hex::decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let parts: Vec<String> = text.split('|').map(str::to_owned).collect();
    if parts.len() == expected {
        Ok(parts)
    } else {
        Err(invalid())
    }
}

/// A JSON body: `Content-Type: application/json` (else 415), at most `limit` bytes
/// (else 413), well-formed (else 400).
pub fn json_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<serde_json::Value, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the body must be JSON (Content-Type: application/json)",
        ));
    }
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the body must be at most {limit} bytes"),
            )
        } else {
            ApiError::bad_request("invalid_body", "the body could not be read")
        }
    })?;
    serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request("invalid_json", format!("the body is not valid JSON: {e}"))
    })
}
