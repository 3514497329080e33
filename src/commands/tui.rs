//! `cs-account` with no command: the full-screen app on the real API.

use super::{Failure, Outcome, env_token, load_config, resolve_endpoint};
use crate::app::run::{TuiOptions, run_tui};
use crate::cli::GlobalArgs;
use crate::store::SessionStore;

pub async fn run_app(global: &GlobalArgs) -> Outcome {
    let config = load_config()?;
    let store = SessionStore::default_location();
    // The stored session's endpoint wins over the config (not over flags): its token belongs there.
    let stored = store.as_ref().and_then(|s| s.load().ok().flatten());
    let endpoint = resolve_endpoint(global, stored.as_ref(), &config)?;
    run_tui(TuiOptions { endpoint, store, config, env_token: env_token(), demo: None })
        .await
        .map_err(|e| Failure::other(format!("{e:#}")))
}
