//! The demo mailbox through `update`: offered only in demo mode, read from the demo server,
//! newest first, and Enter putting each kind of message where it belongs; snapshots of the
//! list with each kind, empty, loading and failed, at 80×24 and 40×15.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::outbox::{OutboxMessage, OutboxStatus};
use cs_account::api::{ApiError, TransportKind};
use cs_account::app::msg::Msg;
use cs_account::app::request::Kind;
use cs_account::app::request::Request;
use cs_account::app::state::{Screen, ToastLevel};
use cs_account::app::{App, Effect};
use cs_account::screens::reset::Step;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];

fn snap(name: &str, build: impl Fn(&mut App)) {
    for (size, screen) in screens_at(&SIZES, demo_app, build) {
        insta::assert_snapshot!(format!("{name}_{size}"), screen.backend());
    }
}

fn demo_app(w: u16, h: u16) -> App {
    let mut a = app(w, h);
    a.demo = Some(demo_panel());
    a.demo_endpoint = Some(a.endpoint.clone());
    a
}

/// The outbox as the demo server lists it (`GET /demo/outbox`): oldest first.
fn outbox() -> Vec<OutboxMessage> {
    let reset_link = "https://app.contentstack.com/#!/reset-password?token=bltreset1";
    let activate_link = "https://app.contentstack.com/#!/activate?token=bltact1";
    serde_json::from_value(serde_json::json!([
        {
            "id": "msg-0001",
            "kind": "activation",
            "to": "new.user@example.com",
            "subject": "Activate your Contentstack account",
            "body": format!("Welcome to Contentstack!\n\nOpen this link to activate your account:\n{activate_link}\n\nActivation token: bltact1"),
            "token": "bltact1",
            "link": activate_link,
            "created_at": "2026-01-05T09:00:00.000Z",
            "status": "unused"
        },
        {
            "id": "msg-0002",
            "kind": "sms",
            "to": "+91 9898989898",
            "subject": "Contentstack security code",
            "body": "482913 is your Contentstack security code. It expires in 10 minutes.",
            "code": "482913",
            "created_at": "2026-01-05T09:02:00.000Z",
            "expires_at": "2026-01-05T09:12:00.000Z",
            "status": "unused"
        },
        {
            "id": "msg-0003",
            "kind": "reset_password",
            "to": "john.doe@example.com",
            "subject": "Reset your Contentstack password",
            "body": format!("Someone asked to reset the password of this Contentstack account. If it was you, open this link within 60 minutes:\n{reset_link}\n\nReset token: bltreset1"),
            "token": "bltreset1",
            "link": reset_link,
            "created_at": "2026-01-05T09:05:00.000Z",
            "expires_at": "2026-01-05T10:05:00.000Z",
            "status": "unused"
        }
    ]))
    .expect("the outbox's wire format")
}

/// The same outbox after the reset token was used and the SMS code ran out, with a newer reset
/// email that works.
fn spent() -> Vec<OutboxMessage> {
    let mut all = outbox();
    all[1].status = OutboxStatus::Expired;
    all[2].status = OutboxStatus::Used;
    all.push(OutboxMessage {
        id: "msg-0004".into(),
        token: Some("bltreset2".into()),
        body: all[2].body.replace("bltreset1", "bltreset2"),
        link: all[2].link.as_ref().map(|l| l.replace("bltreset1", "bltreset2")),
        created_at: "2026-01-05T09:20:00.000Z".into(),
        status: OutboxStatus::Unused,
        ..all[2].clone()
    });
    all
}

fn fetch_id(effects: &[Effect]) -> common::Asked<cs_account::app::request::OnOutbox> {
    common::outbox_id(effects)
}

/// Opens the mailbox from where the app is (ctrl-o) and answers with `messages`.
fn open_with(a: &mut App, messages: Vec<OutboxMessage>) {
    let id = fetch_id(&send(a, [ctrl('o')]));
    send(a, [answer(id, Ok(messages))]);
}

#[test]
fn snapshots_of_the_mailbox() {
    snap("mailbox_reset_selected", |a| open_with(a, outbox()));
    snap("mailbox_sms_selected", |a| {
        open_with(a, outbox());
        send(a, [key(KeyCode::Down)]);
    });
    snap("mailbox_activation_selected", |a| {
        open_with(a, outbox());
        send(a, [key(KeyCode::End)]);
    });
    snap("mailbox_spent", |a| {
        open_with(a, spent());
        send(a, [key(KeyCode::Down)]);
    });
    snap("mailbox_empty", |a| open_with(a, Vec::new()));
    snap("mailbox_loading", |a| {
        send(a, [ctrl('o')]);
    });
    snap("mailbox_failed", |a| {
        let id = fetch_id(&send(a, [ctrl('o')]));
        let e = ApiError::Transport {
            kind: TransportKind::Connect,
            host: String::new(),
            detail: "refused".into(),
        };
        send(a, [answer(id, Err(e))]);
    });
}

#[test]
fn the_mailbox_is_offered_only_in_demo_mode() {
    let mut a = app(80, 24);
    assert!(send(&mut a, [ctrl('o')]).is_empty());
    assert!(a.login().is_some());
    let text = screen_text(&draw(&a, 80, 24));
    assert!(!text.contains("Mailbox"), "not shown outside demo mode:\n{text}");
    let mut a = demo_app(80, 24);
    let effects = send(&mut a, [ctrl('o')]);
    let endpoints: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Request { request: Request::Outbox { endpoint, .. }, .. } => Some(endpoint.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(endpoints, vec![a.demo_endpoint.clone().expect("demo")], "read from the demo server");
}

#[test]
fn m_types_on_the_log_in_form_wherever_its_focus_is() {
    let mut a = demo_app(80, 24);
    send(&mut a, [ch('m')]);
    assert_eq!(a.login().map(|l| l.email.value().to_string()).as_deref(), Some("m"));
    send(&mut a, [key(KeyCode::BackTab)]);
    assert!(send(&mut a, [ch('m')]).is_empty(), "on the region line too, m is a letter");
    assert_eq!(a.login().map(|l| l.email.value().to_string()).as_deref(), Some("mm"));
    assert!(!send(&mut a, [ctrl('o')]).is_empty(), "ctrl-o opens the mailbox");
    assert!(matches!(a.screen, Screen::Mailbox(_)));
}

#[test]
fn newest_first_and_reload_keeps_the_selection() {
    let mut a = demo_app(80, 24);
    open_with(&mut a, outbox());
    let ids = |a: &App| match &a.screen {
        Screen::Mailbox(m) => (m.messages.iter().map(|m| m.id.clone()).collect::<Vec<_>>(), m.selected),
        _ => panic!("not the mailbox"),
    };
    assert_eq!(ids(&a).0, vec!["msg-0003", "msg-0002", "msg-0001"]);
    send(&mut a, [ch('j')]);
    let effects = send(&mut a, [ch('r')]);
    let id = fetch_id(&effects);
    let mut more = outbox();
    more.push(OutboxMessage { id: "msg-0004".into(), ..outbox()[1].clone() });
    send(&mut a, [answer(id, Ok(more))]);
    let (order, selected) = ids(&a);
    assert_eq!(order[selected], "msg-0002", "still on the message it was on");
}

#[test]
fn enter_on_a_reset_email_opens_step_2_with_the_token() {
    let mut a = demo_app(80, 24);
    open_with(&mut a, outbox());
    send(&mut a, [key(KeyCode::Enter)]);
    let Screen::Reset(r) = &a.screen else { panic!("expected the wizard") };
    assert_eq!(
        (r.step, r.form.token.value(), r.email.value()),
        (Step::Token, "bltreset1", "john.doe@example.com")
    );
    send(&mut a, [key(KeyCode::Esc), key(KeyCode::Esc)]);
    assert!(a.login().is_some(), "Esc twice: step 1, then where the mailbox was opened");
}

#[test]
fn the_mailbox_opened_from_the_wizard_fills_that_wizard() {
    let mut a = demo_app(80, 24);
    send(&mut a, [ctrl('p'), ctrl('n'), key(KeyCode::Tab)]);
    type_text(&mut a, "New-pass-5678");
    open_with(&mut a, outbox());
    send(&mut a, [key(KeyCode::Enter)]);
    let Screen::Reset(r) = &a.screen else { panic!("expected the wizard") };
    assert_eq!(r.form.token.value(), "bltreset1");
    assert_eq!(r.form.new.password.value(), "New-pass-5678", "what was typed before is still there");
    send(&mut a, [key(KeyCode::Esc), key(KeyCode::Esc)]);
    assert!(a.login().is_some(), "the mailbox left no extra screen behind");
}

#[test]
fn enter_on_an_invitation_opens_the_activation_form_with_the_address() {
    let mut a = demo_app(80, 24);
    open_with(&mut a, outbox());
    send(&mut a, [key(KeyCode::End), key(KeyCode::Enter)]);
    let Screen::Activate(f) = &a.screen else { panic!("expected the activation form") };
    assert_eq!(f.form.token.value(), "bltact1");
    assert_eq!(f.email_for("bltact1"), Some("new.user@example.com"));
}

#[test]
fn an_sms_code_fills_the_two_factor_step_and_nothing_else() {
    let mut a = demo_app(80, 24);
    open_with(&mut a, outbox());
    send(&mut a, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert!(matches!(a.screen, Screen::Mailbox(_)), "no two-factor step to fill: stays");
    assert!(a.toasts.iter().any(|t| t.level == ToastLevel::Info && t.text.contains("two-factor")));
    send(&mut a, [key(KeyCode::Esc)]);
    let id = submit_login(&mut a, "tfa.user@example.com", "Demo-pass-1234");
    let tfa = ApiError::TfaRequired {
        message: "Enter the code".into(),
        tfa_type: Some("totp_authenticator".into()),
    };
    send(&mut a, [answer(id, login_err(tfa))]);
    open_with(&mut a, outbox());
    send(&mut a, [key(KeyCode::Down), key(KeyCode::Enter)]);
    let code = a.login().and_then(|l| l.tfa.as_ref()).map(|t| t.code.value().to_string());
    assert_eq!(code.as_deref(), Some("482913"));
}

#[test]
fn from_the_profile_and_back() {
    let mut a = demo_app(80, 24);
    log_in(&mut a, &full_user());
    send(&mut a, [ch('2')]);
    let id = fetch_id(&send(&mut a, [ch('m')]));
    let effects = send(&mut a, [key(KeyCode::Esc)]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Cancel(c) if *c == id.id)), "the read stops");
    let p = a.profile().expect("back on the profile");
    assert_eq!(p.tab, cs_account::screens::profile::Tab::Permissions, "as it was left");
    assert!(!a.has_pending_kind(Kind::Outbox));
}

#[test]
fn a_failed_read_says_why_and_r_tries_again() {
    let mut a = demo_app(80, 24);
    let id = fetch_id(&send(&mut a, [ctrl('o')]));
    let e =
        ApiError::Transport { kind: TransportKind::Connect, host: String::new(), detail: "refused".into() };
    send(&mut a, [answer(id, Err(e))]);
    assert!(screen_text(&draw(&a, 80, 24)).contains("could not be read"));
    let id = fetch_id(&send(&mut a, [ch('r')]));
    send(&mut a, [answer(id, Ok(outbox()))]);
    assert!(screen_text(&draw(&a, 80, 24)).contains("bltreset1"));
}

#[test]
fn paste_does_nothing_here() {
    let mut a = demo_app(80, 24);
    open_with(&mut a, outbox());
    assert!(send(&mut a, [Msg::Paste("r".into())]).is_empty());
    assert!(matches!(a.screen, Screen::Mailbox(_)));
}

#[test]
fn the_two_factor_step_points_at_the_mailbox_once_an_sms_is_sent() {
    let mut a = demo_app(80, 24);
    let id = submit_login(&mut a, "tfa.user@example.com", "Demo-pass-1234");
    let tfa = ApiError::TfaRequired {
        message: "Enter the code".into(),
        tfa_type: Some("totp_authenticator".into()),
    };
    send(&mut a, [answer(id, login_err(tfa))]);
    let sms = common::sms_id(&send(&mut a, [ctrl('s')]));
    let notice = cs_account::api::Notice { notice: "Security code sent to your mobile.".into() };
    send(&mut a, [answer(sms, Ok(notice))]);
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("✓ SMS sent: in the mailbox (ctrl-o)."), "{text}");
    assert!(text.contains("ctrl-o mailbox"), "in the footer too:\n{text}");
}

#[test]
fn spent_tokens_and_codes_are_marked_and_not_used() {
    let mut a = demo_app(80, 24);
    open_with(&mut a, spent());
    let text = screen_text(&draw(&a, 80, 24));
    let row = |needle: &str| text.lines().find(|l| l.contains(needle)).unwrap_or_default().to_string();
    // Newest first: the fresh reset, the used one, the expired code, the invitation.
    assert!(!row("▸ Reset").contains("used"), "the fresh one is not marked:\n{text}");
    assert!(row("  Reset").contains("used 09:05"), "{text}");
    assert!(row("SMS").contains("expired 09:02"), "{text}");
    // Enter on the used token: a warning, and no form.
    send(&mut a, [key(KeyCode::Down)]);
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("Token bltreset1  (used)") && text.contains("already used"), "{text}");
    send(&mut a, [key(KeyCode::Enter)]);
    assert!(matches!(a.screen, Screen::Mailbox(_)), "a spent token opens no form");
    assert!(
        a.toasts.iter().any(|t| t.level == ToastLevel::Warning && t.text.contains("already used")),
        "{:?}",
        a.toasts
    );
    // The fresh one still works.
    send(&mut a, [key(KeyCode::Home), key(KeyCode::Enter)]);
    let Screen::Reset(r) = &a.screen else { panic!("expected the wizard") };
    assert_eq!(r.form.token.value(), "bltreset2");
}
