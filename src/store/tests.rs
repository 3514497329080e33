//! The session file on its own (no keyring): round trip, atomic replacement, refusals.

use super::*;
use crate::api::Region;

fn session(token: &str) -> StoredSession {
    StoredSession::with_authtoken(
        "john.doe@example.com".into(),
        Endpoint::Region(Region::Eu),
        SecretString::from(token.to_string()),
    )
}

/// A store in a new temporary directory (removed when the first is dropped).
fn temp_store() -> (tempfile::TempDir, SessionStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SessionStore::new(dir.path().to_path_buf());
    (dir, store)
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
    assert_eq!(back.authtoken().expect("an authtoken").expose_secret(), "blt0123456789abcdef");
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
    let (dir, store) = temp_store();
    store.save(&session("blt_first_token_000")).expect("save 1");
    let inode_before = inode(store.path());
    store.save(&session("blt_second_token_11")).expect("save 2");
    assert_eq!(
        store.load().expect("load").expect("some").authtoken().expect("an authtoken").expose_secret(),
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
    let (_dir, store) = temp_store();
    store.save(&session("blt0123456789abcdef")).expect("save");
    fs::set_permissions(store.path(), fs::Permissions::from_mode(0o644)).expect("chmod");
    let err = store.load().expect_err("refused");
    assert!(matches!(err, StoreError::TooOpen { mode: 0o644, .. }));
    assert!(err.to_string().contains("chmod 600"));
}

#[test]
fn corrupt_file_is_reported_and_delete_is_idempotent() {
    let (_dir, store) = temp_store();
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
    let (dir, store) = temp_store();
    let old_name = dir.path().join(format!(".{SESSION_FILE}.{}.tmp", std::process::id()));
    fs::write(&old_name, "planted").expect("plant");
    store.save(&session("blt_after_the_plant")).expect("saved anyway");
    assert_eq!(
        store.load().expect("load").expect("some").authtoken().expect("an authtoken").expose_secret(),
        "blt_after_the_plant"
    );
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
    let (_dir, store) = temp_store();
    rustix::fs::mkfifoat(rustix::fs::CWD, store.path(), rustix::fs::Mode::from_raw_mode(0o600))
        .expect("mkfifo");
    let err = store.load().expect_err("not a regular file");
    assert!(err.to_string().contains("is not a regular file"), "{err}");
    // Saving replaces it (and does not block reading it to find a keyring entry).
    store.save(&session("blt_over_the_fifo_0")).expect("save");
    assert!(fs::symlink_metadata(store.path()).expect("meta").is_file());
}

fn on(email: &str, endpoint: Endpoint, token: &str) -> StoredSession {
    StoredSession::with_authtoken(email.into(), endpoint, SecretString::from(token.to_string()))
}

#[cfg(unix)]
fn write_private(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::write(path, body).expect("write");
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).expect("chmod");
}

#[test]
fn logging_in_adds_a_session_and_one_is_active_per_endpoint() {
    let (_dir, store) = temp_store();
    let (na, eu) = (Endpoint::Region(Region::Na), Endpoint::Region(Region::Eu));
    store.save(&on("a@x.io", na.clone(), "blt_a_na")).expect("save");
    store.save_as(&on("b@x.io", na.clone(), "blt_b_na"), Obtained::Token).expect("save");
    store.save(&on("a@x.io", eu.clone(), "blt_a_eu")).expect("save");
    let all = store.list().expect("list");
    assert_eq!(all.len(), 3, "{all:?}");
    let active: Vec<_> = all.iter().filter(|s| s.active).map(SessionInfo::who).collect();
    assert_eq!(active, ["b@x.io on NA", "a@x.io on EU"]);
    assert_eq!(all[1].obtained, Obtained::Token);
    assert_eq!(
        store.load_active(&na).expect("load").expect("na").authtoken().expect("an authtoken").expose_secret(),
        "blt_b_na"
    );
    assert_eq!(
        store.load_active(&eu).expect("load").expect("eu").authtoken().expect("an authtoken").expose_secret(),
        "blt_a_eu"
    );
    assert_eq!(store.load().expect("load").expect("latest").endpoint, eu, "the active one used last");
    // A refresh of the same account replaces its token, keeps the others.
    store.save(&on("A@x.io", na.clone(), "blt_a_na_2")).expect("refresh");
    assert_eq!(store.list().expect("list").len(), 3);
    assert_eq!(
        store.load_active(&na).expect("load").expect("na").authtoken().expect("an authtoken").expose_secret(),
        "blt_a_na_2"
    );
    // Switching back, then removing the active one makes the other of its endpoint active.
    assert!(store.activate(&na, "b@x.io").expect("activate"));
    assert!(!store.activate(&na, "nobody@x.io").expect("activate"));
    assert_eq!(store.load().expect("load").expect("latest").email, "b@x.io", "switching counts as use");
    assert!(store.remove(&na, "b@x.io").expect("remove"));
    assert!(store.load_active(&na).expect("load").expect("na").email.eq_ignore_ascii_case("a@x.io"));
    assert!(!store.remove(&na, "b@x.io").expect("gone already"));
    assert!(store.remove(&na, "a@x.io").expect("remove"));
    assert!(store.load_active(&na).expect("load").is_none());
    assert!(store.remove(&eu, "a@x.io").expect("remove the last"));
    assert!(!store.path().exists(), "no session left, no file");
}

#[test]
fn touch_moves_last_used_only() {
    let (_dir, store) = temp_store();
    let na = Endpoint::Region(Region::Na);
    store.save(&on("a@x.io", na.clone(), "blt_a")).expect("save");
    let before = store.list().expect("list").remove(0);
    std::thread::sleep(std::time::Duration::from_millis(5));
    store.touch(&na, "a@x.io");
    let after = store.list().expect("list").remove(0);
    assert_eq!(after.created_at, before.created_at);
    assert!(after.last_used > before.last_used);
}

#[cfg(unix)]
#[test]
fn todays_single_session_file_is_read_as_one_account() {
    let (_dir, store) = temp_store();
    // Exactly what cs-account wrote before several sessions.
    write_private(
        store.path(),
        r#"{
  "email": "john.doe@example.com",
  "endpoint": "http://127.0.0.1:4010",
  "authtoken": "blt_from_the_old_file",
  "saved_at": "2026-11-30T08:15:00.123456789+00:00"
}"#,
    );
    let endpoint = Endpoint::custom("http://127.0.0.1:4010").expect("url");
    let session = store.load().expect("read").expect("one session");
    assert_eq!(session.email, "john.doe@example.com");
    assert_eq!(session.endpoint, endpoint);
    assert_eq!(session.authtoken().expect("an authtoken").expose_secret(), "blt_from_the_old_file");
    let all = store.list().expect("list");
    assert_eq!(all.len(), 1);
    assert!(all[0].active);
    assert_eq!(all[0].obtained, Obtained::Unknown);
    assert_eq!(all[0].created_at.to_rfc3339(), "2026-11-30T08:15:00.123456789+00:00");
    // A log-in elsewhere keeps it, and the file is version 2 from then on.
    store.save(&on("jane@example.com", Endpoint::Region(Region::Eu), "blt_new")).expect("save");
    let file: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store.path()).expect("read")).expect("json");
    assert_eq!(file["version"], 2);
    assert_eq!(file["sessions"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        store
            .load_active(&endpoint)
            .expect("load")
            .expect("kept")
            .authtoken()
            .expect("an authtoken")
            .expose_secret(),
        "blt_from_the_old_file"
    );
}

#[cfg(unix)]
#[test]
fn an_old_file_with_its_token_in_the_keyring_keeps_pointing_there() {
    let (_dir, store) = temp_store();
    write_private(
        store.path(),
        r#"{"email":"a@b.c","endpoint":"eu","token_in":"keyring","saved_at":"2026-11-30T08:15:00Z"}"#,
    );
    let info = store.list().expect("list");
    assert!(info[0].in_keyring && info[0].active, "{info:?}");
    assert!(matches!(store.load(), Err(StoreError::Keyring { .. })), "no keyring in this store");
}

#[cfg(unix)]
#[test]
fn damaged_or_oversized_files_are_refused() {
    let (_dir, store) = temp_store();
    write_private(
        store.path(),
        r#"{"version":2,"sessions":[{"email":"a@b.c","endpoint":"nowhere","authtoken":"x","created_at":"2026-11-30T08:15:00Z","last_used":"2026-11-30T08:15:00Z","obtained":"password","active":true}]}"#,
    );
    assert!(matches!(store.list(), Err(StoreError::Corrupt { .. })), "an endpoint that is none");
    write_private(
        store.path(),
        &format!("{{\"version\":2,\"sessions\":[],\"pad\":\"{}\"}}", "x".repeat(70 * 1024)),
    );
    let err = store.list().expect_err("too large");
    assert!(err.to_string().contains("larger than 64 KiB"), "{err}");
    // A newer build's way of obtaining a token reads as unknown.
    write_private(
        store.path(),
        r#"{"version":3,"sessions":[{"email":"a@b.c","endpoint":"eu","authtoken":"x","created_at":"2026-11-30T08:15:00Z","last_used":"2026-11-30T08:15:00Z","obtained":"sso","active":true}]}"#,
    );
    assert_eq!(store.list().expect("list")[0].obtained, Obtained::Unknown);
}

#[test]
fn the_number_of_sessions_is_capped() {
    let (_dir, store) = temp_store();
    let na = Endpoint::Region(Region::Na);
    for n in 0..MAX_SESSIONS {
        store
            .save(&on(&format!("user{n}@example.com"), na.clone(), "blt_0123456789abcdef0123"))
            .expect("save");
    }
    let err = store.save(&on("one.more@example.com", na.clone(), "blt_x")).expect_err("full");
    assert!(matches!(err, StoreError::Full { count: MAX_SESSIONS, .. }), "{err:?}");
    assert!(err.to_string().contains("cs-account logout EMAIL"), "{err}");
    store.save(&on("user3@example.com", na.clone(), "blt_refresh")).expect("a refresh still fits");
    assert_eq!(store.list().expect("list").len(), MAX_SESSIONS);
}

/// A browser sign-in of sso.user on EU with these tokens.
pub(super) fn oauth_session(access: &str, refresh: &str) -> StoredSession {
    let tokens = OAuthTokens {
        access: SecretString::from(access.to_string()),
        refresh: SecretString::from(refresh.to_string()),
        expires_at: Utc::now() + chrono::Duration::hours(1),
        organization_uid: Some("blt5a5b5c5d5e5f5a5b".into()),
        user_uid: Some("blt5c0a1b2c3d4e5f6a7b8c9d0e".into()),
    };
    let settings = OAuthSettings { redirect_uri: "http://localhost:9000/cb".into(), ..Default::default() };
    let secret = StoredSecret::OAuth { tokens, settings };
    StoredSession { email: "sso.user@example.com".into(), endpoint: Endpoint::Region(Region::Eu), secret }
}

/// The tokens of a stored browser sign-in.
pub(super) fn tokens_of(session: &StoredSession) -> OAuthTokens {
    match &session.secret {
        StoredSecret::OAuth { tokens, .. } => tokens.clone(),
        StoredSecret::Authtoken(_) => panic!("an authtoken session"),
    }
}

/// A browser sign-in in the file: both tokens, the expiry, whose they are and the app that
/// issued them (not today's settings) come back; it has no authtoken; `status` says how it was
/// obtained; a refresh replaces both tokens.
#[test]
fn a_browser_sign_in_round_trips_with_its_app_and_refreshed_tokens() {
    let (_dir, store) = temp_store();
    let signed = oauth_session("csat_access_0001", "csrt_refresh_0001");
    store.save_as(&signed, Obtained::Browser).expect("save");
    let back = store.load().expect("load").expect("some");
    assert!(back.authtoken().is_none(), "no authtoken for a browser sign-in");
    let StoredSecret::OAuth { tokens, settings } = &back.secret else { panic!("a browser sign-in") };
    assert_eq!(tokens.access.expose_secret(), "csat_access_0001");
    assert_eq!(tokens.refresh.expose_secret(), "csrt_refresh_0001");
    assert_eq!(tokens.user_uid.as_deref(), Some("blt5c0a1b2c3d4e5f6a7b8c9d0e"));
    assert_eq!(settings.redirect_uri, "http://localhost:9000/cb");
    let text = fs::read_to_string(store.path()).expect("file");
    assert!(!text.contains("\"authtoken\""), "{text}");
    assert_eq!(store.list().expect("list")[0].obtained, Obtained::Browser);
    let mut fresh = tokens.clone();
    fresh.access = SecretString::from("csat_access_0002");
    fresh.refresh = SecretString::from("csrt_refresh_0002");
    assert!(store.update_tokens(&back.endpoint, &back.email, &fresh).expect("updated"));
    let again = tokens_of(&store.load().expect("load").expect("some"));
    assert_eq!(again.refresh.expose_secret(), "csrt_refresh_0002");
    assert!(!fs::read_to_string(store.path()).expect("file").contains("csrt_refresh_0001"));
    // A session logged out meanwhile is not written back by a late refresh.
    store.remove(&back.endpoint, &back.email).expect("removed");
    assert!(!store.update_tokens(&back.endpoint, &back.email, &fresh).expect("no error"));
}
