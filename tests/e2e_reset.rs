//! End to end: the real binary in a pseudo-terminal, its output fed through a terminal emulator
//! (vt100), as a user would see it. In `cs-account demo`: forgot password for john.doe, the
//! token from the mailbox, a new password, and logging in with it; new.user's activation from
//! the mailbox. Both run with trace logging, and neither the token nor the password may appear
//! in the log. Config and state directories are temporary.
#![cfg(unix)]

mod common;

use common::pty::{Pty, Spawn};

const CTRL_C: &str = "\u{3}";
const CTRL_O: &str = "\u{f}";
const CTRL_P: &str = "\u{10}";

/// `cs-account demo`, logging at trace level into the temporary state directory.
fn demo() -> Pty {
    Spawn::app(&["demo"]).env("CS_ACCOUNT_LOG", "trace").start()
}

/// The log written so far.
fn log(pty: &Pty) -> String {
    std::fs::read_to_string(pty.state_dir().join("cs-account.log")).expect("a log file")
}

/// The token shown on the mailbox's `Token ...` line.
fn token_on_screen(pty: &Pty) -> String {
    let text = pty.contents();
    let line = text.lines().find_map(|l| l.trim_start_matches(['│', ' ']).strip_prefix("Token "));
    line.and_then(|l| l.split_whitespace().next()).expect("a token on screen").to_string()
}

#[test]
fn demo_forgot_password_mailbox_reset_and_log_in() {
    let new_password = "Pty-reset-9753";
    let mut pty = demo();
    pty.wait_for("Log in to Contentstack");
    pty.wait_for("Forgot password?");
    pty.send("john.doe@example.com");
    pty.send(CTRL_P);
    pty.wait_for("Reset password · step 1 of 2");
    pty.send("\r");
    pty.wait_for("min left");
    // The email is in the demo mailbox; Enter on it puts its token in step 2.
    pty.send(CTRL_O);
    pty.wait_for("Demo mailbox");
    pty.wait_for("Reset your Contentstack password");
    // The line under the token: once it is drawn, the token's row is complete (rows are written
    // top to bottom), however the output was split into reads.
    pty.wait_for("puts the token");
    let token = token_on_screen(&pty);
    pty.send("\r");
    pty.wait_for("Reset password · step 2 of 2");
    pty.wait_for("Filled in from the mailbox");
    pty.send(new_password);
    pty.send("\t");
    pty.send(new_password);
    pty.wait_for("✓ Both passwords match");
    assert!(!pty.contents().contains(new_password), "masked while typed");
    pty.send("\r");
    pty.wait_for("Log in with the new password");
    // Back on the log-in form with the email filled in and the focus on the password.
    pty.send(new_password);
    pty.send("\r");
    pty.wait_for("1 Roles");
    pty.wait_for("john.doe@example.com │");
    pty.send(CTRL_C);
    pty.wait_exit();
    pty.assert_restored();
    let log = log(&pty);
    assert!(
        log.contains("reset password") && log.contains("demo: password reset"),
        "the reset is logged:\n{log}"
    );
    assert!(!log.contains(new_password), "the password is not in the log");
    assert!(!log.contains(&token), "the reset token is not in the log");
}

#[test]
fn demo_activation_from_the_mailbox_keeps_token_and_password_out_of_the_log() {
    let password = "Pty-activate-8642";
    let mut pty = demo();
    pty.wait_for("Log in to Contentstack");
    pty.send(CTRL_O);
    pty.wait_for("Activate your Contentstack account");
    pty.wait_for("opens the activation form");
    let token = token_on_screen(&pty);
    pty.send("\r");
    pty.wait_for("Invited as new.user@example.com");
    for value in ["Nova", "User", password, password] {
        pty.send(value);
        pty.send("\t");
    }
    pty.send("\r");
    pty.wait_for("Your account has been activated.");
    pty.send(password);
    pty.send("\r");
    pty.wait_for("new.user@example.com │");
    pty.send(CTRL_C);
    pty.wait_exit();
    let log = log(&pty);
    assert!(log.contains("demo: account activated"), "the activation is logged:\n{log}");
    assert!(!log.contains(password), "the password is not in the log");
    assert!(!log.contains(&token), "the activation token (in the URL path) is not in the log");
}
