//! cs-account's entry point: arguments, error reports, logging, the runtime.

use std::process::ExitCode;

use clap::Parser;
use cs_account::cli::Cli;

fn main() -> ExitCode {
    // Before the terminal is touched: the TUI installs its restoring panic hook on top of this one.
    if let Err(e) = color_eyre::install() {
        eprintln!("cs-account: {e}");
    }
    let cli = Cli::parse();
    let _log = cs_account::logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cs-account: could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(cs_account::commands::run(cli))
}
