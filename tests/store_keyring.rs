//! The `keyring` feature on a machine without a Secret Service (headless, SSH, CI): the binary
//! logs in, keeps the token in the 0600 session file, says why in the log and nothing on the
//! screen, and the next command reads the session back.
//!
//! The session bus is pointed at a socket that does not exist, so the test behaves the same on
//! a desktop with a running keyring (and never writes to it).
#![cfg(all(unix, feature = "keyring"))]

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use cs_account::demo::{DemoOptions, DemoServer};

fn run(server: &DemoServer, config: &Path, state: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cs-account"))
        .arg("--api-url")
        .arg(server.base_url())
        .args(args)
        .env("CS_ACCOUNT_CONFIG_DIR", config)
        .env("CS_ACCOUNT_STATE_DIR", state)
        .env("CS_ACCOUNT_LOG", "debug")
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", state.join("no-bus").display()))
        .env_remove("CONTENTSTACK_AUTHTOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("stdin");
    child.wait_with_output().expect("binary ends")
}

#[tokio::test(flavor = "multi_thread")]
async fn no_keyring_service_falls_back_to_the_private_file() {
    let server = DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }).await.expect("demo");
    let (config, state) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let (config, state) = (config.path(), state.path());

    let login = run(
        &server,
        config,
        state,
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
    assert!(on_disk["authtoken"].as_str().is_some_and(|t| t.len() > 10), "{on_disk}");
    assert!(on_disk.get("token_in").is_none(), "{on_disk}");

    let log = std::fs::read_to_string(state.join("cs-account.log")).expect("log file");
    assert!(log.contains("no usable OS keyring"), "the log says why:\n{log}");

    let whoami = run(&server, config, state, &["whoami", "--json"], "");
    assert!(whoami.status.success(), "{}", String::from_utf8_lossy(&whoami.stderr));
    let user: serde_json::Value = serde_json::from_slice(&whoami.stdout).expect("json");
    assert_eq!(user["email"], "john.doe@example.com");

    let logout = run(&server, config, state, &["logout"], "");
    assert!(logout.status.success(), "{}", String::from_utf8_lossy(&logout.stderr));
    assert!(!file.exists());
}
