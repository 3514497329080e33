//! The activation form through `update`: checks before sending, the request, the server's
//! refusals on their fields, success with and without a known email; snapshots at 80×24 and
//! 40×15.

mod common;

use std::collections::BTreeMap;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Notice};
use cs_account::app::msg::Msg;
use cs_account::app::request::Request;
use cs_account::app::state::Screen;
use cs_account::app::{App, Effect};
use cs_account::screens::activate::ActivateState;
use cs_account::screens::activate::Focus;
use secrecy::ExposeSecret;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];
const LINK: &str = "https://app.contentstack.com/#!/activate?token=blt9cba6196";

fn snap(name: &str, build: impl Fn(&mut App)) {
    for (size, screen) in screens_at(&SIZES, app, build) {
        insta::assert_snapshot!(format!("{name}_{size}"), screen.backend());
    }
}

fn form(a: &App) -> &ActivateState {
    match &a.screen {
        Screen::Activate(f) => f,
        other => panic!("expected the activation form, got {other:?}"),
    }
}

fn activate_id(effects: &[Effect]) -> common::Asked<cs_account::app::request::OnNotice> {
    common::activate_id(effects)
}

/// ctrl-x, the link pasted, then the names and passwords typed field by field.
fn fill(a: &mut App, first: &str, last: &str, password: &str, confirm: &str) {
    send(a, [ctrl('x'), Msg::Paste(LINK.into())]);
    for value in [first, last, password, confirm] {
        send(a, [key(KeyCode::Tab)]);
        type_text(a, value);
    }
}

fn validation(errors: &[(&str, &str)]) -> Result<Notice, ApiError> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in errors {
        map.entry(k.to_string()).or_default().push(v.to_string());
    }
    Err(ApiError::Validation { status: 422, code: Some(119), message: "Failed.".into(), errors: map })
}

fn activated() -> Result<Notice, ApiError> {
    Ok(Notice { notice: "Your account has been activated.".into() })
}

#[test]
fn snapshots_of_the_form() {
    snap("activate_empty", |a| {
        send(a, [ctrl('x')]);
    });
    snap("activate_filled_failing", |a| {
        a.demo_endpoint = Some(a.endpoint.clone());
        fill(a, "Nova", "", "nova", "nov");
    });
    snap("activate_checks_refused", |a| {
        a.demo_endpoint = Some(a.endpoint.clone());
        fill(a, "", "User", "nova", "nov");
        send(a, [key(KeyCode::Enter)]);
    });
    snap("activate_server_refused", |a| {
        fill(a, "Nova", "User", "Nova-pass-123", "Nova-pass-123");
        let id = activate_id(&send(a, [key(KeyCode::Enter)]));
        send(
            a,
            [answer(id, validation(&[("user_activation_token", "is invalid or has already been used.")]))],
        );
    });
    snap("activate_success_login", |a| {
        fill(a, "Nova", "User", "Nova-pass-123", "Nova-pass-123");
        let id = activate_id(&send(a, [key(KeyCode::Enter)]));
        send(a, [answer(id, activated())]);
    });
}

#[test]
fn nothing_is_sent_until_every_field_is_right() {
    let mut a = app(80, 24);
    a.demo_endpoint = Some(a.endpoint.clone());
    send(&mut a, [ctrl('x')]);
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty(), "Enter on the empty token moves on");
    assert_eq!(form(&a).focus, Focus::FirstName);
    let mut a = app(80, 24);
    a.demo_endpoint = Some(a.endpoint.clone());
    fill(&mut a, " ", "User", "Nova-pass-123", "Nova-pass-12");
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty());
    let f = form(&a);
    assert_eq!(f.errors.keys().copied().collect::<Vec<_>>(), vec![Focus::FirstName, Focus::Confirm]);
    assert_eq!(f.focus, Focus::FirstName, "the first field to fix has the focus");
}

#[test]
fn the_request_carries_the_token_from_the_link_and_trimmed_names() {
    let mut a = app(80, 24);
    fill(&mut a, " Nova ", "User", "Nova-pass-123", "Nova-pass-123");
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let found = effects.iter().find_map(|e| match e {
        Effect::Request {
            request: Request::Activate { token, first_name, last_name, password, confirmation, .. },
            ..
        } => Some((
            token.expose_secret().to_string(),
            first_name.clone(),
            last_name.clone(),
            password.expose_secret().to_string(),
            confirmation.expose_secret().to_string(),
        )),
        _ => None,
    });
    assert_eq!(
        found,
        Some((
            "blt9cba6196".into(),
            "Nova".into(),
            "User".into(),
            "Nova-pass-123".into(),
            "Nova-pass-123".into()
        ))
    );
    assert!(!format!("{effects:?}").contains("Nova-pass"), "no password in what gets logged");
}

#[test]
fn the_servers_refusals_land_on_their_fields() {
    let mut a = app(80, 24);
    fill(&mut a, "Nova", "User", "Nova-pass-123", "Nova-pass-123");
    let id = activate_id(&send(&mut a, [key(KeyCode::Enter)]));
    let errors = [
        ("user_activation_token", "is invalid or has already been used."),
        ("last_name", "is too long (maximum is 64 characters)."),
        ("password", "must contain a symbol."),
    ];
    send(&mut a, [answer(id, validation(&errors))]);
    let f = form(&a);
    assert_eq!(f.errors[&Focus::Token], vec!["The token is invalid or has already been used."]);
    assert_eq!(f.errors[&Focus::LastName], vec!["The last name is too long (maximum is 64 characters)."]);
    assert_eq!(f.errors[&Focus::Password], vec!["The password must contain a symbol."]);
    assert_eq!(f.focus, Focus::Token);
    assert!(f.error.is_none(), "everything found its field");
    assert_eq!(f.form.new.password.value(), "Nova-pass-123", "nothing typed is lost");
}

#[test]
fn success_with_an_unknown_email_says_which_to_use() {
    let mut a = app(80, 24);
    type_text(&mut a, "someone.else@example.com");
    fill(&mut a, "Nova", "User", "Nova-pass-123", "Nova-pass-123");
    let id = activate_id(&send(&mut a, [key(KeyCode::Enter)]));
    send(&mut a, [answer(id, activated())]);
    let l = a.login().expect("back on the log-in form");
    assert!(l.email.is_empty(), "someone else's address is not kept for the new account");
    assert_eq!(l.focus, cs_account::screens::login::Focus::Email);
    assert!(a.toasts.iter().any(|t| t.text.contains("the email the invitation was sent to")));
}

#[test]
fn success_with_the_invitations_email_fills_it_in() {
    let mut a = app(80, 24);
    send(&mut a, [ctrl('x')]);
    if let Screen::Activate(f) = &mut a.screen {
        f.fill_token("blt9cba6196", Some("new.user@example.com"), None);
    }
    for value in ["Nova", "User", "Nova-pass-123", "Nova-pass-123"] {
        type_text(&mut a, value);
        send(&mut a, [key(KeyCode::Tab)]);
    }
    let id = activate_id(&send(&mut a, [key(KeyCode::Enter)]));
    send(&mut a, [answer(id, activated())]);
    let l = a.login().expect("back on the log-in form");
    assert_eq!(l.email.value(), "new.user@example.com");
    assert_eq!(l.focus, cs_account::screens::login::Focus::Password);
    assert!(a.toasts.iter().any(|t| t.text.contains("Log in as new.user@example.com")));
}

#[test]
fn esc_leaves_and_cancels() {
    let mut a = app(80, 24);
    fill(&mut a, "Nova", "User", "Nova-pass-123", "Nova-pass-123");
    let id = activate_id(&send(&mut a, [key(KeyCode::Enter)]));
    let effects = send(&mut a, [key(KeyCode::Esc)]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Cancel(c) if *c == id.id)));
    assert!(a.login().is_some());
    assert!(send(&mut a, [answer(id, activated())]).is_empty(), "a late answer changes nothing");
}
