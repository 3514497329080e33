//! `cs-account login --oauth` from a shell, against the demo server: the address is printed, the
//! test approves it as the browser would (the demo's approve call), and the code comes back
//! through the listener on 127.0.0.1, or pasted on stdin when the port is taken (as over SSH).
//! The session is stored as a browser sign-in, used as Bearer (never `authtoken`), and logging
//! out revokes its authorization.
#![cfg(unix)]

mod cli_support;
mod common;

use cli_support::{Cli, LIMIT, server, text};
use common::oauth::{approve, free_port};
use cs_account::demo::DemoServer;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;

const SSO: &str = "sso.user@example.com";

/// `login --oauth --no-browser` running, its stderr lines arriving on the channel.
fn start_login(cli: &Cli, server: &DemoServer, port: u16) -> (Child, mpsc::Receiver<String>) {
    let mut child = cli
        .cmd(&["--api-url", &server.base_url(), "login", "--oauth", "--no-browser"])
        .env("OAUTH_APP_REDIRECT_URL", format!("http://127.0.0.1:{port}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

/// Lines until one satisfies `want` (all of them, for the failure message).
fn lines_until(rx: &mpsc::Receiver<String>, want: impl Fn(&str) -> bool) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(LIMIT) {
            Ok(line) => {
                let done = want(&line);
                seen.push(line);
                if done {
                    return seen;
                }
            }
            Err(_) => panic!("no such line; saw {seen:#?}"),
        }
    }
}

/// The authorize address the command printed.
fn printed_url(lines: &[String]) -> url::Url {
    let line = lines.iter().find(|l| l.trim_start().starts_with("http")).expect("an address line");
    url::Url::parse(line.trim()).expect("a URL")
}

/// `login --oauth` started on a demo server with its listener on a free port, waiting for the
/// browser: its stderr lines and the address it printed.
struct Waiting {
    server: DemoServer,
    cli: Cli,
    port: u16,
    child: Child,
    rx: mpsc::Receiver<String>,
    url: url::Url,
}

async fn waiting() -> Waiting {
    let (server, cli, port) = (server().await, Cli::new(), free_port());
    let (child, rx) = start_login(&cli, &server, port);
    let lines = lines_until(&rx, |l| l.starts_with("Waiting for the browser"));
    let url = printed_url(&lines);
    Waiting { server, cli, port, child, rx, url }
}

fn finish(child: Child) -> std::process::Output {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    rx.recv_timeout(LIMIT).expect("login ended").expect("output")
}

#[tokio::test(flavor = "multi_thread")]
async fn login_oauth_through_the_listener_then_whoami_as_bearer_and_logout_revokes() {
    let Waiting { server, cli, child, rx, url, .. } = waiting().await;
    assert_eq!(
        url.query_pairs().find(|(k, _)| k == "code_challenge_method").map(|(_, v)| v.into_owned()),
        Some("S256".into())
    );
    // The browser follows the redirect to the listener, which answers a plain page.
    let redirect = approve(&server, &url, SSO).await;
    let page = reqwest::get(&redirect).await.expect("the listener answers").text().await.expect("page");
    assert!(page.contains("You can close this tab"), "{page}");
    let out = finish(child);
    // Every line, to the end of its stderr (the reader thread may still be passing them on).
    let rest: Vec<String> = rx.iter().collect();
    assert!(out.status.success(), "{rest:#?}");
    assert!(rest.iter().any(|l| l.contains("Signed in with the browser as Sam Soto")), "{rest:#?}");
    let who = cli.run(&["--api-url", &server.base_url(), "whoami"], "");
    assert!(text(&who.stdout).contains(SSO), "{}", text(&who.stderr));
    let status = cli.run(&["--api-url", &server.base_url(), "status"], "");
    assert!(text(&status.stdout).contains("signed in with the browser"), "{}", text(&status.stdout));
    let token = cli.run(&["--api-url", &server.base_url(), "token"], "");
    assert!(!token.status.success() && text(&token.stdout).is_empty(), "no authtoken to print");
    let file = std::fs::read_to_string(cli.config_dir().join("session.json")).expect("stored");
    assert!(file.contains("\"obtained\": \"browser\"") && !file.contains("\"authtoken\""), "{file}");
    let logout = cli.run(&["--api-url", &server.base_url(), "logout"], "");
    assert!(logout.status.success(), "{}", text(&logout.stderr));
    assert!(text(&logout.stderr).contains("authorization was revoked"), "{}", text(&logout.stderr));
    let requests = server.requests();
    assert!(requests.iter().all(|r| !r.authtoken), "an authtoken was sent: {requests:#?}");
    let v3: Vec<_> = requests.iter().filter(|r| r.route.starts_with("/v3/")).collect();
    assert!(!v3.is_empty() && v3.iter().all(|r| r.bearer && !r.foreign_token), "{v3:#?}");
    assert!(requests.iter().any(|r| r.method == "DELETE" && r.route.contains("/authorizations/")));
    server.shutdown().await;
}

/// The redirect port is taken (another program, or a browser on another machine): the command
/// says so and the address the browser ended on is pasted instead. A paste for another sign-in,
/// and a code the server refuses, are each said, and the wait goes on.
#[tokio::test(flavor = "multi_thread")]
async fn with_the_port_taken_the_redirect_is_pasted() {
    let server = server().await;
    let cli = Cli::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let (mut child, rx) = start_login(&cli, &server, port);
    let lines = lines_until(&rx, |l| l.contains("is taken"));
    let url = printed_url(&lines);
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "http://127.0.0.1:{port}/?code=abc&state=someone-else").expect("typed");
    lines_until(&rx, |l| l.contains("another sign-in"));
    // A code the server never issued (a typo): refused, and the wait goes on.
    writeln!(stdin, "typo0").expect("typed");
    lines_until(&rx, |l| l.contains("Paste it again"));
    let redirect = approve(&server, &url, SSO).await;
    writeln!(stdin, "{redirect}").expect("pasted");
    let out = finish(child);
    // Every line, to the end of its stderr (the reader thread may still be passing them on).
    let rest: Vec<String> = rx.iter().collect();
    assert!(out.status.success(), "{rest:#?}");
    let who = cli.run(&["--api-url", &server.base_url(), "whoami"], "");
    assert!(text(&who.stdout).contains(SSO), "{}", text(&who.stderr));
    drop(taken);
    server.shutdown().await;
}

/// A denial in the browser ends the sign-in with a clear message and stores nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_denied_sign_in_says_so_and_stores_nothing() {
    let Waiting { server, cli, port, child, rx, url } = waiting().await;
    let state = url.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).expect("state");
    let denied = format!("http://127.0.0.1:{port}/?error=access_denied&state={state}");
    reqwest::get(&denied).await.expect("the listener answers");
    let out = finish(child);
    // Every line, to the end of its stderr (the reader thread may still be passing them on).
    let rest: Vec<String> = rx.iter().collect();
    assert!(!out.status.success());
    assert!(rest.iter().any(|l| l.contains("denied in the browser")), "{rest:#?}");
    assert!(!cli.config_dir().join("session.json").exists());
    server.shutdown().await;
}
