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
