//! A browser sign-in's tokens in use: the access token to send, refreshed shortly before it
//! expires and once after a 401, with one refresh at a time whatever the number of requests
//! asking (the official CLI raced here until its PR #2481: two refreshes with one refresh token,
//! the second refused, the user signed out).
//!
//! One lock holds the tokens; a caller that finds them about to expire refreshes while holding
//! it, so callers arriving meanwhile wait and then find fresh tokens instead of refreshing again.

use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use crate::api::oauth::{Hosts, OAuthSettings, OAuthTokens, refresh_grant};
use crate::api::{ApiError, Client};

/// How long before expiry the access token is refreshed: a request sent with it must still find
/// it valid when it arrives.
pub const REFRESH_MARGIN: Duration = Duration::minutes(2);

pub struct OAuthSession {
    client: Client,
    hosts: Hosts,
    settings: OAuthSettings,
    tokens: Mutex<OAuthTokens>,
}

impl OAuthSession {
    pub fn new(client: Client, hosts: Hosts, settings: OAuthSettings, tokens: OAuthTokens) -> Self {
        OAuthSession { client, hosts, settings, tokens: Mutex::new(tokens) }
    }

    /// The access token to send at `now`, refreshed first when it expires within
    /// [`REFRESH_MARGIN`].
    pub async fn access(&self, now: DateTime<Utc>) -> Result<SecretString, ApiError> {
        let mut tokens = self.tokens.lock().await;
        if tokens.expires_at - REFRESH_MARGIN <= now {
            *tokens = self.refresh(&tokens).await?;
        }
        Ok(tokens.access.clone())
    }

    /// After a 401 for a request sent with `sent`: the token to send it again with — refreshed
    /// now, unless another request's 401 already had it refreshed (the token in force is no
    /// longer `sent`).
    pub async fn after_unauthorized(&self, sent: &SecretString) -> Result<SecretString, ApiError> {
        let mut tokens = self.tokens.lock().await;
        if tokens.access.expose_secret() == sent.expose_secret() {
            *tokens = self.refresh(&tokens).await?;
        }
        Ok(tokens.access.clone())
    }

    /// A copy of the tokens in force (to store them).
    pub async fn tokens(&self) -> OAuthTokens {
        self.tokens.lock().await.clone()
    }

    async fn refresh(&self, tokens: &OAuthTokens) -> Result<OAuthTokens, ApiError> {
        tracing::info!(token = %crate::api::mask(&tokens.access), "refreshing the sign-in's tokens");
        let mut fresh =
            self.client.oauth_token(&self.hosts, refresh_grant(&self.settings, &tokens.refresh)).await?;
        // Whose they are does not change; an answer that leaves it out keeps it.
        fresh.organization_uid = fresh.organization_uid.or_else(|| tokens.organization_uid.clone());
        fresh.user_uid = fresh.user_uid.or_else(|| tokens.user_uid.clone());
        Ok(fresh)
    }
}
