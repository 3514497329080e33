//! One browser sign-in from start to tokens, shared by `cs-account login --oauth` and the app's
//! sign-in screen: the PKCE pair and `state`, the address to open, opening the browser, the
//! listener for the redirect, and the exchange of the code (from the listener or pasted).

use std::time::Duration;

use url::Url;

use std::sync::Arc;

use crate::api::oauth::{self, Hosts, OAuthSettings, Pkce};
use crate::api::oauth_session::OAuthSession;
use crate::api::redirect::{ListenError, RedirectListener};
use crate::api::{ApiError, Client, Credential, Endpoint};

/// How long a sign-in waits for the browser before giving up (the user may have walked away;
/// the listener's port is freed then).
pub const WAIT: Duration = Duration::from_secs(300);

/// A sign-in in progress: what the browser opens, and what the code is checked and exchanged
/// with.
#[derive(Debug, Clone)]
pub struct BrowserSignIn {
    pub settings: OAuthSettings,
    pub hosts: Hosts,
    pub pkce: Pkce,
    /// The authorize address the browser opens (shown too, always).
    pub url: Url,
}

impl BrowserSignIn {
    /// A new sign-in on `endpoint`'s hosts, with a fresh verifier and `state`.
    pub fn new(endpoint: &Endpoint, settings: OAuthSettings) -> Self {
        let hosts = Hosts::of(endpoint);
        let pkce = Pkce::new();
        let url = oauth::authorize_url(&hosts, &settings, &pkce);
        BrowserSignIn { settings, hosts, pkce, url }
    }

    /// A listener for this sign-in's redirect (127.0.0.1, the redirect URL's port).
    pub async fn listen(&self) -> Result<RedirectListener, ListenError> {
        RedirectListener::bind(&self.settings.redirect_uri, &self.pkce.state).await
    }

    /// The code in what was pasted (the address the browser ended on, or the code alone), its
    /// `state` checked.
    pub fn code_from(&self, pasted: &str) -> Result<String, oauth::RedirectError> {
        oauth::code_from(pasted, &self.pkce.state)
    }

    /// Trades `code` (with this sign-in's verifier) for tokens at the Developer Hub: the new
    /// session's credential, refreshing through `client` (of the endpoint signed in to).
    pub async fn credential(&self, client: &Client, code: &str) -> Result<Credential, ApiError> {
        let grant = oauth::code_grant(&self.settings, code, &self.pkce.verifier);
        let tokens = client.oauth_token(&self.hosts, grant).await?;
        let session = OAuthSession::new(client.clone(), self.settings.clone(), tokens);
        Ok(Credential::OAuth(Arc::new(session)))
    }
}

/// Opens `url` in the user's browser (`$BROWSER` first, as `webbrowser` does). `Err` says why
/// not, for the caller to show beside the address: over SSH or without a display, the user
/// opens it on any device and pastes back where it ended.
pub fn open_browser(url: &Url) -> Result<(), String> {
    if std::env::var_os("CS_ACCOUNT_NO_BROWSER").is_some() {
        return Err("CS_ACCOUNT_NO_BROWSER is set, so no browser was opened".into());
    }
    webbrowser::open(url.as_str()).map_err(|e| {
        tracing::info!(error = %e, "no browser could be opened");
        "No browser could be opened here".to_string()
    })
}
