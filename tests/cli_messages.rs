//! What the scripting commands say and refuse: values checked before sending (one sentence per
//! field), hints that keep the endpoint flags, help and the man page, the activation token kept
//! out of argv, core dumps off, special files (FIFOs, devices, huge files) refused without
//! hanging, and the full-screen app without a terminal.
#![cfg(unix)]

mod cli_support;

use std::time::Duration;

use cli_support::{Cli, LIMIT, assert_stderr_has, log_in, logged_in, run_within, server, text};

fn mkfifo(path: &std::path::Path) {
    rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o600)).expect("mkfifo");
}

#[tokio::test(flavor = "multi_thread")]
async fn update_checks_values_first_with_one_sentence_per_field() {
    let (a, cli) = logged_in("john.doe@example.com").await;
    let out = cli.run(&["update", "--first-name", "  ", "--mobile", "12ab", "--company", "Fine"], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "cs-account: First name can't be blank. Mobile number must be 4 to 15 digits with no spaces or symbols (or empty to remove it). Nothing was sent."
    );
    assert!(!a.requests().iter().any(|r| r.method == "PUT"), "nothing was sent: {:?}", a.requests());
    // Values are sent trimmed, as the edit form sends them.
    let out = cli.run(&["update", "--company", "  Acme  "], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(a.user_snapshot("john.doe@example.com").expect("user")["company"], "Acme");
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_password_checks_the_rules_before_sending() {
    let a = server().await;
    let cli = Cli::new();
    let out =
        cli.run(&["--api-url", &a.base_url(), "reset-password", "--stdin"], "blt0123456789abcdef\nshort\n");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "cs-account: The new password is too short (minimum is 8 characters), must contain an upper-case letter, must contain a digit and must contain a symbol. Nothing was sent."
    );
    assert!(a.requests().iter().all(|r| r.route != "/v3/user/reset_password"), "{:?}", a.requests());
}

#[tokio::test(flavor = "multi_thread")]
async fn hints_repeat_the_endpoint_flags() {
    let a = server().await;
    let cli = Cli::new();
    let url = a.base_url();
    let out = cli.run(&["--api-url", &url, "whoami"], "");
    assert_eq!(out.status.code(), Some(3));
    assert_stderr_has(&out, &format!("Run `cs-account --api-url {url} login`"));
    let out = cli.run(&["--api-url", &url, "forgot-password", "john.doe@example.com"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_stderr_has(&out, &format!("run `cs-account --api-url {url} reset-password`"));
    // After the session expired, `--api-url` again in the hint.
    log_in(&cli, &a, "john.doe@example.com");
    a.advance_clock(Duration::from_secs(13 * 3600));
    let out = cli.run(&["--api-url", &url, "whoami"], "");
    assert_eq!(out.status.code(), Some(3));
    assert_stderr_has(&out, &format!("`cs-account --api-url {url} login`"));
}

#[tokio::test(flavor = "multi_thread")]
async fn sms_from_stdin_says_what_to_do_when_the_code_line_is_missing() {
    let a = server().await;
    let cli = Cli::new();
    let out = cli.run(
        &[
            "--api-url",
            &a.base_url(),
            "login",
            "--email",
            "tfa.user@example.com",
            "--password-stdin",
            "--sms",
        ],
        "Demo-pass-1234\n",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("The code was sent by SMS, but stdin ended before it"), "{stderr}");
    assert!(!stderr.contains("or use --sms"), "it did use --sms: {stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_2fa_prompt_shows_no_internal_value() {
    use expectrl::Expect;
    use std::io::Write;
    let a = server().await;
    let cli = Cli::new();
    let cmd = cli.cmd(&["--api-url", &a.base_url(), "login", "--email", "tfa.user@example.com"]);
    let mut session = expectrl::Session::spawn(cmd).expect("spawn in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session.expect("Password for tfa.user@example.com:").expect("password prompt");
    session.write_all(b"Demo-pass-1234\r").expect("type");
    let found = session.expect(expectrl::Regex("Two-factor code[^:\r\n]*:")).expect("code prompt");
    let prompt = String::from_utf8_lossy(found.get(0).expect("the match")).to_string();
    assert_eq!(prompt, "Two-factor code from your authenticator app:", "no [totp_authenticator]");
    session.write_all(format!("{}\r", cs_account::demo::totp_now()).as_bytes()).expect("type");
    session.expect("Logged in as").expect("logged in");
}

#[tokio::test(flavor = "multi_thread")]
async fn activation_takes_the_token_from_stdin_and_warns_about_argv() {
    let a = server().await;
    let cli = Cli::new();
    let link = |kind: &str| {
        let msg = a.outbox().into_iter().rev().find(|m| m.kind.as_str() == kind).expect("in the outbox");
        msg.link.or(msg.token).expect("link")
    };
    let token = link("activation");
    let out = cli.run(
        &["--api-url", &a.base_url(), "activate", "--stdin", "--first-name", "Nia", "--last-name", "New"],
        &format!("{token}\nFresh-start-2026\n"),
    );
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    // As an argument it still works (for scripts), with a warning saying why not to.
    let out = cli.run(
        &[
            "--api-url",
            &a.base_url(),
            "activate",
            &token,
            "--first-name",
            "Nia",
            "--last-name",
            "New",
            "--password-stdin",
        ],
        "Fresh-start-2026\n",
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("warning: a token given as an argument can be read by other users"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "used once already: {stderr}");
    // Names and the password are checked before sending, with the form's rules.
    let out = cli.run(
        &["--api-url", &a.base_url(), "activate", "--stdin", "--first-name", "", "--last-name", "New"],
        &format!("{token}\nFresh-start-2026\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "First name can't be blank. Nothing was sent.");
}

#[test]
fn help_names_the_app_the_variables_and_the_exit_codes() {
    let cli = Cli::new();
    let out = cli.run(&["--help"], "");
    let help = text(&out.stdout);
    for needle in [
        "With no command, cs-account opens the full-screen app",
        "Environment variables:",
        "CONTENTSTACK_AUTHTOKEN",
        "CS_ACCOUNT_CONFIG_DIR",
        "Exit codes: 0 ok",
        "Global options:",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}:\n{help}");
    }
    let out = cli.run(&["login", "--help"], "");
    let help = text(&out.stdout);
    let (own, global) = help.split_once("Global options:").expect("a heading of its own");
    assert!(own.contains("--password-stdin") && !own.contains("--api-url"), "{help}");
    assert!(global.contains("--api-url") && global.contains("--timeout"), "{help}");
    assert!(help.contains("Exit codes:"), "{help}");
}

#[test]
fn the_man_page_comes_from_the_same_definitions() {
    let cli = Cli::new();
    let out = cli.run(&["man"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.starts_with(".ie") || page.contains(".TH cs-account"), "{}", &page[..200.min(page.len())]);
    for needle in
        ["reset\\-password", "CONTENTSTACK_AUTHTOKEN", "\\-\\-api\\-url", "full\\-screen app", "Exit codes"]
    {
        assert!(page.contains(needle), "the man page lacks {needle:?}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = cli.run(&["man", "--dir", &dir.path().to_string_lossy()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("cs-account.1").is_file() && dir.path().join("cs-account-login.1").is_file());
}

#[test]
fn core_dumps_are_off() {
    let cli = Cli::new();
    let log = cli.state.path().join("debug.log");
    // `login` waits on stdin for the password, so the process stays up to be looked at.
    let mut cmd =
        cli.cmd(&["--api-url", "http://127.0.0.1:9", "login", "--email", "a@b.c", "--password-stdin"]);
    cmd.env("CS_ACCOUNT_LOG", "debug").env("CS_ACCOUNT_LOG_FILE", &log);
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("runs");
    let limits = format!("/proc/{}/limits", child.id());
    let mut core = String::new();
    for _ in 0..500 {
        core = std::fs::read_to_string(&limits)
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap_or_default()
            .to_string();
        if std::fs::read_to_string(&log).is_ok_and(|l| l.contains("core dumps turned off")) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(child.stdin.take());
    let _ = child.wait();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(fields.get(4..6), Some(&["0", "0"][..]), "soft and hard limit 0: {core:?}");
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(logged.contains("possible=false"), "prctl(PR_GET_DUMPABLE) is 0 in the binary: {logged}");
}

#[test]
fn without_a_terminal_the_app_says_so_and_points_at_the_commands() {
    let cli = Cli::new();
    let out = cli.run(&[], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("The full-screen app needs a terminal"), "{stderr}");
    assert!(stderr.contains("`cs-account whoami`") && !stderr.contains("os error"), "{stderr}");
}

#[test]
fn a_fifo_as_the_session_file_is_refused_at_once() {
    let cli = Cli::new();
    mkfifo(&cli.config_dir().join("session.json"));
    let out = run_within(cli.cmd(&["whoami"]), "", LIMIT);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("is not a regular file"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn login_over_a_fifo_session_file_does_not_hang() {
    let a = server().await;
    let cli = Cli::new();
    mkfifo(&cli.config_dir().join("session.json"));
    log_in(&cli, &a, "john.doe@example.com");
    let meta = std::fs::symlink_metadata(cli.config_dir().join("session.json")).expect("meta");
    assert!(meta.is_file(), "the FIFO was replaced by the session file");
}

#[test]
fn special_or_huge_config_files_are_refused_at_once() {
    let cli = Cli::new();
    let config = cli.config_dir().join("config.toml");
    mkfifo(&config);
    let out = run_within(cli.cmd(&["whoami"]), "", LIMIT);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "is not a regular file");

    std::fs::remove_file(&config).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &config).expect("symlink");
    let out = run_within(cli.cmd(&["whoami"]), "", LIMIT);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "is not a regular file");

    std::fs::remove_file(&config).expect("rm");
    std::fs::write(&config, format!("# {}\n", "x".repeat(100 * 1024))).expect("write");
    let out = run_within(cli.cmd(&["whoami"]), "", LIMIT);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "larger than 64 KB");
}

#[test]
fn a_config_directory_others_can_write_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new();
    std::fs::set_permissions(cli.config_dir(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let out = cli.run(&["whoami"], "");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains("can be changed by other users (mode 777)"),
        "{stderr}"
    );
}
