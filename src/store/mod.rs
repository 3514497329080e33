//! Every file cs-account keeps: the stored sessions (here: who is logged in, where, with which
//! token) and unsaved profile edits ([`drafts`]), both written and read through one private-file
//! writer (`private`: mode 0600, atomic replacement, no link followed).
//!
//! Several sessions, each keyed by endpoint (region or API URL) and email, one of them active per
//! endpoint; a log-in adds a session or refreshes the same account's, and leaves the others as
//! they are. The file's format and the reading of the older single-session file are in
//! [`sessions`].
//!
//! One small JSON file, `session.json` in the config directory, mode 0600, replaced atomically
//! (written to a temporary file in the same directory, synced, then renamed over the old one), so
//! a crash never leaves half a token behind and no other user can ever read it. A file that
//! group or others can read, that belongs to another user, or that is a symbolic link is refused
//! with an explanation rather than used: the token in it may already have leaked, or the file
//! may not be the one the user thinks.
//!
//! With the `keyring` feature, the token itself goes to the OS keyring when one is running and
//! the file keeps only the email, the endpoint and a marker (see [`keyring`]). Without a keyring
//! service (headless machines, SSH, CI) the token stays in the file, as without the feature.

pub mod drafts;
pub mod keyring;
mod oauth;
mod private;
mod sessions;

pub use private::FileError;
pub use sessions::Obtained;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use self::keyring::Vault;
use self::oauth::{oauth_entry, pair};
use self::private::{Distrust, create_dir, is_symlink, open_no_follow, write_atomic};
use self::sessions::{Entry, IN_KEYRING, Sessions};
use crate::api::Endpoint;
use crate::api::oauth::{OAuthSettings, OAuthTokens};

/// The file name inside the config directory.
pub const SESSION_FILE: &str = "session.json";

/// A session is a few hundred bytes; a file much larger than [`MAX_SESSIONS`] of them is not one.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// How many sessions the file keeps at most: far more than anyone has accounts, few enough
/// that the file stays under [`MAX_FILE_BYTES`].
pub const MAX_SESSIONS: usize = 64;

/// A logged-in session, as stored.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub email: String,
    pub endpoint: Endpoint,
    pub secret: StoredSecret,
}

/// What a stored session proves itself with.
#[derive(Debug, Clone)]
pub enum StoredSecret {
    /// A password log-in's or a pasted authtoken.
    Authtoken(SecretString),
    /// A browser sign-in's tokens and the app that issued them.
    OAuth { tokens: OAuthTokens, settings: OAuthSettings },
}

impl StoredSession {
    /// An authtoken session.
    pub fn with_authtoken(email: String, endpoint: Endpoint, token: SecretString) -> Self {
        StoredSession { email, endpoint, secret: StoredSecret::Authtoken(token) }
    }

    /// The authtoken, for an authtoken session (`None` for a browser sign-in's).
    pub fn authtoken(&self) -> Option<&SecretString> {
        match &self.secret {
            StoredSecret::Authtoken(token) => Some(token),
            StoredSecret::OAuth { .. } => None,
        }
    }
}

/// What is known of a stored session without its token (for `status`, `switch`, `logout`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub email: String,
    pub endpoint: Endpoint,
    /// The session used for its endpoint.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_used: DateTime<Utc>,
    pub obtained: Obtained,
    /// The token is in the OS keyring rather than the file.
    pub in_keyring: bool,
}

impl SessionInfo {
    /// "john.doe@example.com on EU".
    pub fn who(&self) -> String {
        format!("{} on {}", self.email, self.endpoint.name())
    }
}

/// Why the sessions could not be read or written. Each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} can be read by other users (mode {mode:o}), so cs-account will not use it. Log in again, or run `chmod 600 {path}` if you are sure nobody read it."
    )]
    TooOpen { path: String, mode: u32 },
    #[error("{path} {reason}, so cs-account will not use it. Delete it and log in again.")]
    NotYours { path: String, reason: String },
    #[error("{path} is damaged ({detail}). Log in again to replace it.")]
    Corrupt { path: String, detail: String },
    #[error("The session token is kept in the OS keyring, which {detail}. Log in again.")]
    Keyring { detail: String },
    #[error(
        "{path} already holds {count} sessions, the most cs-account keeps. Log out of some first (`cs-account status` lists them, `cs-account logout EMAIL` ends one)."
    )]
    Full { path: String, count: usize },
    #[error(transparent)]
    Io(#[from] FileError),
}

/// Reads and writes the stored sessions.
#[derive(Debug, Clone)]
pub struct SessionStore {
    path: PathBuf,
    /// Where tokens go instead of the file, when set. The file is the fallback.
    vault: Option<Arc<dyn Vault>>,
}

impl SessionStore {
    /// A store whose file is `dir/session.json`, tokens included (no keyring).
    pub fn new(dir: PathBuf) -> Self {
        SessionStore { path: dir.join(SESSION_FILE), vault: None }
    }

    /// The store in the user's config directory, if the platform has one. Built with the
    /// `keyring` feature, it keeps tokens in the OS keyring when one is running.
    pub fn default_location() -> Option<Self> {
        let store = SessionStore::new(crate::config::config_dir()?);
        #[cfg(feature = "keyring")]
        let store = store.with_os_keyring();
        Some(store)
    }

    /// The same store, with tokens in the OS keyring when one answers.
    #[cfg(feature = "keyring")]
    pub fn with_os_keyring(self) -> Self {
        self.with_vault(Arc::new(keyring::OsKeyring))
    }

    /// The same store, with tokens in `vault` when it accepts them.
    #[cfg(any(test, feature = "keyring"))]
    pub(crate) fn with_vault(mut self, vault: Arc<dyn Vault>) -> Self {
        self.vault = Some(vault);
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn shown(&self) -> String {
        self.path.display().to_string()
    }

    /// Every stored session, without tokens, in the file's order (oldest log-in first).
    pub fn list(&self) -> Result<Vec<SessionInfo>, StoreError> {
        let Some(file) = self.read(true)? else { return Ok(Vec::new()) };
        Ok(file.sessions.iter().map(info).collect())
    }

    /// The active session used last, on any endpoint (with one session: that one); `None`
    /// when there is none.
    pub fn load(&self) -> Result<Option<StoredSession>, StoreError> {
        let Some(file) = self.read(true)? else { return Ok(None) };
        file.latest_active().map(|i| self.with_token(&file.sessions[i])).transpose()
    }

    /// The active session of `endpoint`, `None` when it has none.
    pub fn load_active(&self, endpoint: &Endpoint) -> Result<Option<StoredSession>, StoreError> {
        let Some(file) = self.read(true)? else { return Ok(None) };
        file.active_on(endpoint).map(|i| self.with_token(&file.sessions[i])).transpose()
    }

    /// `email`'s session on `endpoint`, active or not.
    pub fn load_one(&self, endpoint: &Endpoint, email: &str) -> Result<Option<StoredSession>, StoreError> {
        let Some(file) = self.read(true)? else { return Ok(None) };
        file.find(endpoint, email).map(|i| self.with_token(&file.sessions[i])).transpose()
    }

    fn with_token(&self, entry: &Entry) -> Result<StoredSession, StoreError> {
        let endpoint = Endpoint::parse(&entry.endpoint)
            .map_err(|detail| StoreError::Corrupt { path: self.shown(), detail })?;
        if let Some(oauth) = &entry.oauth {
            let secret = self.oauth_secret(entry, oauth)?;
            return Ok(StoredSession { email: entry.email.clone(), endpoint, secret });
        }
        let token = if entry.in_keyring() {
            self.token_from_vault(&entry.account())?
        } else {
            let Some(token) = &entry.authtoken else {
                let detail = format!("the session of {} holds no token", entry.email);
                return Err(StoreError::Corrupt { path: self.shown(), detail });
            };
            SecretString::from(token.clone())
        };
        Ok(StoredSession::with_authtoken(entry.email.clone(), endpoint, token))
    }

    fn token_from_vault(&self, account: &str) -> Result<SecretString, StoreError> {
        let Some(vault) = &self.vault else {
            return Err(StoreError::Keyring {
                detail: "this build of cs-account cannot read (it has no keyring support)".into(),
            });
        };
        match vault.get(account) {
            Ok(Some(token)) => {
                tracing::debug!("session token read from the OS keyring");
                Ok(SecretString::from(token))
            }
            Ok(None) => Err(StoreError::Keyring { detail: format!("has no token for {account}") }),
            Err(e) => Err(StoreError::Keyring { detail: format!("cannot be read now ({e})") }),
        }
    }

    /// [`save_as`](Self::save_as) for a log-in with a password.
    pub fn save(&self, session: &StoredSession) -> Result<(), StoreError> {
        self.save_as(session, Obtained::Password)
    }

    /// Adds the session, or refreshes the same account's on the same endpoint, and makes it the
    /// active one of its endpoint; other sessions stay as they are. Written atomically with
    /// mode 0600, creating the directory (0700) if needed. A file that cannot be trusted (see
    /// [`load`](Self::load)) is replaced, its sessions dropped. With a keyring, the token goes
    /// there and the file gets a marker; when the keyring refuses, the token goes to the file
    /// and the log says why.
    pub fn save_as(&self, session: &StoredSession, how: Obtained) -> Result<(), StoreError> {
        let account = keyring::account(&session.email, &session.endpoint.id());
        let mut file = match self.read(true) {
            Ok(file) => file.unwrap_or_default(),
            Err(e) => {
                tracing::warn!(error = %e, "the sessions file is replaced by a new one");
                Sessions::default()
            }
        };
        let existing = file.find(&session.endpoint, &session.email);
        if existing.is_none() && file.sessions.len() >= MAX_SESSIONS {
            return Err(StoreError::Full { path: self.shown(), count: file.sessions.len() });
        }
        let vaulted = match &session.secret {
            StoredSecret::Authtoken(token) => zeroize::Zeroizing::new(token.expose_secret().to_string()),
            StoredSecret::OAuth { tokens, .. } => pair(tokens),
        };
        let in_vault = self.vault.as_ref().is_some_and(|vault| {
            match vault.put(&account, &vaulted) {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!(error = %e, "no usable OS keyring: the session token goes to the 0600 session file");
                    false
                }
            }
        });
        let now = Utc::now();
        let entry = Entry {
            email: session.email.clone(),
            endpoint: session.endpoint.id(),
            authtoken: session.authtoken().filter(|_| !in_vault).map(|t| t.expose_secret().to_string()),
            token_in: in_vault.then(|| IN_KEYRING.to_string()),
            created_at: now,
            last_used: now,
            obtained: how,
            active: true,
            oauth: match &session.secret {
                StoredSecret::Authtoken(_) => None,
                StoredSecret::OAuth { tokens, settings } => Some(oauth_entry(tokens, settings, !in_vault)),
            },
        };
        let (i, replaced) = match existing {
            Some(i) => (i, Some(std::mem::replace(&mut file.sessions[i], entry))),
            None => {
                file.sessions.push(entry);
                (file.sessions.len() - 1, None)
            }
        };
        file.activate(i);
        let written = self.write(&file);
        match (&written, &self.vault) {
            // The file still holds what it held: the new token must not linger in the keyring.
            (Err(_), Some(vault)) if in_vault && !replaced.as_ref().is_some_and(Entry::in_keyring) => {
                self.forget(vault.as_ref(), &account)
            }
            // The refreshed session's token moved from the keyring to the file.
            (Ok(()), Some(vault)) if !in_vault && replaced.as_ref().is_some_and(Entry::in_keyring) => {
                self.forget(vault.as_ref(), &account)
            }
            _ => {}
        }
        if written.is_ok() {
            tracing::debug!(keyring = in_vault, sessions = file.sessions.len(), "session saved");
        }
        written
    }

    /// Makes `email`'s session on `endpoint` the active one of its endpoint (and the one used
    /// last). `Ok(false)` when there is no such session.
    pub fn activate(&self, endpoint: &Endpoint, email: &str) -> Result<bool, StoreError> {
        let Some(mut file) = self.read(true)? else { return Ok(false) };
        let Some(i) = file.find(endpoint, email) else { return Ok(false) };
        file.activate(i);
        self.write(&file).map(|()| true)
    }

    /// Notes that `email`'s session on `endpoint` was used now. A failure only leaves the time
    /// older, so it is logged.
    pub fn touch(&self, endpoint: &Endpoint, email: &str) {
        let touched = self.read(true).and_then(|file| {
            let Some(mut file) = file else { return Ok(()) };
            let Some(i) = file.find(endpoint, email) else { return Ok(()) };
            file.sessions[i].last_used = Utc::now();
            self.write(&file)
        });
        if let Err(e) = touched {
            tracing::warn!(error = %e, "could not note when the session was used");
        }
    }

    /// Forgets `email`'s session on `endpoint` (and its keyring entry); when it was the active
    /// one, the session of that endpoint used last becomes active. The file goes when no
    /// session is left. `Ok(false)` when there was no such session.
    pub fn remove(&self, endpoint: &Endpoint, email: &str) -> Result<bool, StoreError> {
        let Some(mut file) = self.read(true)? else { return Ok(false) };
        let Some(i) = file.find(endpoint, email) else { return Ok(false) };
        let gone = file.remove(i);
        if file.sessions.is_empty() {
            self.delete_file()?;
        } else {
            self.write(&file)?;
        }
        if let (true, Some(vault)) = (gone.in_keyring(), &self.vault) {
            self.forget(vault.as_ref(), &gone.account());
        }
        Ok(true)
    }

    /// Deletes every stored session, and their keyring entries. `Ok(false)` when there was no
    /// file.
    pub fn delete(&self) -> Result<bool, StoreError> {
        // Read without the privacy check: only to find keyring entries to clean up.
        let previous = self.read(false).ok().flatten();
        let deleted = self.delete_file()?;
        if let (Some(old), Some(vault)) = (previous, &self.vault) {
            for entry in old.sessions.iter().filter(|e| e.in_keyring()) {
                self.forget(vault.as_ref(), &entry.account());
            }
        }
        Ok(deleted)
    }

    fn delete_file(&self) -> Result<bool, StoreError> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(FileError::of("delete", &self.path)(e).into()),
        }
    }

    /// Removes a keyring entry; a failure only leaves a token nobody points to, so it is logged.
    fn forget(&self, vault: &dyn Vault, account: &str) {
        if let Err(e) = vault.remove(account) {
            tracing::warn!(error = %e, "could not remove the session token from the OS keyring");
        }
    }

    /// The file's contents, `None` when there is none. `checked` refuses files that are not
    /// private; [`delete`](Self::delete) reads without that check, only to find keyring
    /// entries to clean up.
    fn read(&self, checked: bool) -> Result<Option<Sessions>, StoreError> {
        let file = match open_no_follow(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            // Checked only on failure: on Unix, O_NOFOLLOW already refused to follow it.
            Err(_) if is_symlink(&self.path) => {
                let reason = "is a symbolic link".to_string();
                return Err(StoreError::NotYours { path: self.shown(), reason });
            }
            Err(e) => return Err(FileError::of("read", &self.path)(e).into()),
        };
        // A FIFO or a device would block the read (or never end): only a regular file is read.
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            let reason = "is not a regular file (a FIFO, a device or a directory)".to_string();
            return Err(StoreError::NotYours { path: self.shown(), reason });
        }
        if checked {
            check_private(&file, &self.path)?;
        }
        let mut text = Vec::new();
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut text).map_err(FileError::of("read", &self.path))?;
        let parsed = if text.len() as u64 > MAX_FILE_BYTES {
            Err(format!("larger than {} KiB", MAX_FILE_BYTES / 1024))
        } else {
            Sessions::parse(&text)
        };
        zeroize::Zeroize::zeroize(&mut text);
        parsed.map(Some).map_err(|detail| StoreError::Corrupt { path: self.shown(), detail })
    }

    fn write(&self, sessions: &Sessions) -> Result<(), StoreError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        create_dir(dir).map_err(FileError::of("create", dir))?;
        let mut body = sessions
            .to_json()
            .map_err(|e| StoreError::Corrupt { path: self.shown(), detail: e.to_string() })?;
        if body.len() as u64 > MAX_FILE_BYTES {
            zeroize::Zeroize::zeroize(&mut body);
            return Err(StoreError::Full { path: self.shown(), count: sessions.sessions.len() });
        }
        let result = write_atomic(&self.path, &body);
        zeroize::Zeroize::zeroize(&mut body);
        Ok(result.map_err(FileError::of("write", &self.path))?)
    }
}

/// A session's description, without its token.
fn info(entry: &Entry) -> SessionInfo {
    SessionInfo {
        email: entry.email.clone(),
        endpoint: Endpoint::parse(&entry.endpoint).unwrap_or_default(),
        active: entry.active,
        created_at: entry.created_at,
        last_used: entry.last_used,
        obtained: entry.obtained,
        in_keyring: entry.in_keyring(),
    }
}

/// A regular file of this user that nobody else can read.
fn check_private(file: &fs::File, path: &Path) -> Result<(), StoreError> {
    let shown = || path.display().to_string();
    match private::check_owned(file, 0o077) {
        Ok(()) => Ok(()),
        Err(Distrust::Unchecked(e)) => Err(FileError::of("read", path)(e).into()),
        Err(Distrust::Mode(mode)) => Err(StoreError::TooOpen { path: shown(), mode }),
        Err(why) => Err(StoreError::NotYours { path: shown(), reason: why.reason() }),
    }
}

#[cfg(test)]
mod tests;
