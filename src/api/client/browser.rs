//! The client's calls for browser sign-in: the Developer Hub's token grants, ending a sign-in
//! (its app authorization found and deleted), and `GET /user` with a bare access token.

use bytes::Bytes;
use reqwest::Method;
use secrecy::SecretString;
use url::Url;

use super::{Call, Client, GetUserOptions, Wiped, organization_header};
use crate::api::error::ApiError;
use crate::api::models::{Notice, User};
use crate::api::oauth_session::OAuthSession;
use crate::api::{Credential, decode, oauth};

impl Client {
    /// A token grant (`body`, see [`oauth::code_grant`] and [`oauth::refresh_grant`]) at the
    /// Developer Hub's `/token` of `hosts`, never retried (a code is good once), with no
    /// `authtoken`. The form body holds the verifier or the refresh token, so it sits in a buffer
    /// wiped once sent.
    pub async fn oauth_token(
        &self,
        hosts: &oauth::Hosts,
        body: String,
    ) -> Result<oauth::OAuthTokens, ApiError> {
        let url = oauth::token_url(hosts)?;
        let body = Bytes::from_owner(Wiped(body.into_bytes()));
        let call = Call { body: Some(body), form: true, ..Call::new(Method::POST, "oauth token", url, None) };
        let answer = self.send(&call, false, decode::oauth_tokens).await?;
        Ok(answer.at(chrono::Utc::now()))
    }

    /// Ends a session on its server: `DELETE /user-session` for an authtoken, the app
    /// authorization's DELETE for a browser sign-in ([`Client::oauth_logout`]).
    pub async fn end_session(&self, cred: &Credential) -> Result<Notice, ApiError> {
        match cred {
            Credential::Authtoken(token) => self.logout(token).await,
            Credential::OAuth(session) => {
                let found = self.oauth_logout(session).await?;
                let notice = if found { "Signed out: the app's authorization was revoked." } else { "" };
                Ok(Notice { notice: notice.into() })
            }
        }
    }

    /// Ends a browser sign-in on the server (there is no token revocation): finds the user's
    /// authorization of the app (`GET {developer hub}/manifests/{app_id}/authorizations`, as
    /// Bearer with the organisation) and deletes it. The caller forgets the session whatever
    /// this answers. `Ok(false)` when the server listed no authorization of this user.
    pub async fn oauth_logout(&self, session: &OAuthSession) -> Result<bool, ApiError> {
        let tokens = session.tokens();
        let app = session.settings().app_id.clone();
        let base = &session.hosts().developer_hub;
        let join = |segments: &[&str]| {
            let mut url = base.clone();
            url.path_segments_mut()
                .map_err(|()| ApiError::Config(format!("{base} cannot hold a path.")))?
                .pop_if_empty()
                .extend(segments);
            Ok::<Url, ApiError>(url)
        };
        let organization_uid = tokens.organization_uid.as_deref().map(organization_header).transpose()?;
        let list_url = join(&["manifests", &app, "authorizations"])?;
        let list = Call {
            organization_uid: organization_uid.clone(),
            ..Call::new(Method::GET, "oauth authorizations", list_url, None)
        };
        let found = self.send_as(list, session.into(), true, decode::authorizations).await?;
        let mine = found.iter().find(|(_, user)| user.is_some() && *user == tokens.user_uid).or_else(|| {
            // An answer without user uids, for a token that only sees its own authorization.
            (found.len() == 1 && found[0].1.is_none()).then(|| &found[0])
        });
        let Some((authorization, _)) = mine else { return Ok(false) };
        let url = join(&["manifests", &app, "authorizations", authorization])?;
        let call = Call { organization_uid, ..Call::new(Method::DELETE, "oauth authorization", url, None) };
        self.send_as(call, session.into(), false, decode::notice).await.map(|_| true)
    }

    /// `GET /user` for a browser sign-in: its access token as `authorization: Bearer`, never as
    /// `authtoken`; retried like [`Client::get_user`].
    pub async fn get_user_oauth(
        &self,
        access: &SecretString,
        opts: GetUserOptions,
    ) -> Result<User, ApiError> {
        let call = Call { bearer: true, ..self.user_call(Some(access), opts)? };
        self.send(&call, true, decode::user).await
    }
}
