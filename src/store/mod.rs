//! Every file cs-account keeps: the stored session (here: who is logged in, where, with which
//! token) and unsaved profile edits ([`drafts`]), both written and read through one private-file
//! writer (`private`: mode 0600, atomic replacement, no link followed).
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
mod private;

pub use private::FileError;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use self::keyring::Vault;
use self::private::{Distrust, create_dir, is_symlink, open_no_follow, write_atomic};
use crate::api::Endpoint;

/// The file name inside the config directory.
pub const SESSION_FILE: &str = "session.json";

/// The `token_in` marker of a file whose token is in the OS keyring.
const IN_KEYRING: &str = "keyring";

/// A session file is a few hundred bytes; anything much larger is not one.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// A logged-in session, as stored.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub email: String,
    pub endpoint: Endpoint,
    pub authtoken: SecretString,
}

#[derive(Serialize, Deserialize)]
struct OnDisk {
    email: String,
    /// A region id or an API URL.
    endpoint: String,
    /// The token, unless it is in the keyring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    authtoken: Option<String>,
    /// `"keyring"` when the token is in the OS keyring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_in: Option<String>,
    saved_at: String,
}

impl OnDisk {
    fn in_keyring(&self) -> bool {
        self.authtoken.is_none() && self.token_in.as_deref() == Some(IN_KEYRING)
    }

    fn account(&self) -> String {
        keyring::account(&self.email, &self.endpoint)
    }
}

/// Why the session could not be read or written. Each says what to do.
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
    #[error(transparent)]
    Io(#[from] FileError),
}

/// Reads and writes the stored session.
#[derive(Debug, Clone)]
pub struct SessionStore {
    path: PathBuf,
    /// Where the token goes instead of the file, when set. The file is the fallback.
    vault: Option<Arc<dyn Vault>>,
}

impl SessionStore {
    /// A store whose file is `dir/session.json`, token included (no keyring).
    pub fn new(dir: PathBuf) -> Self {
        SessionStore { path: dir.join(SESSION_FILE), vault: None }
    }

    /// The store in the user's config directory, if the platform has one. Built with the
    /// `keyring` feature, it keeps the token in the OS keyring when one is running.
    pub fn default_location() -> Option<Self> {
        let store = SessionStore::new(crate::config::config_dir()?);
        #[cfg(feature = "keyring")]
        let store = store.with_os_keyring();
        Some(store)
    }

    /// The same store, with the token in the OS keyring when one answers.
    #[cfg(feature = "keyring")]
    pub fn with_os_keyring(self) -> Self {
        self.with_vault(Arc::new(keyring::OsKeyring))
    }

    /// The same store, with the token in `vault` when it accepts it.
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

    /// The stored session, `None` when there is none.
    pub fn load(&self) -> Result<Option<StoredSession>, StoreError> {
        let Some(on_disk) = self.read(true)? else { return Ok(None) };
        let endpoint = Endpoint::parse(&on_disk.endpoint)
            .map_err(|detail| StoreError::Corrupt { path: self.shown(), detail })?;
        let token = if on_disk.in_keyring() {
            self.token_from_vault(&on_disk.account())?
        } else {
            let Some(token) = on_disk.authtoken else {
                let detail = "it holds no session token".to_string();
                return Err(StoreError::Corrupt { path: self.shown(), detail });
            };
            SecretString::from(token)
        };
        Ok(Some(StoredSession { email: on_disk.email, endpoint, authtoken: token }))
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

    /// Writes the session atomically with mode 0600, creating the directory (0700) if needed.
    /// With a keyring, the token goes there and the file gets a marker; when the keyring
    /// refuses, the token goes to the file and the log says why.
    pub fn save(&self, session: &StoredSession) -> Result<(), StoreError> {
        let account = keyring::account(&session.email, &session.endpoint.id());
        // The session this one replaces, to forget its keyring entry once the new one is in place.
        let previous = self.read(false).ok().flatten();
        let in_vault = self.vault.as_ref().is_some_and(|vault| {
            match vault.put(&account, session.authtoken.expose_secret()) {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!(error = %e, "no usable OS keyring: the session token goes to the 0600 session file");
                    false
                }
            }
        });
        let on_disk = OnDisk {
            email: session.email.clone(),
            endpoint: session.endpoint.id(),
            authtoken: (!in_vault).then(|| session.authtoken.expose_secret().to_string()),
            token_in: in_vault.then(|| IN_KEYRING.to_string()),
            saved_at: chrono::Utc::now().to_rfc3339(),
        };
        let written = self.write(&on_disk);
        if let Some(mut token) = on_disk.authtoken {
            zeroize::Zeroize::zeroize(&mut token);
        }
        match (&written, &self.vault) {
            // The file still names the old session: the new token must not linger in the keyring.
            (Err(_), Some(vault)) if in_vault => self.forget(vault.as_ref(), &account),
            (Ok(()), Some(vault)) => {
                if let Some(old) =
                    previous.filter(|p| p.in_keyring() && (p.account() != account || !in_vault))
                {
                    self.forget(vault.as_ref(), &old.account());
                }
            }
            _ => {}
        }
        if written.is_ok() {
            tracing::debug!(keyring = in_vault, "session saved");
        }
        written
    }

    /// Deletes the stored session, and its keyring entry if it has one. `Ok(false)` when there
    /// was none.
    pub fn delete(&self) -> Result<bool, StoreError> {
        let previous = self.read(false).ok().flatten();
        let deleted = match fs::remove_file(&self.path) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(FileError::of("delete", &self.path)(e).into()),
        };
        if let (Some(old), Some(vault)) = (previous.filter(OnDisk::in_keyring), &self.vault) {
            self.forget(vault.as_ref(), &old.account());
        }
        Ok(deleted)
    }

    /// Removes a keyring entry; a failure only leaves a token nobody points to, so it is logged.
    fn forget(&self, vault: &dyn Vault, account: &str) {
        if let Err(e) = vault.remove(account) {
            tracing::warn!(error = %e, "could not remove the session token from the OS keyring");
        }
    }

    /// The file's contents, `None` when there is none. `checked` refuses files that are not
    /// private; [`save`](Self::save) and [`delete`](Self::delete) read without that check, only
    /// to find a keyring entry to clean up.
    fn read(&self, checked: bool) -> Result<Option<OnDisk>, StoreError> {
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
        file.take(MAX_FILE_BYTES).read_to_end(&mut text).map_err(FileError::of("read", &self.path))?;
        let parsed = serde_json::from_slice(&text)
            .map_err(|e| StoreError::Corrupt { path: self.shown(), detail: e.to_string() });
        zeroize::Zeroize::zeroize(&mut text);
        parsed.map(Some)
    }

    fn write(&self, on_disk: &OnDisk) -> Result<(), StoreError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        create_dir(dir).map_err(FileError::of("create", dir))?;
        let mut body = serde_json::to_vec_pretty(on_disk)
            .map_err(|e| StoreError::Corrupt { path: self.shown(), detail: e.to_string() })?;
        let result = write_atomic(&self.path, &body);
        zeroize::Zeroize::zeroize(&mut body);
        Ok(result.map_err(FileError::of("write", &self.path))?)
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
