//! The reset wizard, activation and the mailbox in the real loop against the demo server,
//! driven by injected input: a used token, an expired token (which the mailbox marks and does
//! not fill in), passwords that do not match, a rule the server enforces, activation from the
//! mailbox, and the new passwords logging in.

mod common;

use std::time::Duration;

use common::harness::{Harness, Setup};
use crossterm::event::KeyCode;
use cs_account::api::Endpoint;
use cs_account::api::outbox::OutboxKind;
use cs_account::demo::DemoServer;
use cs_account::store::StoredSession;

const JOHN: &str = "john.doe@example.com";
const NEW_PASSWORD: &str = "Fresh-pass-2468";

/// The app in demo mode (mailbox offered, rules enforced) at 100×30.
fn demo_app(server: &DemoServer) -> Harness {
    let mut setup = Setup::new(&server.base_url());
    setup.demo = true;
    setup.size = (100, 30);
    Harness::start(setup)
}

/// The newest reset token the server sent to `email`.
fn reset_token(server: &DemoServer, email: &str) -> String {
    server
        .outbox()
        .into_iter()
        .rev()
        .find(|m| m.kind == OutboxKind::ResetPassword && m.to == email)
        .and_then(|m| m.token)
        .expect("a reset email")
}

/// On the log-in form: ctrl-p with john's address typed, then step 1 sent.
async fn ask_for_a_token(h: &Harness) {
    h.wait_for("Log in to Contentstack").await;
    h.type_text(JOHN);
    h.ctrl('p');
    h.wait_for("step 1 of 2").await;
    h.press_and_wait_for(KeyCode::Enter, "min left").await;
}

/// On step 2 with the token in: both passwords typed, then sent.
fn type_passwords(h: &Harness, password: &str, confirm: &str) {
    h.key(KeyCode::Tab);
    h.type_text(password);
    h.key(KeyCode::Tab);
    h.type_text(confirm);
    h.key(KeyCode::Enter);
}

/// From the wizard's step 1: the mailbox, and Enter on its newest message (the reset email).
async fn token_from_the_mailbox(h: &Harness) {
    h.ctrl('o');
    h.wait_for("Reset your Contentstack password").await;
    h.press_and_wait_for(KeyCode::Enter, "Filled in from the mailbox").await;
}

/// A demo server, and the app in demo mode on it with a reset email asked for John.
async fn asking_for_a_token() -> (DemoServer, Harness) {
    let server = common::harness::demo_server().await;
    let h = demo_app(&server);
    ask_for_a_token(&h).await;
    (server, h)
}

/// On the log-in form after a reset (email filled, password focused): logs in.
async fn log_in_with(h: &Harness, password: &str) {
    h.type_text(password);
    h.press_and_wait_for(KeyCode::Enter, "1 Roles").await;
}

/// Step 2 filled in: resets the password, logs in with the new one and quits.
async fn reset_then_log_in(h: Harness, server: DemoServer) {
    h.press_and_wait_for(KeyCode::Enter, "Log in with the new password").await;
    log_in_with(&h, NEW_PASSWORD).await;
    h.quit().await;
    server.shutdown().await;
}

#[tokio::test]
async fn reset_through_the_mailbox_then_a_used_token_is_refused_and_the_new_password_works() {
    let (server, h) = asking_for_a_token().await;
    token_from_the_mailbox(&h).await;
    // Focus is on the new password, the token being filled in.
    h.type_text(NEW_PASSWORD);
    h.key(KeyCode::Tab);
    h.type_text(NEW_PASSWORD);
    h.press_and_wait_for(KeyCode::Enter, "Log in with the new password").await;
    let used = reset_token(&server, JOHN);
    // The same token again, pasted on step 2.
    h.ctrl('p');
    h.ctrl('n');
    h.paste(&used);
    type_passwords(&h, "Other-pass-1357", "Other-pass-1357");
    h.wait_for("The token is invalid or has already been").await;
    h.wait_for("Esc goes back to step 1").await;
    h.key(KeyCode::Esc);
    h.press_and_wait_for(KeyCode::Esc, "Log in to Contentstack").await;
    log_in_with(&h, NEW_PASSWORD).await;
    let app = h.quit().await;
    assert_eq!(app.session.map(|s| s.email).as_deref(), Some(JOHN));
    server.shutdown().await;
}

#[tokio::test]
async fn an_expired_token_is_refused_and_step_1_sends_a_new_one() {
    let (server, h) = asking_for_a_token().await;
    server.advance_clock(Duration::from_secs(61 * 60));
    // The mailbox says the token ran out, and does not fill it in.
    h.ctrl('o');
    h.wait_for("expired").await;
    h.press_and_wait_for(KeyCode::Enter, "This reset token has expired").await;
    h.press_and_wait_for(KeyCode::Esc, "step 1 of 2").await;
    // Pasted by hand on step 2 all the same, the server refuses it.
    h.ctrl('n');
    h.wait_for("step 2 of 2").await;
    h.paste(&reset_token(&server, JOHN));
    type_passwords(&h, NEW_PASSWORD, NEW_PASSWORD);
    h.wait_for("The token has expired. Request a new one.").await;
    // Back to step 1, which sends a new email; its token goes in; the passwords stayed.
    h.press_and_wait_for(KeyCode::Esc, "step 1 of 2").await;
    h.wait_for("Send the email").await;
    let old = reset_token(&server, JOHN);
    h.key(KeyCode::Enter);
    assert!(
        common::wait_until(Duration::from_secs(10), || reset_token(&server, JOHN) != old).await,
        "a second email"
    );
    token_from_the_mailbox(&h).await;
    reset_then_log_in(h, server).await;
}

#[tokio::test]
async fn passwords_that_do_not_match_never_reach_the_server() {
    let (server, h) = asking_for_a_token().await;
    token_from_the_mailbox(&h).await;
    h.type_text(NEW_PASSWORD);
    h.key(KeyCode::Tab);
    h.type_text("Fresh-pass-2469");
    h.press_and_wait_for(KeyCode::Enter, "Does not match the new password.").await;
    h.wait_for("✗ Both passwords match").await;
    // The token is still good: nothing was sent. Fixing the confirmation finishes the reset.
    h.key(KeyCode::Backspace);
    h.press_and_wait_for('8', "✓ Both passwords match").await;
    reset_then_log_in(h, server).await;
}

#[tokio::test]
async fn a_rule_the_server_enforces_stands_on_the_password_field() {
    // Not in demo mode: the rules are guidance, so the weak password goes to the server,
    // whose refusal is what the user sees.
    let server = common::harness::demo_server().await;
    let h = Harness::start(Setup::new(&server.base_url()));
    ask_for_a_token(&h).await;
    h.press_and_wait_for(KeyCode::Enter, "step 2 of 2").await;
    h.paste(&format!("https://app.contentstack.com/#!/reset-password?token={}", reset_token(&server, JOHN)));
    h.wait_for("Taken from the pasted link").await;
    type_passwords(&h, "weakpass", "weakpass");
    h.wait_for("The password must contain an upper-case").await;
    h.wait_for("The password must contain a digit.").await;
    let app = h.quit().await;
    assert!(matches!(app.screen, cs_account::app::state::Screen::Reset(_)), "still in the wizard");
    server.shutdown().await;
}

#[tokio::test]
async fn new_user_activates_from_the_mailbox_and_logs_in() {
    let server = common::harness::demo_server().await;
    let h = demo_app(&server);
    h.wait_for("Log in to Contentstack").await;
    h.ctrl('o');
    h.wait_for("Activate your Contentstack account").await;
    h.press_and_wait_for(KeyCode::Enter, "Invited as new.user@example.com").await;
    for value in ["Nova", "User", NEW_PASSWORD, NEW_PASSWORD] {
        h.type_text(value);
        h.key(KeyCode::Tab);
    }
    h.press_and_wait_for(KeyCode::Enter, "Your account has been activated.").await;
    h.wait_for("Email     new.user@example.com").await;
    h.type_text(NEW_PASSWORD);
    h.key(KeyCode::Enter);
    // The status bar names the user once logged in.
    h.wait_for("new.user@example.com │").await;
    let app = h.quit().await;
    assert_eq!(app.session.map(|s| s.user.display_name()).as_deref(), Some("Nova User"));
    let user = server.user_snapshot("new.user@example.com").expect("the user");
    assert_eq!(user["active"], true);
    server.shutdown().await;
}

#[tokio::test]
async fn the_wizard_draws_nothing_while_idle() {
    let (server, h) = asking_for_a_token().await;
    // Settled: the answers that led here are drawn (a loaded machine can take a while).
    let mut last = h.draws();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if h.draws() == last {
            break;
        }
        last = h.draws();
    }
    let minute =
        || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 60);
    let (before, first_minute) = (h.draws(), minute());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // The countdown ticks when the minute turns: once if it turned during the wait.
    let ticks = u64::from(minute() != first_minute);
    assert_eq!(h.draws(), before + ticks, "the countdown ticks once a minute, not more");
    h.quit().await;
    server.shutdown().await;
}

#[tokio::test]
async fn logging_in_without_remember_me_stores_nothing_and_keeps_other_sessions() {
    let server = common::harness::demo_server().await;
    let (_dir, store) = common::temp_store();
    // A session remembered earlier, for another endpoint (so it is not opened at start).
    let elsewhere = Endpoint::custom("http://127.0.0.1:9").expect("loopback");
    store
        .save(&StoredSession::with_authtoken(JOHN.into(), elsewhere, "bltold".to_string().into()))
        .expect("saved");
    let mut setup = Setup::new(&server.base_url());
    setup.store = Some(store.clone());
    let h = Harness::start(setup);
    h.wait_for("[x] Remember me").await;
    // The email is filled from the stored session; the focus is on the password.
    h.type_text("Demo-pass-1234");
    h.key(KeyCode::Tab);
    h.press_and_wait_for(' ', "[ ] Remember me").await;
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    // The session elsewhere is another one: nothing is asked, and it stays stored.
    h.wait_for("1 Roles").await;
    h.quit().await;
    let left: Vec<_> = store.list().expect("readable").into_iter().map(|s| s.who()).collect();
    assert_eq!(left, ["john.doe@example.com on http://127.0.0.1:9"], "only the one elsewhere");
    server.shutdown().await;
}

/// Whether `effects` ask for the stored session to be deleted.
fn deletes_session(effects: &[cs_account::app::Effect]) -> bool {
    effects.iter().any(|e| matches!(e, cs_account::app::Effect::DeleteSession { .. }))
}

#[test]
fn a_password_log_in_deletes_the_stored_session_only_without_remember_me() {
    use common::*;
    for (untick, deleted) in [(false, false), (true, true)] {
        let mut a = app(80, 24);
        if untick && let Some(l) = a.login_mut() {
            l.remember = false;
        }
        let id = submit_login(&mut a, JOHN, "Demo-pass-1234");
        let effects = send(&mut a, [answer(id, login_ok(&full_user()))]);
        assert_eq!(deletes_session(&effects), deleted, "remember unticked: {untick}");
    }
}

#[test]
fn a_token_log_in_without_remember_me_deletes_the_stored_session() {
    use common::*;
    let mut a = app(80, 24);
    send(&mut a, [ctrl('t'), cs_account::app::Msg::Paste(TOKEN.into()), key(KeyCode::Tab), ch(' ')]);
    assert!(a.login().is_some_and(|l| !l.remember));
    let effects = send(&mut a, [key(KeyCode::Tab), key(KeyCode::Enter)]);
    let id = get_user_id(&effects);
    let effects = send(&mut a, [answer(id, Ok(full_user().into()))]);
    assert!(a.profile().is_some());
    assert!(deletes_session(&effects), "{effects:?}");
}
