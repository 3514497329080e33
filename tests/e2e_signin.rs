//! End to end: browser sign-in in the real binary in a pseudo-terminal, against a demo server.
//! The app prints the address; the test approves it as the browser would (the demo's approve
//! call), follows the redirect to the app's listener on 127.0.0.1, and the profile shows. With
//! the port taken, the address the browser ended on is pasted instead. Every call of the new
//! session goes as Bearer, none with `authtoken`, none to another server; the session is stored
//! as a browser sign-in, and no token reaches the log.
#![cfg(unix)]

mod common;

use common::oauth::{address_on_screen, approve, free_port};
use common::pty::{Pty, Spawn};
use cs_account::demo::{DemoOptions, DemoServer};

const CTRL_B: &str = "\u{2}";
const SSO: &str = "sso.user@example.com";

async fn server() -> DemoServer {
    DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }).await.expect("demo server")
}

/// The app on `server`, its redirect URL on `port`, no browser started, logging at trace.
fn app_on(server: &DemoServer, port: u16) -> Pty {
    Spawn::app(&["--api-url", &server.base_url()])
        .env("OAUTH_APP_REDIRECT_URL", &format!("http://127.0.0.1:{port}"))
        .env("CS_ACCOUNT_NO_BROWSER", "1")
        .env("CS_ACCOUNT_LOG", "trace")
        .start()
}

/// What holds for every sign-in that ended on the profile: Bearer only, on this server only;
/// stored as a browser sign-in; no token in the log.
fn check_the_session(server: &DemoServer, pty: &mut Pty) {
    let requests = server.requests();
    assert!(requests.iter().all(|r| !r.authtoken && !r.foreign_token), "{requests:#?}");
    let v3: Vec<_> = requests.iter().filter(|r| r.route.starts_with("/v3/")).collect();
    assert!(!v3.is_empty() && v3.iter().all(|r| r.bearer), "{v3:#?}");
    let file = std::fs::read_to_string(pty.config_dir().join("session.json")).expect("remembered");
    assert!(file.contains("\"obtained\": \"browser\""), "{file}");
    let stored: serde_json::Value = serde_json::from_str(&file).expect("JSON");
    let oauth = &stored["sessions"][0]["oauth"];
    let (access, refresh) = (oauth["access_token"].as_str(), oauth["refresh_token"].as_str());
    let log = std::fs::read_to_string(pty.state_dir().join("cs-account.log")).expect("a log file");
    for token in [access, refresh].into_iter().flatten() {
        assert!(!log.contains(token), "a token reached the log");
        assert!(!pty.contents().contains(token), "a token is on screen");
    }
    pty.send("\u{3}");
    pty.wait_exit();
    pty.assert_restored();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_browser_comes_back_to_the_listener_and_the_profile_shows() {
    let server = server().await;
    let mut pty = app_on(&server, free_port());
    pty.wait_for("Sign in with browser (SSO)");
    pty.send(CTRL_B);
    pty.wait_for("Waiting for the browser");
    pty.wait_for("CS_ACCOUNT_NO_BROWSER");
    let url = address_on_screen(&pty.contents());
    let redirect = approve(&server, &url, SSO).await;
    let page = reqwest::get(&redirect).await.expect("the listener answers").text().await.expect("page");
    assert!(page.contains("You can close this tab"), "{page}");
    pty.wait_for("Sam Soto");
    pty.wait_for("Product catalogue (EU)");
    check_the_session(&server, &mut pty);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_port_taken_the_address_is_pasted() {
    let server = server().await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let mut pty = app_on(&server, port);
    pty.wait_for("Sign in with browser (SSO)");
    pty.send(CTRL_B);
    pty.wait_for("is taken");
    let url = address_on_screen(&pty.contents());
    // Something that is not the answer first: said, and kept to fix.
    pty.send("\u{1b}[200~not the address\u{1b}[201~\r");
    pty.wait_for("No code in it");
    pty.send("\u{15}");
    let redirect = approve(&server, &url, SSO).await;
    pty.send(&format!("\u{1b}[200~{redirect}\u{1b}[201~\r"));
    pty.wait_for("Sam Soto");
    check_the_session(&server, &mut pty);
    drop(taken);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn esc_cancels_the_wait_and_frees_the_port() {
    let server = server().await;
    let port = free_port();
    let mut pty = app_on(&server, port);
    pty.wait_for("Sign in with browser (SSO)");
    pty.send(CTRL_B);
    pty.wait_for("Waiting for the browser");
    pty.send("\u{1b}");
    pty.wait_for("Log in to Contentstack");
    // The listener went with the screen: the port can be bound again.
    let mut freed = false;
    for _ in 0..50 {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            freed = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(freed, "the listener still holds port {port}");
    pty.send("\u{3}");
    pty.wait_exit();
    server.shutdown().await;
}
