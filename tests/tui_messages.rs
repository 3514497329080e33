//! Messages that say what is true (issue 8, §4): the custom-URL field starts from the URL in
//! use, notices go with the screen they were given on, and the profile's password key is named
//! for what it does, with the account's own address, which cannot be changed. Key sequences
//! through `update`, snapshots at 80×24 and 40×15.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Endpoint, Notice};
use cs_account::app::keymap::{Action, Keymap};
use cs_account::app::request::Request;
use cs_account::app::state::{Screen, ToastLevel};
use cs_account::app::{App, Effect};
use cs_account::screens::reset::Step;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];

fn custom_app(url: &str) -> App {
    let endpoint = Endpoint::custom(url).expect("a valid URL");
    App::new(endpoint, Keymap::default(), (80, 24))
}

fn custom_field(a: &App) -> Option<String> {
    let picker = a.login()?.picker.as_ref()?;
    picker.custom.as_ref().map(|f| f.value().to_string())
}

// ---- the custom URL ----

#[test]
fn the_custom_url_field_starts_from_the_url_in_use() {
    let mut a = custom_app("http://127.0.0.1:4010");
    send(&mut a, [ctrl('g'), key(KeyCode::Enter)]);
    assert_eq!(custom_field(&a).as_deref(), Some("http://127.0.0.1:4010"));
    // From the region row too (Space opens the list there).
    let mut a = custom_app("https://cs.example.com:8443");
    send(&mut a, [key(KeyCode::BackTab), ch(' '), key(KeyCode::Enter)]);
    assert_eq!(custom_field(&a).as_deref(), Some("https://cs.example.com:8443"));
}

#[test]
fn a_url_typed_then_left_with_esc_comes_back() {
    let mut a = app(80, 24);
    send(&mut a, [ctrl('g'), key(KeyCode::End), key(KeyCode::Enter)]);
    assert_eq!(custom_field(&a).as_deref(), Some(""), "a region is in use: nothing to start from");
    type_text(&mut a, "http://cs.example.com");
    send(&mut a, [key(KeyCode::Enter)]);
    assert!(
        a.login().and_then(|l| l.picker.as_ref()).is_some_and(|p| p.error.is_some()),
        "plain http refused"
    );
    send(&mut a, [key(KeyCode::Esc), key(KeyCode::Enter)]);
    assert_eq!(custom_field(&a).as_deref(), Some("http://cs.example.com"), "to be corrected, not retyped");
}

// ---- notices belong to their screen ----

#[test]
fn logged_out_does_not_follow_to_the_code_step() {
    let mut a = app(80, 24);
    log_in(&mut a, &full_user());
    a.toasts.clear();
    let effects = send(&mut a, [ch('L'), ch('y')]);
    let id = common::logout_id(&effects);
    send(&mut a, [answer(id, Ok(Notice { notice: "You've logged out successfully.".into() }))]);
    assert!(a.toasts.iter().any(|t| t.text.contains("Logged out")), "{:?}", a.toasts);
    let id = submit_login(&mut a, "tfa.user@example.com", "Demo-pass-1234");
    send(
        &mut a,
        [answer(id, login_err(ApiError::TfaRequired { message: "Code please.".into(), tfa_type: None }))],
    );
    assert!(a.login().is_some_and(|l| l.tfa.is_some()));
    assert!(a.toasts.is_empty(), "the log-out notice stays with the form: {:?}", a.toasts);
}

#[test]
fn a_late_logged_out_notice_is_not_shown_on_another_screen() {
    let mut a = app(80, 24);
    log_in(&mut a, &full_user());
    let effects = send(&mut a, [ch('L'), ch('y')]);
    let logout = common::logout_id(&effects);
    let id = submit_login(&mut a, "tfa.user@example.com", "Demo-pass-1234");
    send(
        &mut a,
        [answer(id, login_err(ApiError::TfaRequired { message: "Code please.".into(), tfa_type: None }))],
    );
    send(&mut a, [answer(logout, Ok(Notice { notice: String::new() }))]);
    assert!(a.toasts.is_empty(), "{:?}", a.toasts);
}

#[test]
fn problems_with_settings_stay_wherever_the_user_goes() {
    let mut a = app(80, 24);
    cs_account::app::update::startup_notices(&mut a, &["keys.tree.expand: q is taken.".to_string()]);
    log_in(&mut a, &full_user());
    assert!(a.toasts.iter().any(|t| t.level == ToastLevel::Warning && t.text.contains("keys.tree")));
    assert!(!a.toasts.iter().any(|t| t.text.contains("saved session")));
}

#[test]
fn a_profile_notice_goes_when_the_edit_form_opens() {
    let mut a = app(80, 24);
    log_in(&mut a, &full_user());
    let id = get_user_id(&send(&mut a, [ch('r')]));
    send(&mut a, [answer(id, Ok(full_user().into()))]);
    assert!(a.toasts.iter().any(|t| t.text == "Profile refreshed."));
    send(&mut a, [ch('e')]);
    assert!(matches!(a.screen, Screen::Edit(_)));
    assert!(a.toasts.is_empty(), "{:?}", a.toasts);
}

// ---- the profile's password key ----

fn profile_app(w: u16, h: u16) -> App {
    let mut a = app(w, h);
    log_in(&mut a, &full_user());
    a.toasts.clear();
    a
}

#[test]
fn p_is_named_for_the_reset_email_it_sends() {
    // Wide enough for the whole footer (its tail is cut first on narrower screens).
    let a = profile_app(220, 24);
    let text = screen_text(&draw(&a, 220, 24));
    assert!(text.contains("p reset password") && !text.contains("change password"), "{text}");
    assert!(Action::ChangePassword.description().starts_with("Reset the password by email"));
}

#[test]
fn the_reset_from_the_profile_is_for_the_account_and_its_address_cannot_be_changed() {
    let mut a = profile_app(80, 24);
    send(&mut a, [ch('p')]);
    let Screen::Reset(r) = &a.screen else { panic!("the reset wizard") };
    assert!(r.email_locked);
    assert_eq!(r.email.value(), "john.doe@contentstack.com");
    type_text(&mut a, "xq");
    send(&mut a, [key(KeyCode::Backspace), cs_account::app::Msg::Paste("other@example.com".into())]);
    assert!(!a.should_quit);
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let [Effect::Request { request: Request::Forgot { email, .. }, .. }] = &effects[..] else {
        panic!("{effects:#?}")
    };
    assert_eq!(email, "john.doe@contentstack.com");
    // From the log-in form the address is the user's to type.
    let mut a = app(80, 24);
    send(&mut a, [ctrl('p')]);
    type_text(&mut a, "a@b.c");
    let Screen::Reset(r) = &a.screen else { panic!("the reset wizard") };
    assert!(!r.email_locked && r.step == Step::Email);
    assert_eq!(r.email.value(), "a@b.c");
}

#[test]
fn snapshots_of_the_reset_from_the_profile() {
    for (w, h) in SIZES {
        let mut a = profile_app(w, h);
        send(&mut a, [ch('p')]);
        insta::assert_snapshot!(format!("reset_from_profile_{w}x{h}"), draw(&a, w, h).backend());
    }
}
