//! The sessions file's contents: several sessions, each keyed by endpoint and email, one active
//! per endpoint, and the reading of the older single-session file (migration).
//!
//! Version 2 (written since several accounts):
//!
//! ```json
//! { "version": 2,
//!   "sessions": [ { "email": "a@b.c", "endpoint": "eu", "authtoken": "blt…",
//!                   "created_at": "…", "last_used": "…", "obtained": "password",
//!                   "active": true } ] }
//! ```
//!
//! A session whose token is in the OS keyring has `"token_in": "keyring"` instead of
//! `authtoken`. Version 1 (one session: `email`, `endpoint`, `authtoken` or `token_in`,
//! `saved_at`) is read as one active session obtained in a way it did not record; the next
//! write turns the file into version 2.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keyring;
use crate::api::Endpoint;

/// The `token_in` marker of a session whose token is in the OS keyring.
pub(super) const IN_KEYRING: &str = "keyring";

/// The version this build writes.
const VERSION: u32 = 2;

/// How a session's token was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Obtained {
    /// Email and password (and a 2FA code), in the app or with `cs-account login`.
    Password,
    /// An authtoken pasted into the app's log-in screen.
    Token,
    /// Browser sign-in (OAuth with PKCE): an access and a refresh token, no authtoken.
    Browser,
    /// Saved by a cs-account from before several sessions, which did not record it (or by a
    /// newer one, in a way this build does not know).
    #[serde(other)]
    Unknown,
}

impl Obtained {
    /// How it was obtained, in words (`status` and the account switcher).
    pub fn describe(self) -> &'static str {
        match self {
            Obtained::Password => "logged in with a password",
            Obtained::Token => "a pasted authtoken",
            Obtained::Browser => "signed in with the browser",
            Obtained::Unknown => "saved by an earlier cs-account",
        }
    }

    /// The word `status` shows.
    pub fn word(self) -> &'static str {
        match self {
            Obtained::Password => "password",
            Obtained::Token => "token",
            Obtained::Browser => "browser",
            Obtained::Unknown => "unknown",
        }
    }
}

/// One stored session as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    pub email: String,
    /// A region id or an API URL.
    pub endpoint: String,
    /// The token, unless it is in the keyring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authtoken: Option<String>,
    /// `"keyring"` when the token is in the OS keyring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_in: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used: DateTime<Utc>,
    pub obtained: Obtained,
    pub active: bool,
    /// A browser sign-in's tokens and app (no `authtoken` then); its tokens are in the keyring
    /// instead when `token_in` says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OAuthEntry>,
}

/// A browser sign-in as written: its tokens (unless in the keyring), when the access token
/// expires, whose they are, and the app that issued them (refreshing and logging out need it,
/// whatever the settings say later).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct OAuthEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub expires_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_uid: Option<String>,
    pub app_id: String,
    pub client_id: String,
    pub redirect_uri: String,
}

impl Drop for OAuthEntry {
    fn drop(&mut self) {
        for token in [&mut self.access_token, &mut self.refresh_token].into_iter().flatten() {
            zeroize::Zeroize::zeroize(token);
        }
    }
}

impl Entry {
    pub fn in_keyring(&self) -> bool {
        let in_file = self.authtoken.is_some()
            || self.oauth.as_ref().is_some_and(|o| o.access_token.is_some() || o.refresh_token.is_some());
        !in_file && self.token_in.as_deref() == Some(IN_KEYRING)
    }

    pub fn account(&self) -> String {
        keyring::account(&self.email, &self.endpoint)
    }

    /// Whether this is the session of `email` on `endpoint` (emails compare without case).
    pub fn is(&self, endpoint: &Endpoint, email: &str) -> bool {
        self.on(endpoint) && self.email.eq_ignore_ascii_case(email)
    }

    /// Whether this session is for `endpoint`.
    pub fn on(&self, endpoint: &Endpoint) -> bool {
        Endpoint::parse(&self.endpoint).is_ok_and(|e| e == *endpoint)
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        if let Some(token) = &mut self.authtoken {
            zeroize::Zeroize::zeroize(token);
        }
    }
}

/// The whole file, version 2.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Sessions {
    pub version: u32,
    pub sessions: Vec<Entry>,
}

/// The file of a cs-account from before several sessions.
#[derive(Deserialize)]
struct Version1 {
    email: String,
    endpoint: String,
    #[serde(default)]
    authtoken: Option<String>,
    #[serde(default)]
    token_in: Option<String>,
    #[serde(default)]
    saved_at: Option<String>,
}

impl Sessions {
    /// The file's contents, either version; `Err` holds the reason for a damaged file.
    pub fn parse(text: &[u8]) -> Result<Sessions, String> {
        let current = serde_json::from_slice::<Sessions>(text);
        let sessions = match current {
            Ok(s) => s,
            Err(e) => match serde_json::from_slice::<Version1>(text) {
                Ok(old) => Sessions::from_version1(old),
                Err(_) => return Err(e.to_string()),
            },
        };
        if sessions.version > VERSION {
            tracing::warn!(version = sessions.version, "a sessions file from a newer cs-account");
        }
        for entry in &sessions.sessions {
            Endpoint::parse(&entry.endpoint).map_err(|e| format!("{}: {e}", entry.email))?;
        }
        Ok(sessions)
    }

    /// Today's single session as the one active session of its endpoint.
    fn from_version1(mut old: Version1) -> Sessions {
        let saved = old
            .saved_at
            .as_deref()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map_or_else(Utc::now, |t| t.with_timezone(&Utc));
        let entry = Entry {
            email: std::mem::take(&mut old.email),
            endpoint: std::mem::take(&mut old.endpoint),
            authtoken: old.authtoken.take(),
            token_in: old.token_in.take(),
            created_at: saved,
            last_used: saved,
            obtained: Obtained::Unknown,
            active: true,
            oauth: None,
        };
        tracing::info!("read a single-session file from an earlier cs-account as one session");
        Sessions { version: VERSION, sessions: vec![entry] }
    }

    /// The index of `email`'s session on `endpoint`.
    pub fn find(&self, endpoint: &Endpoint, email: &str) -> Option<usize> {
        self.sessions.iter().position(|e| e.is(endpoint, email))
    }

    /// The index of the active session of `endpoint` (the one used last, should a hand-edited
    /// file mark several).
    pub fn active_on(&self, endpoint: &Endpoint) -> Option<usize> {
        self.sessions
            .iter()
            .enumerate()
            .filter(|(_, e)| e.active && e.on(endpoint))
            .max_by_key(|(_, e)| e.last_used)
            .map(|(i, _)| i)
    }

    /// The index of the active session used last, on any endpoint.
    pub fn latest_active(&self) -> Option<usize> {
        self.sessions
            .iter()
            .enumerate()
            .filter(|(_, e)| e.active)
            .max_by_key(|(_, e)| e.last_used)
            .map(|(i, _)| i)
    }

    /// Makes session `i` the only active one of its endpoint, used now.
    pub fn activate(&mut self, i: usize) {
        let Ok(endpoint) = Endpoint::parse(&self.sessions[i].endpoint) else { return };
        for (j, e) in self.sessions.iter_mut().enumerate() {
            if e.on(&endpoint) {
                e.active = j == i;
            }
        }
        self.sessions[i].last_used = Utc::now();
    }

    /// Removes session `i`; when it was active, the session of its endpoint used last becomes
    /// active (as `gh auth logout` does).
    pub fn remove(&mut self, i: usize) -> Entry {
        let gone = self.sessions.remove(i);
        if gone.active
            && let Ok(endpoint) = Endpoint::parse(&gone.endpoint)
            && self.active_on(&endpoint).is_none()
            && let Some((next, _)) = self
                .sessions
                .iter()
                .enumerate()
                .filter(|(_, e)| e.on(&endpoint))
                .max_by_key(|(_, e)| e.last_used)
        {
            self.sessions[next].active = true;
        }
        gone
    }

    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let out = SessionsOut { version: VERSION, sessions: &self.sessions };
        serde_json::to_vec_pretty(&out)
    }
}

#[derive(Serialize)]
struct SessionsOut<'a> {
    version: u32,
    sessions: &'a [Entry],
}
