//! The log-in screen: key sequences through `update`, and snapshots of every state at 80×24 and
//! 40×15.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Endpoint, Region, TransportKind};
use cs_account::app::request::Request;
use cs_account::app::{App, Effect};
use cs_account::screens::login::Focus;
use cs_account::screens::login::Method;
use secrecy::ExposeSecret;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];

/// Snapshots the state `build` makes, at both reference sizes.
fn snap(name: &str, build: impl Fn(&mut App)) {
    for (w, h) in SIZES {
        let mut a = app(w, h);
        build(&mut a);
        let terminal = draw(&a, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

fn wrong_password() -> ApiError {
    ApiError::InvalidCredentials {
        message: "Looks like your email or password is invalid. Please try again or reset your password. You have 4 login attempt(s) left.".into(),
        attempts_left: Some(4),
    }
}

fn tfa_required() -> ApiError {
    ApiError::TfaRequired {
        message: "Please login using the Two-Factor verification Token".into(),
        tfa_type: Some("totp_authenticator".into()),
    }
}

/// Submits john.doe's credentials and answers with `result`.
fn answer_login(a: &mut App, result: Result<cs_account::api::LoginSuccess, ApiError>) {
    let id = submit_login(a, "john.doe@example.com", "Demo-pass-1234");
    send(a, [answer(id, result)]);
}

fn to_tfa_step(a: &mut App) {
    answer_login(a, login_err(tfa_required()));
}

#[test]
fn snapshots_of_the_form() {
    snap("login", |_| {});
    snap("login_filled", |a| {
        type_text(a, "john.doe@example.com");
        send(a, [key(KeyCode::Tab)]);
        type_text(a, "Demo-pass-1234");
    });
    snap("login_revealed", |a| {
        type_text(a, "john.doe@example.com");
        send(a, [key(KeyCode::Tab)]);
        type_text(a, "Demo-pass-1234");
        send(a, [ctrl('s')]);
    });
    snap("login_token", |a| {
        send(a, [ctrl('t')]);
        send(a, [msg_paste("blt0123456789abcdef\n")]);
    });
    snap("login_busy", |a| {
        submit_login(a, "john.doe@example.com", "Demo-pass-1234");
    });
    snap("login_demo", |a| {
        a.demo = Some(demo_panel());
        a.can_remember = false;
    });
    snap("login_help", |a| {
        send(a, [key(KeyCode::F(1))]);
    });
}

fn msg_paste(text: &str) -> cs_account::app::Msg {
    cs_account::app::Msg::Paste(text.into())
}

#[test]
fn snapshots_of_the_region_picker() {
    snap("region_picker", |a| {
        send(a, [ctrl('g'), key(KeyCode::Down)]);
    });
    snap("login_custom_url", |a| {
        send(a, [ctrl('g'), ch('G'), key(KeyCode::Enter)]);
        type_text(a, "http://10.0.0.8:4010");
        send(a, [key(KeyCode::Enter)]);
    });
}

#[test]
fn snapshots_of_the_2fa_step() {
    snap("tfa", |a| {
        to_tfa_step(a);
        type_text(a, "123");
    });
    snap("tfa_wrong_code", |a| {
        to_tfa_step(a);
        type_text(a, "123456");
        let effects = send(a, [key(KeyCode::Enter)]);
        let id = login_id(&effects);
        send(
            a,
            [answer(
                id,
                login_err(ApiError::InvalidTfaCode { message: "Invalid verification code.".into() }),
            )],
        );
    });
}

#[test]
fn snapshots_of_each_error() {
    snap("error_wrong_password", |a| answer_login(a, login_err(wrong_password())));
    snap("error_locked", |a| {
        answer_login(
            a,
            login_err(ApiError::AccountLocked {
                message: "Your account has been locked temporarily due to multiple failed login attempts."
                    .into(),
            }),
        )
    });
    snap("error_sso", |a| {
        answer_login(a, login_err(ApiError::NoToken { notice: "Login Successful.".into() }))
    });
    snap("error_network", |a| {
        answer_login(
            a,
            login_err(ApiError::Transport {
                kind: TransportKind::Connect,
                host: String::new(),
                detail: "connection refused".into(),
            }),
        )
    });
}

#[test]
fn snapshot_too_small() {
    let a = app(30, 10);
    insta::assert_snapshot!("too_small_30x10", draw(&a, 30, 10).backend());
}

#[test]
fn typing_fills_the_focused_field_and_q_is_a_letter() {
    let mut a = app(80, 24);
    type_text(&mut a, "quinn@example.com");
    assert!(!a.should_quit, "q types a q in a text field");
    send(&mut a, [key(KeyCode::Enter)]);
    let l = a.login().expect("login screen");
    assert_eq!(l.email.value(), "quinn@example.com");
    assert_eq!(l.focus, Focus::Password, "Enter on the email moves to the empty password");
    send(&mut a, [ctrl('c')]);
    assert!(a.should_quit, "ctrl-c quits even in a text field");
}

#[test]
fn submit_sends_a_copy_and_the_answer_takes_the_password_out_of_the_field() {
    let mut a = app(80, 24);
    let effects = {
        if let Some(l) = a.login_mut() {
            l.email.set("john.doe@example.com");
            l.focus = Focus::Password;
        }
        let mut e = type_text(&mut a, "Demo-pass-1234");
        e.extend(send(&mut a, [key(KeyCode::Enter)]));
        e
    };
    let [
        Effect::Request { id, request: Request::Login { email, password, tfa_token: None, endpoint, then } },
    ] = &effects[..]
    else {
        panic!("one log-in effect, got {effects:#?}");
    };
    assert_eq!(email, "john.doe@example.com");
    assert_eq!(password.expose_secret(), "Demo-pass-1234");
    assert_eq!(*endpoint, Endpoint::Region(Region::Na));
    assert!(a.is_busy());
    // A second Enter while the first log-in runs sends nothing: no accidental double attempt.
    type_text(&mut a, "x");
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty());
    let id = common::Asked { id: *id, then: then.clone() };
    send(&mut a, [answer(id, login_err(wrong_password()))]);
    assert!(a.login().expect("login").password.is_empty(), "the field no longer holds the password");
}

#[test]
fn missing_fields_are_named_without_a_request() {
    let mut a = app(80, 24);
    let effects = send(&mut a, [key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert!(effects.is_empty());
    let l = a.login().expect("login");
    assert_eq!(l.error.as_ref().map(|e| e.title.as_str()), Some("Email missing"));
    assert_eq!(l.focus, Focus::Email);
}

#[test]
fn wrong_password_keeps_the_email_and_shows_attempts_left() {
    let mut a = app(80, 24);
    answer_login(&mut a, login_err(wrong_password()));
    let l = a.login().expect("login");
    assert_eq!(l.email.value(), "john.doe@example.com");
    assert_eq!(l.focus, Focus::Password);
    let e = l.error.as_ref().expect("an error");
    assert!(e.message.contains("4 login attempt(s) left"), "{}", e.message);
    assert!(!e.retry, "a refused log-in is never offered for retry");
    assert!(send(&mut a, [ctrl('r')]).is_empty(), "and ctrl-r does not resend it");
}

#[test]
fn network_error_offers_a_retry_that_resends_once() {
    let mut a = app(80, 24);
    answer_login(
        &mut a,
        login_err(ApiError::Transport {
            kind: TransportKind::Timeout,
            host: String::new(),
            detail: "timed out".into(),
        }),
    );
    assert!(a.login().and_then(|l| l.error.as_ref()).is_some_and(|e| e.retry));
    let effects = send(&mut a, [ctrl('r')]);
    let [Effect::Request { request: Request::Login { password, .. }, .. }] = &effects[..] else {
        panic!("a retry: {effects:#?}")
    };
    assert_eq!(password.expose_secret(), "Demo-pass-1234");
    assert!(send(&mut a, [ctrl('r')]).is_empty(), "one retry per press, not a loop");
}

#[test]
fn two_factor_step_sends_the_code_with_the_credentials() {
    let mut a = app(80, 24);
    to_tfa_step(&mut a);
    assert!(a.login().is_some_and(|l| l.tfa.is_some()));
    type_text(&mut a, "12a3456");
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let [Effect::Request { request: Request::Login { email, password, tfa_token: Some(code), .. }, .. }] =
        &effects[..]
    else {
        panic!("a log-in with the code: {effects:#?}");
    };
    assert_eq!(
        (email.as_str(), password.expose_secret(), code.as_str()),
        ("john.doe@example.com", "Demo-pass-1234", "123456")
    );
}

#[test]
fn sms_is_requested_with_the_same_credentials() {
    let mut a = app(80, 24);
    to_tfa_step(&mut a);
    let effects = send(&mut a, [ctrl('s')]);
    let [Effect::Request { id, request: Request::Sms { email, then, .. } }] = &effects[..] else {
        panic!("an SMS request: {effects:#?}")
    };
    assert_eq!(email, "john.doe@example.com");
    let effects = send(
        &mut a,
        [answer(
            common::Asked { id: *id, then: *then },
            Ok(cs_account::api::Notice { notice: "Sent.".into() }),
        )],
    );
    assert!(matches!(effects[..], [Effect::Timer { .. }]), "a toast that fades");
    assert!(a.login().and_then(|l| l.tfa.as_ref()).is_some_and(|t| t.sms_sent));
    send(&mut a, [key(KeyCode::Esc)]);
    assert!(a.login().is_some_and(|l| l.tfa.is_none() && l.focus == Focus::Password), "Esc goes back");
}

#[test]
fn region_picker_changes_the_endpoint_and_validates_urls() {
    let mut a = app(80, 24);
    send(&mut a, [ctrl('g'), ch('j'), key(KeyCode::Enter)]);
    assert_eq!(a.endpoint, Endpoint::Region(Region::Eu));
    send(&mut a, [ctrl('g'), ch('G'), key(KeyCode::Enter)]);
    type_text(&mut a, "http://api.example.com");
    send(&mut a, [key(KeyCode::Enter)]);
    let err = a.login().and_then(|l| l.picker.as_ref()).and_then(|p| p.error.clone());
    assert!(err.is_some_and(|e| e.contains("plain HTTP")));
    assert_eq!(a.endpoint, Endpoint::Region(Region::Eu), "a refused URL changes nothing");
    if let Some(f) = a.login_mut().and_then(|l| l.picker.as_mut()).and_then(|p| p.custom.as_mut()) {
        f.set("");
    }
    send(&mut a, [msg_paste("http://127.0.0.1:4010\n"), key(KeyCode::Enter)]);
    assert_eq!(a.endpoint, Endpoint::custom("http://127.0.0.1:4010").expect("valid"));
    assert!(a.login().is_some_and(|l| l.picker.is_none()));
}

#[test]
fn token_login_checks_the_token_with_get_user() {
    let mut a = app(80, 24);
    send(&mut a, [ctrl('t'), msg_paste("  blt0123456789abcdef\r\n")]);
    assert_eq!(a.login().map(|l| l.method), Some(Method::Token));
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let [Effect::Request { id, request: Request::GetUser { cred, then, .. } }] = &effects[..] else {
        panic!("{effects:#?}")
    };
    assert_eq!(cred.authtoken().expect("an authtoken").expose_secret(), "blt0123456789abcdef");
    let user = full_user();
    let effects = send(&mut a, [answer(common::Asked { id: *id, then: then.clone() }, Ok(user.into()))]);
    assert!(a.profile().is_some());
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SaveSession(s, _) if s.email == "john.doe@contentstack.com"))
    );
}

#[test]
fn demo_key_fills_a_login() {
    let mut a = app(80, 24);
    a.demo = Some(demo_panel());
    send(&mut a, [ctrl('n')]);
    let l = a.login().expect("login");
    assert_eq!(
        (l.email.value(), l.password.value(), l.focus),
        ("john.doe@example.com", "Demo-pass-1234", Focus::Submit)
    );
    send(&mut a, [ctrl('n')]);
    assert_eq!(a.login().map(|l| l.email.value().to_string()).as_deref(), Some("tfa.user@example.com"));
    send(&mut a, [ctrl('n')]);
    let email = a.login().map(|l| l.email.value().to_string());
    assert_eq!(email.as_deref(), Some("sso.user@example.com"), "the account without a password is skipped");
    send(&mut a, [ctrl('n')]);
    assert_eq!(a.login().map(|l| l.email.value().to_string()).as_deref(), Some("john.doe@example.com"));
}

#[test]
fn wrong_code_empties_the_code_field() {
    let mut a = app(80, 24);
    to_tfa_step(&mut a);
    type_text(&mut a, "123456");
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let id = login_id(&effects);
    send(
        &mut a,
        [answer(id, login_err(ApiError::InvalidTfaCode { message: "Invalid verification code.".into() }))],
    );
    let l = a.login().expect("login");
    assert_eq!(l.error.as_ref().map(|e| e.title.as_str()), Some("Wrong code"));
    assert_eq!(l.tfa.as_ref().map(|t| t.code.value()), Some(""));
}
