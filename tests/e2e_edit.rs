//! End to end: the real binary in a pseudo-terminal, its output read through a terminal emulator
//! (vt100). In `cs-account demo`, change the company on the edit form, review, save, and see it
//! on the profile; against a separate demo server with trace logging, a failed then successful
//! save leaves neither the token nor the password in the log. Config and state directories are
//! temporary.
#![cfg(unix)]

mod common;

use common::pty::{Pty, Spawn};

const DOWN: &str = "\x1b[B";
const CTRL_U: &str = "\x15";

#[test]
fn demo_change_the_company_and_see_it_on_the_profile() {
    let mut pty = Pty::spawn(&["demo"]);
    pty.wait_for("Log in to Contentstack");
    pty.wait_for("Demo server");
    pty.send("john.doe@example.com\tDemo-pass-1234\r");
    pty.wait_for("1 Roles");
    pty.wait_for("e edit");
    pty.send("e");
    pty.wait_for("Edit profile");
    pty.send(&format!("{DOWN}{DOWN}{CTRL_U}"));
    pty.send("Acme Ltd");
    pty.wait_for("Company*");
    pty.send("\r");
    pty.wait_for("1 change to save");
    pty.wait_for("→ Acme Ltd");
    pty.send("\r");
    pty.wait_for("Profile updated successfully");
    pty.wait_for("Company Acme Ltd");
    pty.send("q");
    pty.wait_exit();
    pty.assert_restored();
}

#[test]
fn the_trace_log_of_an_edit_holds_no_token_and_no_password() {
    use cs_account::demo::{DemoOptions, DemoServer, Faults, RouteFault};
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server =
        rt.block_on(DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() })).expect("demo");
    // The first save meets 503s (the client's retries included): its error path is logged too.
    server.set_faults(Faults::routes(vec![RouteFault::status("PUT", "/v3/user", 503, Some(3))]));
    let url = server.base_url();
    let mut pty = Spawn::app(&["--api-url", &url]).env("CS_ACCOUNT_LOG", "trace").start();
    pty.wait_for("Log in to Contentstack");
    pty.send("john.doe@example.com\tDemo-pass-1234\r");
    pty.wait_for("1 Roles");
    pty.send("e");
    pty.wait_for("Edit profile");
    pty.send(&format!("{DOWN}{DOWN}{CTRL_U}Trace Co\r"));
    pty.wait_for("1 change to save");
    pty.send("\r");
    pty.wait_for("Server error");
    pty.send("\r");
    pty.wait_for("Company Trace Co");
    pty.send("q");
    pty.wait_exit();
    let (config, state) = (pty.config_dir(), pty.state_dir());
    // Remember-me put the token in the session file: that is how the test knows it.
    let session: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(config.join("session.json")).expect("session"))
            .expect("json");
    let token = session["sessions"][0]["authtoken"].as_str().expect("a token").to_string();
    assert!(token.len() > 10);
    let log = std::fs::read_to_string(state.join("cs-account.log")).expect("the log file");
    assert!(log.contains("update user"), "the save is logged:\n{log}");
    assert!(!log.contains(&token), "the log holds the whole token");
    assert!(!log.contains("Demo-pass-1234"), "the log holds the password");
    assert!(
        !state.join("drafts").read_dir().is_ok_and(|mut d| d.next().is_some()),
        "no draft left once saved"
    );
    rt.block_on(server.shutdown());
}
