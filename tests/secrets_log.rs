//! No secret reaches a log or the terminal: login, update and logout run with trace-level
//! logging, and the log file, stdout and stderr are searched for the whole token and the password.

use std::process::Output;

mod cli_support;

use cli_support::{Cli, LIMIT, run_within};
use cs_account::demo::{DemoOptions, DemoServer};

const PASSWORD: &str = "Demo-pass-1234";

/// Runs `cs-account --api-url <demo> ARGS` in `cli`'s directories with `stdin` fed in, logging
/// at trace level to `trace.log` in the state directory.
fn run(server: &DemoServer, cli: &Cli, args: &[&str], stdin: &str) -> Output {
    let mut cmd = cli.cmd(&["--api-url", &server.base_url()]);
    cmd.args(args)
        .env("CS_ACCOUNT_LOG", "trace")
        .env("CS_ACCOUNT_LOG_FILE", cli.state.path().join("trace.log"));
    run_within(cmd, stdin, LIMIT)
}

#[tokio::test(flavor = "multi_thread")]
async fn trace_logs_hold_no_token_and_no_password() {
    let server = DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }).await.expect("demo");
    let cli = Cli::new();
    let mut seen = String::new();
    let mut record = |o: &Output| {
        seen.push_str(&String::from_utf8_lossy(&o.stdout));
        seen.push_str(&String::from_utf8_lossy(&o.stderr));
    };

    let login = run(
        &server,
        &cli,
        &["login", "--email", "john.doe@example.com", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert!(login.status.success(), "{}", String::from_utf8_lossy(&login.stderr));
    record(&login);
    let session: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(cli.config_dir().join("session.json")).expect("session"),
    )
    .expect("json");
    let token = session["sessions"][0]["authtoken"].as_str().expect("token").to_string();
    assert!(token.len() > 10);

    for args in [&["whoami", "--json"][..], &["update", "--company", "Trace Co"][..], &["logout"][..]] {
        let out = run(&server, &cli, args, "");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        record(&out);
    }
    let log = std::fs::read_to_string(cli.state.path().join("trace.log")).expect("log file written");
    assert!(log.lines().count() > 5, "trace logging produced output:\n{log}");
    assert!(log.contains("user-session"), "the log names the calls:\n{log}");
    for (name, text) in [("log file", &log), ("terminal output", &seen)] {
        assert!(!text.contains(&token), "{name} holds the whole token");
        assert!(!text.contains(PASSWORD), "{name} holds the password");
    }
    // The masked form (last five characters) is what may appear.
    let tail = &token[token.len() - 5..];
    assert!(seen.contains(tail), "the masked token is shown to the user");
}
