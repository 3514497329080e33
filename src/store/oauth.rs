//! Browser sign-ins in the store: a session's tokens and app as written (in the file, or both
//! tokens as one keyring secret), read back, refreshed in place, and turned into the credential
//! the client calls with.

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use super::sessions::{Entry, OAuthEntry};
use super::{SessionStore, StoreError, StoredSecret, StoredSession};
use crate::api::oauth::{OAuthSettings, OAuthTokens};
use crate::api::oauth_session::{Keeper, OAuthSession};
use crate::api::{Credential, Endpoint};

impl StoredSession {
    /// The session as the app stores it: an authtoken, or a browser sign-in's tokens in force.
    pub fn of(email: String, endpoint: Endpoint, cred: &Credential) -> Self {
        let secret = match cred {
            Credential::Authtoken(token) => StoredSecret::Authtoken(token.clone()),
            Credential::OAuth(session) => {
                StoredSecret::OAuth { tokens: session.tokens(), settings: session.settings().clone() }
            }
        };
        StoredSession { email, endpoint, secret }
    }

    /// The credential to call this session's endpoint with. A browser sign-in's refreshed tokens
    /// are written back to `store` (the refresh token is good once), and newer ones found there
    /// (another process refreshed them) are taken before refreshing.
    pub fn credential(self, store: Option<&SessionStore>) -> Credential {
        match self.secret {
            StoredSecret::Authtoken(token) => Credential::Authtoken(token),
            StoredSecret::OAuth { tokens, settings } => {
                let mut session = OAuthSession::lazy(self.endpoint.clone(), settings, tokens);
                if let Some(store) = store {
                    let (writer, reader) = (store.clone(), store.clone());
                    let (endpoint, email) = (self.endpoint.clone(), self.email.clone());
                    let save = Box::new(move |tokens: &OAuthTokens| {
                        if let Err(e) = writer.update_tokens(&endpoint, &email, tokens) {
                            tracing::warn!(error = %e, "could not store the refreshed sign-in tokens");
                        }
                    });
                    let (endpoint, email) = (self.endpoint, self.email);
                    let load = Box::new(move || match reader.load_one(&endpoint, &email).ok()??.secret {
                        StoredSecret::OAuth { tokens, .. } => Some(tokens),
                        StoredSecret::Authtoken(_) => None,
                    });
                    session = session.kept_by(Keeper { save, load });
                }
                Credential::OAuth(Arc::new(session))
            }
        }
    }
}

impl SessionStore {
    /// A browser sign-in's tokens (from the file or the keyring) and app, as stored in `entry`.
    pub(super) fn oauth_secret(&self, entry: &Entry, oauth: &OAuthEntry) -> Result<StoredSecret, StoreError> {
        let (access, refresh) = if entry.in_keyring() {
            split_pair(&self.token_from_vault(&entry.account())?).ok_or_else(|| StoreError::Keyring {
                detail: format!("holds no sign-in for {}", entry.account()),
            })?
        } else {
            match (&oauth.access_token, &oauth.refresh_token) {
                (Some(a), Some(r)) => (SecretString::from(a.clone()), SecretString::from(r.clone())),
                _ => {
                    let detail = format!("the sign-in of {} holds no tokens", entry.email);
                    return Err(StoreError::Corrupt { path: self.shown(), detail });
                }
            }
        };
        let tokens = OAuthTokens {
            access,
            refresh,
            expires_at: oauth.expires_at,
            organization_uid: oauth.organization_uid.clone(),
            user_uid: oauth.user_uid.clone(),
        };
        let settings = OAuthSettings {
            app_id: oauth.app_id.clone(),
            client_id: oauth.client_id.clone(),
            redirect_uri: oauth.redirect_uri.clone(),
        };
        Ok(StoredSecret::OAuth { tokens, settings })
    }

    /// Writes a browser sign-in's refreshed tokens over the ones stored for `email` on
    /// `endpoint` (in the keyring when they were there). `Ok(false)` when there is no such
    /// sign-in (it was logged out meanwhile: nothing is written back).
    pub fn update_tokens(
        &self,
        endpoint: &Endpoint,
        email: &str,
        tokens: &OAuthTokens,
    ) -> Result<bool, StoreError> {
        let Some(mut file) = self.read(true)? else { return Ok(false) };
        let Some(i) = file.find(endpoint, email) else { return Ok(false) };
        let entry = &mut file.sessions[i];
        let in_keyring = entry.in_keyring();
        let Some(oauth) = &mut entry.oauth else { return Ok(false) };
        oauth.expires_at = tokens.expires_at;
        if in_keyring {
            let Some(vault) = &self.vault else {
                return Err(StoreError::Keyring { detail: "cannot be written by this build".into() });
            };
            vault
                .put(&entry.account(), &pair(tokens))
                .map_err(|e| StoreError::Keyring { detail: format!("cannot be written now ({e})") })?;
        } else {
            oauth.access_token = Some(tokens.access.expose_secret().to_string());
            oauth.refresh_token = Some(tokens.refresh.expose_secret().to_string());
        }
        self.write(&file).map(|()| true)
    }
}

/// A browser sign-in as written, with its tokens when they go to the file.
pub(super) fn oauth_entry(tokens: &OAuthTokens, settings: &OAuthSettings, with_tokens: bool) -> OAuthEntry {
    OAuthEntry {
        access_token: with_tokens.then(|| tokens.access.expose_secret().to_string()),
        refresh_token: with_tokens.then(|| tokens.refresh.expose_secret().to_string()),
        expires_at: tokens.expires_at,
        organization_uid: tokens.organization_uid.clone(),
        user_uid: tokens.user_uid.clone(),
        app_id: settings.app_id.clone(),
        client_id: settings.client_id.clone(),
        redirect_uri: settings.redirect_uri.clone(),
    }
}

/// A sign-in's two tokens as one keyring secret (a JSON pair), wiped when dropped.
pub(super) fn pair(tokens: &OAuthTokens) -> zeroize::Zeroizing<String> {
    let both = [tokens.access.expose_secret(), tokens.refresh.expose_secret()];
    zeroize::Zeroizing::new(serde_json::to_string(&both).unwrap_or_default())
}

/// The two tokens of a keyring secret written by [`pair`].
fn split_pair(secret: &SecretString) -> Option<(SecretString, SecretString)> {
    let [access, refresh]: [String; 2] = serde_json::from_str(secret.expose_secret()).ok()?;
    Some((SecretString::from(access), SecretString::from(refresh)))
}
