//! The session file on its own (no keyring): round trip, atomic replacement, refusals.

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
    assert_eq!(store.load().expect("load").expect("some").authtoken.expose_secret(), "blt_second_token_11");
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

#[test]
fn a_file_at_the_old_temporary_name_does_not_stop_a_save() {
    // The temporary name used to be `.session.json.<pid>.tmp`: a file (or link) planted or left
    // there, in a PID namespace where the pid repeats, made every save fail.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SessionStore::new(dir.path().to_path_buf());
    let old_name = dir.path().join(format!(".{SESSION_FILE}.{}.tmp", std::process::id()));
    fs::write(&old_name, "planted").expect("plant");
    store.save(&session("blt_after_the_plant")).expect("saved anyway");
    assert_eq!(store.load().expect("load").expect("some").authtoken.expose_secret(), "blt_after_the_plant");
    assert_eq!(fs::read_to_string(&old_name).expect("untouched"), "planted");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(store.path()).expect("meta").permissions().mode() & 0o777, 0o600);
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_at_the_session_path_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SessionStore::new(dir.path().to_path_buf());
    rustix::fs::mkfifoat(rustix::fs::CWD, store.path(), rustix::fs::Mode::from_raw_mode(0o600))
        .expect("mkfifo");
    let err = store.load().expect_err("not a regular file");
    assert!(err.to_string().contains("is not a regular file"), "{err}");
    // Saving replaces it (and does not block reading it to find a keyring entry).
    store.save(&session("blt_over_the_fifo_0")).expect("save");
    assert!(fs::symlink_metadata(store.path()).expect("meta").is_file());
}
