//! Token checks. Every comparison is constant-time; no token is ever logged or echoed.

use axum::http::{HeaderMap, StatusCode, header};

use super::error::ApiError;
use crate::config::{Config, DashboardAuthMode};
use crate::secret::Secret;

/// The bearer token of the `Authorization` header.
fn bearer(headers: &HeaderMap) -> Result<&[u8], ApiError> {
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        unauthorized(
            "missing_token",
            "an Authorization: Bearer token is required",
        )
    })?;
    let value = value.as_bytes();
    let scheme_len = "bearer ".len();
    if value.len() <= scheme_len || !value[..scheme_len].eq_ignore_ascii_case(b"bearer ") {
        return Err(unauthorized(
            "invalid_auth_scheme",
            "the Authorization header must use the Bearer scheme",
        ));
    }
    Ok(value[scheme_len..].trim_ascii())
}

fn unauthorized(code: &'static str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, message)
}

fn check(expected: &Secret, presented: &[u8]) -> Result<(), ApiError> {
    if expected.constant_time_eq(presented) {
        Ok(())
    } else {
        Err(unauthorized("invalid_token", "the token is not valid"))
    }
}

/// `POST /api/ops/*`: the ops trigger token, which must be configured.
pub fn require_ops(config: &Config, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = config
        .ops_trigger_token
        .as_ref()
        .filter(|t| !t.expose().is_empty())
    else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "trigger_disabled",
            "OPS_TRIGGER_TOKEN is not configured on the server, so triggers are refused",
        ));
    };
    check(expected, bearer(headers)?)
}

/// The dashboard token from `Authorization: Bearer` or `X-Admin-Token`.
fn dashboard_token(headers: &HeaderMap) -> Result<&[u8], ApiError> {
    if let Some(value) = headers.get("x-admin-token") {
        return Ok(value.as_bytes().trim_ascii());
    }
    bearer(headers)
}

fn configured_dashboard_token(config: &Config) -> Option<&Secret> {
    config
        .dashboard_token
        .as_ref()
        .filter(|t| !t.expose().is_empty())
}

/// Reads of the dashboard API, per `DASHBOARD_AUTH_MODE`. The ops token is accepted as
/// well, so `clawtriage trigger --wait` can poll scan status with the token it has.
pub fn require_read(config: &Config, headers: &HeaderMap) -> Result<(), ApiError> {
    let expected = configured_dashboard_token(config);
    let needed = match config.dashboard_auth_mode {
        DashboardAuthMode::Disabled => false,
        DashboardAuthMode::Required => true,
        DashboardAuthMode::Auto => expected.is_some(),
    };
    if !needed {
        return Ok(());
    }
    let presented = dashboard_token(headers)?;
    let ops_ok = config
        .ops_trigger_token
        .as_ref()
        .is_some_and(|t| !t.expose().is_empty() && t.constant_time_eq(presented));
    let dashboard_ok = expected.is_some_and(|t| t.constant_time_eq(presented));
    if ops_ok || dashboard_ok {
        Ok(())
    } else {
        Err(unauthorized("invalid_token", "the token is not valid"))
    }
}

/// Writes (feedback): always the dashboard token, whatever the read mode.
pub fn require_write(config: &Config, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = configured_dashboard_token(config) else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writes_disabled",
            "DASHBOARD_TOKEN is not configured on the server, so writes are refused",
        ));
    };
    check(expected, dashboard_token(headers)?)
}
