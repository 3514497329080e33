//! The stored session: who is logged in, where, with which token.
//!
//! One small JSON file, `session.json` in the config directory, mode 0600, replaced atomically
//! (written to a temporary file in the same directory, synced, then renamed over the old one), so
//! a crash never leaves half a token behind and no other user can ever read it. A file that group
//! or others can read is refused with an explanation rather than used: the token in it may
//! already have leaked.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::api::Endpoint;

/// The file name inside the config directory.
pub const SESSION_FILE: &str = "session.json";

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
    authtoken: String,
    saved_at: String,
}

/// Why the session could not be read or written. Each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} can be read by other users (mode {mode:o}), so cs-account will not use it. Log in again, or run `chmod 600 {path}` if you are sure nobody read it."
    )]
    TooOpen { path: String, mode: u32 },
    #[error("{path} is damaged ({detail}). Log in again to replace it.")]
    Corrupt { path: String, detail: String },
    #[error("Could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Reads and writes the session file.
#[derive(Debug, Clone)]
pub struct SessionStore {
    path: PathBuf,
}

impl SessionStore {
    /// A store whose file is `dir/session.json`.
    pub fn new(dir: PathBuf) -> Self {
        SessionStore { path: dir.join(SESSION_FILE) }
    }

    /// The store in the user's config directory, if the platform has one.
    pub fn default_location() -> Option<Self> {
        crate::config::config_dir().map(SessionStore::new)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn shown(&self) -> String {
        self.path.display().to_string()
    }

    /// The stored session, `None` when there is none.
    pub fn load(&self) -> Result<Option<StoredSession>, StoreError> {
        let file = match fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StoreError::Io { action: "read", path: self.shown(), source }),
        };
        check_private(&file, &self.path)?;
        let on_disk: OnDisk = serde_json::from_reader(std::io::BufReader::new(file))
            .map_err(|e| StoreError::Corrupt { path: self.shown(), detail: e.to_string() })?;
        let endpoint = Endpoint::parse(&on_disk.endpoint)
            .map_err(|detail| StoreError::Corrupt { path: self.shown(), detail })?;
        Ok(Some(StoredSession {
            email: on_disk.email,
            endpoint,
            authtoken: SecretString::from(on_disk.authtoken),
        }))
    }

    /// Writes the session atomically with mode 0600, creating the directory (0700) if needed.
    pub fn save(&self, session: &StoredSession) -> Result<(), StoreError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        create_private_dir(dir).map_err(|source| StoreError::Io {
            action: "create",
            path: dir.display().to_string(),
            source,
        })?;
        let body = serde_json::to_vec_pretty(&OnDisk {
            email: session.email.clone(),
            endpoint: session.endpoint.id(),
            authtoken: session.authtoken.expose_secret().to_string(),
            saved_at: chrono::Utc::now().to_rfc3339(),
        })
        .map_err(|e| StoreError::Corrupt { path: self.shown(), detail: e.to_string() })?;
        let io = |source| StoreError::Io { action: "write", path: self.shown(), source };
        let tmp = dir.join(format!(".{SESSION_FILE}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut f = open_private(&tmp)?;
            f.write_all(&body)?;
            f.sync_all()?;
            fs::rename(&tmp, &self.path)?;
            // Make the rename itself durable.
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(())
        })();
        let mut bytes = body;
        zeroize::Zeroize::zeroize(&mut bytes);
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result.map_err(io)
    }

    /// Deletes the stored session. `Ok(false)` when there was none.
    pub fn delete(&self) -> Result<bool, StoreError> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(StoreError::Io { action: "delete", path: self.shown(), source }),
        }
    }
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn check_private(file: &fs::File, path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = file.metadata().map_err(|source| StoreError::Io {
        action: "read",
        path: path.display().to_string(),
        source,
    })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(StoreError::TooOpen { path: path.display().to_string(), mode });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_file: &fs::File, _path: &Path) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Region;

    fn session(token: &str) -> StoredSession {
        StoredSession {
            email: "john.doe@example.com".into(),
            endpoint: Endpoint::Region(Region::Eu),
            authtoken: SecretString::from(token.to_string()),
        }
    }

    #[test]
    fn round_trip_with_mode_0600() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path().join("nested"));
        assert!(store.load().expect("empty").is_none());
        store.save(&session("blt0123456789abcdef")).expect("save");
        let back = store.load().expect("load").expect("some");
        assert_eq!(back.email, "john.doe@example.com");
        assert_eq!(back.endpoint, Endpoint::Region(Region::Eu));
        assert_eq!(back.authtoken.expose_secret(), "blt0123456789abcdef");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(store.path()).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let dmode = fs::metadata(dir.path().join("nested")).expect("meta").permissions().mode() & 0o777;
            assert_eq!(dmode, 0o700);
        }
    }

    #[test]
    fn save_replaces_atomically_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path().to_path_buf());
        store.save(&session("blt_first_token_000")).expect("save 1");
        let inode_before = inode(store.path());
        store.save(&session("blt_second_token_11")).expect("save 2");
        assert_eq!(
            store.load().expect("load").expect("some").authtoken.expose_secret(),
            "blt_second_token_11"
        );
        // A rename gives the path a new file; an in-place rewrite would keep the inode.
        assert_ne!(inode(store.path()), inode_before);
        let names: Vec<_> =
            fs::read_dir(dir.path()).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from(SESSION_FILE)]);
    }

    #[cfg(unix)]
    fn inode(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(p).expect("meta").ino()
    }
    #[cfg(not(unix))]
    fn inode(_p: &Path) -> u64 {
        0
    }

    #[cfg(unix)]
    #[test]
    fn readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path().to_path_buf());
        store.save(&session("blt0123456789abcdef")).expect("save");
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o644)).expect("chmod");
        let err = store.load().expect_err("refused");
        assert!(matches!(err, StoreError::TooOpen { mode: 0o644, .. }));
        assert!(err.to_string().contains("chmod 600"));
    }

    #[test]
    fn corrupt_file_is_reported_and_delete_is_idempotent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path().to_path_buf());
        fs::write(store.path(), "{not json").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(store.path(), fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        assert!(matches!(store.load(), Err(StoreError::Corrupt { .. })));
        assert!(store.delete().expect("delete"));
        assert!(!store.delete().expect("second delete"));
    }
}
