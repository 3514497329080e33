//! `cs-account stacks [--json]`, the real binary against the demo server over loopback: the
//! table and the JSON array, an SSO organisation's member served one organisation at a time,
//! and the exit codes and sentences `whoami` uses for a missing or expired session and for
//! server failures.
#![cfg(unix)]

mod cli_support;

use std::time::Duration;

use cli_support::{Cli, log_in, logged_in, server, text};
use cs_account::demo::{DemoServer, FaultAnswer, Faults, RouteFault};
use serde_json::Value;

fn stacks_routes(server: &DemoServer) -> Vec<Option<String>> {
    server.requests().into_iter().filter(|r| r.route == "/v3/stacks").map(|r| r.organization_uid).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn stacks_lists_a_table_and_json() {
    let (a, cli) = logged_in("john.doe@example.com").await;
    let out = cli.run(&["stacks"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "\
Name                  API key              Organisation           Owner  Created
Partner portal        blt2c3d4e5f6a7b8c9d  Contentstack Partners  you    2019-06-03
Doe Digital intranet  blt1d0e1d0e1d0e1d0e  Doe Digital            you    2018-01-22
Marketing site        blt444ad44e4d44aa4a  Doe Digital            other  2017-03-14
"
    );
    assert_eq!(text(&out.stderr), "");
    assert_eq!(stacks_routes(&a), [None], "one plain call");

    let out = cli.run(&["stacks", "--json"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let list = list.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["name"], "Marketing site");
    assert_eq!(list[0]["api_key"], "blt444ad44e4d44aa4a");
    assert_eq!(list[0]["org_uid"], "blt44444c44ea4ddf222");
    assert_eq!(list[0]["master_locale"], "en-us");
    assert_eq!(list[0]["created_at"], "2017-03-14T10:12:45.201Z");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_sso_organisations_member_gets_every_organisation_asked() {
    let (a, cli) = logged_in("tfa.user@example.com").await;
    let out = cli.run(&["stacks"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Newsroom") && stdout.contains("Acme Publishing"), "{stdout}");
    assert!(stdout.contains("Product catalogue (EU)") && stdout.contains("Secure Media Group"), "{stdout}");
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert_eq!(
        stacks_routes(&a),
        [None, Some("blt5a5b5c5d5e5f5a5b".into()), Some("blt22e2222dd2e2fb22".into())],
        "refused, then each organisation once"
    );

    // One organisation failing: the others are listed, the failure named, exit 1.
    a.set_faults(Faults::routes(vec![RouteFault::status("GET", "/v3/stacks", 412, Some(2))]));
    let out = cli.run(&["stacks", "--json"], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let list: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["name"], "Newsroom");
    assert_eq!(
        text(&out.stderr).trim(),
        "cs-account: The stacks of Secure Media Group could not be listed: The server refused the request (412): Forced answer from the demo server (HTTP 412)."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_stacks_is_said_on_stderr() {
    let (a, cli) = logged_in("john.doe@example.com").await;
    a.set_faults(Faults {
        routes: vec![RouteFault {
            method: "GET".into(),
            path: "/stacks".into(),
            answer: FaultAnswer::Status { status: 200, body: Some(serde_json::json!({"stacks": []})) },
            times: None,
        }],
        ..Faults::default()
    });
    let out = cli.run(&["stacks"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(text(&out.stderr).trim(), "No stacks: none is owned by or shared with john.doe@example.com.");
    let out = cli.run(&["stacks", "--json"], "");
    assert_eq!(text(&out.stdout).trim(), "[]");
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_and_failures_exit_as_whoami_does() {
    let a = server().await;
    let cli = Cli::new();
    let url = a.base_url();
    let out = cli.run(&["--api-url", &url, "stacks"], "");
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains(&format!("Not logged in. Run `cs-account --api-url {url} login`")));

    log_in(&cli, &a, "john.doe@example.com");
    a.set_faults(Faults::routes(vec![RouteFault::status("GET", "/stacks", 500, None)]));
    let out = cli.run(&["stacks"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("cs-account: Contentstack had a problem (500"),
        "{}",
        text(&out.stderr)
    );
    a.set_faults(Faults::default());

    a.advance_clock(Duration::from_secs(13 * 3600));
    let out = cli.run(&["--api-url", &url, "stacks"], "");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "cs-account: Your session has expired or was logged out. Log in again. Run `cs-account --api-url {url} login`."
        )
    );
}
