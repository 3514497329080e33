//! Whether a stored token is still good: one quick `GET /user` to the server that issued it.
//! Shared by `cs-account status --check` and the app's account switcher, so both say the same.

use std::time::Duration;

use crate::api::{Auth, Client, ClientConfig, GetUserOptions};

/// The most a check waits for one server: a quick look, not a retry loop.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(8);
pub const CHECK_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// What asking a token's own server found out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    Valid,
    /// The server refused the token: expired, or logged out elsewhere.
    Expired,
    /// The server could not be asked (network, keyring); the sentence says why.
    Unknown(String),
}

/// `cfg` with the check's short timeouts (never longer than it had).
pub fn quick(mut cfg: ClientConfig) -> ClientConfig {
    cfg.timeout = cfg.timeout.min(CHECK_TIMEOUT);
    cfg.connect_timeout = cfg.connect_timeout.min(CHECK_CONNECT_TIMEOUT);
    cfg
}

/// Asks `client`'s server (the one that issued the token: the caller makes sure) about it. A
/// browser sign-in whose access token expired is refreshed first, so "expired" means the
/// sign-in itself is over.
pub async fn check_token<'a>(client: &Client, auth: impl Into<Auth<'a>>) -> TokenCheck {
    match client.get_user(auth, GetUserOptions::default()).await {
        Ok(_) => TokenCheck::Valid,
        Err(e) if e.is_unauthorized() => TokenCheck::Expired,
        Err(e) => TokenCheck::Unknown(e.user_message()),
    }
}
