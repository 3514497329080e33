//! End to end: the real binary in a pseudo-terminal, its output read through a terminal emulator
//! (vt100). In `cs-account demo`, change the company on the edit form, review, save, and see it
//! on the profile; against a separate demo server with trace logging, a failed then successful
//! save leaves neither the token nor the password in the log. Config and state directories are
//! temporary.
#![cfg(unix)]

use std::io::{ErrorKind, Write};
use std::num::NonZeroU16;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Session;
use expectrl::process::unix::{PtyStream, UnixProcess};

const COLS: u16 = 100;
const ROWS: u16 = 30;
const DOWN: &str = "\x1b[B";
const CTRL_U: &str = "\x15";

struct Pty {
    session: Session<UnixProcess, PtyStream>,
    screen: vt100::Parser,
    /// The config and state directories.
    dirs: (tempfile::TempDir, tempfile::TempDir),
}

impl Pty {
    fn spawn(args: &[&str], env: &[(&str, &str)]) -> Pty {
        let config = tempfile::tempdir().expect("config dir");
        let state = tempfile::tempdir().expect("state dir");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cs-account"));
        cmd.args(args)
            .envs(env.iter().copied())
            .env("CS_ACCOUNT_CONFIG_DIR", config.path())
            .env("CS_ACCOUNT_STATE_DIR", state.path())
            .env("TERM", "xterm-256color")
            .env_remove("CONTENTSTACK_AUTHTOKEN")
            .env_remove("NO_COLOR");
        let mut session = Session::spawn(cmd).expect("spawn in a pty");
        session.get_process_mut().set_window_size(COLS, ROWS).expect("window size");
        let size = |n| NonZeroU16::new(n).expect("non-zero");
        Pty { session, screen: vt100::Parser::new(size(ROWS), size(COLS), 0), dirs: (config, state) }
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
fn demo_change_the_company_and_see_it_on_the_profile() {
    let mut pty = Pty::spawn(&["demo"], &[]);
    pty.wait_for("Log in to Contentstack");
    pty.wait_for("Demo server");
    pty.send("john.doe@example.com\tDemo-pass-1234\r");
    pty.wait_for("1 Roles");
    pty.wait_for("e edit");
    pty.send("e");
    pty.wait_for("Edit profile");
    pty.send(&format!("{DOWN}{DOWN}{CTRL_U}"));
    pty.send("Acme Ltd");
    pty.wait_for("Company*");
    pty.send("\r");
    pty.wait_for("1 change to save");
    pty.wait_for("→ Acme Ltd");
    pty.send("\r");
    pty.wait_for("Profile updated successfully");
    pty.wait_for("Company Acme Ltd");
    pty.send("q");
    pty.wait_exit();
    let s = pty.screen.screen();
    assert!(!s.alternate_screen() && !s.hide_cursor(), "the terminal is restored");
}

#[test]
fn the_trace_log_of_an_edit_holds_no_token_and_no_password() {
    use cs_account::demo::{DemoOptions, DemoServer, FaultAnswer, Faults, RouteFault};
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server =
        rt.block_on(DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() })).expect("demo");
    // The first save meets 503s (the client's retries included): its error path is logged too.
    let fault = RouteFault {
        method: "PUT".into(),
        path: "/v3/user".into(),
        answer: FaultAnswer::Status { status: 503, body: None },
        times: Some(3),
    };
    server.set_faults(Faults { routes: vec![fault], ..Faults::default() });
    let url = server.base_url();
    let mut pty = Pty::spawn(&["--api-url", &url], &[("CS_ACCOUNT_LOG", "trace")]);
    pty.wait_for("Log in to Contentstack");
    pty.send("john.doe@example.com\tDemo-pass-1234\r");
    pty.wait_for("1 Roles");
    pty.send("e");
    pty.wait_for("Edit profile");
    pty.send(&format!("{DOWN}{DOWN}{CTRL_U}Trace Co\r"));
    pty.wait_for("1 change to save");
    pty.send("\r");
    pty.wait_for("Server error");
    pty.send("\r");
    pty.wait_for("Company Trace Co");
    pty.send("q");
    pty.wait_exit();
    let (config, state) = (pty.dirs.0.path(), pty.dirs.1.path());
    // Remember-me put the token in the session file: that is how the test knows it.
    let session: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(config.join("session.json")).expect("session"))
            .expect("json");
    let token = session["authtoken"].as_str().expect("a token").to_string();
    assert!(token.len() > 10);
    let log = std::fs::read_to_string(state.join("cs-account.log")).expect("the log file");
    assert!(log.contains("update user"), "the save is logged:\n{log}");
    assert!(!log.contains(&token), "the log holds the whole token");
    assert!(!log.contains("Demo-pass-1234"), "the log holds the password");
    assert!(
        !state.join("drafts").read_dir().is_ok_and(|mut d| d.next().is_some()),
        "no draft left once saved"
    );
    rt.block_on(server.shutdown());
}
