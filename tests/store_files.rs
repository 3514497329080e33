//! Session files cs-account must not trust: a symbolic link (which could point it at a file
//! someone else controls) and a file another user owns. Both are refused with a message that
//! says what to do, and neither is followed or changed.
#![cfg(unix)]

use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};

use cs_account::api::{Endpoint, Region};
use cs_account::store::{SESSION_FILE, SessionStore, StoreError, StoredSession};
use secrecy::{ExposeSecret, SecretString};

fn session(token: &str) -> StoredSession {
    StoredSession::with_authtoken(
        "john.doe@example.com".into(),
        Endpoint::Region(Region::Eu),
        SecretString::from(token.to_string()),
    )
}

/// A store whose session file is a symbolic link to another store's file, which holds a
/// session (`blt_real_file_token`). The directories go when it is dropped.
struct Linked {
    target: SessionStore,
    store: SessionStore,
    _dirs: [tempfile::TempDir; 2],
}

impl Linked {
    fn new() -> Linked {
        let real = tempfile::tempdir().expect("tempdir");
        let linked = tempfile::tempdir().expect("tempdir");
        let target = SessionStore::new(real.path().into());
        target.save(&session("blt_real_file_token")).expect("save");
        symlink(target.path(), linked.path().join(SESSION_FILE)).expect("symlink");
        let store = SessionStore::new(linked.path().into());
        Linked { target, store, _dirs: [real, linked] }
    }
}

#[test]
fn a_symlinked_session_file_is_refused_and_replaced_not_followed() {
    let linked = Linked::new();
    let (target, store) = (&linked.target, &linked.store);
    let err = store.load().expect_err("a symlink is not used");
    assert!(
        matches!(&err, StoreError::NotYours { reason, .. } if reason.contains("symbolic link")),
        "{err:?}"
    );
    assert!(err.to_string().contains("log in again"), "{err}");

    // Saving replaces the link itself; the file it pointed to is untouched.
    store.save(&session("blt_new_own_token")).expect("save over the link");
    let meta = std::fs::symlink_metadata(store.path()).expect("meta");
    assert!(meta.file_type().is_file(), "still a link");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(
        store.load().expect("load").expect("some").authtoken().expect("an authtoken").expose_secret(),
        "blt_new_own_token"
    );
    assert_eq!(
        target.load().expect("load").expect("some").authtoken().expect("an authtoken").expose_secret(),
        "blt_real_file_token"
    );
}

#[test]
fn a_dangling_symlink_is_refused_and_delete_removes_only_the_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let victim = elsewhere.path().join("keep.txt");
    std::fs::write(&victim, "not yours").expect("write");
    let store = SessionStore::new(dir.path().into());
    symlink(dir.path().join("nowhere.json"), store.path()).expect("symlink");
    assert!(matches!(store.load(), Err(StoreError::NotYours { .. })), "dangling link");

    std::fs::remove_file(store.path()).expect("unlink");
    symlink(&victim, store.path()).expect("symlink");
    assert!(store.delete().expect("delete"));
    assert!(std::fs::symlink_metadata(store.path()).is_err(), "the link is gone");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "not yours");
}

/// Needs root to hand a file to another user; as anyone else there is no such file to make,
/// so the test says so and checks only that an own file is accepted.
#[test]
fn a_session_file_owned_by_another_user_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SessionStore::new(dir.path().into());
    store.save(&session("blt0123456789abcdef")).expect("save");
    assert!(store.load().expect("own file").is_some());
    let me = std::fs::metadata(store.path()).expect("meta").uid();
    if me != 0 {
        eprintln!("not root: cannot create a file owned by someone else; ownership check not exercised");
        return;
    }
    let nobody = 65534;
    std::os::unix::fs::chown(store.path(), Some(nobody), Some(nobody)).expect("chown");
    let err = store.load().expect_err("someone else's file");
    assert!(
        matches!(&err, StoreError::NotYours { reason, .. } if reason.contains("another user")),
        "{err:?}"
    );
    // Ownership is checked before the mode: the message must not suggest `chmod`.
    assert!(!err.to_string().contains("chmod"), "{err}");
}

/// Switching or forgetting one session reads the whole file first: a link or a file others can
/// read is refused, not followed or rewritten, so its sessions are not spread further.
#[test]
fn changing_one_session_of_an_untrusted_file_is_refused() {
    let linked = Linked::new();
    let (target, store) = (&linked.target, &linked.store);
    let before = std::fs::read(target.path()).expect("read");
    let eu = Endpoint::Region(Region::Eu);
    assert!(matches!(store.activate(&eu, "john.doe@example.com"), Err(StoreError::NotYours { .. })));
    assert!(matches!(store.remove(&eu, "john.doe@example.com"), Err(StoreError::NotYours { .. })));
    assert!(matches!(store.list(), Err(StoreError::NotYours { .. })));
    store.touch(&eu, "john.doe@example.com");
    assert_eq!(std::fs::read(target.path()).expect("read"), before, "the linked file is untouched");

    std::fs::set_permissions(target.path(), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert!(matches!(target.activate(&eu, "john.doe@example.com"), Err(StoreError::TooOpen { .. })));
    assert!(matches!(target.remove(&eu, "john.doe@example.com"), Err(StoreError::TooOpen { .. })));
    let meta = std::fs::metadata(target.path()).expect("meta");
    assert_eq!(meta.permissions().mode() & 0o777, 0o644, "not rewritten");
    assert_eq!(std::fs::read(target.path()).expect("read"), before);
}
