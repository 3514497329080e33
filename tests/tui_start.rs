//! How the app opens: environment token, stored session (for this endpoint or another), config
//! key overrides and their problems, demo mode.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Endpoint, Region, TransportKind};
use cs_account::app::request::{OnUser, Request};
use cs_account::app::run::{TuiOptions, initial_app, start};
use cs_account::app::state::Confirm;
use cs_account::app::{App, Effect, Msg};
use cs_account::config::Config;
use cs_account::store::{Obtained, SessionStore, StoredSession};
use secrecy::{ExposeSecret, SecretString};

fn options() -> TuiOptions {
    TuiOptions {
        endpoint: Endpoint::Region(Region::Eu),
        store: None,
        drafts: None,
        config: Config::default(),
        env_token: None,
        demo: None,
    }
}

fn open(opts: &TuiOptions) -> (App, Vec<Effect>) {
    let (mut app, problems) = initial_app(opts, (80, 24));
    let effects = start(&mut app, opts, problems);
    (app, effects)
}

fn store_with(endpoint: Endpoint) -> (tempfile::TempDir, SessionStore) {
    let (dir, store) = common::temp_store();
    store
        .save(&StoredSession::with_authtoken(
            "john.doe@contentstack.com".into(),
            endpoint,
            SecretString::from("bltstored0123456789"),
        ))
        .expect("saved");
    (dir, store)
}

/// Options on EU with a session stored for `endpoint`; the store's directory lives while the
/// first half is kept.
fn stored_for(endpoint: Endpoint) -> (tempfile::TempDir, TuiOptions) {
    let (dir, store) = store_with(endpoint);
    let mut opts = options();
    opts.store = Some(store);
    (dir, opts)
}

/// The answer to the user check `asked` when the server cannot be reached.
fn unreachable(asked: Asked<OnUser>) -> Msg {
    answer(
        asked,
        Err(ApiError::Transport { kind: TransportKind::Connect, host: String::new(), detail: "x".into() }),
    )
}

/// An app on EU whose session saved for EU could not be checked (no network): on the form.
fn saved_session_unchecked() -> (tempfile::TempDir, App) {
    let (dir, opts) = stored_for(Endpoint::Region(Region::Eu));
    let (mut app, effects) = open(&opts);
    let id = get_user_id(&effects);
    send(&mut app, [unreachable(id)]);
    (dir, app)
}

#[test]
fn no_session_opens_the_form() {
    let (app, effects) = open(&options());
    assert!(effects.is_empty(), "{effects:#?}");
    assert!(app.login().is_some() && !app.is_busy());
    assert_eq!(app.endpoint, Endpoint::Region(Region::Eu));
    assert!(!app.can_remember, "no store: no remember-me box");
}

#[test]
fn the_environment_token_is_checked_and_never_stored() {
    let (dir, mut opts) = stored_for(Endpoint::Region(Region::Eu));
    opts.env_token = Some(SecretString::from("bltenv0123456789"));
    let (mut app, effects) = open(&opts);
    let [Effect::Request { id, request: Request::GetUser { cred, endpoint, then } }] = &effects[..] else {
        panic!("{effects:#?}")
    };
    assert_eq!(secret(cred), "bltenv0123456789", "the environment wins over the file");
    assert_eq!(*endpoint, Endpoint::Region(Region::Eu));
    let effects =
        send(&mut app, [answer(common::Asked { id: *id, then: then.clone() }, Ok(full_user().into()))]);
    assert!(app.profile().is_some());
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveSession(..))), "{effects:#?}");
    drop(dir);
}

#[test]
fn a_stored_session_opens_and_an_expired_one_is_forgotten() {
    let (_dir, opts) = stored_for(Endpoint::Region(Region::Eu));
    let (mut app, effects) = open(&opts);
    let id = get_user_id(&effects);
    assert_eq!(app.busy_label(), Some("Opening the saved session…"));
    let effects = send(
        &mut app,
        [answer(id, Err(ApiError::Unauthorized { status: 401, code: None, message: String::new() }))],
    );
    assert!(matches!(effects[..], [Effect::DeleteSession { .. }]), "{effects:#?}");
    let l = app.login().expect("the form");
    assert_eq!(l.email.value(), "john.doe@contentstack.com");
    assert_eq!(l.error.as_ref().map(|e| e.title.as_str()), Some("Saved session expired"));
}

#[test]
fn a_network_error_at_start_can_be_retried() {
    let (_dir, mut app) = saved_session_unchecked();
    assert!(
        app.login().and_then(|l| l.error.as_ref()).is_some_and(|e| e.retry && e.message.contains("ctrl-r"))
    );
    let effects = send(&mut app, [ctrl('r')]);
    let id = get_user_id(&effects);
    send(&mut app, [answer(id, Ok(full_user().into()))]);
    assert!(app.profile().is_some(), "the retried check opened the profile");
}

#[test]
fn with_several_sessions_the_active_one_of_the_chosen_endpoint_opens() {
    let (_dir, store) = store_with(Endpoint::Region(Region::Eu));
    let other = |email: &str, endpoint, token: &str| {
        StoredSession::with_authtoken(email.into(), endpoint, SecretString::from(token.to_string()))
    };
    // Used after the EU one: the active session used last is NA's, but the app runs on EU.
    store.save(&other("jane@example.com", Endpoint::Region(Region::Na), "bltjane_na_000")).expect("saved");
    store.save(&other("ana@example.com", Endpoint::Region(Region::Eu), "bltana_eu_0000")).expect("saved");
    store.activate(&Endpoint::Region(Region::Na), "jane@example.com").expect("switched");
    let mut opts = options();
    opts.store = Some(store.clone());
    let (_app, effects) = open(&opts);
    let [Effect::Request { request: Request::GetUser { cred, endpoint, .. }, .. }] = &effects[..] else {
        panic!("{effects:#?}")
    };
    assert_eq!((secret(cred), endpoint), ("bltana_eu_0000", &Endpoint::Region(Region::Eu)));
    // An expired one is forgotten alone: the runner's effect names it.
    let (mut app, effects) = open(&opts);
    let id = get_user_id(&effects);
    let effects = send(
        &mut app,
        [answer(id, Err(ApiError::Unauthorized { status: 401, code: None, message: String::new() }))],
    );
    let [Effect::DeleteSession { endpoint, email }] = &effects[..] else { panic!("{effects:#?}") };
    assert_eq!((endpoint, email.as_str()), (&Endpoint::Region(Region::Eu), "ana@example.com"));
}

#[test]
fn a_session_stored_for_another_endpoint_is_not_used() {
    let (_dir, opts) = stored_for(Endpoint::Region(Region::Na));
    let (app, effects) = open(&opts);
    assert!(effects.is_empty(), "nothing is sent anywhere: {effects:#?}");
    let l = app.login().expect("the form");
    assert_eq!(l.email.value(), "john.doe@contentstack.com");
    let e = l.error.as_ref().expect("the form says why");
    assert_eq!(e.title, "Not logged in to EU");
    assert!(
        e.message.contains("is for NA") && e.message.contains("`cs-account --region na`"),
        "{}",
        e.message
    );
}

#[test]
fn the_environment_token_is_named_when_it_cannot_be_checked() {
    let mut opts = options();
    opts.env_token = Some(SecretString::from("bltenv0123456789"));
    let (mut app, effects) = open(&opts);
    let id = get_user_id(&effects);
    assert_eq!(app.busy_label(), Some("Checking CONTENTSTACK_AUTHTOKEN…"));
    send(&mut app, [unreachable(id)]);
    let e = app.login().and_then(|l| l.error.clone()).expect("an error");
    assert!(
        e.message.starts_with("The token in CONTENTSTACK_AUTHTOKEN could not be checked."),
        "{}",
        e.message
    );
    assert!(!e.message.contains("saved session"), "{}", e.message);
}

/// An app on EU with a session stored for NA, the form filled in for `email`.
fn replacing(email: &str) -> (tempfile::TempDir, App) {
    let (dir, opts) = stored_for(Endpoint::Region(Region::Na));
    let (mut app, _) = open(&opts);
    if let Some(l) = app.login_mut() {
        l.email.set(email);
        l.focus = cs_account::screens::login::Focus::Password;
    }
    type_text(&mut app, "Demo-pass-1234");
    (dir, app)
}

#[test]
fn logging_in_elsewhere_adds_a_session_without_asking() {
    let (_dir, mut app) = replacing("john.doe@contentstack.com");
    let effects = send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.confirm, None, "no question: the NA session stays stored and valid");
    assert!(
        !effects.iter().any(|e| matches!(
            e,
            Effect::Request { request: Request::Logout { .. }, .. } | Effect::DeleteSession { .. }
        )),
        "{effects:#?}"
    );
    let id = login_id(&effects);
    let effects = send(&mut app, [answer(id, login_ok(&full_user()))]);
    let id = get_user_id(&effects);
    let effects = send(&mut app, [answer(id, Ok(full_user().into()))]);
    let saved = effects.iter().find_map(|e| match e {
        Effect::SaveSession(s, how) => Some((s.endpoint.clone(), *how)),
        _ => None,
    });
    assert_eq!(saved, Some((Endpoint::Region(Region::Eu), Obtained::Password)), "{effects:#?}");
    assert!(!effects.iter().any(|e| matches!(e, Effect::DeleteSession { .. })), "{effects:#?}");
}

#[test]
fn a_pasted_token_is_checked_at_once_and_stored_as_a_token() {
    // The stored session could not be checked (network): the user pastes a token instead.
    let (_dir, mut app) = saved_session_unchecked();
    send(&mut app, [ctrl('t')]);
    if let Some(l) = app.login_mut() {
        l.token.set("bltpasted0123456789");
    }
    let effects = send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.confirm, None);
    let id = get_user_id(&effects);
    let effects = send(&mut app, [answer(id, Ok(full_user().into()))]);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::SaveSession(s, Obtained::Token) if s.endpoint == Endpoint::Region(Region::Eu))),
        "{effects:#?}"
    );
}

#[test]
fn the_same_account_on_the_same_endpoint_is_not_asked_about() {
    let (_dir, mut app) = saved_session_unchecked();
    type_text(&mut app, "Demo-pass-1234");
    let effects = send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.confirm, None);
    login_id(&effects);
}

#[test]
fn logging_out_of_the_environment_session_keeps_the_saved_one() {
    let (_dir, mut opts) = stored_for(Endpoint::Region(Region::Na));
    opts.env_token = Some(SecretString::from("bltenv0123456789"));
    let (mut app, effects) = open(&opts);
    let id = get_user_id(&effects);
    send(&mut app, [answer(id, Ok(full_user().into()))]);
    send(&mut app, [ch('L')]);
    let effects = send(&mut app, [ch('y')]);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Request { request: Request::Logout { .. }, .. })),
        "{effects:#?}"
    );
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::DeleteSession { endpoint: Endpoint::Region(Region::Na), .. })),
        "the NA session is not this one: {effects:#?}"
    );
}

#[test]
fn a_session_that_cannot_be_remembered_is_said_to_stay_valid() {
    let (mut app, _) = open(&options());
    log_in(&mut app, &full_user());
    send(
        &mut app,
        [cs_account::app::Msg::Stored(cs_account::app::msg::StoreResult::Saved(Err("disk full".into())))],
    );
    let text = &app.toasts.last().expect("a toast").text;
    assert!(text.contains("could not be remembered: disk full"), "{text}");
    assert!(text.contains("stays valid on Contentstack until it expires"), "{text}");
}

#[test]
fn config_keys_apply_and_bad_ones_are_reported() {
    let mut opts = options();
    opts.config.keys =
        toml::from_str("[profile]\nlogout = \"ctrl-l\"\nfly = \"x\"\n[nav]\ndown = \"hyper-j\"")
            .expect("toml");
    let (mut app, effects) = open(&opts);
    assert!(matches!(effects[..], [Effect::Timer { .. }]), "one notice for both problems");
    let text = &app.toasts[0].text;
    assert!(
        text.contains("2 settings were ignored") && text.contains("fly") && text.contains("hyper-j"),
        "{text}"
    );
    log_in(&mut app, &full_user());
    send(&mut app, [ch('L')]);
    assert_eq!(app.confirm, None, "L no longer logs out");
    send(&mut app, [ctrl('l')]);
    assert_eq!(app.confirm, Some(Confirm::Logout));
    let help = cs_account::screens::help::view::lines(&app, &cs_account::ui::hints::help_rows(&app));
    assert!(
        help.iter().any(|l| matches!(l, cs_account::screens::help::view::HelpLine::Binding { keys, description: "Log out", .. } if keys == "ctrl-l")),
        "help follows the config"
    );
    send(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.confirm, None);
}

#[test]
fn demo_mode_asks_for_the_code_at_once() {
    let mut opts = options();
    opts.demo = Some(cs_account::commands::demo::demo_info());
    let (mut app, effects) = open(&opts);
    assert!(matches!(effects[..], [Effect::DemoCode { wait: false }]), "{effects:#?}");
    let effects = send(&mut app, [cs_account::app::Msg::DemoCode("654321".into())]);
    assert!(matches!(effects[..], [Effect::DemoCode { wait: true }]), "the next one, while the form shows");
    assert_eq!(app.demo.as_ref().and_then(|d| d.code.as_deref()), Some("654321"));
    log_in(&mut app, &full_user());
    assert!(
        send(&mut app, [cs_account::app::Msg::DemoCode("1".into())]).is_empty(),
        "no clock on the profile"
    );
}

#[test]
fn a_signal_quits_like_the_quit_key() {
    let (mut app, _) = open(&options());
    let effects = send(&mut app, [cs_account::app::Msg::Quit]);
    assert!(app.should_quit && matches!(effects[..], [Effect::Quit]));
}

#[test]
fn snapshots_of_a_session_saved_elsewhere() {
    for (w, h) in [(80, 24), (40, 15)] {
        let (_dir, opts) = stored_for(Endpoint::Region(Region::Na));
        let (mut app, problems) = initial_app(&opts, (w, h));
        start(&mut app, &opts, problems);
        insta::assert_snapshot!(format!("saved_elsewhere_{w}x{h}"), draw(&app, w, h).backend());
    }
}

#[cfg(unix)]
#[test]
fn a_config_directory_others_can_write_is_warned_about_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let mut opts = options();
    opts.store = Some(SessionStore::new(dir.path().to_path_buf()));
    let (app, _) = open(&opts);
    assert!(
        app.toasts.iter().any(|t| t.text.contains("can be changed by other users (mode 777)")),
        "{:?}",
        app.toasts
    );
}

/// The authtoken a request carries.
fn secret(cred: &cs_account::api::Credential) -> &str {
    cred.authtoken().expect("an authtoken").expose_secret()
}
