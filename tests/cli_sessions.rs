//! Several stored sessions from a shell: `status` (offline and `--check`), `switch`, `token`,
//! `logout EMAIL` and `logout --all`, with two accounts on two demo servers and two emails on
//! one. Each server's request log shows that no token reached a server other than its own.
#![cfg(unix)]

mod cli_support;

use std::time::Duration;

use cli_support::{Cli, assert_stderr_has, log_in, server, text};
use cs_account::api::Endpoint;
use cs_account::demo::DemoServer;
use cs_account::store::SessionStore;
use secrecy::ExposeSecret;

const JOHN: &str = "john.doe@example.com";
const TFA: &str = "tfa.user@example.com";

fn authtokens(server: &DemoServer) -> usize {
    server.requests().iter().filter(|r| r.authtoken).count()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

fn endpoint(server: &DemoServer) -> Endpoint {
    Endpoint::custom(&server.base_url()).expect("url")
}

/// (email, endpoint id, active) of every session in `status --json`.
fn listed(status: &serde_json::Value) -> Vec<(String, String, bool)> {
    status["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| {
            (
                s["email"].as_str().unwrap_or_default().to_string(),
                s["endpoint"].as_str().unwrap_or_default().to_string(),
                s["active"].as_bool().unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn status_switch_token_and_logout_across_two_servers() {
    let (a, b) = (server().await, server().await);
    let (a_id, b_id) = (endpoint(&a).id(), endpoint(&b).id());
    let cli = Cli::new();
    log_in(&cli, &a, JOHN);
    log_in(&cli, &a, TFA);
    log_in(&cli, &b, JOHN);
    let store = SessionStore::new(cli.config_dir().to_path_buf());
    let (a_before, b_before) = (authtokens(&a), authtokens(&b));

    // Offline: every session, the last log-in of each server active, nothing sent.
    let out = cli.run(&["status", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let status = json(&out);
    assert_eq!(
        listed(&status),
        [
            (JOHN.to_string(), a_id.clone(), false),
            (TFA.to_string(), a_id.clone(), true),
            (JOHN.to_string(), b_id.clone(), true)
        ]
    );
    assert_eq!(status["endpoint"], b_id, "the active session used last");
    assert_eq!(status["sessions"][0]["obtained"], "password");
    assert!(status["sessions"][0].get("valid").is_none(), "offline: not checked");
    assert!(!text(&out.stdout).contains("blt"), "no token in the status");
    let out = cli.run(&["status"], "");
    let plain = text(&out.stdout);
    assert!(plain.contains(&format!("* {TFA}  active")), "{plain}");
    assert!(plain.contains(&format!("- {JOHN}")), "{plain}");
    assert!(plain.contains("logged in with a password · created "), "{plain}");
    assert_eq!((authtokens(&a), authtokens(&b)), (a_before, b_before), "status is offline");

    // token: the chosen endpoint's active token, nothing else on stdout, no warning off a terminal.
    let out = cli.run(&["token"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let b_token = store.load_active(&endpoint(&b)).expect("read").expect("b");
    assert_eq!(
        text(&out.stdout),
        format!("{}\n", b_token.authtoken().expect("an authtoken").expose_secret())
    );
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let out = cli.run(&["--api-url", &a.base_url(), "token"], "");
    let tfa_on_a = store.load_one(&endpoint(&a), TFA).expect("read").expect("tfa");
    assert_eq!(text(&out.stdout).trim_end(), tfa_on_a.authtoken().expect("an authtoken").expose_secret());

    // switch: by email on the server asked for; ambiguous without a terminal lists the choices.
    let out = cli.run(&["--api-url", &a.base_url(), "switch", JOHN], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_stderr_has(&out, &format!("Switched to {JOHN} on"));
    assert_eq!(store.load_active(&endpoint(&a)).expect("read").expect("a").email, JOHN);
    assert_eq!(store.load().expect("read").expect("latest").endpoint, endpoint(&a), "switching is a use");
    let out = cli.run(&["switch"], "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("cs-account --api-url {} switch {TFA}", a.base_url())), "{stderr}");
    assert!(stderr.contains(&format!("cs-account --api-url {} switch {JOHN}", b.base_url())), "{stderr}");
    let out = cli.run(&["--api-url", &a.base_url(), "switch"], "");
    assert!(out.status.success(), "the only other session of A: {}", text(&out.stderr));
    assert_eq!(store.load_active(&endpoint(&a)).expect("read").expect("a").email, TFA);
    let out = cli.run(&["switch", "nobody@example.com"], "");
    assert_eq!(out.status.code(), Some(3));
    assert_stderr_has(&out, "No stored session of nobody@example.com");
    assert_eq!((authtokens(&a), authtokens(&b)), (a_before, b_before), "switch and token are offline");

    // --check: all valid; then A's clock moves past the tokens' life and A's sessions expire.
    let out = cli.run(&["status", "--check", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(json(&out)["sessions"].as_array().expect("list").iter().all(|s| s["valid"] == true));
    assert_eq!((authtokens(&a), authtokens(&b)), (a_before + 2, b_before + 1), "each token to its server");
    a.advance_clock(Duration::from_secs(13 * 3600));
    let out = cli.run(&["--api-url", &a.base_url(), "status", "--check", "--json"], "");
    assert_eq!(out.status.code(), Some(3), "A's active session expired: {}", text(&out.stderr));
    let valid: Vec<_> =
        json(&out)["sessions"].as_array().expect("list").iter().map(|s| s["valid"].clone()).collect();
    assert_eq!(valid, [false, false, true]);
    assert_stderr_has(&out, "has expired");
    let out = cli.run(&["--api-url", &b.base_url(), "status", "--check"], "");
    assert_eq!(out.status.code(), Some(0), "B's session is valid: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("EXPIRED (log in again)"), "{}", text(&out.stdout));
    assert_eq!((authtokens(&a), authtokens(&b)), (a_before + 6, b_before + 3));

    // logout EMAIL on B: only B is told; A's sessions stay.
    let out = cli.run(&["logout", JOHN], "");
    assert_eq!(out.status.code(), Some(2), "john has sessions on A and B: {}", text(&out.stderr));
    let out = cli.run(&["--api-url", &b.base_url(), "logout", JOHN], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        b.requests().iter().any(|r| r.method == "DELETE" && r.route == "/v3/user-session" && r.authtoken),
        "{:?}",
        b.requests()
    );
    assert_eq!(authtokens(&a), a_before + 6, "A was not told about B's log-out");
    assert_eq!(store.list().expect("list").len(), 2);
    // logout --all: A's two (already expired there) are ended on A, B hears nothing more.
    let b_now = authtokens(&b);
    let out = cli.run(&["logout", "--all"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr).matches("Logged out ").count(), 2, "{}", text(&out.stderr));
    assert_eq!((authtokens(&a), authtokens(&b)), (a_before + 8, b_now));
    assert!(!store.path().exists(), "nothing left stored");
    let out = cli.run(&["status"], "");
    assert_eq!(out.status.code(), Some(3));
    assert_stderr_has(&out, "No stored sessions");
}

#[tokio::test(flavor = "multi_thread")]
async fn logging_out_the_active_session_makes_the_other_one_of_its_server_active() {
    let a = server().await;
    let cli = Cli::new();
    log_in(&cli, &a, JOHN);
    log_in(&cli, &a, TFA);
    let out = cli.run(&["--api-url", &a.base_url(), "logout"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cli.run(&["--api-url", &a.base_url(), "whoami", "--json"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(json(&out)["email"], JOHN, "john's session is the active one again");
}

/// A config directory holding a session file in the format of earlier versions.
fn with_todays_file() -> Cli {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new();
    let path = cli.config_dir().join("session.json");
    std::fs::write(
        &path,
        r#"{"email":"john.doe@example.com","endpoint":"eu","authtoken":"blt_from_before_0001","saved_at":"2026-11-30T08:15:00Z"}"#,
    )
    .expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    cli
}

#[test]
fn todays_session_file_works_with_the_new_commands() {
    let cli = with_todays_file();
    let out = cli.run(&["status"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plain = text(&out.stdout);
    assert!(plain.contains("EU · AWS Europe"), "{plain}");
    assert!(plain.contains("* john.doe@example.com  active"), "{plain}");
    assert!(plain.contains("saved by an earlier cs-account · created 2026-11-30 08:15 UTC"), "{plain}");
    let out = cli.run(&["token"], "");
    assert_eq!(text(&out.stdout), "blt_from_before_0001\n");
}

#[test]
fn token_on_a_terminal_warns_on_stderr() {
    use expectrl::Expect;
    let cli = with_todays_file();
    let mut session = expectrl::Session::spawn(cli.cmd(&["token"])).expect("spawn in a pty");
    // The warning (stderr) comes before the token (stdout), both on the terminal.
    let seen = session
        .expect(expectrl::Regex(
            "warning: this is the session token of john.doe@example.com on EU[^\n]*\n(.|\n)*blt_from_before_0001",
        ))
        .expect("the warning, then the token");
    assert!(!seen.is_empty());
}
