//! The release binary in a pseudo-terminal, and what /proc says about it.

use std::io::{ErrorKind, Write};
use std::num::NonZeroU16;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Session;
use expectrl::process::unix::{PtyStream, UnixProcess};

pub const COLS: u16 = 100;
pub const ROWS: u16 = 30;

/// `cs-account` in a pty of [`COLS`]×[`ROWS`], its output fed to a terminal emulator and
/// counted.
pub struct Pty {
    session: Session<UnixProcess, PtyStream>,
    screen: vt100::Parser,
    /// Bytes read from the pty so far.
    pub bytes: u64,
    _dirs: tempfile::TempDir,
}

impl Pty {
    /// Spawns the binary with `args` and temporary config and state directories (so no real
    /// session is read), the clock starting just before the spawn.
    pub fn spawn(args: &[&str]) -> (Pty, Instant) {
        let dirs = tempfile::tempdir().expect("tempdir");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cs-account"));
        cmd.args(args)
            .env("CS_ACCOUNT_CONFIG_DIR", dirs.path())
            .env("CS_ACCOUNT_STATE_DIR", dirs.path())
            .env("TERM", "xterm-256color")
            .env_remove("CONTENTSTACK_AUTHTOKEN")
            .env_remove("CS_ACCOUNT_DEBUG_PANIC")
            .env_remove("RUST_LOG");
        let started = Instant::now();
        let mut session = Session::spawn(cmd).expect("spawn in a pty");
        session.get_process_mut().set_window_size(COLS, ROWS).expect("window size");
        let size = |n| NonZeroU16::new(n).expect("non-zero");
        let pty =
            Pty { session, screen: vt100::Parser::new(size(ROWS), size(COLS), 0), bytes: 0, _dirs: dirs };
        (pty, started)
    }

    pub fn pid(&self) -> i32 {
        self.session.get_process().pid().as_raw()
    }

    /// Reads whatever is there; returns how many bytes came.
    pub fn pump(&mut self) -> usize {
        let mut buf = [0u8; 65536];
        let mut total = 0;
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    self.screen.process(&buf[..n]);
                    total += n;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(_) => break,
            }
        }
        self.bytes += total as u64;
        total
    }

    pub fn contents(&self) -> String {
        self.screen.screen().contents()
    }

    /// Polls every `poll` until the screen shows `text`; returns when it did.
    pub fn wait_for(&mut self, text: &str, poll: Duration) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if self.pump() > 0 && self.contents().contains(text) {
                return Instant::now();
            }
            assert!(Instant::now() < deadline, "the screen never showed {text:?}:\n{}", self.contents());
            std::thread::sleep(poll);
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

    /// Quits with ctrl-c and waits for the process.
    pub fn quit(mut self) {
        self.send("\u{3}");
        let _ = self.session.get_process().wait();
    }
}

/// `VmRSS` and `VmHWM` of `pid`, in kB.
pub fn memory_kb(pid: i32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time of every thread of `pid`: on-CPU nanoseconds from `schedstat` (exact), and utime +
/// stime from `stat` (in clock ticks of 10 ms, too coarse for a 5 ms budget, shown beside it).
pub fn cpu(pid: i32) -> (u64, u64) {
    let mut ns = 0;
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            let sched = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            ns += sched.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
        }
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_comm = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    // Fields after `comm`: state is the 1st, utime the 12th, stime the 13th.
    let fields: Vec<u64> = after_comm.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect();
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    (ns, ticks)
}
