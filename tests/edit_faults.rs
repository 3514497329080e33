//! The edit form in the real loop against the demo server, with faults injected: saves that
//! fail (503, a timeout) and then succeed, a save cancelled while the server hangs, a 422 from
//! the server, a session that dies mid-save, a quit mid-save whose draft is offered on the next
//! start. Plus the contract between the form's checks and the server's rules.
//!
//! Drafts go where the app puts them, the state directory named by `CS_ACCOUNT_STATE_DIR`: one
//! directory for this test binary, set before any test starts (see [`state_dir`]). Each test's
//! server listens on its own port, so each test's drafts have their own key.

mod common;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use common::harness::{Harness, Setup};
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Client, ClientConfig, Endpoint, UserUpdate};
use cs_account::app::draft::{DRAFT_DIR, DraftKey, DraftStore};
use cs_account::app::edit::{EditField, check};
use cs_account::demo::{DemoOptions, DemoServer, FaultAnswer, Faults, RouteFault};
use secrecy::SecretString;
use serde_json::{Value, json};

const EMAIL: &str = "john.doe@example.com";
const PASSWORD: &str = "Demo-pass-1234";

/// This binary's state directory, set as `CS_ACCOUNT_STATE_DIR` the first time it is asked for.
/// Every test asks for it before anything else, so the variable is set while no other thread of
/// this process reads the environment, and never changes afterwards.
fn state_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("edit-faults-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("state dir");
        // SAFETY: see above; no other thread reads the environment while this runs.
        unsafe { std::env::set_var("CS_ACCOUNT_STATE_DIR", &dir) };
        dir
    })
}

/// Runs a test body on a runtime like the app's, once the state directory is set.
fn run(test: impl Future<Output = ()>) {
    state_dir();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(test);
}

async fn server() -> DemoServer {
    DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }).await.expect("demo server")
}

fn fault(answer: FaultAnswer, times: u32) -> RouteFault {
    RouteFault { method: "PUT".into(), path: "/v3/user".into(), answer, times: Some(times) }
}

fn status(status: u16, body: Option<Value>) -> FaultAnswer {
    FaultAnswer::Status { status, body }
}

fn drafts() -> DraftStore {
    DraftStore::new(state_dir().join(DRAFT_DIR))
}

fn draft_key(server: &DemoServer) -> DraftKey {
    let uid = server.user_snapshot(EMAIL).and_then(|u| u["uid"].as_str().map(str::to_string));
    let endpoint = Endpoint::custom(&server.base_url()).expect("loopback URL").id();
    DraftKey { uid: uid.expect("john.doe has a uid"), endpoint }
}

/// The editable fields as the server holds them.
fn stored(server: &DemoServer) -> Vec<(String, Value)> {
    let user = server.user_snapshot(EMAIL).expect("john.doe");
    EditField::ALL.iter().map(|f| (f.api_name().to_string(), user[f.api_name()].clone())).collect()
}

/// `stored` with some fields replaced.
fn with(server_before: &[(String, Value)], changes: &[(&str, &str)]) -> Vec<(String, Value)> {
    server_before
        .iter()
        .map(|(k, v)| match changes.iter().find(|(name, _)| name == k) {
            Some((_, new)) => (k.clone(), json!(new)),
            None => (k.clone(), v.clone()),
        })
        .collect()
}

async fn log_in(h: &Harness) {
    h.wait_for("Log in to Contentstack").await;
    h.type_text(EMAIL);
    h.key(KeyCode::Tab);
    h.type_text(PASSWORD);
    h.key(KeyCode::Enter);
    h.wait_for("1 Roles").await;
}

/// From the profile: the company and the mobile number changed, and the review showing.
async fn edit_and_review(h: &Harness) {
    h.ch('e');
    h.wait_for("Edit profile").await;
    for _ in 0..2 {
        h.key(KeyCode::Down);
    }
    h.ctrl('u');
    h.type_text("Acme Ltd");
    h.key(KeyCode::Down);
    h.ctrl('u');
    h.type_text("7700900123");
    h.key(KeyCode::Enter);
    h.wait_for("2 changes to save").await;
}

const CHANGES: [(&str, &str); 2] = [("company", "Acme Ltd"), ("mobile_number", "7700900123")];

#[test]
fn a_save_that_fails_twice_then_succeeds_keeps_every_value() {
    run(async {
        let server = server().await;
        let before = stored(&server);
        // Three 503s: the client's own retries of the first save all fail. Then one request
        // that never answers: the second save times out.
        server.set_faults(Faults {
            routes: vec![fault(status(503, None), 3), fault(FaultAnswer::Hang, 1)],
            ..Faults::default()
        });
        let h = Harness::start(Setup::new(&server.base_url()));
        log_in(&h).await;
        edit_and_review(&h).await;
        h.key(KeyCode::Enter);
        h.wait_for("Server error").await;
        h.wait_for("Your changes are kept").await;
        h.wait_for("Contentstack → Acme Ltd").await;
        let draft = drafts().load(&draft_key(&server)).expect("readable").expect("kept on disk meanwhile");
        assert_eq!(draft.changes.company.as_deref(), Some("Acme Ltd"));
        h.key(KeyCode::Enter);
        h.wait_for("Saving…").await;
        // The loop stays responsive while the request hangs: help opens and closes.
        h.ch('?');
        h.wait_for("Review before saving").await;
        h.key(KeyCode::Esc);
        h.wait_gone("Review before saving").await;
        h.wait_for("did not answer in time").await;
        h.wait_for("9898989898 → 7700900123").await;
        assert_eq!(stored(&server), before, "nothing reached the profile yet");
        h.key(KeyCode::Enter);
        h.wait_for("Profile updated successfully").await;
        h.wait_for("Company Acme Ltd").await;
        let app = h.quit().await;
        assert_eq!(stored(&server), with(&before, &CHANGES), "exactly the user's values");
        assert!(app.profile().is_some());
        assert_eq!(drafts().load(&draft_key(&server)), Ok(None), "the draft is gone once saved");
        server.shutdown().await;
    });
}

#[test]
fn a_hung_save_is_cancelled_at_once_and_saved_again() {
    run(async {
        let server = server().await;
        let before = stored(&server);
        server.set_faults(Faults { routes: vec![fault(FaultAnswer::Hang, 1)], ..Faults::default() });
        let h = Harness::start(Setup::new(&server.base_url()));
        log_in(&h).await;
        edit_and_review(&h).await;
        h.key(KeyCode::Enter);
        h.wait_for("Saving…").await;
        h.key(KeyCode::Esc);
        h.wait_for("Save cancelled").await;
        h.wait_gone("Saving…").await;
        h.key(KeyCode::Enter);
        h.wait_for("Profile updated successfully").await;
        h.quit().await;
        assert_eq!(stored(&server), with(&before, &CHANGES));
        server.shutdown().await;
    });
}

#[test]
fn the_servers_422_stands_on_its_field() {
    run(async {
        let server = server().await;
        let body = json!({
            "error_message": "Profile update failed.", "error_code": 121,
            "errors": {"company": ["is reserved for another account."], "plan": ["is read-only."]}
        });
        server.set_faults(Faults { routes: vec![fault(status(422, Some(body)), 1)], ..Faults::default() });
        let h = Harness::start(Setup::new(&server.base_url()));
        log_in(&h).await;
        edit_and_review(&h).await;
        h.key(KeyCode::Enter);
        h.wait_for("is reserved for another account.").await;
        h.wait_for("Plan: is read-only.").await;
        h.wait_for("▸ Company*").await;
        h.quit().await;
        server.shutdown().await;
    });
}

#[test]
fn a_session_that_dies_mid_save_logs_in_again_and_saves() {
    run(async {
        let server = server().await;
        let before = stored(&server);
        let h = Harness::start(Setup::new(&server.base_url()));
        log_in(&h).await;
        edit_and_review(&h).await;
        // The session outlives its lifetime on the server's clock: the save gets a 401.
        server.advance_clock(Duration::from_secs(13 * 3600));
        h.key(KeyCode::Enter);
        h.wait_for("Session expired").await;
        h.wait_for("Your profile changes").await;
        h.type_text(PASSWORD);
        h.key(KeyCode::Enter);
        h.wait_for("changes were kept").await;
        h.wait_for("Contentstack → Acme Ltd").await;
        h.key(KeyCode::Enter);
        h.wait_for("Profile updated successfully").await;
        h.quit().await;
        assert_eq!(stored(&server), with(&before, &CHANGES));
        server.shutdown().await;
    });
}

#[test]
fn a_quit_mid_save_leaves_a_draft_that_the_next_start_offers() {
    run(async {
        let server = server().await;
        let before = stored(&server);
        server.set_faults(Faults { routes: vec![fault(FaultAnswer::Hang, 1)], ..Faults::default() });
        let h = Harness::start(Setup::new(&server.base_url()));
        log_in(&h).await;
        edit_and_review(&h).await;
        h.key(KeyCode::Enter);
        h.wait_for("Saving…").await;
        h.ctrl('c');
        h.finish().await;
        let key = draft_key(&server);
        let path = drafts().path(&key);
        let text = std::fs::read_to_string(&path).expect("a draft file");
        let doc: Value = serde_json::from_str(&text).expect("JSON");
        let mut keys: Vec<&str> = doc.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["endpoint", "fields", "saved_at", "uid", "version"]);
        let fields: Vec<&str> =
            doc["fields"].as_object().expect("fields").keys().map(String::as_str).collect();
        assert_eq!(fields, ["company", "mobile_number"], "only what the user changed");
        for secret in ["password", "authtoken", PASSWORD] {
            assert!(!text.to_lowercase().contains(&secret.to_lowercase()), "{secret} in the draft: {text}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("file").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // The next start: the offer, then the form with the values, then a save.
        let h = Harness::start(Setup::new(&server.base_url()));
        log_in(&h).await;
        h.wait_for("You have unsaved changes from").await;
        h.ch('r');
        h.wait_for("Restored your unsaved changes").await;
        h.wait_for("Acme Ltd").await;
        h.key(KeyCode::Enter);
        h.wait_for("9898989898 → 7700900123").await;
        h.key(KeyCode::Enter);
        h.wait_for("Profile updated successfully").await;
        h.quit().await;
        assert_eq!(stored(&server), with(&before, &CHANGES));
        assert_eq!(drafts().load(&key), Ok(None));
        server.shutdown().await;
    });
}

/// The form refuses exactly what the server refuses, at every boundary, so a save never meets
/// a 422 the form could have told about.
#[test]
fn the_forms_checks_match_the_servers_rules() {
    run(async {
        let server = server().await;
        let client = Client::new(ClientConfig::new(Endpoint::custom(&server.base_url()).expect("url")))
            .expect("client");
        let session = client.login(EMAIL, &SecretString::from(PASSWORD), None).await.expect("log in");
        let token = session.authtoken;
        let cases: Vec<(EditField, String)> = [
            (EditField::FirstName, vec!["", "   ", "A", &"é".repeat(64), &"é".repeat(65)]),
            (EditField::LastName, vec!["", "Doe-Smith", &"x".repeat(64), &"x".repeat(65)]),
            (EditField::Company, vec!["", "Acme", &"c".repeat(100), &"c".repeat(101)]),
            (
                EditField::Mobile,
                vec!["", "123", "1234", "123456789012345", "1234567890123456", "12a4", "98 98", "١٢٣٤"],
            ),
            (EditField::CountryCode, vec!["", "1", "1234", "12345", "+1", "4a"]),
        ]
        .into_iter()
        .flat_map(|(f, values)| values.into_iter().map(move |v| (f, v.to_string())))
        .collect();
        for (field, value) in cases {
            let update: UserUpdate =
                serde_json::from_value(json!({ field.api_name(): value })).expect("update");
            let server_says = match client.update_user(&token, &update).await {
                Ok(_) => true,
                Err(ApiError::Validation { errors, .. }) => {
                    assert!(errors.contains_key(field.api_name()), "{field:?} {value:?}: {errors:?}");
                    false
                }
                Err(e) => panic!("{field:?} {value:?}: {e}"),
            };
            let form_says = check(field, value.trim()).is_none();
            assert_eq!(form_says, server_says, "{field:?} = {value:?}");
        }
        server.shutdown().await;
    });
}
