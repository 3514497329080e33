//! The whole app in its real loop, driven by an injected input stream, against the demo server.

mod common;

use std::time::Duration;

use common::harness::{Harness, Setup};
use crossterm::event::KeyCode;
use cs_account::demo::{DemoOptions, DemoServer};

/// A fresh demo server and the app on it, logging in through the form as `email`.
async fn logging_in(email: &str, password: &str) -> (DemoServer, Harness) {
    let (server, h) = common::harness::on_login_form().await;
    log_in(&h, email, password).await;
    (server, h)
}

/// Logs in through the form and waits for the profile.
async fn log_in(h: &Harness, email: &str, password: &str) {
    h.wait_for("Log in to Contentstack").await;
    h.type_text(email);
    h.key(KeyCode::Tab);
    h.type_text(password);
    h.key(KeyCode::Enter);
}

#[tokio::test]
async fn john_doe_logs_in_explores_and_logs_out() {
    let (server, h) = logging_in("john.doe@example.com", "Demo-pass-1234").await;
    h.wait_for("1 Roles").await;
    h.wait_for("John Doe").await;
    h.wait_for("▸ Developer").await;
    // Expand the role: its rules appear.
    h.press_and_wait_for('l', "▾ Developer").await;
    h.wait_for("asset").await;
    // Filter: only what matches, with its ancestors.
    h.ch('/');
    h.type_text("publish");
    h.wait_for("/ publish").await;
    h.wait_for("✓ publish").await;
    h.wait_gone("locale").await;
    h.key(KeyCode::Esc);
    h.wait_gone("/ publish").await;
    h.wait_for("locale").await;
    // The permissions tab.
    h.press_and_wait_for('2', "Permissions").await;
    // Log out, confirmed.
    h.press_and_wait_for('L', "Log out?").await;
    h.press_and_wait_for('y', "Log in to Contentstack").await;
    h.wait_for("Logged out of Contentstack").await;
    let app = h.quit().await;
    assert!(app.session.is_none());
    server.shutdown().await;
}

#[tokio::test]
async fn two_factor_login_with_a_totp_code() {
    let (server, h) = logging_in("tfa.user@example.com", "Demo-pass-1234").await;
    h.wait_for("Two-factor authentication").await;
    h.type_text(&cs_account::demo::totp_now());
    h.press_and_wait_for(KeyCode::Enter, "1 Roles").await;
    let app = h.quit().await;
    assert_eq!(app.session.map(|s| s.email).as_deref(), Some("tfa.user@example.com"));
    server.shutdown().await;
}

#[tokio::test]
async fn wrong_password_is_reported_beside_the_form() {
    let (server, h) = logging_in("john.doe@example.com", "not-the-password").await;
    h.wait_for("Wrong email or password").await;
    h.wait_for("attempt").await;
    let app = h.quit().await;
    assert!(app.login().is_some_and(|l| l.password.is_empty() && l.email.value() == "john.doe@example.com"));
    server.shutdown().await;
}

#[tokio::test]
async fn a_401_mid_session_returns_to_login_and_back() {
    let (server, h) = logging_in("john.doe@example.com", "Demo-pass-1234").await;
    h.wait_for("▸ Developer").await;
    h.press_and_wait_for('l', "▾ Developer").await;
    h.press_and_wait_for('4', "Favourite stacks").await;
    // The session outlives its lifetime on the server's clock: the next call gets a 401.
    server.advance_clock(Duration::from_secs(13 * 3600));
    h.press_and_wait_for('r', "Session expired").await;
    h.type_text("Demo-pass-1234");
    h.key(KeyCode::Enter);
    // Back on the same tab, with the tree as it was.
    h.wait_for("Favourite stacks").await;
    h.press_and_wait_for('1', "▾ Developer").await;
    h.quit().await;
    server.shutdown().await;
}

#[tokio::test]
async fn the_loop_draws_nothing_while_idle() {
    let (server, h) = common::harness::on_login_form().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = h.draws();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(h.draws(), before, "no frame without a change");
    // One key, one frame (or a few at most: never a stream).
    h.press_and_wait_for('x', "x").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = h.draws();
    assert!((before + 1..=before + 2).contains(&after), "{before} → {after}");
    h.quit().await;
    server.shutdown().await;
}

#[tokio::test]
async fn remember_me_stores_the_session_and_the_next_start_opens_it() {
    let server = common::harness::demo_server().await;
    let (_dir, store) = common::temp_store();
    let mut setup = Setup::new(&server.base_url());
    setup.store = Some(store.clone());
    let h = Harness::start(setup);
    log_in(&h, "john.doe@example.com", "Demo-pass-1234").await;
    h.wait_for("1 Roles").await;
    h.quit().await;
    let saved = store.load().expect("readable").expect("a stored session");
    assert_eq!(saved.email, "john.doe@example.com");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path()).expect("file").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Next start: straight to the profile, no form.
    let mut setup = Setup::new(&server.base_url());
    setup.store = Some(store.clone());
    let h = Harness::start(setup);
    h.wait_for("1 Roles").await;
    // Logging out forgets it.
    h.ch('L');
    h.press_and_wait_for('y', "Log in to Contentstack").await;
    h.quit().await;
    assert!(store.load().expect("readable").is_none(), "the stored session is gone");
    server.shutdown().await;
}

#[tokio::test]
async fn paste_fills_the_token_field_and_resize_redraws() {
    let (server, h) = common::harness::on_login_form().await;
    h.ctrl('t');
    h.paste("not-a-real-token-12345\n");
    h.press_and_wait_for(KeyCode::Enter, "Authtoken refused").await;
    let before = h.draws();
    h.resize(100, 30);
    common::wait_until(Duration::from_secs(5), || h.draws() > before).await;
    assert!(h.draws() > before, "a resize draws");
    h.quit().await;
    server.shutdown().await;
}

#[tokio::test]
async fn the_spinner_turns_only_while_a_request_runs() {
    let opts = DemoOptions { rate_limit: 0, latency: Duration::from_millis(600), ..Default::default() };
    let server = DemoServer::start(opts).await.expect("demo server");
    let h = Harness::start(Setup::new(&server.base_url()));
    log_in(&h, "john.doe@example.com", "Demo-pass-1234").await;
    h.wait_for("Logging in…").await;
    let during = h.draws();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(h.draws() >= during + 2, "the spinner redraws while the log-in runs ({during} → {})", h.draws());
    h.wait_for("1 Roles").await;
    h.wait_gone("Loading your profile").await;
    // The stack names follow the profile in a call of their own.
    h.wait_gone("Loading stack names").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let idle = h.draws();
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(h.draws(), idle, "and stops with it");
    h.quit().await;
    server.shutdown().await;
}
