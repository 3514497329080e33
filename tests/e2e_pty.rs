//! End to end: the real binary in a pseudo-terminal, its output fed through a terminal emulator
//! (vt100), as a user would see it. Config and state directories are temporary, so no real
//! session is read or touched.
#![cfg(unix)]

mod common;

use common::pty::Pty;

/// Logs in on the demo's form, once it shows.
fn log_in(pty: &mut Pty, email: &str, password: &str) {
    pty.wait_for("Log in to Contentstack");
    pty.wait_for("Demo server");
    pty.send(email);
    pty.send("\t");
    pty.send(password);
    pty.send("\r");
}

#[test]
fn demo_login_profile_expand_quit() {
    let mut pty = Pty::spawn(&["demo"]);
    log_in(&mut pty, "john.doe@example.com", "Demo-pass-1234");
    pty.wait_for("1 Roles");
    pty.wait_for("▸ Developer");
    pty.send("l");
    pty.wait_for("▾ Developer");
    pty.wait_for("asset");
    pty.send("q");
    pty.wait_exit();
    pty.assert_restored();
}

#[test]
fn demo_two_factor_login() {
    let mut pty = Pty::spawn(&["demo"]);
    log_in(&mut pty, "tfa.user@example.com", "Demo-pass-1234");
    pty.wait_for("Two-factor authentication");
    pty.send(&cs_account::demo::totp_now());
    pty.send("\r");
    pty.wait_for("1 Roles");
    pty.wait_for("tfa.user@example.com");
    // Ctrl-C quits from anywhere.
    pty.send("\u{3}");
    pty.wait_exit();
    pty.assert_restored();
}
