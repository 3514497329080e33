//! End to end: the real binary in a pseudo-terminal, its output fed through a terminal emulator
//! (vt100), as a user would see it. Config and state directories are temporary, so no real
//! session is read or touched.
#![cfg(unix)]

use std::io::{ErrorKind, Write};
use std::num::NonZeroU16;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Session;
use expectrl::process::unix::{PtyStream, UnixProcess};

const COLS: u16 = 100;
const ROWS: u16 = 30;

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
        // A fresh pty can report 0×0; the app then redraws on the resize.
        session.get_process_mut().set_window_size(COLS, ROWS).expect("window size");
        let size = |n| NonZeroU16::new(n).expect("non-zero");
        Pty { session, screen: vt100::Parser::new(size(ROWS), size(COLS), 0), _dirs: (config, state) }
    }

    /// Feeds whatever the app wrote into the emulator.
    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => self.screen.process(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                // EIO: the child closed the pty (it exited).
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

    /// Waits for the process to end, reading its last output.
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

    fn log_in(&mut self, email: &str, password: &str) {
        self.wait_for("Log in to Contentstack");
        self.wait_for("Demo server");
        self.send(email);
        self.send("\t");
        self.send(password);
        self.send("\r");
    }

    /// The terminal is as the app found it: main screen, cursor shown, no bracketed paste.
    fn assert_restored(&self) {
        let s = self.screen.screen();
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "the cursor is still hidden");
        assert!(!s.bracketed_paste(), "bracketed paste is still on");
    }
}

#[test]
fn demo_login_profile_expand_quit() {
    let mut pty = Pty::spawn(&["demo"]);
    pty.log_in("john.doe@example.com", "Demo-pass-1234");
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
    pty.log_in("tfa.user@example.com", "Demo-pass-1234");
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
