//! Keeping the session token in the OS keyring (feature `keyring`, off by default).
//!
//! The keyring is the Secret Service on Linux (over D-Bus, through the `keyring` crate's
//! pure-Rust zbus backend, so no system library is needed), the Keychain on macOS and the
//! Credential Manager on Windows. Entries are named service `cs-account`, account
//! `"<email> (<endpoint id>)"`, so sessions on different regions don't overwrite each other.
//!
//! Headless machines, SSH sessions and CI have no Secret Service, which is why the 0600 file
//! stays the default and the fallback: when the keyring refuses a token, [`super::SessionStore`]
//! writes it to the file and logs why, and the user sees nothing different.
//!
//! The store talks to the keyring through the small [`Vault`] trait, so the logic around it
//! (marker in the file, fallback, clean-up of replaced entries) is tested with an in-memory
//! vault on machines that have no keyring at all.

use std::fmt;

/// The keyring service name of every entry.
pub const SERVICE: &str = "cs-account";

/// The keyring account name of a session: its email and endpoint id.
pub fn account(email: &str, endpoint_id: &str) -> String {
    format!("{email} ({endpoint_id})")
}

/// Somewhere a token can be kept apart from the session file. Errors are sentences for the log.
pub trait Vault: Send + Sync + fmt::Debug {
    /// Stores the token for `account`, replacing any earlier one.
    fn put(&self, account: &str, token: &str) -> Result<(), String>;
    /// The token for `account`; `Ok(None)` when there is none.
    fn get(&self, account: &str) -> Result<Option<String>, String>;
    /// Forgets the token for `account`; having none is not an error.
    fn remove(&self, account: &str) -> Result<(), String>;
}

/// The platform's keyring, through the `keyring` crate. Its store is set up once per process,
/// on first use; when that fails (no D-Bus session bus, no Secret Service), every call fails
/// and the session file is used instead.
#[cfg(feature = "keyring")]
#[derive(Debug)]
pub struct OsKeyring;

#[cfg(feature = "keyring")]
impl OsKeyring {
    /// The entry for `account`. When the keyring could not be set up, the reason it gives
    /// (no session bus, no Secret Service on it) is more useful in the log than the
    /// "no default store" that every later call reports.
    fn entry(account: &str) -> Result<::keyring::Entry, String> {
        if let Err(e) = ::keyring::Entry::store_status() {
            return Err(crate::sanitize::owned(format!("OS keyring unavailable: {e}")));
        }
        ::keyring::Entry::new(SERVICE, account).map_err(|e| describe(&e))
    }
}

#[cfg(feature = "keyring")]
fn describe(e: &::keyring::Error) -> String {
    crate::sanitize::owned(format!("OS keyring: {e}"))
}

#[cfg(feature = "keyring")]
impl Vault for OsKeyring {
    fn put(&self, account: &str, token: &str) -> Result<(), String> {
        Self::entry(account)?.set_password(token).map_err(|e| describe(&e))
    }

    fn get(&self, account: &str) -> Result<Option<String>, String> {
        match Self::entry(account)?.get_password() {
            Ok(token) => Ok(Some(token)),
            Err(::keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(describe(&e)),
        }
    }

    fn remove(&self, account: &str) -> Result<(), String> {
        match Self::entry(account)?.delete_credential() {
            Ok(()) | Err(::keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe(&e)),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    use secrecy::{ExposeSecret, SecretString};

    use super::*;
    use crate::api::{Endpoint, Region};
    use crate::store::{SESSION_FILE, SessionStore, StoreError, StoredSession};

    /// A keyring in memory; `working: false` refuses every call, as a machine without a
    /// Secret Service does.
    #[derive(Debug, Default)]
    pub(crate) struct MemoryVault {
        pub working: bool,
        pub entries: Mutex<BTreeMap<String, String>>,
    }

    impl MemoryVault {
        fn up() -> Arc<Self> {
            Arc::new(MemoryVault { working: true, ..Default::default() })
        }
        fn down() -> Arc<Self> {
            Arc::new(MemoryVault::default())
        }
        fn check(&self) -> Result<(), String> {
            if self.working { Ok(()) } else { Err("no Secret Service on the session bus".into()) }
        }
        fn snapshot(&self) -> BTreeMap<String, String> {
            self.entries.lock().expect("lock").clone()
        }
    }

    impl Vault for MemoryVault {
        fn put(&self, account: &str, token: &str) -> Result<(), String> {
            self.check()?;
            self.entries.lock().expect("lock").insert(account.into(), token.into());
            Ok(())
        }
        fn get(&self, account: &str) -> Result<Option<String>, String> {
            self.check()?;
            Ok(self.entries.lock().expect("lock").get(account).cloned())
        }
        fn remove(&self, account: &str) -> Result<(), String> {
            self.check()?;
            self.entries.lock().expect("lock").remove(account);
            Ok(())
        }
    }

    fn session(email: &str, region: Region, token: &str) -> StoredSession {
        StoredSession::with_authtoken(
            email.into(),
            Endpoint::Region(region),
            SecretString::from(token.to_string()),
        )
    }

    /// A store in a new temporary directory (removed when the first is dropped) with a working
    /// keyring.
    fn keyring_store() -> (tempfile::TempDir, std::sync::Arc<MemoryVault>, SessionStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let vault = MemoryVault::up();
        let store = SessionStore::new(dir.path().into()).with_vault(vault.clone());
        (dir, vault, store)
    }

    /// The first session in the file, as written.
    fn file_json(store: &SessionStore) -> serde_json::Value {
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(store.path()).expect("file")).expect("json");
        file["sessions"][0].clone()
    }

    #[test]
    fn with_a_keyring_the_file_keeps_only_a_marker() {
        let (_dir, vault, store) = keyring_store();
        store.save(&session("a@b.c", Region::Eu, "blt_token_in_keyring")).expect("save");
        let on_disk = file_json(&store);
        assert_eq!(on_disk["token_in"], "keyring");
        assert!(on_disk.get("authtoken").is_none(), "{on_disk}");
        assert!(!std::fs::read_to_string(store.path()).expect("file").contains("blt_token"));
        assert_eq!(vault.snapshot()["a@b.c (eu)"], "blt_token_in_keyring");
        let back = store.load().expect("load").expect("some");
        assert_eq!(back.authtoken().expect("an authtoken").expose_secret(), "blt_token_in_keyring");
        assert_eq!(back.endpoint, Endpoint::Region(Region::Eu));
        assert!(store.delete().expect("delete"));
        assert!(vault.snapshot().is_empty(), "the keyring entry outlived the session");
    }

    #[test]
    fn without_a_keyring_service_the_token_goes_to_the_private_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path().into()).with_vault(MemoryVault::down());
        store.save(&session("a@b.c", Region::Na, "blt_token_in_file")).expect("save");
        let on_disk = file_json(&store);
        assert_eq!(on_disk["authtoken"], "blt_token_in_file");
        assert!(on_disk.get("token_in").is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path()).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let back = store.load().expect("load").expect("some");
        assert_eq!(back.authtoken().expect("an authtoken").expose_secret(), "blt_token_in_file");
    }

    #[test]
    fn each_session_has_its_own_entry_and_a_removed_one_leaves_no_token_behind() {
        let (_dir, vault, store) = keyring_store();
        store.save(&session("a@b.c", Region::Eu, "blt_first")).expect("save");
        store.save(&session("a@b.c", Region::Eu, "blt_again")).expect("same account");
        assert_eq!(vault.snapshot().len(), 1, "a refresh replaces the entry");
        assert_eq!(vault.snapshot()["a@b.c (eu)"], "blt_again");
        store.save(&session("x@y.z", Region::Au, "blt_other")).expect("other account");
        assert_eq!(vault.snapshot().keys().collect::<Vec<_>>(), ["a@b.c (eu)", "x@y.z (au)"]);
        let eu = store.load_active(&Endpoint::Region(Region::Eu)).expect("load").expect("eu");
        assert_eq!(eu.authtoken().expect("an authtoken").expose_secret(), "blt_again");
        assert!(store.remove(&Endpoint::Region(Region::Eu), "A@B.C").expect("remove"));
        assert_eq!(vault.snapshot().keys().collect::<Vec<_>>(), ["x@y.z (au)"]);
        assert!(store.delete().expect("delete all"));
        assert!(vault.snapshot().is_empty());
    }

    #[test]
    fn a_refresh_the_keyring_refuses_moves_the_token_to_the_file() {
        let (dir, vault, store) = keyring_store();
        store.save(&session("a@b.c", Region::Eu, "blt_in_keyring")).expect("save");
        let vault_down = Arc::new(MemoryVault { working: false, entries: Mutex::new(vault.snapshot()) });
        let store = SessionStore::new(dir.path().into()).with_vault(vault_down.clone());
        store.save(&session("a@b.c", Region::Eu, "blt_in_file")).expect("refresh");
        assert_eq!(file_json(&store)["authtoken"], "blt_in_file");
        assert_eq!(
            store.load().expect("load").expect("some").authtoken().expect("an authtoken").expose_secret(),
            "blt_in_file"
        );
    }

    #[test]
    fn a_marker_the_keyring_cannot_back_is_an_error_that_says_log_in() {
        let (dir, vault, store) = keyring_store();
        store.save(&session("a@b.c", Region::Eu, "blt_t")).expect("save");
        vault.entries.lock().expect("lock").clear();
        let gone = SessionStore::new(dir.path().into()).with_vault(vault).load();
        assert!(
            matches!(&gone, Err(StoreError::Keyring { detail }) if detail.contains("a@b.c (eu)")),
            "{gone:?}"
        );
        let down = SessionStore::new(dir.path().into()).with_vault(MemoryVault::down()).load();
        assert!(
            matches!(&down, Err(e @ StoreError::Keyring { .. }) if e.to_string().contains("Log in again"))
        );
        let plain = SessionStore::new(dir.path().into()).load();
        assert!(matches!(plain, Err(StoreError::Keyring { .. })), "a file-only store cannot read it");
        assert_eq!(dir.path().join(SESSION_FILE), SessionStore::new(dir.path().into()).path());
    }

    /// A browser sign-in, with a keyring: both tokens go there as one secret, the file keeps the
    /// expiry, whose they are and the app, and no token; a refresh writes the new pair there.
    #[test]
    fn a_browser_sign_in_keeps_both_tokens_in_the_keyring() {
        let (_dir, vault, store) = keyring_store();
        let signed = crate::store::tests::oauth_session("csat_access_0001", "csrt_refresh_0001");
        store.save_as(&signed, crate::store::Obtained::Browser).expect("save");
        let text = std::fs::read_to_string(store.path()).expect("file");
        assert!(!text.contains("csat_") && !text.contains("csrt_"), "{text}");
        assert_eq!(file_json(&store)["token_in"], "keyring");
        assert!(vault.snapshot()["sso.user@example.com (eu)"].contains("csrt_refresh_0001"));
        let mut tokens = crate::store::tests::tokens_of(&store.load().expect("load").expect("some"));
        assert_eq!(tokens.refresh.expose_secret(), "csrt_refresh_0001");
        tokens.access = SecretString::from("csat_access_0002");
        tokens.refresh = SecretString::from("csrt_refresh_0002");
        let endpoint = Endpoint::Region(Region::Eu);
        assert!(store.update_tokens(&endpoint, "sso.user@example.com", &tokens).expect("updated"));
        let back = crate::store::tests::tokens_of(&store.load().expect("load").expect("some"));
        assert_eq!(back.access.expose_secret(), "csat_access_0002");
        assert!(!std::fs::read_to_string(store.path()).expect("file").contains("csat_"));
        store.remove(&endpoint, "sso.user@example.com").expect("removed");
        assert!(vault.snapshot().is_empty(), "the keyring entry goes with the session");
    }
}
