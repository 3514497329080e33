//! A stored session's token goes only to the server that issued it. Two demo servers: the session
//! is made on A; every way of asking for B (`--api-url`, `CS_ACCOUNT_API_URL`, `config.toml`'s
//! `api_url`) must leave B without a single `authtoken` header, in the scripting commands and in
//! the full-screen app (the real binary in a pty). A region cannot be served here, so for
//! `--region` / `CS_ACCOUNT_REGION` a proxy trap catches any connection the command would make.
#![cfg(unix)]

mod cli_support;

use std::net::TcpListener;
use std::num::NonZeroU16;
use std::process::Command;
use std::time::{Duration, Instant};

use cli_support::{Cli, LIMIT, logged_in, run_within, server, text};
use cs_account::api::{Client, ClientConfig, Endpoint, GetUserOptions};
use cs_account::demo::DemoServer;
use cs_account::store::SessionStore;
use secrecy::{ExposeSecret, SecretString};

const EMAIL: &str = "john.doe@example.com";
const PASSWORD: &str = "Demo-pass-1234";

/// Logs in on `server` through the CLI; returns the stored token.
fn log_in(cli: &Cli, server: &DemoServer) -> SecretString {
    cli_support::log_in(cli, server, EMAIL);
    stored(cli).authtoken().expect("an authtoken").clone()
}

fn stored(cli: &Cli) -> cs_account::store::StoredSession {
    SessionStore::new(cli.config_dir().to_path_buf()).load().expect("readable").expect("a session")
}

fn authtokens_received(server: &DemoServer) -> usize {
    server.requests().iter().filter(|r| r.authtoken).count()
}

/// The ways of asking for server B.
enum Ask {
    Flag,
    Env,
    Config,
}

fn asking(cli: &Cli, b: &DemoServer, ask: &Ask, args: &[&str]) -> Command {
    let url = b.base_url();
    let mut cmd = match ask {
        Ask::Flag => {
            let mut all = vec!["--api-url", url.as_str()];
            all.extend_from_slice(args);
            cli.cmd(&all)
        }
        Ask::Env | Ask::Config => cli.cmd(args),
    };
    match ask {
        Ask::Env => {
            cmd.env("CS_ACCOUNT_API_URL", &url);
        }
        Ask::Config => {
            std::fs::write(cli.config_dir().join("config.toml"), format!("api_url = \"{url}\"\n"))
                .expect("config");
        }
        Ask::Flag => {}
    }
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn the_stored_token_never_reaches_another_api_url() {
    let (a, b) = (server().await, server().await);
    for ask in [Ask::Flag, Ask::Env, Ask::Config] {
        let cli = Cli::new();
        let token = log_in(&cli, &a);
        for args in
            [&["whoami"][..], &["stacks"], &["update", "--company", "Elsewhere Inc"], &["logout"], &["token"]]
        {
            let out = run_within(asking(&cli, &b, &ask, args), "", LIMIT);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
            assert!(out.stdout.is_empty(), "{args:?} printed {:?}", text(&out.stdout));
            assert!(
                stderr.contains(&format!(
                    "Not logged in to {} (your session is for {}",
                    b.base_url(),
                    a.base_url()
                )),
                "{args:?}: {stderr}"
            );
            assert!(stderr.contains(&format!("`cs-account --api-url {} login`", b.base_url())), "{stderr}");
        }
        assert_eq!(authtokens_received(&b), 0, "B received an authtoken: {:?}", b.requests());
        // Nothing happened to the session: still stored, still valid on A, profile unchanged.
        assert_eq!(stored(&cli).authtoken().expect("an authtoken").expose_secret(), token.expose_secret());
        let _ = std::fs::remove_file(cli.config_dir().join("config.toml"));
        let out = cli.run(&["whoami"], "");
        assert!(out.status.success(), "the session still works on A: {}", text(&out.stderr));
    }
    assert_ne!(b.user_snapshot(EMAIL).expect("user")["company"], "Elsewhere Inc", "B's profile untouched");
}

/// A listener posing as the HTTPS proxy: any connection the command makes to a real region
/// arrives here instead.
struct ProxyTrap(TcpListener);

impl ProxyTrap {
    fn new() -> ProxyTrap {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.set_nonblocking(true).expect("nonblocking");
        ProxyTrap(l)
    }

    fn url(&self) -> String {
        format!("http://{}", self.0.local_addr().expect("addr"))
    }

    fn arm(&self, cmd: &mut Command) {
        for var in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
            cmd.env(var, self.url());
        }
        cmd.env_remove("NO_PROXY").env_remove("no_proxy");
    }

    fn connections(&self) -> usize {
        std::iter::from_fn(|| self.0.accept().ok()).count()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_region_other_than_the_session_is_refused_before_anything_is_sent() {
    let (a, cli) = logged_in(EMAIL).await;
    let trap = ProxyTrap::new();
    for (args, env) in [
        (&["--region", "eu", "whoami"][..], None),
        (&["--region", "eu", "logout"][..], None),
        (&["--region", "eu", "stacks"][..], None),
        (&["update", "--company", "X"][..], Some("eu")),
    ] {
        let mut cmd = cli.cmd(args);
        if let Some(region) = env {
            cmd.env("CS_ACCOUNT_REGION", region);
        }
        trap.arm(&mut cmd);
        let out = run_within(cmd, "", LIMIT);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "Not logged in to EU (your session is for {}: run `cs-account --region eu login`)",
                a.base_url()
            )),
            "{stderr}"
        );
    }
    assert_eq!(trap.connections(), 0, "a connection went out towards EU");
    // The trap does catch a command that does go out: the environment token is the user's
    // explicit choice and goes to the region they name.
    let mut cmd = cli.cmd(&["--region", "eu", "--timeout", "2", "whoami"]);
    cmd.env("CONTENTSTACK_AUTHTOKEN", "bltexplicit0000000000");
    trap.arm(&mut cmd);
    let out = run_within(cmd, "", LIMIT);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(trap.connections() > 0, "CONTENTSTACK_AUTHTOKEN goes where the user says");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_token_goes_to_the_endpoint_named() {
    let (a, b) = (server().await, server().await);
    let cli = Cli::new();
    let token = log_in(&cli, &a);
    let mut cmd = cli.cmd(&["--api-url", &b.base_url(), "whoami"]);
    cmd.env("CONTENTSTACK_AUTHTOKEN", token.expose_secret());
    let out = run_within(cmd, "", LIMIT);
    assert_eq!(out.status.code(), Some(3), "B does not know A's token: {}", text(&out.stderr));
    assert_eq!(authtokens_received(&b), 1, "sent once, where the user said (401s are not retried)");
}

#[tokio::test(flavor = "multi_thread")]
async fn logging_in_elsewhere_adds_a_session_and_leaves_the_first_one_alone() {
    let (a, b) = (server().await, server().await);
    let cli = Cli::new();
    let old = log_in(&cli, &a);
    let (before_a, before_b) = (a.requests().len(), authtokens_received(&b));
    let out = cli.run(
        &["--api-url", &b.base_url(), "login", "--email", EMAIL, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Stored sessions: 2"), "{stderr}");
    assert_eq!(a.requests().len(), before_a, "A was not asked anything: {:?}", a.requests());
    assert_eq!(authtokens_received(&b), before_b, "A's token went nowhere near B");
    let client =
        Client::new(ClientConfig::new(Endpoint::custom(&a.base_url()).expect("url"))).expect("client");
    client.get_user(&old, GetUserOptions::default()).await.expect("A's session is still valid");
    let store = SessionStore::new(cli.config_dir().to_path_buf());
    let on_a =
        store.load_active(&Endpoint::custom(&a.base_url()).expect("url")).expect("read").expect("kept");
    assert_eq!(on_a.authtoken().expect("an authtoken").expose_secret(), old.expose_secret());
    assert_eq!(stored(&cli).endpoint, Endpoint::custom(&b.base_url()).expect("url"), "B is used last");
}

/// Choosing an account (`switch`, `logout EMAIL`, `status --check`, `token`) never sends a
/// token to a server other than its own.
#[tokio::test(flavor = "multi_thread")]
async fn choosing_an_account_sends_each_token_only_to_its_own_server() {
    let (a, b) = (server().await, server().await);
    let cli = Cli::new();
    log_in(&cli, &a);
    let b_url = b.base_url();
    for args in [
        &["--api-url", b_url.as_str(), "switch", EMAIL][..],
        &["--api-url", b_url.as_str(), "logout", EMAIL],
        &["--api-url", b_url.as_str(), "status", "--check"],
        &["--api-url", b_url.as_str(), "token"],
    ] {
        let out = cli.run(args, "");
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty() || args.contains(&"status"), "{args:?}");
    }
    assert_eq!(authtokens_received(&b), 0, "B received an authtoken: {:?}", b.requests());
    let out = cli.run(&["--api-url", b_url.as_str(), "status", "--check"], "");
    assert!(text(&out.stdout).contains("valid"), "A's session was checked on A: {}", text(&out.stdout));
    // Both `status --check` runs asked A about A's session (the log-in sends no authtoken).
    assert_eq!(authtokens_received(&a), 2, "{:?}", a.requests());
    // Logging out everything sends each token home.
    let out = cli.run(&["logout", "--all"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(authtokens_received(&b), 0, "B received an authtoken: {:?}", b.requests());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_that_cannot_be_saved_is_logged_out_again() {
    let a = server().await;
    let cli = Cli::new();
    // A directory where the session file goes: the save fails even for root.
    std::fs::create_dir(cli.config_dir().join("session.json")).expect("mkdir");
    let out = cli.run(
        &["--api-url", &a.base_url(), "login", "--email", EMAIL, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the session could not be saved"), "{stderr}");
    assert!(stderr.contains("logged out on the server again"), "{stderr}");
    let requests = a.requests();
    assert!(
        requests.iter().any(|r| r.method == "DELETE" && r.route == "/v3/user-session" && r.authtoken),
        "{requests:?}"
    );
}

// --- the full-screen app, real binary in a pty ----------------------------------------------

struct Pty {
    session: expectrl::Session<expectrl::process::unix::UnixProcess, expectrl::process::unix::PtyStream>,
    screen: vt100::Parser,
}

impl Pty {
    fn spawn(cmd: Command) -> Pty {
        let mut cmd = cmd;
        cmd.env("TERM", "xterm-256color");
        let mut session = expectrl::Session::spawn(cmd).expect("spawn in a pty");
        session.get_process_mut().set_window_size(100, 30).expect("window size");
        let size = |n| NonZeroU16::new(n).expect("non-zero");
        Pty { session, screen: vt100::Parser::new(size(30), size(100), 0) }
    }

    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        while let Ok(n @ 1..) = self.session.try_read(&mut buf) {
            self.screen.process(&buf[..n]);
        }
    }

    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            self.pump();
            if self.screen.screen().contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the screen never showed {text:?}; it shows:\n{}", self.screen.screen().contents());
    }

    fn quit(mut self) {
        use std::io::Write;
        let _ = self.session.write_all(b"\x03");
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.session.get_process().is_alive().unwrap_or(false) && Instant::now() < deadline {
            self.pump();
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!self.session.get_process().is_alive().unwrap_or(false), "the app did not quit");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_opens_the_login_form_for_another_api_url_and_sends_nothing_there() {
    let (a, b) = (server().await, server().await);
    for ask in [Ask::Flag, Ask::Env, Ask::Config] {
        let cli = Cli::new();
        log_in(&cli, &a);
        let mut pty = Pty::spawn(asking(&cli, &b, &ask, &[]));
        pty.wait_for("Not logged in to");
        pty.wait_for("Log in to Contentstack");
        // Let the app settle: a token sent at start would have gone out by now.
        std::thread::sleep(Duration::from_millis(300));
        pty.quit();
        assert_eq!(authtokens_received(&b), 0, "B received an authtoken: {:?}", b.requests());
        let _ = std::fs::remove_file(cli.config_dir().join("config.toml"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_opens_the_login_form_for_another_region_and_sends_nothing() {
    let (_server, cli) = logged_in(EMAIL).await;
    let trap = ProxyTrap::new();
    let mut cmd = cli.cmd(&["--region", "eu"]);
    trap.arm(&mut cmd);
    let mut pty = Pty::spawn(cmd);
    pty.wait_for("Not logged in to EU");
    pty.wait_for("Log in to Contentstack");
    std::thread::sleep(Duration::from_millis(300));
    pty.quit();
    assert_eq!(trap.connections(), 0, "a connection went out towards EU");
}
