//! cs-account's entry point: arguments, error reports, logging, the runtime.

use std::process::ExitCode;

use clap::Parser;
use cs_account::cli::{Cli, Command};

fn main() -> ExitCode {
    // First of all: no core dump may ever hold a password or a token.
    let hardened = cs_account::harden::disable_core_dumps();
    // Before the terminal is touched: the TUI installs its restoring panic hook on top of this one.
    if let Err(e) = color_eyre::install() {
        eprintln!("cs-account: {e}");
    }
    let cli = Cli::parse();
    cs_account::logging::init();
    match hardened {
        Ok(()) => {
            tracing::debug!(possible = cs_account::harden::core_dumps_possible(), "core dumps turned off")
        }
        Err(e) => tracing::warn!("could not turn core dumps off: {e}"),
    }
    let runtime = match runtime_for(cli.command.as_ref()) {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cs-account: could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(cs_account::commands::run(cli))
}

/// The full-screen app and the demo server keep two worker threads: the app's input, network
/// and drawing tasks, and the server's connections, run side by side. A scripting command does
/// one request at a time and is over in milliseconds, so it runs on the main thread alone:
/// starting and stopping worker threads was a measurable share of `cs-account whoami`.
fn runtime_for(command: Option<&Command>) -> std::io::Result<tokio::runtime::Runtime> {
    match command {
        None | Some(Command::Demo(_) | Command::ServeDemo(_)) => {
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()
        }
        Some(_) => tokio::runtime::Builder::new_current_thread().enable_all().build(),
    }
}
