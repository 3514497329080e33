//! How the app opens: environment token, stored session (for this endpoint or another), config
//! key overrides and their problems, demo mode.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Endpoint, Region, TransportKind};
use cs_account::app::msg::ApiResult;
use cs_account::app::run::{TuiOptions, initial_app, start};
use cs_account::app::state::Confirm;
use cs_account::app::{App, DemoInfo, Effect};
use cs_account::config::Config;
use cs_account::store::{SessionStore, StoredSession};
use secrecy::{ExposeSecret, SecretString};

fn options() -> TuiOptions {
    TuiOptions {
        endpoint: Endpoint::Region(Region::Eu),
        store: None,
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
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SessionStore::new(dir.path().to_path_buf());
    store
        .save(&StoredSession {
            email: "john.doe@contentstack.com".into(),
            endpoint,
            authtoken: SecretString::from("bltstored0123456789"),
        })
        .expect("saved");
    (dir, store)
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
    let mut opts = options();
    opts.env_token = Some(SecretString::from("bltenv0123456789"));
    let (dir, store) = store_with(Endpoint::Region(Region::Eu));
    opts.store = Some(store);
    let (mut app, effects) = open(&opts);
    let [Effect::GetUser { id, token, endpoint }] = &effects[..] else { panic!("{effects:#?}") };
    assert_eq!(token.expose_secret(), "bltenv0123456789", "the environment wins over the file");
    assert_eq!(*endpoint, Endpoint::Region(Region::Eu));
    let effects = send(&mut app, [answer(*id, ApiResult::User(Ok(full_user())))]);
    assert!(app.profile().is_some());
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveSession(_))), "{effects:#?}");
    drop(dir);
}

#[test]
fn a_stored_session_opens_and_an_expired_one_is_forgotten() {
    let (_dir, store) = store_with(Endpoint::Region(Region::Eu));
    let mut opts = options();
    opts.store = Some(store);
    let (mut app, effects) = open(&opts);
    let id = get_user_id(&effects);
    assert_eq!(app.busy_label(), Some("Opening the saved session…"));
    let effects = send(
        &mut app,
        [answer(
            id,
            ApiResult::User(Err(ApiError::Unauthorized { status: 401, code: None, message: String::new() })),
        )],
    );
    assert!(matches!(effects[..], [Effect::DeleteSession]), "{effects:#?}");
    let l = app.login().expect("the form");
    assert_eq!(l.email.value(), "john.doe@contentstack.com");
    assert_eq!(l.error.as_ref().map(|e| e.title.as_str()), Some("Saved session expired"));
}

#[test]
fn a_network_error_at_start_can_be_retried() {
    let (_dir, store) = store_with(Endpoint::Region(Region::Eu));
    let mut opts = options();
    opts.store = Some(store);
    let (mut app, effects) = open(&opts);
    let id = get_user_id(&effects);
    send(
        &mut app,
        [answer(
            id,
            ApiResult::User(Err(ApiError::Transport {
                kind: TransportKind::Connect,
                host: String::new(),
                detail: "x".into(),
            })),
        )],
    );
    assert!(
        app.login().and_then(|l| l.error.as_ref()).is_some_and(|e| e.retry && e.message.contains("ctrl-r"))
    );
    let effects = send(&mut app, [ctrl('r')]);
    let id = get_user_id(&effects);
    send(&mut app, [answer(id, ApiResult::User(Ok(full_user())))]);
    assert!(app.profile().is_some(), "the retried check opened the profile");
}

#[test]
fn a_session_stored_for_another_endpoint_is_not_used() {
    let (_dir, store) = store_with(Endpoint::Region(Region::Na));
    let mut opts = options();
    opts.store = Some(store);
    let (app, effects) = open(&opts);
    assert!(effects.iter().all(|e| matches!(e, Effect::Timer { .. })), "only a notice: {effects:#?}");
    assert!(app.toasts.iter().any(|t| t.text.contains("saved session is for NA")), "{:?}", app.toasts);
    assert_eq!(
        app.login().map(|l| l.email.value().to_string()).as_deref(),
        Some("john.doe@contentstack.com")
    );
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
    let help = cs_account::ui::help::lines(&app);
    assert!(
        help.iter().any(|l| matches!(l, cs_account::ui::help::HelpLine::Binding { keys, description: "Log out", .. } if keys == "ctrl-l")),
        "help follows the config"
    );
    send(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.confirm, None);
}

#[test]
fn demo_mode_asks_for_the_code_at_once() {
    let mut opts = options();
    opts.demo =
        Some(DemoInfo { logins: cs_account::demo::DEMO_LOGINS, tfa_secret: cs_account::demo::TFA_SECRET });
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
