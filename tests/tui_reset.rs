//! The password-reset wizard through `update`: both steps, the countdown, the checks, the
//! server's refusals on their fields, success; snapshots of each state at 80×24 and 40×15.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Notice, TransportKind};
use cs_account::app::msg::Msg;
use cs_account::app::request::Kind;
use cs_account::app::request::Request;
use cs_account::app::state::{Screen, ToastLevel};
use cs_account::app::{App, Effect};
use cs_account::screens::reset::Focus;
use cs_account::screens::reset::ResetState;
use cs_account::screens::reset::Step;
use secrecy::ExposeSecret;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];
const EMAIL: &str = "john.doe@example.com";
const LINK: &str =
    "https://app.contentstack.com/#!/reset-password?email=john.doe%40example.com&token=blt0123abcd";

fn snap(name: &str, build: impl Fn(&mut App)) {
    for (w, h) in SIZES {
        let mut a = app(w, h);
        build(&mut a);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(&a, w, h).backend());
    }
}

/// Demo mode: the rules are enforced and the mailbox is offered.
fn demo(a: &mut App) {
    a.demo = Some(demo_panel());
    a.demo_endpoint = Some(a.endpoint.clone());
}

fn wizard(a: &App) -> &ResetState {
    match &a.screen {
        Screen::Reset(r) => r,
        other => panic!("expected the reset wizard, got {other:?}"),
    }
}

fn wizard_mut(a: &mut App) -> &mut ResetState {
    match &mut a.screen {
        Screen::Reset(r) => r,
        other => panic!("expected the reset wizard, got {other:?}"),
    }
}

fn forgot_id(effects: &[Effect]) -> common::Asked<cs_account::app::request::OnNotice> {
    common::forgot_id(effects)
}

fn reset_id(effects: &[Effect]) -> common::Asked<cs_account::app::request::OnNotice> {
    common::reset_id(effects)
}

fn notice(text: &str) -> Result<Notice, ApiError> {
    Ok(Notice { notice: text.into() })
}

fn validation(errors: &[(&str, &str)]) -> Result<Notice, ApiError> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in errors {
        map.entry(k.to_string()).or_default().push(v.to_string());
    }
    Err(ApiError::Validation {
        status: 422,
        code: Some(119),
        message: "Validation failed.".into(),
        errors: map,
    })
}

/// From the log-in form with the email typed: ctrl-p.
fn open(a: &mut App) {
    type_text(a, EMAIL);
    send(a, [ctrl('p')]);
}

/// Step 1 sent and answered.
fn sent(a: &mut App) -> Vec<Effect> {
    open(a);
    let effects = send(a, [key(KeyCode::Enter)]);
    let id = forgot_id(&effects);
    send(
        a,
        [answer(
            id,
            notice(
                "If this email address exists, we will send you an email with instructions for resetting your password.",
            ),
        )],
    )
}

/// Step 2 with the token pasted and both passwords typed.
fn filled(a: &mut App, password: &str, confirm: &str) {
    sent(a);
    send(a, [key(KeyCode::Enter), Msg::Paste(LINK.into()), key(KeyCode::Tab)]);
    type_text(a, password);
    send(a, [key(KeyCode::Tab)]);
    type_text(a, confirm);
}

#[test]
fn snapshots_of_step_1() {
    snap("reset_step1", open);
    snap("reset_step1_sent", |a| {
        sent(a);
    });
    snap("reset_step1_countdown", |a| {
        sent(a);
        let r = wizard_mut(a);
        let earlier = Instant::now().checked_sub(Duration::from_secs(18 * 60 + 5)).expect("uptime");
        r.sent.as_mut().expect("sent").at = earlier;
        let epoch = r.tick_epoch;
        send(a, [Msg::ResetTick { sent: earlier, epoch }]);
    });
    snap("reset_step1_invalid_email", |a| {
        send(a, [ctrl('p'), key(KeyCode::Enter)]);
    });
    snap("reset_step1_network", |a| {
        open(a);
        let id = forgot_id(&send(a, [key(KeyCode::Enter)]));
        let e = ApiError::Transport {
            kind: TransportKind::Connect,
            host: String::new(),
            detail: "refused".into(),
        };
        send(a, [answer(id, Err(e))]);
    });
    snap("reset_step1_demo", |a| {
        demo(a);
        sent(a);
    });
}

#[test]
fn snapshots_of_step_2() {
    snap("reset_step2_empty", |a| {
        send(a, [ctrl('p'), ctrl('n')]);
    });
    snap("reset_step2_failing", |a| {
        demo(a);
        filled(a, "demo", "dem");
    });
    snap("reset_step2_passing", |a| {
        demo(a);
        filled(a, "New-pass-5678", "New-pass-5678");
    });
    snap("reset_step2_checks_refused", |a| {
        demo(a);
        filled(a, "demo", "dem");
        send(a, [key(KeyCode::Enter)]);
    });
    snap("reset_step2_token_expired", |a| {
        filled(a, "New-pass-5678", "New-pass-5678");
        let id = reset_id(&send(a, [key(KeyCode::Enter)]));
        send(a, [answer(id, validation(&[("reset_password_token", "has expired. Request a new one.")]))]);
    });
    snap("reset_step2_rules_refused", |a| {
        filled(a, "weakpass", "weakpass");
        let id = reset_id(&send(a, [key(KeyCode::Enter)]));
        let errs =
            [("password", "must contain an upper-case letter."), ("password", "must contain a digit.")];
        send(a, [answer(id, validation(&errs))]);
    });
    snap("reset_success_login", |a| {
        filled(a, "New-pass-5678", "New-pass-5678");
        let id = reset_id(&send(a, [key(KeyCode::Enter)]));
        send(a, [answer(id, notice("Your password has been reset successfully."))]);
    });
}

#[test]
fn the_wizard_opens_with_the_typed_email_and_esc_returns_to_the_form() {
    let mut a = app(80, 24);
    type_text(&mut a, "someone@example.com");
    send(&mut a, [ctrl('p')]);
    assert_eq!((wizard(&a).step, wizard(&a).email.value()), (Step::Email, "someone@example.com"));
    send(&mut a, [key(KeyCode::Esc)]);
    let l = a.login().expect("back on the log-in form");
    assert_eq!(l.email.value(), "someone@example.com", "the form is as it was left");
}

#[test]
fn step_1_checks_the_email_then_sends_it_once() {
    let mut a = app(80, 24);
    send(&mut a, [ctrl('p')]);
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty(), "no request without an email");
    assert_eq!(wizard(&a).errors[&Focus::Email].len(), 1);
    type_text(&mut a, "not-an-address");
    assert!(wizard(&a).errors.is_empty(), "typing clears the field's message");
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty());
    send(&mut a, [ctrl('u')]);
    type_text(&mut a, &format!("  {EMAIL} "));
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let sent_to: Vec<&str> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Request { request: Request::Forgot { email, .. }, .. } => Some(email.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(sent_to, vec![EMAIL], "trimmed");
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty(), "a second Enter while it runs sends nothing");
}

#[test]
fn the_answer_starts_a_countdown_that_ticks_only_while_the_wizard_shows() {
    let mut a = app(80, 24);
    let effects = sent(&mut a);
    let (sent_at, epoch) = match effects.as_slice() {
        [Effect::Timer { after, msg }] => {
            assert!(*after <= Duration::from_secs(61), "{after:?}");
            match **msg {
                Msg::ResetTick { sent, epoch } => (sent, epoch),
                ref other => panic!("unexpected timer message {other:?}"),
            }
        }
        other => panic!("expected one timer, got {other:?}"),
    };
    assert_eq!(wizard(&a).minutes_left, 60);
    // The current chain goes on; a stale one stops.
    let next = send(&mut a, [Msg::ResetTick { sent: sent_at, epoch }]);
    assert!(matches!(next.as_slice(), [Effect::Timer { .. }]), "{next:?}");
    assert!(send(&mut a, [Msg::ResetTick { sent: sent_at, epoch: epoch + 7 }]).is_empty());
    // Once the token has expired, nothing more is asked for, and the wizard says so.
    let long_ago = Instant::now().checked_sub(Duration::from_secs(61 * 60)).expect("uptime");
    wizard_mut(&mut a).sent.as_mut().expect("sent").at = long_ago;
    assert!(send(&mut a, [Msg::ResetTick { sent: long_ago, epoch }]).is_empty());
    assert_eq!(wizard(&a).minutes_left, 0);
    assert!(screen_text(&draw(&a, 80, 24)).contains("has expired"));
    // Gone from the screen: the tick changes nothing and asks for nothing.
    send(&mut a, [key(KeyCode::Esc)]);
    assert!(send(&mut a, [Msg::ResetTick { sent: long_ago, epoch }]).is_empty());
}

#[test]
fn enter_after_the_answer_moves_on_and_the_retry_key_sends_again() {
    let mut a = app(80, 24);
    sent(&mut a);
    assert!(
        send(&mut a, [ctrl('r')])
            .iter()
            .any(|e| matches!(e, Effect::Request { request: Request::Forgot { .. }, .. }))
    );
    let mut a = app(80, 24);
    sent(&mut a);
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty());
    assert_eq!((wizard(&a).step, wizard(&a).focus), (Step::Token, Focus::Token));
}

#[test]
fn a_pasted_link_is_reduced_to_its_token_and_gives_the_email() {
    let mut a = app(80, 24);
    send(&mut a, [ctrl('p'), ctrl('n'), Msg::Paste(format!("  {LINK}\n"))]);
    let r = wizard(&a);
    assert_eq!(r.form.token.value(), "blt0123abcd");
    assert_eq!(r.email.value(), EMAIL, "the email field was empty: the link's address fills it");
    assert!(r.form.token_note.is_some());
    send(&mut a, [ctrl('u'), Msg::Paste("https://app.contentstack.com/#!/".into())]);
    assert_eq!(wizard(&a).errors[&Focus::Token].len(), 1, "a link without a token says so");
}

#[test]
fn back_and_forth_keeps_every_value() {
    let mut a = app(80, 24);
    filled(&mut a, "New-pass-5678", "New-pass-567");
    send(&mut a, [key(KeyCode::Esc)]);
    assert_eq!(wizard(&a).step, Step::Email);
    send(&mut a, [key(KeyCode::Enter)]);
    let r = wizard(&a);
    assert_eq!(r.step, Step::Token);
    assert_eq!(
        (r.form.token.value(), r.form.new.password.value(), r.form.new.confirm.value()),
        ("blt0123abcd", "New-pass-5678", "New-pass-567")
    );
}

#[test]
fn step_2_sends_nothing_until_the_checks_pass() {
    let mut a = app(80, 24);
    demo(&mut a);
    filled(&mut a, "New-pass-5678", "New-pass-567");
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty());
    assert!(wizard(&a).errors.contains_key(&Focus::Confirm));
    assert_eq!(wizard(&a).focus, Focus::Confirm);
    send(&mut a, [ch('8')]);
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let (token, password, confirmation) = effects
        .iter()
        .find_map(|e| match e {
            Effect::Request { request: Request::Reset { token, password, confirmation, .. }, .. } => {
                Some((token, password, confirmation))
            }
            _ => None,
        })
        .expect("a reset request");
    assert_eq!(token.expose_secret(), "blt0123abcd");
    assert_eq!((password.expose_secret(), confirmation.expose_secret()), ("New-pass-5678", "New-pass-5678"));
    let debug = format!("{effects:?}");
    assert!(
        !debug.contains("New-pass") && !debug.contains("blt0123abcd"),
        "secrets stay out of logs: {debug}"
    );
    assert!(a.has_pending_kind(Kind::Reset));
    assert_eq!(wizard(&a).form.new.password.value(), "New-pass-5678", "the fields keep their values");
}

#[test]
fn the_rules_are_enforced_on_the_demo_and_guidance_elsewhere() {
    let mut a = app(80, 24);
    demo(&mut a);
    filled(&mut a, "weakpass", "weakpass");
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty(), "the demo server would refuse it");
    assert!(wizard(&a).errors.contains_key(&Focus::Password));
    let mut a = app(80, 24);
    filled(&mut a, "weakpass", "weakpass");
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Request { request: Request::Reset { .. }, .. })),
        "the server has the last word"
    );
}

#[test]
fn the_servers_refusals_land_on_their_fields() {
    let mut a = app(80, 24);
    filled(&mut a, "weakpass", "weakpas");
    wizard_mut(&mut a).form.new.confirm.set("weakpass");
    let id = reset_id(&send(&mut a, [key(KeyCode::Enter)]));
    let errs = [
        ("reset_password_token", "is invalid or has already been used."),
        ("password", "must contain a digit."),
        ("password_confirmation", "doesn't match password."),
        ("email", "is unknown."),
    ];
    send(&mut a, [answer(id, validation(&errs))]);
    let r = wizard(&a);
    assert_eq!(r.errors[&Focus::Token], vec!["The token is invalid or has already been used."]);
    assert_eq!(r.errors[&Focus::Password], vec!["The password must contain a digit."]);
    assert_eq!(r.errors[&Focus::Confirm], vec!["The confirmation doesn't match password."]);
    assert_eq!(r.focus, Focus::Token, "the first refused field has the focus");
    assert!(
        r.error.as_ref().is_some_and(|e| e.message.contains("The email is unknown.")),
        "not on this step: above"
    );
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("Esc goes back to step 1 to ask for a new token"), "{text}");
}

#[test]
fn a_network_failure_keeps_everything_and_offers_a_retry() {
    let mut a = app(80, 24);
    filled(&mut a, "New-pass-5678", "New-pass-5678");
    let id = reset_id(&send(&mut a, [key(KeyCode::Enter)]));
    let e =
        ApiError::Transport { kind: TransportKind::Timeout, host: String::new(), detail: "timed out".into() };
    send(&mut a, [answer(id, Err(e))]);
    let r = wizard(&a);
    assert!(r.error.as_ref().is_some_and(|e| e.retry && e.message.contains("ctrl-r")), "{:?}", r.error);
    assert_eq!(r.form.new.password.value(), "New-pass-5678");
    assert!(
        send(&mut a, [ctrl('r')])
            .iter()
            .any(|e| matches!(e, Effect::Request { request: Request::Reset { .. }, .. }))
    );
}

#[test]
fn success_from_the_log_in_form_returns_there_with_the_email() {
    let mut a = app(80, 24);
    filled(&mut a, "New-pass-5678", "New-pass-5678");
    let id = reset_id(&send(&mut a, [key(KeyCode::Enter)]));
    let effects = send(&mut a, [answer(id, notice("Your password has been reset successfully."))]);
    let l = a.login().expect("the log-in form");
    assert_eq!((l.email.value(), l.focus), (EMAIL, cs_account::screens::login::Focus::Password));
    assert!(l.password.is_empty());
    assert!(a.toasts.iter().any(|t| t.level == ToastLevel::Success && t.text.contains("reset successfully")));
    assert!(effects.iter().any(|e| matches!(e, Effect::Timer { .. })), "the toast's timer");
}

#[test]
fn from_the_profile_the_wizard_returns_to_the_profile_and_the_session_stays() {
    let mut a = app(80, 24);
    log_in(&mut a, &full_user());
    let refresh = send(&mut a, [ch('r')]);
    let effects = send(&mut a, [ch('p')]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Cancel(_))), "a running refresh stops: {effects:?}");
    let _ = refresh;
    assert_eq!(wizard(&a).email.value(), full_user().email, "the session's email");
    send(&mut a, [ctrl('n'), Msg::Paste("blt1".into()), key(KeyCode::Tab)]);
    type_text(&mut a, "New-pass-5678");
    send(&mut a, [key(KeyCode::Tab)]);
    type_text(&mut a, "New-pass-5678");
    let id = reset_id(&send(&mut a, [key(KeyCode::Enter)]));
    send(&mut a, [answer(id, notice("Your password has been reset successfully."))]);
    assert!(a.profile().is_some() && a.session.is_some());
    assert!(a.toasts.iter().any(|t| t.text.contains("session stays open")));
}

#[test]
fn leaving_cancels_the_request_and_its_late_answer_changes_nothing() {
    let mut a = app(80, 24);
    open(&mut a);
    let id = forgot_id(&send(&mut a, [key(KeyCode::Enter)]));
    let effects = send(&mut a, [key(KeyCode::Esc)]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Cancel(c) if *c == id.id)), "{effects:?}");
    assert!(send(&mut a, [answer(id, notice("late"))]).is_empty());
    assert!(a.login().is_some());
}

#[test]
fn the_demo_panel_stops_offering_a_password_that_was_changed() {
    let mut a = app(100, 30);
    demo(&mut a);
    filled(&mut a, "New-pass-5678", "New-pass-5678");
    let id = reset_id(&send(&mut a, [key(KeyCode::Enter)]));
    send(&mut a, [answer(id, notice("ok"))]);
    let john = a.demo.as_ref().and_then(|d| d.logins.iter().find(|e| e.email == EMAIL)).expect("john");
    assert!(john.password.is_empty() && john.note.contains("changed"), "{john:?}");
}

#[test]
fn a_refused_token_makes_step_1_send_a_new_email() {
    let mut a = app(80, 24);
    filled(&mut a, "New-pass-5678", "New-pass-5678");
    let id = reset_id(&send(&mut a, [key(KeyCode::Enter)]));
    send(&mut a, [answer(id, validation(&[("reset_password_token", "has expired. Request a new one.")]))]);
    assert!(wizard(&a).sent.is_none(), "the countdown was for the refused token");
    assert!(!screen_text(&draw(&a, 80, 24)).contains("more min"));
    send(&mut a, [key(KeyCode::Esc)]);
    // Exactly one new forgot-password request (`forgot_id` checks there is one).
    forgot_id(&send(&mut a, [key(KeyCode::Enter)]));
    assert_eq!(wizard(&a).form.new.password.value(), "New-pass-5678", "the new password is still typed");
}
