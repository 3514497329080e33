//! End to end: the real binary in a pseudo-terminal, its output fed through a terminal emulator
//! (vt100), as a user would see it. In `cs-account demo`: forgot password for john.doe, the
//! token from the mailbox, a new password, and logging in with it. Config and state
//! directories are temporary.
#![cfg(unix)]

use std::io::{ErrorKind, Write};
use std::num::NonZeroU16;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Session;
use expectrl::process::unix::{PtyStream, UnixProcess};

const COLS: u16 = 100;
const ROWS: u16 = 30;
const CTRL_C: &str = "\u{3}";
const CTRL_O: &str = "\u{f}";
const CTRL_P: &str = "\u{10}";

struct Pty {
    session: Session<UnixProcess, PtyStream>,
    screen: vt100::Parser,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

impl Pty {
    fn spawn(args: &[&str]) -> Pty {
        let config = tempfile::tempdir().expect("config dir");
        let state = tempfile::tempdir().expect("state dir");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cs-account"));
        cmd.args(args)
            .env("CS_ACCOUNT_CONFIG_DIR", config.path())
            .env("CS_ACCOUNT_STATE_DIR", state.path())
            .env("TERM", "xterm-256color")
            .env_remove("CONTENTSTACK_AUTHTOKEN")
            .env_remove("NO_COLOR");
        let mut session = Session::spawn(cmd).expect("spawn in a pty");
        session.get_process_mut().set_window_size(COLS, ROWS).expect("window size");
        let size = |n| NonZeroU16::new(n).expect("non-zero");
        Pty { session, screen: vt100::Parser::new(size(ROWS), size(COLS), 0), _dirs: (config, state) }
    }

    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => self.screen.process(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(_) => break,
            }
        }
    }

    fn contents(&self) -> String {
        self.screen.screen().contents()
    }

    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            self.pump();
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the screen never showed {text:?}; it shows:\n{}", self.contents());
    }

    fn send(&mut self, bytes: &str) {
        self.session.write_all(bytes.as_bytes()).expect("write to the pty");
        self.session.flush().expect("flush");
    }

    fn wait_exit(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            self.pump();
            if !self.session.get_process().is_alive().unwrap_or(false) {
                self.pump();
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the app did not exit; the screen shows:\n{}", self.contents());
    }
}

#[test]
fn demo_forgot_password_mailbox_reset_and_log_in() {
    let new_password = "Pty-reset-9753";
    let mut pty = Pty::spawn(&["demo"]);
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
    let s = pty.screen.screen();
    assert!(!s.alternate_screen() && !s.hide_cursor(), "the terminal is restored");
}
