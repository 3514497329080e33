//! `demo` (the full-screen app against an in-process demo server) and `serve-demo`.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::{Failure, Outcome};
use crate::api::Endpoint;
use crate::app::run::{DemoInfo, TuiOptions, run_tui};
use crate::cli::{DemoArgs, DemoServerArgs, GlobalArgs, ServeDemoArgs};
use crate::demo::{DEMO_LOGINS, DemoOptions, DemoServer, TFA_SECRET};

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
    let result = run_tui(TuiOptions {
        endpoint,
        // The demo's sessions die with it: never let them replace a real stored session.
        store: None,
        config,
        env_token: None,
        demo: Some(DemoInfo { logins: DEMO_LOGINS, tfa_secret: TFA_SECRET }),
    })
    .await;
    server.shutdown().await;
    result.map_err(|e| Failure::other(format!("{e:#}")))
}

/// Serves the demo server until Ctrl-C.
pub async fn serve_demo(args: ServeDemoArgs) -> Outcome {
    let opts = demo_options(args.addr, &args.server);
    let server = DemoServer::start(opts)
        .await
        .map_err(|e| Failure::other(format!("Could not listen on {}: {e}", args.addr)))?;
    let url = server.base_url();
    println!("Contentstack-compatible demo server on {url}  (API base {url}/v3)");
    println!();
    println!("Demo logins:");
    for login in DEMO_LOGINS {
        println!("  {:<24} {:<16} {}", login.email, login.password, login.note);
    }
    println!("  2FA (TOTP) secret of tfa.user: {TFA_SECRET}");
    println!();
    println!("Emails, SMS codes and tokens the server \"sends\": {url}/demo/outbox");
    println!("Faults: {url}/demo/faults   Clock: {url}/demo/clock");
    println!("Try:  cs-account --api-url {url} login --email john.doe@example.com");
    println!("Ctrl-C stops the server.");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    tokio::signal::ctrl_c().await.map_err(|e| Failure::other(format!("Could not wait for Ctrl-C: {e}")))?;
    eprintln!("Stopping.");
    server.shutdown().await;
    Ok(())
}
