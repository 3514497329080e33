//! The account switcher's requests: the stored sessions, and one stored session's check and
//! log-out (the switch is one call, in `start`), each with its own credential read from the
//! store for that one request and sent to its own endpoint only.

use super::{EffectRunner, blocking};
use crate::api::{ApiError, Client, Endpoint};
use crate::app::msg::{Msg, RequestId};
use crate::app::request::{OnAccountCheck, OnAccountLogout, OnAccounts, Then};
use crate::store::SessionStore;

impl EffectRunner {
    pub(super) fn accounts(&mut self, id: RequestId, then: OnAccounts) {
        tracing::debug!(request = id.0, "stored sessions");
        let store = self.store.clone();
        self.spawn_request(id, async move {
            let Some(store) = store else { return then.reply(Ok(Vec::new())) };
            then.reply(blocking(move || store.list()).await)
        });
    }

    pub(super) fn check_account(
        &mut self,
        id: RequestId,
        endpoint: Endpoint,
        email: String,
        then: OnAccountCheck,
    ) {
        tracing::info!(request = id.0, endpoint = %endpoint, "check a stored session");
        let (store, cfg) = (self.store.clone(), crate::api::check::quick(self.config_for(&endpoint)));
        self.spawn_request(id, async move {
            let client = match Client::new(cfg) {
                Ok(client) => client,
                Err(e) => return then.reply(Err(e)),
            };
            match stored_credential(store, endpoint, email).await {
                Ok(cred) => then.reply(Ok(crate::api::check::check_token(&client, &cred).await)),
                Err(e) => then.reply(Ok(crate::api::check::TokenCheck::Unknown(e.user_message()))),
            }
        });
    }

    pub(super) fn logout_account(
        &mut self,
        id: RequestId,
        endpoint: Endpoint,
        email: String,
        then: OnAccountLogout,
    ) {
        tracing::info!(request = id.0, endpoint = %endpoint, "log a stored session out");
        let (store, client) = (self.store.clone(), self.client(&endpoint));
        let tx = self.tx.clone();
        // Not cancellable, as a log-out: the server is told whatever the user does next.
        self.essential.push(tokio::spawn(async move {
            let result = async {
                let client = client?;
                let cred = stored_credential(store.clone(), endpoint.clone(), email.clone()).await?;
                // Told first, with its own token; forgotten here whatever it said.
                let told = client.end_session(&cred).await.map(|_| ());
                let Some(store) = store else { return Ok(None) };
                blocking(move || store.remove(&endpoint, &email)).await?;
                Ok(match told {
                    Ok(()) => None,
                    Err(e) if e.is_unauthorized() => None,
                    Err(e) => Some(e.user_message()),
                })
            };
            let reply = then.reply(result.await);
            let _ = tx.send(Msg::Api { id, reply: Box::new(reply) });
        }));
    }
}

/// The stored credential of the session of `email` on `endpoint` (to be sent to that endpoint
/// only).
pub(super) async fn stored_credential(
    store: Option<SessionStore>,
    endpoint: Endpoint,
    email: String,
) -> Result<crate::api::Credential, ApiError> {
    let Some(store) = store else {
        return Err(ApiError::Config("Sessions are not stored in this mode.".into()));
    };
    let reader = store.clone();
    let found = blocking(move || reader.load_one(&endpoint, &email)).await?;
    match found {
        Some(session) => Ok(session.credential(Some(&store))),
        None => Err(ApiError::Config("That session is no longer stored (logged out meanwhile?).".into())),
    }
}
