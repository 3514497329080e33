//! `cs-account` with no command: the full-screen app on the real API.

use super::{Failure, Outcome, env_token, resolve_endpoint};
use crate::app::run::{TuiOptions, run_tui};
use crate::cli::GlobalArgs;
use crate::store::SessionStore;
use crate::store::drafts::DraftStore;

/// The full-screen app draws on a terminal and reads keys from it: without one (a pipe, cron,
/// CI), say so and point at the scripting commands, rather than the system's "No such device or
/// address".
pub fn require_terminal() -> Outcome {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(Failure::usage(
        "The full-screen app needs a terminal, and stdin or stdout is not one here. From scripts, use the commands instead: `cs-account whoami`, `cs-account login --password-stdin`, `cs-account update` … (`cs-account --help` lists them all).",
    ))
}

pub async fn run_app(global: &GlobalArgs) -> Outcome {
    require_terminal()?;
    let config = super::config_quietly()?;
    let store = SessionStore::default_location();
    // The endpoint asked for (flags, environment, config), else the stored session's. The app
    // opens the stored session only when it is for that endpoint (see `app::run::start`).
    let stored = store.as_ref().and_then(|s| s.load().ok().flatten());
    let endpoint = resolve_endpoint(global, stored.as_ref(), &config)?;
    let drafts = DraftStore::default_location();
    run_tui(TuiOptions { endpoint, store, drafts, config, env_token: env_token(), demo: None })
        .await
        .map_err(|e| Failure::other(format!("{e:#}")))
}
