//! Nothing typed into a form turns into a command (issue 8, §2): letters on the log-in form's
//! checkbox and button, Enter and Space there, a log-in in flight and its cancelling, the quit
//! key and what it would lose, key bindings from `config.toml` that clash, and the footer and
//! help they give. Key sequences through `update`, snapshots at 80×24 and 40×15.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Endpoint};
use cs_account::app::keymap::Keymap;
use cs_account::app::request::Request;
use cs_account::app::state::{Confirm, Screen};
use cs_account::app::{App, Effect};
use cs_account::screens::login::Focus;
use secrecy::ExposeSecret;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];

fn snap(name: &str, build: impl Fn(&mut App)) {
    for (size, screen) in screens_at(&SIZES, app, build) {
        insta::assert_snapshot!(format!("{name}_{size}"), screen.backend());
    }
}

/// The footer line (the row above the status bar) as text.
fn footer(a: &App) -> String {
    let (w, h) = a.viewport;
    let text = screen_text(&draw(a, w, h));
    text.lines().nth(h as usize - 2).unwrap_or_default().to_string()
}

fn demo(a: &mut App) {
    a.demo = Some(demo_panel());
    a.demo_endpoint = Some(a.endpoint.clone());
}

fn login(a: &App) -> &cs_account::screens::login::LoginState {
    a.login().expect("the log-in screen")
}

/// An app whose keymap has `config` (a `[keys.*]` table) applied, with the problems found.
fn app_with_keys(config: &str) -> (App, Vec<String>) {
    let table: toml::Table = toml::from_str(config).expect("valid toml");
    let (keymap, problems) = Keymap::with_overrides(&table);
    (App::new(Endpoint::default(), keymap, (80, 24)), problems)
}

// ---- letters on the checkbox and the button ----

#[test]
fn a_password_typed_one_tab_too_far_stays_the_password() {
    let mut a = app(80, 24);
    demo(&mut a);
    type_text(&mut a, "john.doe@example.com");
    send(&mut a, [key(KeyCode::Tab)]);
    type_text(&mut a, "Demo-pass-");
    send(&mut a, [key(KeyCode::Tab)]);
    assert_eq!(login(&a).focus, Focus::Remember);
    // q quit, m opened the mailbox, ? opened help: now they are the rest of the password.
    let effects = type_text(&mut a, "qm?1234");
    assert!(effects.is_empty(), "{effects:#?}");
    assert!(!a.should_quit && a.confirm.is_none() && a.help().is_none());
    assert_eq!((login(&a).password.value(), login(&a).focus), ("Demo-pass-qm?1234", Focus::Password));
    // From the button too; and from the region row, typing goes to the email.
    send(&mut a, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    assert_eq!(login(&a).focus, Focus::Submit);
    type_text(&mut a, "5");
    assert_eq!(login(&a).password.value(), "Demo-pass-qm?12345");
    send(&mut a, [key(KeyCode::BackTab), key(KeyCode::BackTab)]);
    assert_eq!(login(&a).focus, Focus::Region);
    type_text(&mut a, "x");
    assert_eq!((login(&a).email.value(), login(&a).focus), ("john.doe@example.comx", Focus::Email));
    assert!(matches!(a.screen, Screen::Login(_)), "no mailbox, no reset form");
}

#[test]
fn enter_anywhere_logs_in_and_space_works_the_box_and_the_region_row() {
    let mut a = app(80, 24);
    type_text(&mut a, "john.doe@example.com");
    send(&mut a, [key(KeyCode::Tab)]);
    type_text(&mut a, "Demo-pass-1234");
    send(&mut a, [key(KeyCode::Tab)]);
    assert_eq!(login(&a).focus, Focus::Remember);
    let f = footer(&a);
    assert!(f.contains("Space tick/untick") && f.contains("Enter log in"), "{f}");
    send(&mut a, [ch(' ')]);
    assert!(!login(&a).remember, "Space ticks and unticks");
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    assert!(
        matches!(effects[..], [Effect::Request { request: Request::Login { .. }, .. }]),
        "Enter logs in: {effects:#?}"
    );
    assert!(!login(&a).remember, "and leaves the box as it was");

    let mut a = app(80, 24);
    submit_fields(&mut a);
    send(&mut a, [key(KeyCode::BackTab), key(KeyCode::BackTab)]);
    assert_eq!(login(&a).focus, Focus::Region);
    assert!(footer(&a).contains("Space choose region"), "{}", footer(&a));
    send(&mut a, [ch(' ')]);
    assert!(login(&a).picker.is_some(), "Space opens the region list");
    send(&mut a, [key(KeyCode::Esc)]);
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    assert!(
        matches!(effects[..], [Effect::Request { request: Request::Login { .. }, .. }]),
        "Enter on the region row logs in: {effects:#?}"
    );
}

/// Email and password typed, focus on the password.
fn submit_fields(a: &mut App) {
    type_text(a, "john.doe@example.com");
    send(a, [key(KeyCode::Tab)]);
    type_text(a, "Demo-pass-1234");
}

#[test]
fn the_mailbox_has_no_letter_on_the_log_in_form() {
    let mut a = app(80, 24);
    demo(&mut a);
    send(&mut a, [key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)]);
    assert_eq!(login(&a).focus, Focus::Submit);
    type_text(&mut a, "m");
    assert!(matches!(a.screen, Screen::Login(_)));
    send(&mut a, [ctrl('o')]);
    assert!(matches!(a.screen, Screen::Mailbox(_)), "ctrl-o opens it");
}

#[test]
fn snapshots_of_the_checkbox_focused() {
    snap("login_remember_focused", |a| {
        submit_fields(a);
        send(a, [key(KeyCode::Tab)]);
    });
}

// ---- a log-in in flight ----

#[test]
fn while_logging_in_the_form_shows_what_is_sent_and_esc_cancels_keeping_it() {
    let mut a = app(80, 24);
    submit_fields(&mut a);
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let id = login_id(&effects);
    let [Effect::Request { request: Request::Login { password, .. }, .. }] = &effects[..] else {
        panic!("{effects:#?}")
    };
    assert_eq!(password.expose_secret(), "Demo-pass-1234");
    assert_eq!(login(&a).password.value(), "Demo-pass-1234", "the field still shows it, masked");
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("••••••••••••••"), "{text}");
    assert!(text.contains("Logging in…") && text.contains("Esc cancels"), "{text}");
    let f = footer(&a);
    assert!(f.contains("Esc cancel") && !f.contains("Enter log in"), "{f}");
    // Typing and pasting wait: what is being sent stays as shown.
    type_text(&mut a, "x");
    send(&mut a, [cs_account::app::Msg::Paste("y".into()), key(KeyCode::Backspace)]);
    assert_eq!(login(&a).password.value(), "Demo-pass-1234");
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty(), "no second attempt");

    let effects = send(&mut a, [key(KeyCode::Esc)]);
    assert!(matches!(effects[..], [Effect::Cancel(c)] if c == id.id), "{effects:#?}");
    assert!(!a.is_busy());
    let l = login(&a);
    assert_eq!((l.email.value(), l.password.value()), ("john.doe@example.com", "Demo-pass-1234"));
    assert_eq!(l.error.as_ref().map(|e| e.title.as_str()), Some("Cancelled"));
    assert!(footer(&a).contains("Enter log in"));
    // The answer that comes anyway changes nothing.
    send(&mut a, [answer(id, login_ok(&full_user()))]);
    assert!(a.login().is_some_and(|l| l.password.value() == "Demo-pass-1234"));
    // Enter tries again with the same values.
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    assert!(
        matches!(&effects[..], [Effect::Request { request: Request::Login { password, .. }, .. }] if password.expose_secret() == "Demo-pass-1234")
    );
}

#[test]
fn the_answer_empties_the_password_field() {
    let mut a = app(80, 24);
    submit_fields(&mut a);
    let id = login_id(&send(&mut a, [key(KeyCode::Enter)]));
    send(
        &mut a,
        [answer(
            id,
            login_err(ApiError::InvalidCredentials { message: "Wrong.".into(), attempts_left: Some(4) }),
        )],
    );
    assert!(login(&a).password.is_empty(), "a refused password is typed again");
    assert_eq!(login(&a).email.value(), "john.doe@example.com");
}

#[test]
fn esc_cancels_the_code_check_and_then_goes_back() {
    let mut a = app(80, 24);
    let id = submit_login(&mut a, "tfa.user@example.com", "Demo-pass-1234");
    send(
        &mut a,
        [answer(id, login_err(ApiError::TfaRequired { message: "Code please.".into(), tfa_type: None }))],
    );
    type_text(&mut a, "123456");
    let id = login_id(&send(&mut a, [key(KeyCode::Enter)]));
    assert!(footer(&a).contains("Esc cancel"), "{}", footer(&a));
    let effects = send(&mut a, [key(KeyCode::Esc)]);
    assert!(matches!(effects[..], [Effect::Cancel(c)] if c == id.id), "{effects:#?}");
    let tfa = login(&a).tfa.as_ref().expect("still on the code step");
    assert_eq!(tfa.code.value(), "123456");
    send(&mut a, [key(KeyCode::Esc)]);
    assert!(login(&a).tfa.is_none(), "a second Esc goes back to the password");
}

#[test]
fn snapshots_of_a_cancelled_log_in() {
    // tui_login's login_busy shows one in flight.
    snap("login_cancelled", |a| {
        submit_login(a, "john.doe@example.com", "Demo-pass-1234");
        send(a, [key(KeyCode::Esc)]);
    });
}

// ---- the quit key ----

#[test]
fn q_quits_at_once_where_nothing_typed_would_be_lost() {
    let mut a = app(80, 24);
    send(&mut a, [ctrl('g')]);
    send(&mut a, [ch('q')]);
    assert!(a.should_quit, "the region list over an empty form");
}

#[test]
fn q_asks_first_when_typed_values_would_be_lost() {
    let mut a = app(80, 24);
    submit_fields(&mut a);
    send(&mut a, [ctrl('g'), ch('q')]);
    assert!(!a.should_quit);
    assert_eq!(a.confirm, Some(Confirm::Quit));
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("Quit?") && text.contains("log-in form is not kept"), "{text}");
    send(&mut a, [ch('n')]);
    assert!(a.confirm.is_none() && !a.should_quit);
    assert_eq!(login(&a).password.value(), "Demo-pass-1234");
    send(&mut a, [ch('q'), ch('y')]);
    assert!(a.should_quit);
    // ctrl-c never asks.
    let mut a = app(80, 24);
    submit_fields(&mut a);
    send(&mut a, [ctrl('g'), ctrl('c')]);
    assert!(a.should_quit);
}

#[test]
fn q_on_the_mailbox_asks_for_the_form_kept_behind_it() {
    let mut a = app(80, 24);
    demo(&mut a);
    send(&mut a, [ctrl('x')]);
    type_text(&mut a, "bltactivation");
    send(&mut a, [ctrl('o')]);
    assert!(matches!(a.screen, Screen::Mailbox(_)));
    send(&mut a, [ch('q')]);
    assert_eq!(a.confirm, Some(Confirm::Quit));
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("activation form"), "{text}");
}

#[test]
fn q_on_the_review_of_profile_edits_asks_first() {
    let mut a = app(80, 24);
    log_in(&mut a, &full_user());
    send(&mut a, [ch('e')]);
    type_text(&mut a, "q");
    send(&mut a, [key(KeyCode::Enter)]);
    assert!(a.edit().is_some_and(|e| e.form.step == cs_account::screens::edit::Step::Review));
    send(&mut a, [ch('q')]);
    assert_eq!(a.confirm, Some(Confirm::Quit));
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("kept as a draft"), "{text}");
    send(&mut a, [key(KeyCode::Enter)]);
    assert!(a.should_quit, "Enter says yes");
}

#[test]
fn q_types_in_every_form() {
    let mut a = app(80, 24);
    type_text(&mut a, "q");
    assert_eq!(login(&a).email.value(), "q");
    send(&mut a, [ctrl('p')]);
    type_text(&mut a, "q");
    send(&mut a, [ctrl('n')]);
    type_text(&mut a, "q");
    send(&mut a, [key(KeyCode::Esc), key(KeyCode::Esc), ctrl('x')]);
    type_text(&mut a, "q");
    send(&mut a, [key(KeyCode::Esc), ctrl('g'), key(KeyCode::End), key(KeyCode::Enter)]);
    type_text(&mut a, "q");
    assert!(!a.should_quit && a.confirm.is_none());
}

#[test]
fn a_screen_too_small_quits_with_q_only_when_nothing_would_be_lost() {
    let mut a = app(80, 24);
    type_text(&mut a, "x");
    send(&mut a, [cs_account::app::Msg::Resize(30, 10), ch('q')]);
    assert!(!a.should_quit, "the form is there, though it cannot be seen");
    let text = screen_text(&draw(&a, 30, 10));
    assert!(text.contains("ctrl-c to quit"), "{text}");
    let mut a = app(30, 10);
    send(&mut a, [ch('q')]);
    assert!(a.should_quit);
}

// ---- key bindings from config.toml ----

#[test]
fn a_rebound_key_that_clashes_is_reported_and_quitting_still_works() {
    let (mut a, problems) = app_with_keys("[tree]\nexpand = \"q\"\n[nav]\ndown = \"ctrl-j\"");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("keys.tree.expand") && problems[0].contains("quit"), "{problems:?}");
    log_in(&mut a, &full_user());
    a.toasts.clear();
    let f = footer(&a);
    assert!(f.contains("↑/ctrl-j move") && f.contains("→← open/close"), "{f}");
    send(&mut a, [ch('q')]);
    assert!(a.should_quit, "q still quits on the roles tree");
}

#[test]
fn the_problems_show_once_at_start() {
    let (mut a, problems) = app_with_keys("[tree]\nexpand = \"q\"\n[login]\nchoose_region = \"g\"");
    let effects = cs_account::app::update::startup_notices(&mut a, &problems);
    assert_eq!(effects.len(), 1);
    assert_eq!(a.toasts.len(), 1);
    assert!(a.toasts[0].text.starts_with("2 settings were ignored"), "{}", a.toasts[0].text);
}

/// tui_login's login_help shows the whole layout.
#[test]
fn help_names_each_action_as_config_toml_does() {
    let mut a = app(80, 24);
    send(&mut a, [key(KeyCode::F(1))]);
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("choose_region") && text.contains("toggle_secret"), "{text}");
}
