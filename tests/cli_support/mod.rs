//! Running the real binary for the scripting-command tests: private config and state
//! directories, no inherited endpoint or token variables, and a time limit, so that a command
//! that hangs (on a FIFO, say) fails its test instead of hanging the run.
#![allow(dead_code)] // Each test crate uses a different subset.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long any one command may take.
pub const LIMIT: Duration = Duration::from_secs(30);

pub struct Cli {
    pub config: tempfile::TempDir,
    pub state: tempfile::TempDir,
}

impl Cli {
    pub fn new() -> Cli {
        Cli { config: tempfile::tempdir().expect("tempdir"), state: tempfile::tempdir().expect("tempdir") }
    }

    pub fn config_dir(&self) -> &Path {
        self.config.path()
    }

    /// `cs-account ARGS` with the private directories and a clean environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cs-account"));
        cmd.args(args)
            .env("CS_ACCOUNT_CONFIG_DIR", self.config.path())
            .env("CS_ACCOUNT_STATE_DIR", self.state.path())
            .env_remove("CONTENTSTACK_AUTHTOKEN")
            .env_remove("CONTENTSTACK_MFA_SECRET")
            .env_remove("CS_ACCOUNT_REGION")
            .env_remove("CS_ACCOUNT_API_URL");
        cmd
    }

    /// Runs `cs-account ARGS` with `stdin` fed in, within [`LIMIT`].
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        run_within(self.cmd(args), stdin, LIMIT)
    }
}

/// Runs `cmd` with `stdin` fed in (then closed); kills it and fails the test if it has not ended
/// within `limit`.
pub fn run_within(mut cmd: Command, stdin: &str, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let pid = child.id();
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_string();
    std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.expect("the binary ends"),
        Err(_) => {
            if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
            panic!("`cs-account` did not end within {limit:?}: it hangs");
        }
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Asserts the command's stderr says `what` (showing all of it when it does not).
pub fn assert_stderr_has(out: &Output, what: &str) {
    let stderr = text(&out.stderr);
    assert!(stderr.contains(what), "stderr does not say {what:?}:\n{stderr}");
}

/// A demo server without its rate limit (the tests log in many times).
pub async fn server() -> cs_account::demo::DemoServer {
    let options = cs_account::demo::DemoOptions { rate_limit: 0, ..Default::default() };
    cs_account::demo::DemoServer::start(options).await.expect("demo server")
}

/// Logs `email` in on `server` with the demo password, answering the 2FA step with the current
/// code when it is asked for.
pub fn log_in(cli: &Cli, server: &cs_account::demo::DemoServer, email: &str) {
    let stdin = format!("Demo-pass-1234\n{}\n", cs_account::demo::totp_now());
    let out =
        cli.run(&["--api-url", &server.base_url(), "login", "--email", email, "--password-stdin"], &stdin);
    assert!(out.status.success(), "login {email}: {}", text(&out.stderr));
}

/// A demo server, and the CLI logged in on it as `email`.
pub async fn logged_in(email: &str) -> (cs_account::demo::DemoServer, Cli) {
    let server = server().await;
    let cli = Cli::new();
    log_in(&cli, &server, email);
    (server, cli)
}
