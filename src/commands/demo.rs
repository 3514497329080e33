//! `demo` (the full-screen app against an in-process demo server) and `serve-demo`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use super::{Failure, Outcome};
use crate::api::Endpoint;
use crate::app::run::{DemoInfo, TuiOptions, run_tui};
use crate::app::state::DemoEntry;
use crate::cli::{DemoArgs, DemoServerArgs, GlobalArgs, ServeDemoArgs};
use crate::demo::{DEMO_LOGINS, DemoOptions, DemoServer, StartError, TFA_SECRET};

/// The demo server's options from the command line.
pub fn demo_options(addr: SocketAddr, args: &DemoServerArgs) -> DemoOptions {
    DemoOptions {
        addr,
        latency: Duration::from_millis(args.latency),
        fail_rate: args.fail_rate,
        roles: args.roles,
        rules: args.rules,
        rate_limit: args.rate_limit,
        ..DemoOptions::default()
    }
}

/// What the app shows and does in demo mode: the seeded logins, the 2FA secret, its code.
pub fn demo_info() -> DemoInfo {
    DemoInfo {
        logins: DEMO_LOGINS
            .iter()
            .map(|l| DemoEntry { email: l.email.into(), password: l.password.into(), note: l.note.into() })
            .collect(),
        tfa_secret: TFA_SECRET.into(),
        code: crate::demo::totp_now,
    }
}

/// Runs the full-screen app against a demo server on a free loopback port, in this process.
pub async fn run_demo(global: &GlobalArgs, args: DemoArgs) -> Outcome {
    if global.api_url.is_some() || global.region.is_some() {
        return Err(Failure::usage("`demo` runs its own server; drop --region / --api-url."));
    }
    super::tui::require_terminal()?;
    let config = super::config_quietly()?;
    let opts = demo_options(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), &args.server);
    let server = DemoServer::start(opts)
        .await
        .map_err(|e| Failure::other(format!("Could not start the demo server: {e}")))?;
    let endpoint = Endpoint::custom(&server.base_url()).map_err(Failure::other)?;
    tracing::info!(url = %server.base_url(), "demo server started");
    // The demo's sessions live in a private directory that goes with it: "Remember me" and the
    // account switcher can be tried, and a real stored session is never touched.
    let sessions = tempfile::Builder::new()
        .prefix("cs-account-demo-")
        .tempdir()
        .map_err(|e| Failure::other(format!("Could not make a directory for the demo's sessions: {e}")))?;
    let result = run_tui(TuiOptions {
        endpoint,
        store: Some(crate::store::SessionStore::new(sessions.path().to_path_buf())),
        drafts: crate::store::drafts::DraftStore::default_location(),
        config,
        env_token: None,
        demo: Some(demo_info()),
    })
    .await;
    server.shutdown().await;
    drop(sessions);
    result.map_err(|e| Failure::other(format!("{e:#}")))
}

/// The address a client on this machine reaches `addr` at: loopback for a wildcard address
/// (`0.0.0.0`, `::`), `addr` itself otherwise.
fn local_addr(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::from((Ipv6Addr::LOCALHOST, addr.port())),
        _ => addr,
    }
}

/// Serves the demo server until Ctrl-C.
pub async fn serve_demo(args: ServeDemoArgs) -> Outcome {
    let opts = DemoOptions { public: args.public, ..demo_options(args.addr, &args.server) };
    let server = DemoServer::start(opts).await.map_err(|e| match e {
        StartError::Options(_) | StartError::NotLoopback(_) => Failure::usage(e.to_string()),
        _ => Failure::other(e.to_string()),
    })?;
    let exposed = !server.addr().ip().is_loopback();
    if exposed {
        eprintln!(
            "Warning: the demo server listens on {}, beyond this machine. Anyone who can reach it can log in with the published demo passwords, read the reset tokens and SMS codes in /demo/outbox, and change /demo/faults.",
            server.addr()
        );
    }
    let url = server.base_url();
    // What a client on this machine uses: cs-account speaks plain http to loopback only.
    let local = format!("http://{}", local_addr(server.addr()));
    println!("Contentstack-compatible demo server on {url}  (API base {local}/v3)");
    println!();
    println!("Demo logins:");
    for login in DEMO_LOGINS {
        println!("  {:<24} {:<16} {}", login.email, login.password, login.note);
    }
    println!("  2FA (TOTP) secret of tfa.user: {TFA_SECRET}");
    println!();
    println!("Emails, SMS codes and tokens the server \"sends\": {local}/demo/outbox");
    println!("Faults: {local}/demo/faults   Clock: {local}/demo/clock");
    if server.addr().ip().is_unspecified() || !exposed {
        println!("Try:  cs-account --api-url {local} login --email john.doe@example.com");
    }
    if exposed {
        println!(
            "From other machines, put an https proxy in front of it: cs-account sends plain http only to loopback."
        );
    }
    println!("Ctrl-C stops the server.");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    tokio::signal::ctrl_c().await.map_err(|e| Failure::other(format!("Could not wait for Ctrl-C: {e}")))?;
    eprintln!("Stopping.");
    server.shutdown().await;
    Ok(())
}
