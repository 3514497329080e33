//! `demo` (the full-screen app against an in-process demo server) and `serve-demo`.

use std::net::SocketAddr;
use std::time::Duration;

use super::{Failure, Outcome};
use crate::cli::{DemoServerArgs, ServeDemoArgs};
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
