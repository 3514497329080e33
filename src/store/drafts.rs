//! Unsaved profile edits on disk, so they outlive the program: a crash, a closed terminal or a
//! quit in the middle of a failing save loses nothing typed.
//!
//! One small JSON file per user and API (`drafts/profile-<hash>.json` in the state directory),
//! holding only the fields the user changed: never a password or a token (the form has neither),
//! and never a value the user did not touch, so restoring an old draft cannot undo a change made
//! elsewhere since. Written like the session file: mode 0600 in a 0700 directory, to a temporary
//! file that is synced and renamed over the old one, so a crash never leaves half a draft.
//!
//! Only the runner calls this module (through effects, with the store it was given); `update`
//! never touches the disk.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::private::{self, Distrust, FileError, open_no_follow};
use crate::api::UserUpdate;

/// The drafts' directory inside the state directory.
pub const DRAFT_DIR: &str = "drafts";

/// The format written; a file of another version is reported, not guessed at.
const VERSION: u32 = 1;

/// A draft is a few hundred bytes; anything much larger is not one.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// Whose draft: a user on an API. The same user on another region is another account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DraftKey {
    pub uid: String,
    /// [`Endpoint::id`](crate::api::Endpoint::id): a region id or an API URL.
    pub endpoint: String,
}

impl DraftKey {
    /// The file name: a hash of the key, so that a uid or a URL (which may hold any character)
    /// never becomes part of a path. The key itself is inside the file and checked on reading.
    pub fn file_name(&self) -> String {
        format!("profile-{:016x}.json", fnv1a(&[self.uid.as_bytes(), b"\n", self.endpoint.as_bytes()]))
    }
}

/// FNV-1a, 64 bits: stable across Rust versions (std's hasher is not), so a draft written by
/// one build is found by the next.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.iter().flat_map(|p| p.iter()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A draft as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub key: DraftKey,
    /// When it was written, RFC 3339 UTC.
    pub saved_at: String,
    /// The fields the user changed, with their values.
    pub changes: UserUpdate,
}

#[derive(Serialize, Deserialize)]
struct OnDisk {
    version: u32,
    uid: String,
    endpoint: String,
    saved_at: String,
    fields: UserUpdate,
}

/// Why a draft could not be read, written or deleted. Each is a sentence the app shows as it
/// is (the toast adds what it means for the form).
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error(transparent)]
    Io(#[from] FileError),
    /// A file that is not this user's to trust: a link, another owner, writable by others.
    #[error("{path} {reason}, so it was not used.")]
    Untrusted { path: String, reason: String },
    #[error("{path} is too large to be a draft, so it was not used.")]
    TooLarge { path: String },
    #[error("{path} is damaged ({detail}); it was not used.")]
    Damaged { path: String, detail: String },
    #[error("{path} was written by another version of cs-account (format {version}), so it was not used.")]
    OtherVersion { path: String, version: u32 },
}

/// Reads and writes drafts in one directory.
#[derive(Debug, Clone)]
pub struct DraftStore {
    dir: PathBuf,
}

impl DraftStore {
    pub fn new(dir: PathBuf) -> Self {
        DraftStore { dir }
    }

    /// `<state dir>/drafts`, if the platform has a state directory (`CS_ACCOUNT_STATE_DIR`
    /// moves it).
    pub fn default_location() -> Option<Self> {
        crate::config::state_dir().map(|d| DraftStore::new(d.join(DRAFT_DIR)))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, key: &DraftKey) -> PathBuf {
        self.dir.join(key.file_name())
    }

    /// Writes `changes` as the key's draft, replacing any older one atomically.
    pub fn save(&self, key: &DraftKey, changes: &UserUpdate) -> Result<(), DraftError> {
        let path = self.path(key);
        private::create_dir(&self.dir).map_err(FileError::of("create", &self.dir))?;
        let on_disk = OnDisk {
            version: VERSION,
            uid: key.uid.clone(),
            endpoint: key.endpoint.clone(),
            saved_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            fields: changes.clone(),
        };
        let body =
            serde_json::to_vec_pretty(&on_disk).map_err(|e| FileError::of("write", &path)(e.into()))?;
        Ok(private::write_atomic(&path, &body).map_err(FileError::of("write", &path))?)
    }

    /// The key's draft, `None` when there is none. A file that is not this user's to trust (a
    /// symbolic link, another owner, writable by others) or that cannot be read is an error: the
    /// user hears of it rather than having values put into the form from an unknown source.
    pub fn load(&self, key: &DraftKey) -> Result<Option<Draft>, DraftError> {
        let path = self.path(key);
        let shown = || path.display().to_string();
        let file = match open_no_follow(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(FileError::of("read", &path)(e).into()),
        };
        check_trusted(&file).map_err(|why| DraftError::Untrusted { path: shown(), reason: why.reason() })?;
        let mut text = Vec::new();
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut text).map_err(FileError::of("read", &path))?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(DraftError::TooLarge { path: shown() });
        }
        let on_disk: OnDisk = serde_json::from_slice(&text)
            .map_err(|e| DraftError::Damaged { path: shown(), detail: e.to_string() })?;
        if on_disk.version != VERSION {
            return Err(DraftError::OtherVersion { path: shown(), version: on_disk.version });
        }
        // Another key with the same hash: not this user's draft.
        if on_disk.uid != key.uid || on_disk.endpoint != key.endpoint {
            return Ok(None);
        }
        let fields = sanitised(on_disk.fields);
        Ok(Some(Draft { key: key.clone(), saved_at: on_disk.saved_at, changes: fields }))
    }

    /// Deletes the key's draft; `Ok(false)` when there was none.
    pub fn delete(&self, key: &DraftKey) -> Result<bool, DraftError> {
        let path = self.path(key);
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(FileError::of("delete", &path)(e).into()),
        }
    }
}

/// A draft's values go into text fields, which refuse control characters when typed; a file
/// edited by hand gets the same treatment rather than a way around it.
fn sanitised(mut u: UserUpdate) -> UserUpdate {
    for v in [&mut u.first_name, &mut u.last_name, &mut u.company, &mut u.mobile_number, &mut u.country_code]
        .into_iter()
        .flatten()
    {
        v.retain(|c| !c.is_control() && !crate::sanitize::is_invisible_format(c));
    }
    u
}

/// A regular file of this user that nobody else can write: another owner, or a file others may
/// change, could put any value into the form.
fn check_trusted(file: &fs::File) -> Result<(), Distrust> {
    private::check_owned(file, 0o022)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DraftKey {
        DraftKey { uid: "blt1".into(), endpoint: "http://127.0.0.1:4010".into() }
    }

    fn changes() -> UserUpdate {
        UserUpdate {
            company: Some("Acme".into()),
            mobile_number: Some(String::new()),
            ..UserUpdate::default()
        }
    }

    #[test]
    fn saves_loads_and_deletes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DraftStore::new(dir.path().join("drafts"));
        assert_eq!(store.load(&key()).expect("readable"), None);
        store.save(&key(), &changes()).expect("saved");
        let draft = store.load(&key()).expect("readable").expect("present");
        assert_eq!(draft.changes, changes());
        assert!(chrono::DateTime::parse_from_rfc3339(&draft.saved_at).is_ok(), "{}", draft.saved_at);
        let other = DraftKey { endpoint: "eu".into(), ..key() };
        assert_eq!(store.load(&other).expect("readable"), None, "another API, another draft");
        assert!(store.delete(&key()).expect("deleted"));
        assert!(!store.delete(&key()).expect("nothing to delete"));
        assert_eq!(store.load(&key()).expect("readable"), None);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_and_replaced_whole() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DraftStore::new(dir.path().join("drafts"));
        store.save(&key(), &changes()).expect("saved");
        store
            .save(&key(), &UserUpdate { company: Some("B".into()), ..UserUpdate::default() })
            .expect("again");
        let mode = |p: &Path| fs::metadata(p).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode(&store.path(&key())), 0o600);
        assert_eq!(mode(store.dir()), 0o700);
        let names: Vec<_> =
            fs::read_dir(store.dir()).expect("dir").flatten().map(|e| e.file_name()).collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
        let draft = store.load(&key()).expect("ok").expect("present");
        assert_eq!(draft.changes.company.as_deref(), Some("B"));
        assert_eq!(draft.changes.mobile_number, None, "the old draft is gone, not merged");
    }

    #[cfg(unix)]
    #[test]
    fn untrusted_or_broken_files_are_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DraftStore::new(dir.path().to_path_buf());
        let path = store.path(&key());
        fs::write(&path, "{\"version\": 1, \"uid\": ").expect("write");
        assert!(store.load(&key()).is_err_and(|e| e.to_string().contains("damaged")));
        store.save(&key(), &changes()).expect("saved");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).expect("chmod");
        assert!(store.load(&key()).is_err_and(|e| e.to_string().contains("other users")));
        fs::remove_file(&path).expect("rm");
        let elsewhere = dir.path().join("elsewhere.json");
        fs::write(&elsewhere, "{}").expect("write");
        std::os::unix::fs::symlink(&elsewhere, &path).expect("symlink");
        assert!(store.load(&key()).is_err(), "a symbolic link is not followed");
    }

    #[test]
    fn hand_edited_values_lose_control_characters() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DraftStore::new(dir.path().to_path_buf());
        let text = serde_json::json!({
            "version": 1, "uid": "blt1", "endpoint": "http://127.0.0.1:4010",
            "saved_at": "2025-01-01T00:00:00Z", "fields": {"company": "Ac\u{1b}[31mme\u{202e}"}
        });
        fs::write(store.path(&key()), text.to_string()).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(store.path(&key()), fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        let draft = store.load(&key()).expect("ok").expect("present");
        assert_eq!(draft.changes.company.as_deref(), Some("Ac[31mme"));
    }

    #[test]
    fn file_names_hide_the_key_and_stay_stable() {
        let k = DraftKey { uid: "../../etc".into(), endpoint: "https://x/y".into() };
        let name = k.file_name();
        assert!(name.starts_with("profile-") && !name.contains('/') && !name.contains(".."), "{name}");
        // A fixed value: a change here would orphan every draft written by earlier builds.
        assert_eq!(key().file_name(), "profile-1da14cecb0c220d6.json");
        assert_eq!(fnv1a(&[b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
    }
}
