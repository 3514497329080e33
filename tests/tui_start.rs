//! How the app opens: environment token, stored session (for this endpoint or another), config
//! key overrides and their problems, demo mode.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Endpoint, Region, TransportKind};
use cs_account::app::request::Request;
use cs_account::app::run::{TuiOptions, initial_app, start};
use cs_account::app::state::Confirm;
use cs_account::app::{App, Effect};
use cs_account::config::Config;
use cs_account::store::{SessionStore, StoredSession};
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
    let [Effect::Request { id, request: Request::GetUser { token, endpoint, then } }] = &effects[..] else {
        panic!("{effects:#?}")
    };
    assert_eq!(token.expose_secret(), "bltenv0123456789", "the environment wins over the file");
    assert_eq!(*endpoint, Endpoint::Region(Region::Eu));
    let effects =
        send(&mut app, [answer(common::Asked { id: *id, then: then.clone() }, Ok(full_user().into()))]);
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
        [answer(id, Err(ApiError::Unauthorized { status: 401, code: None, message: String::new() }))],
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
            Err(ApiError::Transport {
                kind: TransportKind::Connect,
                host: String::new(),
                detail: "x".into(),
            }),
        )],
    );
    assert!(
        app.login().and_then(|l| l.error.as_ref()).is_some_and(|e| e.retry && e.message.contains("ctrl-r"))
    );
    let effects = send(&mut app, [ctrl('r')]);
    let id = get_user_id(&effects);
    send(&mut app, [answer(id, Ok(full_user().into()))]);
    assert!(app.profile().is_some(), "the retried check opened the profile");
}

#[test]
fn a_session_stored_for_another_endpoint_is_not_used() {
    let (_dir, store) = store_with(Endpoint::Region(Region::Na));
    let mut opts = options();
    opts.store = Some(store);
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
    assert!(app.saved.is_some(), "kept, for the question when a log-in replaces it");
}

#[test]
fn the_environment_token_is_named_when_it_cannot_be_checked() {
    let mut opts = options();
    opts.env_token = Some(SecretString::from("bltenv0123456789"));
    let (mut app, effects) = open(&opts);
    let id = get_user_id(&effects);
    assert_eq!(app.busy_label(), Some("Checking CONTENTSTACK_AUTHTOKEN…"));
    send(
        &mut app,
        [answer(
            id,
            Err(ApiError::Transport {
                kind: TransportKind::Connect,
                detail: "x".into(),
                host: String::new(),
            }),
        )],
    );
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
    let (dir, store) = store_with(Endpoint::Region(Region::Na));
    let mut opts = options();
    opts.store = Some(store);
    let (mut app, _) = open(&opts);
    if let Some(l) = app.login_mut() {
        l.email.set(email);
        l.focus = cs_account::screens::login::Focus::Password;
    }
    type_text(&mut app, "Demo-pass-1234");
    (dir, app)
}

#[test]
fn logging_in_elsewhere_asks_before_replacing_the_saved_session() {
    let (_dir, mut app) = replacing("john.doe@contentstack.com");
    let effects = send(&mut app, [key(KeyCode::Enter)]);
    assert!(effects.is_empty(), "nothing sent before the answer: {effects:#?}");
    assert_eq!(app.confirm, Some(Confirm::ReplaceSession));
    let screen = screen_text(&draw(&app, 80, 24));
    assert!(screen.contains("Replace the saved session?") && screen.contains("on NA"), "{screen}");

    // Esc: back to the form, nothing sent, the password still there.
    assert!(send(&mut app, [key(KeyCode::Esc)]).is_empty());
    assert_eq!(app.confirm, None);
    assert!(!app.login().expect("form").password.is_empty());

    // y: the saved session is logged out on NA with its own token, forgotten, and the log-in
    // goes to EU.
    send(&mut app, [key(KeyCode::Enter)]);
    let effects = send(&mut app, [ch('y')]);
    let logout = effects.iter().find_map(|e| match e {
        Effect::Request { request: Request::Logout { endpoint, token, .. }, .. } => {
            Some((endpoint.clone(), token.expose_secret().to_string()))
        }
        _ => None,
    });
    assert_eq!(logout, Some((Endpoint::Region(Region::Na), "bltstored0123456789".to_string())));
    assert!(effects.iter().any(|e| matches!(e, Effect::DeleteSession)), "{effects:#?}");
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::Request { request: Request::Login { endpoint: Endpoint::Region(Region::Eu), .. }, .. }
        )),
        "{effects:#?}"
    );
    assert!(app.saved.is_none());
}

#[test]
fn keeping_the_saved_session_valid_is_asked_once() {
    let (_dir, mut app) = replacing("someone.else@example.com");
    send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.confirm, Some(Confirm::ReplaceSession));
    let effects = send(&mut app, [ch('n')]);
    assert!(
        !effects.iter().any(|e| matches!(
            e,
            Effect::Request { request: Request::Logout { .. }, .. } | Effect::DeleteSession
        )),
        "{effects:#?}"
    );
    let id = login_id(&effects);
    // A wrong password, then a second try: not asked again.
    send(
        &mut app,
        [answer(
            id,
            login_err(ApiError::InvalidCredentials { message: "Wrong.".into(), attempts_left: None }),
        )],
    );
    type_text(&mut app, "Demo-pass-1234");
    let effects = send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.confirm, None);
    let id = login_id(&effects);
    // Logged in with remember me: the new session replaces the saved one on disk.
    let effects = send(&mut app, [answer(id, login_ok(&full_user()))]);
    let id = get_user_id(&effects);
    let effects = send(&mut app, [answer(id, Ok(full_user().into()))]);
    assert!(effects.iter().any(|e| matches!(e, Effect::SaveSession(_))), "{effects:#?}");
    assert!(app.saved.is_none());
}

#[test]
fn a_pasted_token_counts_as_someone_else() {
    let (_dir, store) = store_with(Endpoint::Region(Region::Eu));
    let mut opts = options();
    opts.store = Some(store);
    let (mut app, effects) = open(&opts);
    // The stored session could not be checked (network): the user pastes a token instead.
    let id = get_user_id(&effects);
    send(
        &mut app,
        [answer(
            id,
            Err(ApiError::Transport {
                kind: TransportKind::Connect,
                detail: "x".into(),
                host: String::new(),
            }),
        )],
    );
    send(&mut app, [ctrl('t')]);
    if let Some(l) = app.login_mut() {
        l.token.set("bltpasted0123456789");
    }
    let effects = send(&mut app, [key(KeyCode::Enter)]);
    assert!(effects.is_empty() && app.confirm == Some(Confirm::ReplaceSession), "{effects:#?}");
}

#[test]
fn the_same_account_on_the_same_endpoint_is_not_asked_about() {
    let (_dir, store) = store_with(Endpoint::Region(Region::Eu));
    let mut opts = options();
    opts.store = Some(store);
    let (mut app, effects) = open(&opts);
    let id = get_user_id(&effects);
    send(
        &mut app,
        [answer(
            id,
            Err(ApiError::Transport {
                kind: TransportKind::Connect,
                detail: "x".into(),
                host: String::new(),
            }),
        )],
    );
    type_text(&mut app, "Demo-pass-1234");
    let effects = send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.confirm, None);
    login_id(&effects);
}

#[test]
fn logging_out_of_the_environment_session_keeps_the_saved_one() {
    let (_dir, store) = store_with(Endpoint::Region(Region::Na));
    let mut opts = options();
    opts.store = Some(store);
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
        !effects.iter().any(|e| matches!(e, Effect::DeleteSession)),
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
fn snapshots_of_a_session_saved_elsewhere_and_the_question() {
    for (w, h) in [(80, 24), (40, 15)] {
        let (_dir, store) = store_with(Endpoint::Region(Region::Na));
        let mut opts = options();
        opts.store = Some(store);
        let (mut app, problems) = initial_app(&opts, (w, h));
        start(&mut app, &opts, problems);
        insta::assert_snapshot!(format!("saved_elsewhere_{w}x{h}"), draw(&app, w, h).backend());
        type_text(&mut app, "Demo-pass-1234");
        send(&mut app, [key(KeyCode::Enter)]);
        assert_eq!(app.confirm, Some(Confirm::ReplaceSession));
        insta::assert_snapshot!(format!("replace_session_{w}x{h}"), draw(&app, w, h).backend());
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
