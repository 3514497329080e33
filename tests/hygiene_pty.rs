//! Terminal hygiene: whatever way the app ends (a panic inside the loop, the quit key, SIGTERM),
//! the terminal it leaves behind is the one it found: cooked mode with echo, the normal screen,
//! the cursor shown, bracketed paste off. And a panic report shows no secret.
//!
//! The real binary runs in a pseudo-terminal under `sh`, which prints the exit status and
//! `stty -a` once the app is gone, so the test reads the line discipline's state exactly as the
//! user's shell would find it. Everything written to the pty is kept: vt100 interprets it (screen
//! modes), and the raw bytes are searched (the panic message after the last "leave alternate
//! screen", secrets anywhere). Panics come from the hidden `CS_ACCOUNT_DEBUG_PANIC` switch.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::pty::{Pty, Spawn};
use cs_account::demo::{DemoOptions, DemoServer};

/// Tall enough that the panic report and `stty -a` both fit on the screen after the app.
const COLS: u16 = 120;
const ROWS: u16 = 60;
const PASSWORD: &str = "Demo-pass-1234";
/// What crossterm writes to leave the alternate screen.
const LEAVE_ALT: &[u8] = b"\x1b[?1049l";

/// Runs `cs-account <args>` under `sh`, which reports how it ended and the tty's settings.
/// Every byte is kept, to be searched.
fn spawn(args: &str, debug_panic: Option<&str>) -> Pty {
    spawn_with(args, debug_panic, &[])
}

/// [`spawn`], with more environment variables.
fn spawn_with(args: &str, debug_panic: Option<&str>, env: &[(&str, &str)]) -> Pty {
    let mut spawn = Spawn::shell(&format!(
        "stty sane; echo STTY-BEFORE; stty -a; echo STTY-BEFORE-END; \
         \"$BIN\" {args}; echo EXIT=$?; stty -a; echo STTY-DONE"
    ))
    // The report as users see it, short enough to stay on the screen.
    .env_remove("RUST_BACKTRACE")
    .env_remove("RUST_LIB_BACKTRACE")
    .size(COLS, ROWS)
    .keep_raw();
    for (name, value) in env {
        spawn = spawn.env(name, value);
    }
    match debug_panic {
        Some(mode) => spawn.env("CS_ACCOUNT_DEBUG_PANIC", mode),
        None => spawn,
    }
    .start()
}

/// Waits for the shell's report, and returns the app's exit status and the tty settings it
/// left.
fn finish(pty: &mut Pty) -> (i32, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let text = loop {
        pty.pump();
        let text = String::from_utf8_lossy(pty.raw()).into_owned();
        if text.contains("STTY-DONE") {
            break text;
        }
        assert!(Instant::now() < deadline, "the app did not end; the screen shows:\n{}", pty.contents());
        std::thread::sleep(Duration::from_millis(20));
    };
    let after = text.rsplit_once("EXIT=").map(|(_, rest)| rest).unwrap_or("");
    let status = after.split_whitespace().next().and_then(|s| s.parse().ok()).unwrap_or(-1);
    let stty = after.split_once('\n').map(|(_, rest)| rest).unwrap_or("");
    let stty = stty.split("STTY-DONE").next().unwrap_or("").to_string();
    (status, stty)
}

/// A demo server without its rate limit, on a runtime of its own (kept alive with it).
fn demo_server() -> (tokio::runtime::Runtime, DemoServer) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime
        .block_on(DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }))
        .expect("demo server");
    (runtime, server)
}

/// The app ends with `status` (`why` says what that status means) and leaves the terminal as
/// it found it.
fn ends_restored(pty: &mut Pty, status: i32, why: &str) {
    let (ended, stty) = finish(pty);
    assert_eq!(ended, status, "{why}; the screen shows:\n{}", pty.contents());
    assert_restored(pty, &stty);
}

/// The tty settings before the app started (after `stty sane`, as a user's shell has them).
fn stty_before(pty: &Pty) -> String {
    let text = String::from_utf8_lossy(pty.raw());
    let from = text.split_once("STTY-BEFORE\r\n").map(|(_, rest)| rest).unwrap_or("");
    from.split("STTY-BEFORE-END").next().unwrap_or("").to_string()
}

/// The pid of the shell's child: the app itself.
fn app_pid(pty: &Pty) -> u32 {
    let shell = pty.pid();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            // `pid (comm) state ppid ...`: comm may hold spaces, so split after the last ')'.
            let Some((head, tail)) = stat.rsplit_once(')') else { continue };
            let ppid = tail.split_whitespace().nth(1).and_then(|p| p.parse::<i32>().ok());
            if ppid == Some(shell) && head.contains("(cs-account") {
                return entry.file_name().to_string_lossy().parse().expect("a pid");
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no cs-account process under the shell {shell}");
}

/// What was written after the app last left the alternate screen.
fn after_restore(pty: &Pty) -> String {
    let raw = pty.raw();
    let at = memchr::memmem::rfind(raw, LEAVE_ALT).expect("the app never left the alternate screen");
    String::from_utf8_lossy(&raw[at + LEAVE_ALT.len()..]).into_owned()
}

/// The terminal is as the app found it: the same line settings (so cooked mode, echo on),
/// the normal screen, the cursor shown, no bracketed paste.
fn assert_restored(pty: &Pty, stty: &str) {
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(flags.contains(&flag), "`{flag}` is off: still in raw mode?\n{stty}");
    }
    let before = stty_before(pty);
    assert!(before.contains("icanon"), "no settings were recorded before the app:\n{before}");
    // The first line is speed and window size: the size is the test's to set, not the app's.
    let settings =
        |s: &str| s.lines().skip(1).flat_map(str::split_whitespace).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(
        settings(&before),
        settings(stty),
        "the tty settings changed:\nbefore:\n{before}\nafter:\n{stty}"
    );
    pty.assert_restored();
}

#[test]
fn a_panic_after_the_first_frame_restores_the_terminal() {
    let mut pty = spawn("demo", Some("after-first-frame"));
    ends_restored(&mut pty, 101, "a panic's exit status");
    let after = after_restore(&pty);
    assert!(after.contains("deliberate panic after the first frame"), "report after restoring:\n{after}");
    let screen = pty.contents();
    assert!(screen.contains("deliberate panic after the first frame"), "report not on screen:\n{screen}");
    // The app did draw before it panicked: the form's title went out in the alternate screen.
    let all = String::from_utf8_lossy(pty.raw()).into_owned();
    assert!(all.contains("Log in"), "no frame was drawn before the panic");
}

#[test]
fn the_quit_key_restores_the_terminal() {
    let mut pty = spawn("demo", None);
    pty.wait_for("Log in to Contentstack");
    pty.wait_for("Demo server");
    // Ctrl-n fills in the next demo login, Enter logs in; q quits from the profile.
    pty.send("\x0e");
    pty.send("\r");
    pty.wait_for("john.doe@example.com");
    pty.wait_for("Roles");
    pty.send("q");
    ends_restored(&mut pty, 0, "exit status");
}

/// Sends `signal` to `pid` (a negative pid: the process group) with kill(1).
fn kill(signal: &str, pid: i64) {
    let status = Command::new("kill").args([&format!("-{signal}"), "--", &pid.to_string()]).status();
    assert!(status.expect("kill").success(), "kill -{signal} {pid}");
}

/// A signal from outside (not a key: raw mode makes ctrl-c a key) quits like the quit key.
fn a_signal_restores_the_terminal(signal: &str) {
    let mut pty = spawn("demo", None);
    pty.wait_for("Log in to Contentstack");
    let pid = app_pid(&pty);
    let asked = Instant::now();
    kill(signal, pid.into());
    ends_restored(&mut pty, 0, &format!("SIG{signal} quits like the quit key"));
    // Not a hard budget (that is for benches): a sign that it did not wait for a timeout.
    assert!(asked.elapsed() < Duration::from_secs(10), "SIG{signal} took {:?}", asked.elapsed());
}

#[test]
fn sigterm_restores_the_terminal() {
    a_signal_restores_the_terminal("TERM");
}

#[test]
fn sigint_restores_the_terminal() {
    a_signal_restores_the_terminal("INT");
}

#[test]
fn sigquit_restores_the_terminal() {
    a_signal_restores_the_terminal("QUIT");
}

#[test]
fn sighup_restores_the_terminal() {
    a_signal_restores_the_terminal("HUP");
}

/// The process's state letter in /proc (`T`: stopped).
fn proc_state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')').and_then(|(_, tail)| tail.trim_start().chars().next()).unwrap_or('?')
}

fn wait_for_state(pid: u32, want: impl Fn(char) -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if want(proc_state(pid)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the app never became {what} (state {})", proc_state(pid));
}

/// The pty's line settings as `stty -a` prints them, read from outside through the app's tty.
fn stty_of(pid: u32) -> String {
    let tty = std::fs::read_link(format!("/proc/{pid}/fd/0")).expect("the app's stdin");
    let out = Command::new("stty").arg("-a").arg("-F").arg(&tty).output().expect("stty");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn flags(stty: &str) -> Vec<String> {
    stty.split(|c: char| c.is_whitespace() || c == ';').map(str::to_string).collect()
}

/// Stops the app with `stop` (a key or a signal), checks the shell has its terminal back while
/// it is stopped, continues it and checks the app has the terminal again, redrawn.
fn suspend_and_resume(pty: &mut Pty, pid: u32, stop: impl FnOnce(&mut Pty)) {
    pty.pump();
    // The log-in form shows its cursor in the focused field; whatever it was, it comes back.
    let cursor_hidden = pty.screen().hide_cursor();
    stop(pty);
    wait_for_state(pid, |s| s == 'T', "stopped");
    pty.pump();
    let stopped = stty_of(pid);
    let f = flags(&stopped);
    for flag in ["icanon", "echo", "isig"] {
        assert!(f.iter().any(|x| x == flag), "`{flag}` is off while stopped: still raw?\n{stopped}");
    }
    let s = pty.screen();
    assert!(!s.alternate_screen(), "still on the alternate screen while stopped");
    assert!(!s.hide_cursor(), "the cursor is hidden while stopped");
    assert!(!s.bracketed_paste(), "bracketed paste is on while stopped");
    // What the shell's `fg` does: continue the whole job (the app stopped its process group).
    let app = rustix::process::Pid::from_raw(pid as i32).expect("a pid");
    let group = rustix::process::getpgid(Some(app)).expect("pgid");
    let drawn = pty.raw().len();
    kill("CONT", -i64::from(group.as_raw_nonzero().get()));
    wait_for_state(pid, |s| s != 'T', "running");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        pty.pump();
        let redrawn = String::from_utf8_lossy(&pty.raw()[drawn..]).contains("Log in to Contentstack");
        // The whole frame, to its last byte: the cursor is set as it ends (a check in the middle
        // of it saw the cursor the frame hides while drawing, under load).
        let screen = pty.screen();
        if redrawn && screen.alternate_screen() && screen.hide_cursor() == cursor_hidden {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not redrawn after SIGCONT:\n{}\nraw: {:?}",
            pty.contents(),
            String::from_utf8_lossy(&pty.raw()[drawn..])
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let running = stty_of(pid);
    let f = flags(&running);
    for flag in ["-icanon", "-echo"] {
        assert!(f.iter().any(|x| x == flag), "`{flag}` missing after resuming: not raw again?\n{running}");
    }
    let s = pty.screen();
    assert!(s.bracketed_paste(), "bracketed paste not turned on again");
    assert_eq!(s.hide_cursor(), cursor_hidden, "the cursor is not as it was before");
}

#[test]
fn sigtstp_and_ctrl_z_suspend_and_sigcont_resumes() {
    let mut pty = spawn("demo", None);
    pty.wait_for("Log in to Contentstack");
    let pid = app_pid(&pty);
    suspend_and_resume(&mut pty, pid, |_| kill("TSTP", pid.into()));
    // The app works after it: it takes keys and draws them.
    pty.send("typed@example.com");
    pty.wait_for("typed@example.com");
    // The ctrl-z key (raw mode: a key, not the terminal's SIGTSTP).
    suspend_and_resume(&mut pty, pid, |pty| pty.send("\x1a"));
    pty.wait_for("typed@example.com");
    pty.send("\x03");
    ends_restored(&mut pty, 0, "exit status");
}

/// The session token the app saved (remember me is on by default).
fn saved_token(dir: &Path) -> String {
    let path = dir.join("session.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(text) = std::fs::read_to_string(&path)
            && let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text)
            && let Some(token) = doc["sessions"][0]["authtoken"].as_str()
        {
            return token.to_string();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no session with a token was saved in {}", path.display());
}

#[test]
fn a_panic_report_after_logging_in_holds_no_secret() {
    let (runtime, server) = demo_server();
    let mut pty = spawn(&format!("--api-url {}", server.base_url()), Some("on-key"));
    pty.wait_for("Log in to Contentstack");
    pty.send("john.doe@example.com\t");
    pty.send(PASSWORD);
    pty.send("\r");
    pty.wait_for("Roles");
    pty.wait_for("john.doe@example.com");
    let token = saved_token(pty.config_dir());
    assert!(token.len() >= 16, "a real token to look for, not {token:?}");
    // F12.
    pty.send("\x1b[24~");
    ends_restored(&mut pty, 101, "a panic's exit status");
    assert!(after_restore(&pty).contains("deliberate panic on F12"), "{}", after_restore(&pty));
    let all = String::from_utf8_lossy(pty.raw()).into_owned();
    // The search sees what the screen showed (the email typed and then shown in the header)...
    assert!(all.contains("john.doe@example.com"), "the pty output was not captured");
    // ...and neither secret, in the frames, the report or the shell's lines after it.
    assert!(!all.contains(PASSWORD), "the password reached the terminal");
    assert!(!all.contains(&token), "the session token reached the terminal");
    runtime.block_on(server.shutdown());
}

/// After a browser sign-in, a panic report (and the frames before it) hold neither the access
/// token nor the refresh token, and neither does the trace log.
#[test]
fn a_panic_report_after_a_browser_sign_in_holds_no_token() {
    let (runtime, server) = demo_server();
    let redirect_url = format!("http://127.0.0.1:{}", common::oauth::free_port());
    let env = [
        ("OAUTH_APP_REDIRECT_URL", redirect_url.as_str()),
        ("CS_ACCOUNT_NO_BROWSER", "1"),
        ("CS_ACCOUNT_LOG", "trace"),
    ];
    let mut pty = spawn_with(&format!("--api-url {}", server.base_url()), Some("on-key"), &env);
    pty.wait_for("Sign in with browser (SSO)");
    pty.send("\u{2}");
    pty.wait_for("copies it");
    let url = common::oauth::address_on_screen(&pty.contents());
    let redirect = runtime.block_on(common::oauth::approve(&server, &url, "sso.user@example.com"));
    runtime.block_on(reqwest::get(&redirect)).expect("the listener answers");
    pty.wait_for("Sam Soto");
    let session = std::fs::read_to_string(pty.config_dir().join("session.json")).expect("remembered");
    let doc: serde_json::Value = serde_json::from_str(&session).expect("JSON");
    let oauth = &doc["sessions"][0]["oauth"];
    let tokens: Vec<String> = ["access_token", "refresh_token"]
        .iter()
        .map(|k| oauth[k].as_str().expect("a token").to_string())
        .collect();
    // Raw JSON tab: the masked token shows, the token does not.
    pty.send("5");
    pty.wait_for("\"uid\"");
    pty.send("G");
    pty.wait_for("\"access_token\": \"•••••");
    pty.send("\x1b[24~");
    ends_restored(&mut pty, 101, "a panic's exit status");
    let all = String::from_utf8_lossy(pty.raw()).into_owned();
    let log = std::fs::read_to_string(pty.state_dir().join("cs-account.log")).expect("a log file");
    assert!(log.contains("browser sign-in"), "trace logging ran:\n{log}");
    for token in &tokens {
        assert!(token.len() >= 16, "a real token to look for, not {token:?}");
        assert!(!all.contains(token.as_str()), "a token reached the terminal");
        assert!(!log.contains(token.as_str()), "a token reached the log");
    }
    runtime.block_on(server.shutdown());
}
