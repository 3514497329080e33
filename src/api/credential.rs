//! What a session proves itself with: an `authtoken` (a password log-in or a pasted token) or a
//! browser sign-in's tokens ([`OAuthSession`]). The client sends the first as `authtoken` and the
//! second as `authorization: Bearer` (refreshing it as needed), never the one as the other.

use std::sync::Arc;

use secrecy::SecretString;

use super::oauth_session::OAuthSession;
use super::secret::mask;

/// A session's credential, cheap to clone (an OAuth session's tokens are shared, so every request
/// of the session sees one refresh).
#[derive(Clone)]
pub enum Credential {
    Authtoken(SecretString),
    OAuth(Arc<OAuthSession>),
}

impl Credential {
    /// The token masked to its last five characters (the access token for a browser sign-in).
    pub fn masked(&self) -> String {
        match self {
            Credential::Authtoken(token) => mask(token),
            Credential::OAuth(session) => mask(&session.tokens().access),
        }
    }

    /// Whether `text` holds any of this credential's tokens (so it must not be copied out).
    pub fn appears_in(&self, text: &str) -> bool {
        use secrecy::ExposeSecret;
        let found = |t: &SecretString| !t.expose_secret().is_empty() && text.contains(t.expose_secret());
        match self {
            Credential::Authtoken(token) => found(token),
            Credential::OAuth(session) => {
                let tokens = session.tokens();
                found(&tokens.access) || found(&tokens.refresh)
            }
        }
    }

    /// A browser sign-in's.
    pub fn is_oauth(&self) -> bool {
        matches!(self, Credential::OAuth(_))
    }

    /// The authtoken, for an authtoken session.
    pub fn authtoken(&self) -> Option<&SecretString> {
        match self {
            Credential::Authtoken(token) => Some(token),
            Credential::OAuth(_) => None,
        }
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Authtoken(_) => write!(f, "Authtoken({})", self.masked()),
            Credential::OAuth(_) => write!(f, "OAuth({})", self.masked()),
        }
    }
}

impl From<SecretString> for Credential {
    fn from(token: SecretString) -> Self {
        Credential::Authtoken(token)
    }
}

/// A credential as a call borrows it: what the client's authenticated calls accept, from a
/// `&SecretString` (an authtoken) or a `&Credential`.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    Token(&'a SecretString),
    OAuth(&'a OAuthSession),
}

impl<'a> From<&'a SecretString> for Auth<'a> {
    fn from(token: &'a SecretString) -> Self {
        Auth::Token(token)
    }
}

impl<'a> From<&'a Credential> for Auth<'a> {
    fn from(cred: &'a Credential) -> Self {
        match cred {
            Credential::Authtoken(token) => Auth::Token(token),
            Credential::OAuth(session) => Auth::OAuth(session),
        }
    }
}

impl<'a> From<&'a OAuthSession> for Auth<'a> {
    fn from(session: &'a OAuthSession) -> Self {
        Auth::OAuth(session)
    }
}
