//! A browser sign-in's tokens in use: the access token to send, refreshed shortly before it
//! expires and once after a 401, with one refresh at a time whatever the number of requests
//! asking (the official CLI raced here until its PR #2481: two refreshes with one refresh token,
//! the second refused, the user signed out).
//!
//! A gate (an async lock) is held across a refresh, so callers arriving meanwhile wait and then
//! find fresh tokens instead of refreshing again. The tokens themselves sit behind a plain lock
//! never held across an await, so showing them masked or storing them needs no runtime.

use std::sync::{Mutex, OnceLock, PoisonError};

use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};

use crate::api::oauth::{Hosts, OAuthSettings, OAuthTokens, refresh_grant};
use crate::api::{ApiError, Client, ClientConfig, Endpoint};

/// How long before expiry the access token is refreshed: a request sent with it must still find
/// it valid when it arrives.
pub const REFRESH_MARGIN: Duration = Duration::minutes(2);

/// Where a sign-in's tokens are kept between runs: written after each refresh (the refresh token
/// is good once: a session that kept the old one could not refresh again after a restart), and
/// read before one, since another process (a `cs-account whoami` while the app is open) may
/// have refreshed them already, spending the refresh token this one holds.
pub struct Keeper {
    pub save: Box<dyn Fn(&OAuthTokens) + Send + Sync>,
    pub load: Box<dyn Fn() -> Option<OAuthTokens> + Send + Sync>,
}

pub struct OAuthSession {
    /// The endpoint the sign-in belongs to: its Developer Hub is where tokens are refreshed.
    endpoint: Endpoint,
    /// For refreshing; built on the first refresh when the session was read from the store, so
    /// opening a stored sign-in costs nothing at start (an https client loads the platform's
    /// certificate roots).
    client: OnceLock<Client>,
    hosts: Hosts,
    settings: OAuthSettings,
    gate: tokio::sync::Mutex<()>,
    tokens: Mutex<OAuthTokens>,
    keeper: Option<Keeper>,
}

impl std::fmt::Debug for OAuthSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.tokens();
        f.debug_struct("OAuthSession")
            .field("access", &crate::api::mask(&t.access))
            .field("expires_at", &t.expires_at)
            .field("organization_uid", &t.organization_uid)
            .finish_non_exhaustive()
    }
}

impl OAuthSession {
    /// A session refreshing its tokens through `client`, at the Developer Hub of the client's
    /// endpoint (the one that issued them: the hosts are never chosen apart from it).
    pub fn new(client: Client, settings: OAuthSettings, tokens: OAuthTokens) -> Self {
        let session = OAuthSession::lazy(client.endpoint().clone(), settings, tokens);
        let _ = session.client.set(client);
        session
    }

    /// A session of `endpoint` (refreshed at its Developer Hub) whose client is built when it
    /// first refreshes.
    pub fn lazy(endpoint: Endpoint, settings: OAuthSettings, tokens: OAuthTokens) -> Self {
        OAuthSession {
            hosts: Hosts::of(&endpoint),
            endpoint,
            client: OnceLock::new(),
            settings,
            gate: tokio::sync::Mutex::new(()),
            tokens: Mutex::new(tokens),
            keeper: None,
        }
    }

    /// The same session, its tokens kept by `keeper`: newer stored ones (refreshed by another
    /// process) are taken instead of refreshing with a spent token, and each refresh's are saved.
    pub fn kept_by(mut self, keeper: Keeper) -> Self {
        self.keeper = Some(keeper);
        self
    }

    /// The access token to send at `now`, refreshed first when it expires within
    /// [`REFRESH_MARGIN`].
    pub async fn access(&self, now: DateTime<Utc>) -> Result<SecretString, ApiError> {
        let _gate = self.gate.lock().await;
        let mut tokens = self.tokens();
        if tokens.expires_at - REFRESH_MARGIN <= now {
            tokens = self.newer_stored().unwrap_or(tokens);
            if tokens.expires_at - REFRESH_MARGIN <= now {
                return self.refresh(&tokens).await;
            }
        }
        Ok(tokens.access)
    }

    /// After a 401 for a request sent with `sent`: the token to send it again with — refreshed
    /// now, unless another request's 401 already had it refreshed (the token in force is no
    /// longer `sent`).
    pub async fn after_unauthorized(&self, sent: &SecretString) -> Result<SecretString, ApiError> {
        let _gate = self.gate.lock().await;
        let mut tokens = self.tokens();
        if tokens.access.expose_secret() == sent.expose_secret() {
            tokens = self.newer_stored().unwrap_or(tokens);
            if tokens.access.expose_secret() == sent.expose_secret() {
                return self.refresh(&tokens).await;
            }
        }
        Ok(tokens.access)
    }

    /// The stored tokens, taken as this session's, when another process refreshed them (their
    /// refresh token is not this session's).
    fn newer_stored(&self) -> Option<OAuthTokens> {
        let stored = (self.keeper.as_ref()?.load)()?;
        let ours = self.tokens();
        if stored.refresh.expose_secret() == ours.refresh.expose_secret() {
            return None;
        }
        tracing::info!("another cs-account refreshed this sign-in: its tokens are taken");
        *self.tokens.lock().unwrap_or_else(PoisonError::into_inner) = stored.clone();
        Some(stored)
    }

    /// The client to refresh with, built on first use (the caller holds the gate, so only one
    /// is built).
    fn client(&self) -> Result<&Client, ApiError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = Client::new(ClientConfig::new(self.endpoint.clone()))?;
        Ok(self.client.get_or_init(|| client))
    }

    /// A copy of the tokens in force (to store them, or show them masked).
    pub fn tokens(&self) -> OAuthTokens {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The Developer Hub hosts and app this session was signed in with (log-out needs them).
    pub fn hosts(&self) -> &Hosts {
        &self.hosts
    }

    pub fn settings(&self) -> &OAuthSettings {
        &self.settings
    }

    /// Trades the refresh token for new tokens (the caller holds the gate). A refusal means the
    /// sign-in is over: it is reported as the session's end, so the app asks to sign in again
    /// as it does after any 401.
    async fn refresh(&self, tokens: &OAuthTokens) -> Result<SecretString, ApiError> {
        tracing::info!(token = %crate::api::mask(&tokens.access), "refreshing the sign-in's tokens");
        let grant = refresh_grant(&self.settings, &tokens.refresh);
        let mut fresh = match self.client()?.oauth_token(&self.hosts, grant).await {
            Ok(fresh) => fresh,
            Err(ApiError::Rejected { status, code, message }) if (400..500).contains(&status) => {
                tracing::info!(status, "the refresh token was refused: the sign-in is over");
                return Err(ApiError::Unauthorized {
                    status,
                    code,
                    message: format!(
                        "Your browser sign-in has ended ({message}). Sign in with the browser again."
                    ),
                });
            }
            Err(e) => return Err(e),
        };
        // Whose they are does not change; an answer that leaves it out keeps it.
        fresh.organization_uid = fresh.organization_uid.or_else(|| tokens.organization_uid.clone());
        fresh.user_uid = fresh.user_uid.or_else(|| tokens.user_uid.clone());
        let access = fresh.access.clone();
        if let Some(keeper) = &self.keeper {
            (keeper.save)(&fresh);
        }
        *self.tokens.lock().unwrap_or_else(PoisonError::into_inner) = fresh;
        Ok(access)
    }
}
