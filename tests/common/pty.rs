//! The real binary in a pseudo-terminal, its output fed through a terminal emulator (vt100), as
//! a user would see it: the one harness of the end-to-end tests (`tests/e2e_*.rs`,
//! `tests/hygiene_pty.rs`) and of the timing budgets (`benches/budgets`, which includes this
//! file by path).
//!
//! Each run gets its own temporary config and state directories, so no real session is read or
//! touched, and an environment cleared of what would change the app's behaviour (a token, an
//! API URL or region, `NO_COLOR`, the debug-panic switch).

use std::io::{ErrorKind, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Session;
use expectrl::process::unix::{PtyStream, UnixProcess};

/// The terminal size unless a test asks for another.
pub const COLS: u16 = 100;
pub const ROWS: u16 = 30;

/// How long [`Pty::wait_for`] and [`Pty::wait_exit`] wait before failing the test.
const WAIT: Duration = Duration::from_secs(30);

/// What to start in the pty; [`Spawn::start`] starts it.
pub struct Spawn {
    cmd: Command,
    size: (u16, u16),
    keep_raw: bool,
    config: tempfile::TempDir,
    state: tempfile::TempDir,
}

impl Spawn {
    /// `cs-account <args>`.
    pub fn app(args: &[&str]) -> Spawn {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cs-account"));
        cmd.args(args);
        Spawn::of(cmd)
    }

    /// `sh -c <script>`, with the binary's path in `$BIN`: for tests that need the shell's view
    /// of the terminal after the app (its exit status, `stty -a`).
    pub fn shell(script: &str) -> Spawn {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script).env("BIN", env!("CARGO_BIN_EXE_cs-account"));
        Spawn::of(cmd)
    }

    fn of(mut cmd: Command) -> Spawn {
        let config = tempfile::tempdir().expect("config dir");
        let state = tempfile::tempdir().expect("state dir");
        cmd.env("CS_ACCOUNT_CONFIG_DIR", config.path())
            .env("CS_ACCOUNT_STATE_DIR", state.path())
            .env("TERM", "xterm-256color");
        for name in [
            "CONTENTSTACK_AUTHTOKEN",
            "CS_ACCOUNT_API_URL",
            "CS_ACCOUNT_REGION",
            "CS_ACCOUNT_DEBUG_PANIC",
            "NO_COLOR",
            "RUST_LOG",
        ] {
            cmd.env_remove(name);
        }
        Spawn { cmd, size: (COLS, ROWS), keep_raw: false, config, state }
    }

    /// Sets an environment variable (after the defaults, so it wins over them).
    pub fn env(mut self, name: &str, value: &str) -> Spawn {
        self.cmd.env(name, value);
        self
    }

    pub fn env_remove(mut self, name: &str) -> Spawn {
        self.cmd.env_remove(name);
        self
    }

    /// A `cols`×`rows` terminal instead of [`COLS`]×[`ROWS`].
    pub fn size(mut self, cols: u16, rows: u16) -> Spawn {
        self.size = (cols, rows);
        self
    }

    /// Keeps every byte the pty gives ([`Pty::raw`]), for tests that search the raw output.
    pub fn keep_raw(mut self) -> Spawn {
        self.keep_raw = true;
        self
    }

    /// Spawns it in a pty of the size asked for.
    pub fn start(self) -> Pty {
        let (cols, rows) = self.size;
        let mut session = Session::spawn(self.cmd).expect("spawn in a pty");
        // A fresh pty can report 0×0; the app then redraws on the resize.
        session.get_process_mut().set_window_size(cols, rows).expect("window size");
        let size = |n| NonZeroU16::new(n).expect("non-zero");
        Pty {
            session,
            screen: vt100::Parser::new(size(rows), size(cols), 0),
            raw: self.keep_raw.then(Vec::new),
            bytes: 0,
            config: self.config,
            state: self.state,
        }
    }
}

/// A process in a pseudo-terminal, and the screen it drew.
pub struct Pty {
    session: Session<UnixProcess, PtyStream>,
    screen: vt100::Parser,
    /// Every byte read, in order (with [`Spawn::keep_raw`]).
    raw: Option<Vec<u8>>,
    /// How many bytes were read so far.
    bytes: u64,
    config: tempfile::TempDir,
    state: tempfile::TempDir,
}

impl Pty {
    /// `cs-account <args>` in a [`COLS`]×[`ROWS`] pty.
    pub fn spawn(args: &[&str]) -> Pty {
        Spawn::app(args).start()
    }

    /// Feeds whatever the process wrote into the emulator; returns how many bytes came.
    pub fn pump(&mut self) -> usize {
        let mut buf = [0u8; 65536];
        let mut total = 0;
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    self.screen.process(&buf[..n]);
                    if let Some(raw) = &mut self.raw {
                        raw.extend_from_slice(&buf[..n]);
                    }
                    total += n;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                // EIO: everything on the pty's other side has exited.
                Err(_) => break,
            }
        }
        self.bytes += total as u64;
        total
    }

    /// The screen as text.
    pub fn contents(&self) -> String {
        self.screen.screen().contents()
    }

    /// The emulated screen: its modes (alternate screen, cursor, bracketed paste).
    pub fn screen(&self) -> &vt100::Screen {
        self.screen.screen()
    }

    /// Every byte read so far; empty unless spawned with [`Spawn::keep_raw`].
    pub fn raw(&self) -> &[u8] {
        self.raw.as_deref().unwrap_or_default()
    }

    /// How many bytes were read so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The process's id (the shell's, under [`Spawn::shell`]).
    pub fn pid(&self) -> i32 {
        self.session.get_process().pid().as_raw()
    }

    pub fn config_dir(&self) -> &Path {
        self.config.path()
    }

    pub fn state_dir(&self) -> &Path {
        self.state.path()
    }

    /// Waits until the screen shows `text`; panics with the screen if it does not.
    pub fn wait_for(&mut self, text: &str) {
        self.poll_for(text, Duration::from_millis(20), WAIT);
    }

    /// Polls every `every` until the screen shows `text`, and returns when it did; panics with
    /// the screen after `within`. The screen is read again only when output came.
    pub fn poll_for(&mut self, text: &str, every: Duration, within: Duration) -> Instant {
        let deadline = Instant::now() + within;
        let mut first = true;
        loop {
            let fresh = self.pump() > 0 || std::mem::take(&mut first);
            if fresh && self.contents().contains(text) {
                return Instant::now();
            }
            assert!(
                Instant::now() < deadline,
                "the screen never showed {text:?}; it shows:\n{}",
                self.contents()
            );
            std::thread::sleep(every);
        }
    }

    /// Waits until nothing has been written for `quiet`.
    pub fn settle(&mut self, quiet: Duration) {
        let mut last = Instant::now();
        while last.elapsed() < quiet {
            if self.pump() > 0 {
                last = Instant::now();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn send(&mut self, text: &str) {
        self.session.write_all(text.as_bytes()).expect("write to the pty");
        self.session.flush().expect("flush");
    }

    /// Waits for the process to end, reading its last output.
    pub fn wait_exit(&mut self) {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            self.pump();
            if !self.session.get_process().is_alive().unwrap_or(false) {
                self.pump();
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the process did not exit; the screen shows:\n{}", self.contents());
    }

    /// The terminal is as the app found it: main screen, cursor shown, no bracketed paste.
    pub fn assert_restored(&self) {
        let s = self.screen();
        assert!(!s.alternate_screen(), "still on the alternate screen:\n{}", self.contents());
        assert!(!s.hide_cursor(), "the cursor is still hidden");
        assert!(!s.bracketed_paste(), "bracketed paste is still on");
    }
}
