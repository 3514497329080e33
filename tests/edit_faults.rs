//! The edit form in the real loop against the demo server, with faults injected: saves that
//! fail (503, a timeout) and then succeed, a save cancelled while the server hangs, a 422 from
//! the server, a session that dies mid-save, a quit mid-save whose draft is offered on the next
//! start, saves whose answer was lost though the server took them (the app asks the server what
//! it holds before it reopens a form or works out a save), and answers that come late. Plus the
//! contract between the form's checks and the server's rules.
//!
//! Drafts go to the store the runner is given: one directory for this test binary (see
//! [`state_dir`]). Each test's server listens on its own port, so each test's drafts have their
//! own key.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use common::harness::{Harness, Setup};
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Client, ClientConfig, Endpoint, UpdateSuccess, User, UserUpdate};
use cs_account::app::msg::{DraftResult, Msg};
use cs_account::app::{App, Effect};
use cs_account::demo::{DemoOptions, DemoServer, FaultAnswer, Faults, RouteFault};
use cs_account::screens::edit::EditField;
use cs_account::screens::edit::check;
use cs_account::store::drafts::{DRAFT_DIR, Draft, DraftKey, DraftStore};
use secrecy::SecretString;
use serde_json::{Value, json};

const EMAIL: &str = "john.doe@example.com";
const PASSWORD: &str = "Demo-pass-1234";

/// This binary's state directory, emptied the first time it is asked for.
fn state_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| common::fresh_dir("edit-faults"))
}

/// Runs `test` against a fresh demo server, on a runtime like the app's, then stops the server.
fn with_server(test: impl AsyncFnOnce(&DemoServer)) {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async {
        let server = DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() })
            .await
            .expect("demo server");
        test(&server).await;
        server.shutdown().await;
    });
}

/// The server answers the routes' requests with these faults (and every other as usual).
fn set_routes(server: &DemoServer, routes: Vec<RouteFault>) {
    server.set_faults(Faults { routes, ..Faults::default() });
}

fn fault(answer: FaultAnswer, times: u32) -> RouteFault {
    RouteFault { method: "PUT".into(), path: "/v3/user".into(), answer, times: Some(times) }
}

/// `GET /v3/user` answers `answer` this many times.
fn get_fault(answer: FaultAnswer, times: u32) -> RouteFault {
    RouteFault { method: "GET".into(), path: "/v3/user".into(), answer, times: Some(times) }
}

fn status(status: u16, body: Option<Value>) -> FaultAnswer {
    FaultAnswer::Status { status, body }
}

fn drafts() -> DraftStore {
    DraftStore::new(state_dir().join(DRAFT_DIR))
}

/// The app on `server`, keeping drafts in [`drafts`].
fn setup(server: &DemoServer) -> Setup {
    Setup { drafts: Some(drafts()), ..Setup::new(&server.base_url()) }
}

fn draft_key(server: &DemoServer) -> DraftKey {
    let uid = server.user_snapshot(EMAIL).and_then(|u| u["uid"].as_str().map(str::to_string));
    let endpoint = Endpoint::custom(&server.base_url()).expect("loopback URL").id();
    DraftKey { uid: uid.expect("john.doe has a uid"), endpoint }
}

/// Asserts john.doe has no draft on disk for `server`: it is gone once saved.
fn assert_no_draft(server: &DemoServer) {
    assert_eq!(drafts().load(&draft_key(server)).expect("readable"), None, "the draft is gone once saved");
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
    h.press_and_wait_for(KeyCode::Enter, "1 Roles").await;
}

/// The app started on `server` and logged in as john.doe: on the profile.
async fn logged_in(server: &DemoServer) -> Harness {
    let h = Harness::start(setup(server));
    log_in(&h).await;
    h
}

/// Enter on the review: the save goes through.
async fn save_succeeds(h: &Harness) {
    h.press_and_wait_for(KeyCode::Enter, "Profile updated successfully").await;
}

/// Quits, then asserts the server holds what it held `before` with exactly [`CHANGES`] made.
async fn quit_with_changes_saved(h: Harness, server: &DemoServer, before: &[(String, Value)]) -> App {
    let app = h.quit().await;
    assert_eq!(stored(server), with(before, &CHANGES), "exactly the user's values");
    app
}

/// The save goes through; then as [`quit_with_changes_saved`].
async fn saved_then_quit(h: Harness, server: &DemoServer, before: &[(String, Value)]) -> App {
    save_succeeds(&h).await;
    quit_with_changes_saved(h, server, before).await
}

/// From the profile: the company and the mobile number changed, and the review showing.
async fn edit_and_review(h: &Harness) {
    h.press_and_wait_for('e', "Edit profile").await;
    for _ in 0..2 {
        h.key(KeyCode::Down);
    }
    h.ctrl('u');
    h.type_text("Acme Ltd");
    h.key(KeyCode::Down);
    h.ctrl('u');
    h.type_text("7700900123");
    h.press_and_wait_for(KeyCode::Enter, "2 changes to save").await;
}

/// The app on `server`, logged in, the company and the mobile number changed, the review showing.
async fn reviewing_changes(server: &DemoServer) -> Harness {
    let h = logged_in(server).await;
    edit_and_review(&h).await;
    h
}

/// [`reviewing_changes`], then a save sent that the server never answers: "Saving…" shows.
async fn saving_forever(server: &DemoServer) -> Harness {
    set_routes(server, vec![fault(FaultAnswer::Hang, 1)]);
    let h = reviewing_changes(server).await;
    h.press_and_wait_for(KeyCode::Enter, "Saving…").await;
    h
}

const CHANGES: [(&str, &str); 2] = [("company", "Acme Ltd"), ("mobile_number", "7700900123")];

#[test]
fn a_save_that_fails_twice_then_succeeds_keeps_every_value() {
    with_server(async |server| {
        let before = stored(server);
        // Three 503s: the client's own retries of the first save all fail. Then one request
        // that never answers: the second save times out.
        set_routes(server, vec![fault(status(503, None), 3), fault(FaultAnswer::Hang, 1)]);
        let h = reviewing_changes(server).await;
        h.press_and_wait_for(KeyCode::Enter, "Server error").await;
        h.wait_for("Your changes are kept").await;
        h.wait_for("Contentstack → Acme Ltd").await;
        let draft = drafts().load(&draft_key(server)).expect("readable").expect("kept on disk meanwhile");
        assert_eq!(draft.changes.company.as_deref(), Some("Acme Ltd"));
        h.press_and_wait_for(KeyCode::Enter, "Saving…").await;
        // The loop stays responsive while the request hangs: help opens and closes.
        h.press_and_wait_for('?', "Review before saving").await;
        h.key(KeyCode::Esc);
        h.wait_gone("Review before saving").await;
        h.wait_for("did not answer in time").await;
        h.wait_for("9898989898 → 7700900123").await;
        assert_eq!(stored(server), before, "nothing reached the profile yet");
        save_succeeds(&h).await;
        h.wait_for("Company Acme Ltd").await;
        let app = quit_with_changes_saved(h, server, &before).await;
        assert!(app.profile().is_some());
        assert_no_draft(server);
    });
}

#[test]
fn a_hung_save_is_cancelled_at_once_and_saved_again() {
    with_server(async |server| {
        let before = stored(server);
        let h = saving_forever(server).await;
        h.press_and_wait_for(KeyCode::Esc, "Save cancelled").await;
        h.wait_gone("Saving…").await;
        saved_then_quit(h, server, &before).await;
    });
}

#[test]
fn the_servers_422_stands_on_its_field() {
    with_server(async |server| {
        let body = json!({
            "error_message": "Profile update failed.", "error_code": 121,
            "errors": {"company": ["is reserved for another account."], "plan": ["is read-only."]}
        });
        set_routes(server, vec![fault(status(422, Some(body)), 1)]);
        let h = reviewing_changes(server).await;
        h.press_and_wait_for(KeyCode::Enter, "is reserved for another account.").await;
        h.wait_for("Plan: is read-only.").await;
        h.wait_for("▸ Company*").await;
        h.quit().await;
    });
}

#[test]
fn a_session_that_dies_mid_save_logs_in_again_and_saves() {
    with_server(async |server| {
        let before = stored(server);
        let h = reviewing_changes(server).await;
        // The session outlives its lifetime on the server's clock: the save gets a 401.
        server.advance_clock(Duration::from_secs(13 * 3600));
        h.press_and_wait_for(KeyCode::Enter, "Session expired").await;
        h.wait_for("Your profile changes").await;
        h.type_text(PASSWORD);
        h.press_and_wait_for(KeyCode::Enter, "changes were kept").await;
        h.wait_for("Contentstack → Acme Ltd").await;
        saved_then_quit(h, server, &before).await;
    });
}

#[test]
fn a_quit_mid_save_leaves_a_draft_that_the_next_start_offers() {
    with_server(async |server| {
        let before = stored(server);
        let h = saving_forever(server).await;
        h.ctrl('c');
        h.finish().await;
        let key = draft_key(server);
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
        let h = logged_in(server).await;
        h.wait_for("You have unsaved changes from").await;
        h.press_and_wait_for('r', "Restored your unsaved changes").await;
        h.wait_for("Acme Ltd").await;
        h.press_and_wait_for(KeyCode::Enter, "9898989898 → 7700900123").await;
        saved_then_quit(h, server, &before).await;
        assert_no_draft(server);
    });
}

/// The form refuses exactly what the server refuses, at every boundary, so a save never meets
/// a 422 the form could have told about.
#[test]
fn the_forms_checks_match_the_servers_rules() {
    with_server(async |server| {
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
    });
}

fn server_field(server: &DemoServer, name: &str) -> String {
    let user = server.user_snapshot(EMAIL).unwrap_or(Value::Null);
    user[name].as_str().unwrap_or("").to_string()
}

/// From the profile: the company set to `company`, and the review showing.
async fn review_company(h: &Harness, company: &str) {
    h.press_and_wait_for('e', "Edit profile").await;
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.ctrl('u');
    h.type_text(company);
    h.press_and_wait_for(KeyCode::Enter, &format!("Contentstack → {company}")).await;
}

/// The server takes the save but its answer is cut in half (every try of it, should the client
/// retry a cut answer).
fn cut_saves() -> RouteFault {
    fault(FaultAnswer::Malformed, 3)
}

/// A save's answer cut, then the check after it failing too: what the server holds is not known.
fn cut_save_and_failing_check() -> Faults {
    Faults { routes: vec![cut_saves(), get_fault(status(503, None), 3)], ..Faults::default() }
}

/// Enter on the review: the server takes the save, but neither its answer nor the check after
/// it comes back, so the app cannot tell what the server holds. The faults are lifted after.
async fn save_with_unknown_outcome(h: &Harness, server: &DemoServer) {
    server.set_faults(cut_save_and_failing_check());
    h.press_and_wait_for(KeyCode::Enter, "could not be checked").await;
    server.set_faults(Faults::default());
}

/// A save goes through but its answer is cut: the app asks the server what it holds, finds the
/// save there, and says it is saved.
#[test]
fn a_save_whose_answer_was_cut_is_found_on_the_server() {
    with_server(async |server| {
        let h = logged_in(server).await;
        review_company(&h, "Acme Ltd").await;
        set_routes(server, vec![cut_saves()]);
        h.press_and_wait_for(KeyCode::Enter, "Profile saved.").await;
        server.set_faults(Faults::default());
        h.wait_for("Company Acme Ltd").await;
        let app = h.quit().await;
        assert!(app.profile().is_some(), "back on the profile");
        assert_eq!(server_field(server, "company"), "Acme Ltd");
        assert_no_draft(server);
    });
}

/// Issue 9, §6, the first case: a save whose answer never came had landed, the user discarded
/// the form, and the form reopened from the profile as it was before the save, so the company
/// the server held was not shown, and a save of other fields left it there. Now the form opens
/// only once the server said what it holds, and shows it.
#[test]
fn a_form_reopened_after_a_save_whose_outcome_is_unknown_shows_what_the_server_holds() {
    with_server(async |server| {
        let before = stored(server);
        let h = logged_in(server).await;
        review_company(&h, "Acme Ltd").await;
        save_with_unknown_outcome(&h, server).await;
        assert_eq!(server_field(server, "company"), "Acme Ltd", "the server took the save");
        // Discarded: back to the form, leave, yes.
        h.press_and_wait_for(KeyCode::Esc, "Edit profile").await;
        h.press_and_wait_for(KeyCode::Esc, "Discard").await;
        h.ch('y');
        h.wait_gone("Edit profile").await;
        // Opened again: with what the server holds.
        h.press_and_wait_for('e', "Edit profile").await;
        h.wait_for("Acme Ltd").await;
        // Another field changed and saved: the server holds exactly what the form showed.
        for _ in 0..3 {
            h.key(KeyCode::Down);
        }
        h.ctrl('u');
        h.type_text("7700900123");
        h.press_and_wait_for(KeyCode::Enter, "9898989898 → 7700900123").await;
        saved_then_quit(h, server, &before).await;
    });
}

/// After a save whose outcome is unknown the user types the company's old value back: once the
/// server says it holds the saved one, the typed value is what is sent (the review shows it
/// against the server's), though it equals what the form was opened with.
#[test]
fn a_value_typed_back_after_a_save_whose_outcome_is_unknown_is_sent() {
    with_server(async |server| {
        let h = logged_in(server).await;
        review_company(&h, "Acme Ltd").await;
        save_with_unknown_outcome(&h, server).await;
        h.press_and_wait_for(KeyCode::Esc, "Edit profile").await;
        h.ctrl('u');
        h.type_text("Contentstack");
        h.press_and_wait_for(KeyCode::Enter, "Acme Ltd → Contentstack").await;
        save_succeeds(&h).await;
        h.quit().await;
        assert_eq!(server_field(server, "company"), "Contentstack", "the user's last value");
    });
}

/// From the profile: the edit form open with the company changed to "Acme Ltd", still focused.
fn type_company(app: &mut App) -> Vec<Effect> {
    use common::{ch, ctrl, key, send, type_text};
    let mut effects = send(app, [ch('e'), key(KeyCode::Down), key(KeyCode::Down), ctrl('u')]);
    effects.extend(type_text(app, "Acme Ltd"));
    effects
}

/// A reload sent before a save and answered after it shows the profile from before the save:
/// it must not replace what the save's answer said (the second case of issue 9, §6: fields a
/// save had changed came back in the next form with their old values).
#[test]
fn a_reload_answered_after_a_save_does_not_undo_it() {
    use common::{answer, ch, get_user_id, key, log_in, send};
    let mut app = common::app(80, 24);
    let user = common::full_user();
    log_in(&mut app, &user);
    let reload = get_user_id(&send(&mut app, [ch('r')]));
    type_company(&mut app);
    let effects = send(&mut app, [key(KeyCode::Enter), key(KeyCode::Enter)]);
    let save = common::save_id(&effects);
    let saved = User { company: Some("Acme Ltd".into()), ..user.clone() };
    let done = UpdateSuccess { notice: "Profile updated successfully.".into(), user: saved };
    send(&mut app, [answer(save, Ok(done))]);
    // The reload's answer: the server as it was when it read it, before the save.
    send(&mut app, [answer(reload, Ok(user.clone().into()))]);
    let company = |app: &cs_account::app::App| app.session.as_ref().and_then(|s| s.user.company.clone());
    assert_eq!(company(&app).as_deref(), Some("Acme Ltd"), "what the save's answer said stands");
    send(&mut app, [ch('e')]);
    let form = &app.edit().expect("the form opens").form;
    assert_eq!(form.field(EditField::Company).value(), "Acme Ltd");
}

/// Enter on the form while the server's state is unknown waits for the check; a key typed
/// meanwhile cancels that wait, so the check's answer neither opens the review nor moves the
/// focus under the user (found by the fault fuzz test: a letter typed after such an Enter
/// landed in another field, which the review had focused for its problem).
#[test]
fn keys_typed_while_the_check_runs_keep_the_form_where_the_user_is() {
    use common::{answer, ctrl, get_user_id, key, log_in, send, type_text};
    use cs_account::api::error::TransportKind;
    use cs_account::screens::edit::Step;
    let mut app = common::app(80, 24);
    let user = common::full_user();
    log_in(&mut app, &user);
    type_company(&mut app);
    let effects = send(&mut app, [key(KeyCode::Enter), key(KeyCode::Enter)]);
    let save = common::save_id(&effects);
    // The save's connection breaks: whether the server took it is not known, so it is asked.
    let lost =
        ApiError::Transport { kind: TransportKind::Reset, host: String::new(), detail: "reset".into() };
    let check_id = get_user_id(&send(&mut app, [answer(save, Err(lost))]));
    // Back to the form, a mobile number the form refuses, Enter: the review waits for the check.
    send(&mut app, [key(KeyCode::Esc), key(KeyCode::Down), ctrl('u')]);
    type_text(&mut app, "12a");
    send(&mut app, [key(KeyCode::Enter)]);
    // The user goes on typing in the first name.
    send(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    type_text(&mut app, "Z");
    send(&mut app, [answer(check_id, Ok(user.clone().into()))]);
    type_text(&mut app, "ed");
    let form = &app.edit().expect("the form stays").form;
    assert_eq!(form.step, Step::Form);
    assert_eq!(form.focus, EditField::FirstName, "the focus stays where the user typed");
    assert_eq!(form.field(EditField::FirstName).value(), "JohnZed");
    assert_eq!(form.field(EditField::Company).value(), "Acme Ltd");
}

/// After a log-in the app reads the draft file to offer unsaved changes from an earlier run. If
/// the user opens the form and leaves an edited field before that read comes back, the form
/// writes its own draft; the read then returns an older draft, which must neither be offered
/// over the form nor deleted under it (it once was: the draft was gone, though the form said it
/// had written it, and quitting lost what the user typed).
#[test]
fn a_late_draft_read_keeps_the_open_forms_draft() {
    use common::{key, log_in, send};
    let mut app = common::app(80, 24);
    let user = common::full_user();
    let effects = log_in(&mut app, &user);
    let load = effects.iter().find_map(|e| match e {
        Effect::LoadDraft(k) => Some(k.clone()),
        _ => None,
    });
    let draft_key = load.expect("the profile loaded: the draft file is read");
    // Before the read comes back: the form opens, the company is changed and left.
    let mut disk_ops = type_company(&mut app);
    let left = send(&mut app, [key(KeyCode::Tab)]);
    assert!(
        left.iter().any(|e| matches!(e, Effect::SaveDraft { .. })),
        "leaving the edited field writes the form's draft: {left:?}"
    );
    disk_ops.extend(left);
    // The read comes back with an old draft the profile already holds.
    let old = Draft {
        key: draft_key.clone(),
        saved_at: "2025-01-01T00:00:00Z".into(),
        changes: UserUpdate { company: user.company.clone(), ..UserUpdate::default() },
    };
    disk_ops.extend(send(&mut app, [Msg::Draft(DraftResult::Loaded(draft_key, Ok(Some(Box::new(old)))))]));
    // The terminal closes.
    disk_ops.extend(send(&mut app, [Msg::Quit]));
    // The draft operations run in order: what is on disk at the end?
    let mut on_disk = None;
    for op in disk_ops {
        match op {
            Effect::SaveDraft { changes, .. } => on_disk = Some(changes),
            Effect::DeleteDraft(_) => on_disk = None,
            _ => {}
        }
    }
    let want = UserUpdate { company: Some("Acme Ltd".into()), ..UserUpdate::default() };
    assert_eq!(on_disk, Some(want), "the typed company should be on disk after quitting");
}
