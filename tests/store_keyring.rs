//! The `keyring` feature on a machine without a Secret Service (headless, SSH, CI): the binary
//! logs in, keeps the token in the 0600 session file, says why in the log and nothing on the
//! screen, and the next command reads the session back.
//!
//! The session bus is pointed at a socket that does not exist, so the test behaves the same on
//! a desktop with a running keyring (and never writes to it).
#![cfg(all(unix, feature = "keyring"))]

use std::os::unix::fs::PermissionsExt;
use std::process::Output;

mod cli_support;

use cli_support::{Cli, LIMIT, run_within};
use cs_account::demo::{DemoOptions, DemoServer};

/// Runs `cs-account --api-url <demo> ARGS` in `cli`'s directories with `stdin` fed in, logging at
/// debug level, with a session bus that does not exist.
fn run(server: &DemoServer, cli: &Cli, args: &[&str], stdin: &str) -> Output {
    let mut cmd = cli.cmd(&["--api-url", &server.base_url()]);
    cmd.args(args)
        .env("CS_ACCOUNT_LOG", "debug")
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", cli.state.path().join("no-bus").display()));
    run_within(cmd, stdin, LIMIT)
}

#[tokio::test(flavor = "multi_thread")]
async fn no_keyring_service_falls_back_to_the_private_file() {
    let server = DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }).await.expect("demo");
    let cli = Cli::new();
    let (config, state) = (cli.config_dir(), cli.state.path());

    let login = run(
        &server,
        &cli,
        &["login", "--email", "john.doe@example.com", "--password-stdin"],
        "Demo-pass-1234\n",
    );
    let stderr = String::from_utf8_lossy(&login.stderr).to_string();
    assert!(login.status.success(), "{stderr}");
    assert!(!stderr.to_lowercase().contains("keyring"), "the fallback is not the user's concern: {stderr}");

    let file = config.join("session.json");
    let mode = std::fs::metadata(&file).expect("session file").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let on_disk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    let session = &on_disk["sessions"][0];
    assert!(session["authtoken"].as_str().is_some_and(|t| t.len() > 10), "{on_disk}");
    assert!(session.get("token_in").is_none(), "{on_disk}");

    let log = std::fs::read_to_string(state.join("cs-account.log")).expect("log file");
    assert!(log.contains("no usable OS keyring"), "the log says why:\n{log}");

    let whoami = run(&server, &cli, &["whoami", "--json"], "");
    assert!(whoami.status.success(), "{}", String::from_utf8_lossy(&whoami.stderr));
    let user: serde_json::Value = serde_json::from_slice(&whoami.stdout).expect("json");
    assert_eq!(user["email"], "john.doe@example.com");

    let logout = run(&server, &cli, &["logout"], "");
    assert!(logout.status.success(), "{}", String::from_utf8_lossy(&logout.stderr));
    assert!(!file.exists());
}
