//! The scripting commands, run as the real binary against a demo server over loopback, with a
//! private config directory so no real session is touched.

use std::process::{Command, Output, Stdio};

mod cli_support;

use cli_support::{Cli, LIMIT, assert_stderr_has, run_within, text};
use cs_account::api::outbox::OutboxMessage;
use cs_account::demo::{DemoOptions, DemoServer};

struct Env {
    server: DemoServer,
    cli: Cli,
}

impl Env {
    async fn start() -> Env {
        let server = DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() })
            .await
            .expect("demo server starts");
        Env { server, cli: Cli::new() }
    }

    /// `cs-account --api-url <demo> ARGS`, with the private directories and a clean environment.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = self.cli.cmd(&["--api-url", &self.server.base_url()]);
        cmd.args(args);
        cmd
    }

    /// Runs `cs-account --api-url <demo> ARGS` with `stdin` fed in.
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        run_within(self.cmd(args), stdin, LIMIT)
    }

    fn outbox_token(&self, kind: &str, to: &str) -> String {
        let msgs: Vec<OutboxMessage> = self.server.outbox();
        let msg =
            msgs.iter().rev().find(|m| m.kind.as_str() == kind && m.to == to).expect("message in outbox");
        msg.link.clone().or_else(|| msg.token.clone()).expect("token or link")
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn login_whoami_update_logout() {
    let env = Env::start().await;
    let out = env.run(&["login", "--email", "john.doe@example.com", "--password-stdin"], "Demo-pass-1234\n");
    assert!(out.status.success(), "login: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Logged in as John Doe"), "{stderr}");
    assert!(!stderr.contains("Demo-pass-1234"));
    let session = std::fs::read_to_string(env.cli.config_dir().join("session.json")).expect("session stored");
    assert!(session.contains("john.doe@example.com"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            std::fs::metadata(env.cli.config_dir().join("session.json")).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let out = env.run(&["whoami", "--json"], "");
    assert!(out.status.success(), "whoami: {}", text(&out.stderr));
    let user: serde_json::Value = serde_json::from_slice(&out.stdout).expect("whoami --json is JSON");
    assert_eq!(user["email"], "john.doe@example.com");
    assert_eq!(user["roles"][0]["name"], "Developer");
    assert!(user.get("authtoken").is_none(), "the token is never printed");

    let out = env.run(&["whoami"], "");
    let plain = text(&out.stdout);
    assert!(plain.contains("John Doe") && plain.contains("•••••"), "{plain}");

    let out = env.run(&["update", "--company", "Acme Widgets"], "");
    assert!(out.status.success(), "update: {}", text(&out.stderr));
    let stored = env.server.user_snapshot("john.doe@example.com").expect("user");
    assert_eq!(stored["company"], "Acme Widgets");
    assert_eq!(stored["first_name"], "John", "untouched fields stay");

    let out = env.run(&["update", "--mobile", "12ab"], "");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a value the rules refuse is a usage error, caught before sending"
    );
    assert!(text(&out.stderr).to_lowercase().contains("mobile"), "{}", text(&out.stderr));

    let out = env.run(&["logout"], "");
    assert!(out.status.success(), "logout: {}", text(&out.stderr));
    assert!(!env.cli.config_dir().join("session.json").exists(), "session forgotten");

    let out = env.run(&["whoami"], "");
    assert_eq!(out.status.code(), Some(3), "not logged in exits 3");
    let hint = format!("`cs-account --api-url {} login`", env.server.base_url());
    assert!(text(&out.stderr).contains(&hint), "the hint keeps the flag: {}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_session_exits_3() {
    let env = Env::start().await;
    let out = env.run(&["login", "--email", "john.doe@example.com", "--password-stdin"], "Demo-pass-1234\n");
    assert!(out.status.success());
    env.server.advance_clock(std::time::Duration::from_secs(13 * 3600));
    let out = env.run(&["whoami"], "");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert_stderr_has(&out, "expired");
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_says_attempts_left_and_2fa_from_stdin() {
    let env = Env::start().await;
    let out = env.run(&["login", "--email", "john.doe@example.com", "--password-stdin"], "nope\n");
    assert_eq!(out.status.code(), Some(1));
    assert_stderr_has(&out, "attempt");

    let code = cs_account::demo::totp_now();
    let out = env.run(
        &["login", "--email", "tfa.user@example.com", "--password-stdin"],
        &format!("Demo-pass-1234\n{code}\n"),
    );
    assert!(out.status.success(), "2FA login: {}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn forgot_reset_then_new_password_logs_in() {
    let env = Env::start().await;
    let out = env.run(&["forgot-password", "john.doe@example.com"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let link = env.outbox_token("reset_password", "john.doe@example.com");

    let out = env.run(&["reset-password", "--stdin"], &format!("{link}\nshort\n"));
    assert_eq!(out.status.code(), Some(2), "weak password refused before sending");
    assert_stderr_has(&out, "password");

    let out = env.run(&["reset-password", "--stdin"], &format!("{link}\nBrand-new-pass-99\n"));
    assert!(out.status.success(), "reset: {}", text(&out.stderr));

    let old = env.run(&["login", "--email", "john.doe@example.com", "--password-stdin"], "Demo-pass-1234\n");
    assert_eq!(old.status.code(), Some(1), "old password refused");
    let new =
        env.run(&["login", "--email", "john.doe@example.com", "--password-stdin"], "Brand-new-pass-99\n");
    assert!(new.status.success(), "new password: {}", text(&new.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn activation_from_the_outbox() {
    let env = Env::start().await;
    let link = env.outbox_token("activation", "new.user@example.com");
    let out = env.run(
        &["activate", &link, "--first-name", "Nia", "--last-name", "New", "--password-stdin"],
        "Fresh-start-2026\n",
    );
    assert!(out.status.success(), "activate: {}", text(&out.stderr));
    let again = env.run(
        &["activate", &link, "--first-name", "Nia", "--last-name", "New", "--password-stdin"],
        "Fresh-start-2026\n",
    );
    assert_eq!(again.status.code(), Some(1), "an activation token works once");
    let login =
        env.run(&["login", "--email", "new.user@example.com", "--password-stdin"], "Fresh-start-2026\n");
    assert!(login.status.success(), "login after activation: {}", text(&login.stderr));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_cs-account"))
        .args(["--api-url", "http://example.com", "whoami"])
        .env("CS_ACCOUNT_CONFIG_DIR", dir.path())
        .env("CONTENTSTACK_AUTHTOKEN", "blt0000000000000000")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "plain HTTP");
    let out = Command::new(env!("CARGO_BIN_EXE_cs-account"))
        .args(["update"])
        .env("CS_ACCOUNT_CONFIG_DIR", dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_cs-account")).args(["--version"]).output().expect("runs");
    assert!(text(&out.stdout).starts_with("cs-account "));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_that_stops_early_is_not_an_error() {
    let env = Env::start().await;
    let out = env.run(&["login", "--email", "john.doe@example.com", "--password-stdin"], "Demo-pass-1234\n");
    assert!(out.status.success());
    let mut child =
        env.cmd(&["whoami", "--json"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("runs");
    // Close the read end before the answer arrives, as `| head -c0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("ends");
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
}
