//! GitHub App authentication: a short-lived RS256 JWT signed with the app's key (octocrab
//! signs it), exchanged for installation tokens, which are cached until shortly before
//! they expire. Tokens and keys never reach a log: these types print no secrets.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};
use octocrab::EncodingKey;
use tokio::sync::Mutex;

use super::error::GithubError;
use crate::secret::Secret;

/// An installation token is replaced this long before GitHub's `expires_at`, so a long
/// listing never runs into expiry halfway.
pub const TOKEN_REFRESH_MARGIN: chrono::Duration = chrono::Duration::minutes(5);

/// A GitHub App's signing key and the installation tokens it obtained.
pub struct AppAuth {
    app_id: u64,
    key: EncodingKey,
    /// Installation id → token. A tokio mutex: it is held while a token is fetched, so
    /// concurrent calls wait for one fetch instead of each making their own.
    pub(crate) tokens: Mutex<HashMap<u64, CachedToken>>,
    /// `owner/repo` (lower-cased) → installation id, `None` when not installed.
    pub(crate) installations: std::sync::Mutex<HashMap<String, Option<u64>>>,
}

impl fmt::Debug for AppAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppAuth")
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

/// A cached installation token.
#[derive(Debug, Clone)]
pub(crate) struct CachedToken {
    pub(crate) token: Secret,
    pub(crate) refresh_at: DateTime<Utc>,
}

impl AppAuth {
    /// Parses the PEM key. Keys pasted into an environment variable often arrive with
    /// literal `\n` instead of line breaks; those are restored.
    pub fn new(app_id: u64, pem: &Secret) -> Result<Self, GithubError> {
        let text = pem.expose().trim();
        let text = if text.contains('\n') {
            text.to_owned()
        } else {
            text.replace("\\n", "\n")
        };
        // The parser's error says what is wrong with the key's structure, never its content.
        let key = EncodingKey::from_rsa_pem(text.as_bytes()).map_err(|e| {
            GithubError::Config(format!("GITHUB_PRIVATE_KEY_PEM is not an RSA PEM key: {e}"))
        })?;
        Ok(Self {
            app_id,
            key,
            tokens: Mutex::new(HashMap::new()),
            installations: std::sync::Mutex::new(HashMap::new()),
        })
    }

    /// The app id.
    pub fn app_id(&self) -> u64 {
        self.app_id
    }

    /// A fresh JWT (valid nine minutes, issued a minute in the past for clock drift).
    pub fn jwt(&self) -> Result<Secret, GithubError> {
        octocrab::auth::create_jwt(octocrab::models::AppId(self.app_id), &self.key)
            .map(Secret::new)
            .map_err(|e| GithubError::Config(format!("cannot sign the GitHub App JWT: {e}")))
    }

    /// A cached token that is still good at `now`.
    pub(crate) fn usable(token: &CachedToken, now: DateTime<Utc>) -> bool {
        now < token.refresh_at
    }
}
