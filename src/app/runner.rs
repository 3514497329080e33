//! Performs effects: API calls and session-file work as tokio tasks, timers, cancellation.
//!
//! Every request runs under its own child of one cancellation token, keyed by its request id;
//! a cancelled task sends nothing, and `update` would drop a late answer anyway (the id is no
//! longer pending). Results come back to the loop as [`Msg`]s on one unbounded channel.
//!
//! Logs name requests by id and kind only: tokens and passwords never reach a log line.

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::effect::Effect;
use super::msg::{DraftResult, Msg, RequestId, StoreResult};
use crate::api::{ApiError, Client, ClientConfig, Endpoint, GetUserOptions};
use crate::app::request::{Reply, Request, Switched, Then};
use crate::store::drafts::DraftStore;
use crate::store::{SessionStore, StoredSession};

/// Hands the terminal back, stops the process until it is continued, takes the terminal again
/// and returns its size.
pub type Suspender = fn() -> std::io::Result<(u16, u16)>;

/// Writes text to the clipboard of the terminal the app runs in (see [`Effect::Copy`]).
pub type Clipboard = fn(&str) -> std::io::Result<()>;

/// Owns what effects need: the API client (one per endpoint, rebuilt when the region changes),
/// the session store, and the channel back to the loop.
pub struct EffectRunner {
    config: ClientConfig,
    client: Option<Client>,
    store: Option<SessionStore>,
    tx: UnboundedSender<Msg>,
    cancel: CancellationToken,
    requests: HashMap<RequestId, (CancellationToken, JoinHandle<()>)>,
    /// Work that must not be cut short by quitting: telling the server about a log-out, writing
    /// or deleting the session file.
    essential: Vec<JoinHandle<()>>,
    /// Demo mode: the function giving the 2FA demo user's current code.
    demo_code: Option<fn() -> String>,
    /// Whether [`Request::OpenBrowser`] may start a browser (tests turn it off: a developer's
    /// machine would open windows).
    browser: bool,
    /// For the demo mailbox, built on its first use (plain HTTP to loopback, no proxy).
    outbox_http: Option<reqwest::Client>,
    /// Where profile drafts go (`None`, the default: nowhere, they are not kept). Set with
    /// [`EffectRunner::with_drafts`] by whoever knows where files live, so tests use a temporary
    /// directory.
    drafts: Option<DraftStore>,
    /// Suspends the process on the real terminal (not set in tests, which have none).
    suspend: Option<Suspender>,
    /// Copies to the real terminal's clipboard (not set in tests, nor when `osc52 = false`).
    clipboard: Option<Clipboard>,
    /// The last draft operation; each waits for the one before, so they reach the disk in order.
    draft_tail: Option<JoinHandle<()>>,
    /// Draft files are read and written on the runtime's own thread (see
    /// [`EffectRunner::with_drafts_inline`]).
    drafts_inline: bool,
}

impl EffectRunner {
    /// `config` is the template for clients (timeouts, retries); its endpoint is replaced by each
    /// request's. `cancel` stops every task when the app ends.
    pub fn new(
        config: ClientConfig,
        store: Option<SessionStore>,
        tx: UnboundedSender<Msg>,
        cancel: CancellationToken,
    ) -> Self {
        EffectRunner {
            config,
            client: None,
            store,
            tx,
            cancel,
            requests: HashMap::new(),
            essential: Vec::new(),
            demo_code: None,
            browser: true,
            outbox_http: None,
            drafts: None,
            suspend: None,
            clipboard: None,
            draft_tail: None,
            drafts_inline: false,
        }
    }

    /// Keeps profile drafts in `drafts`.
    pub fn with_drafts(mut self, drafts: DraftStore) -> Self {
        self.drafts = Some(drafts);
        self
    }

    /// Reads and writes draft files in the runner's task on the runtime's thread rather than on
    /// the blocking pool, whose threads finish in an order no one controls. For tests that must
    /// repeat a run exactly (a current-thread runtime with a paused clock, as in
    /// `tests/fault_fuzz.rs`): their answers then come in the same order every time. A draft is
    /// a few hundred bytes.
    pub fn with_drafts_inline(mut self) -> Self {
        self.drafts_inline = true;
        self
    }

    /// Never starts a browser: [`Request::OpenBrowser`] answers that none was opened.
    pub fn without_browser(mut self) -> Self {
        self.browser = false;
        self
    }

    /// Enables [`Effect::DemoCode`] with the function computing the code.
    pub fn with_demo_code(mut self, code: fn() -> String) -> Self {
        self.demo_code = Some(code);
        self
    }

    /// Enables [`Effect::Suspend`] with the function that hands the terminal back, stops the
    /// process and takes the terminal again.
    pub fn with_suspend(mut self, suspend: Suspender) -> Self {
        self.suspend = Some(suspend);
        self
    }

    /// Enables [`Effect::Copy`] with the function that writes to the terminal's clipboard.
    pub fn with_clipboard(mut self, clipboard: Clipboard) -> Self {
        self.clipboard = Some(clipboard);
        self
    }

    /// The client for `endpoint`, reusing the last one (and its connections) when it matches.
    fn client(&mut self, endpoint: &Endpoint) -> Result<Client, ApiError> {
        if let Some(c) = &self.client
            && c.endpoint() == endpoint
        {
            return Ok(c.clone());
        }
        let mut cfg = self.config.clone();
        cfg.endpoint = endpoint.clone();
        let client = Client::new(cfg)?;
        self.client = Some(client.clone());
        Ok(client)
    }

    /// Performs one effect. Never blocks: everything slow runs in a task.
    pub fn run(&mut self, effect: Effect) {
        self.requests.retain(|_, (_, h)| !h.is_finished());
        self.essential.retain(|h| !h.is_finished());
        match effect {
            Effect::Request { id, request } => self.start(id, request),
            Effect::SaveDraft { key, changes } => {
                self.spawn_draft(move |store| DraftResult::Saved(store.save(&key, &changes)));
            }
            Effect::LoadDraft(key) => self.spawn_draft(move |store| {
                let result = store.load(&key).map(|found| found.map(Box::new));
                DraftResult::Loaded(key, result)
            }),
            Effect::DeleteDraft(key) => {
                self.spawn_draft(move |store| DraftResult::Deleted(store.delete(&key)));
            }
            Effect::SaveSession(session, how) => {
                let Some(store) = self.store.clone() else { return };
                tracing::info!(path = %store.path().display(), "saving the session");
                self.spawn_store(move || {
                    StoreResult::Saved(store.save_as(&session, how).map_err(|e| e.to_string()))
                });
            }
            Effect::ActivateSession { endpoint, email } => {
                let Some(store) = self.store.clone() else { return };
                tracing::info!(path = %store.path().display(), "making a stored session the active one");
                self.spawn_store(move || {
                    let activated = store.activate(&endpoint, &email).map(|_| ());
                    store.touch(&endpoint, &email);
                    StoreResult::Saved(activated.map_err(|e| e.to_string()))
                });
            }
            Effect::DeleteSession { endpoint, email } => {
                let Some(store) = self.store.clone() else { return };
                tracing::info!(path = %store.path().display(), "forgetting a stored session");
                self.spawn_store(move || {
                    StoreResult::Deleted(store.remove(&endpoint, &email).map_err(|e| e.to_string()))
                });
            }
            Effect::Cancel(id) => {
                if let Some((token, _)) = self.requests.remove(&id) {
                    tracing::debug!(request = id.0, "cancelled");
                    token.cancel();
                }
            }
            Effect::Timer { after, msg } => {
                let (tx, cancel) = (self.tx.clone(), self.cancel.clone());
                tokio::spawn(async move {
                    tokio::select! {
                        () = cancel.cancelled() => {}
                        () = tokio::time::sleep(after) => { let _ = tx.send(*msg); }
                    }
                });
            }
            Effect::DemoCode { wait } => {
                let Some(code) = self.demo_code else { return };
                let (tx, cancel) = (self.tx.clone(), self.cancel.clone());
                let delay = if wait { until_next_totp_step() } else { Duration::ZERO };
                tokio::spawn(async move {
                    tokio::select! {
                        () = cancel.cancelled() => {}
                        () = tokio::time::sleep(delay) => { let _ = tx.send(Msg::DemoCode(code())); }
                    }
                });
            }
            // On the loop's own thread, on purpose: nothing may draw while the terminal is the
            // shell's. The whole process stops; requests carry on (or time out) once continued.
            Effect::Suspend => {
                let Some(suspend) = self.suspend else { return };
                let size = match suspend() {
                    Ok(size) => Some(size),
                    Err(e) => {
                        tracing::error!("suspending failed: {e}");
                        crossterm::terminal::size().ok()
                    }
                };
                // A resize repaints the whole screen, at the size it has now.
                if let Some((w, h)) = size {
                    let _ = self.tx.send(Msg::Resize(w, h));
                }
            }
            // On the loop's thread too: the sequence goes out between two frames, whole.
            Effect::Copy(text) => {
                if let Some(copy) = self.clipboard
                    && let Err(e) = copy(&text)
                {
                    tracing::warn!("could not write to the terminal's clipboard: {e}");
                }
            }
            // Stop what no longer matters at once; essential work is waited for by `shutdown`.
            Effect::Quit => {
                for (token, _) in self.requests.values() {
                    token.cancel();
                }
            }
        }
    }

    /// Sends one API request. Its answer comes back as the [`Reply`] its continuation makes
    /// ([`Then::reply`]): a `GET /user` only ever as [`Reply::User`], and so on.
    fn start(&mut self, id: RequestId, request: Request) {
        match request {
            Request::Login { endpoint, email, password, tfa_token, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, tfa = tfa_token.is_some(), "log-in");
                self.call(id, &endpoint, then, move |c| async move {
                    c.login(&email, &password, tfa_token.as_deref()).await
                });
            }
            Request::Sms { endpoint, email, password, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, "SMS code request");
                self.call(
                    id,
                    &endpoint,
                    then,
                    move |c| async move { c.request_sms(&email, &password).await },
                );
            }
            Request::GetUser { endpoint, cred, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, token = %cred.masked(), "get user");
                self.call(id, &endpoint, then, move |c| async move {
                    c.get_profile(&cred, GetUserOptions::full()).await
                });
            }
            Request::Logout { endpoint, cred, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, token = %cred.masked(), "log-out");
                let client = self.client(&endpoint);
                let tx = self.tx.clone();
                // Not cancellable by the screen: the server should hear about it even if the
                // user quits right after.
                self.essential.push(tokio::spawn(async move {
                    let result = match client {
                        Ok(c) => c.end_session(&cred).await,
                        Err(e) => Err(e),
                    };
                    let _ = tx.send(Msg::Api { id, reply: Box::new(then.reply(result)) });
                }));
            }
            Request::Update { endpoint, cred, changes, then } => {
                let fields: Vec<&str> = changes.fields().into_iter().map(|(name, _)| name).collect();
                tracing::info!(request = id.0, endpoint = %endpoint, token = %cred.masked(), ?fields, "update user");
                self.call(id, &endpoint, then, move |c| async move { c.update_user(&cred, &changes).await });
            }
            Request::Forgot { endpoint, email, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, "forgot password");
                self.call(id, &endpoint, then, move |c| async move { c.forgot_password(&email).await });
            }
            Request::Reset { endpoint, token, password, confirmation, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, token = %crate::api::mask(&token), "reset password");
                self.call(id, &endpoint, then, move |c| async move {
                    c.reset_password(&token, &password, &confirmation).await
                });
            }
            Request::Activate { endpoint, token, first_name, last_name, password, confirmation, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, token = %crate::api::mask(&token), "activate");
                self.call(id, &endpoint, then, move |c| async move {
                    use secrecy::ExposeSecret;
                    c.activate(token.expose_secret(), &first_name, &last_name, &password, &confirmation).await
                });
            }
            Request::Stacks { endpoint, cred, organizations, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, token = %cred.masked(), "stacks");
                self.call(id, &endpoint, then, move |c| async move {
                    crate::api::stacks::all_stacks(&c, &cred, &organizations).await
                });
            }
            Request::Accounts { then } => self.accounts(id, then),
            Request::CheckAccount { endpoint, email, then } => self.check_account(id, endpoint, email, then),
            Request::SwitchAccount { endpoint, email, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, "switch to a stored session");
                let store = self.store.clone();
                self.call(id, &endpoint.clone(), then, |client| async move {
                    let cred = accounts::stored_credential(store, endpoint, email).await?;
                    let profile = client.get_profile(&cred, GetUserOptions::full()).await?;
                    Ok(Switched { cred, profile })
                });
            }
            Request::LogoutAccount { endpoint, email, then } => {
                self.logout_account(id, endpoint, email, then)
            }
            Request::WaitForBrowser { redirect_uri, state, then } => {
                self.wait_for_browser(id, redirect_uri, state, then)
            }
            Request::OpenBrowser { url, then } => self.open_browser(id, url, then),
            Request::SignIn { endpoint, sign_in, code, then } => {
                tracing::info!(request = id.0, endpoint = %endpoint, "browser sign-in: exchanging the code");
                let store = self.store.clone();
                self.call(id, &endpoint.clone(), then, |client| async move {
                    let cred = sign_in.credential(&client, &code).await?;
                    let profile = client.get_profile(&cred, GetUserOptions::full()).await?;
                    // From now on, refreshed tokens are written back to this account's stored
                    // session (when it is remembered).
                    let email = profile.user.email.clone();
                    let cred = StoredSession::of(email, endpoint, &cred).credential(store.as_ref());
                    Ok(Switched { cred, profile })
                });
            }
            Request::Outbox { endpoint, then } => {
                tracing::debug!(request = id.0, endpoint = %endpoint, "demo outbox");
                let http = self.outbox_http();
                self.spawn_request(id, async move {
                    then.reply(match http {
                        Ok(http) => crate::api::outbox::fetch_outbox(&http, &endpoint).await,
                        Err(e) => Err(e),
                    })
                });
            }
        }
    }

    /// Sends one call with the client for `endpoint`: `work` makes it, its result comes back as
    /// `then`'s reply (a client that cannot be made answers with why).
    fn call<T, F, Fut>(&mut self, id: RequestId, endpoint: &Endpoint, then: T, work: F)
    where
        T: Then + Send + 'static,
        F: FnOnce(Client) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T::Output, ApiError>> + Send,
    {
        let client = self.client(endpoint);
        self.spawn_request(id, async move {
            then.reply(match client {
                Ok(c) => work(c).await,
                Err(e) => Err(e),
            })
        });
    }

    /// The client settings for `endpoint` (the app's timeouts and limits).
    fn config_for(&self, endpoint: &Endpoint) -> ClientConfig {
        let mut cfg = self.config.clone();
        cfg.endpoint = endpoint.clone();
        cfg
    }

    /// The HTTP client for the demo mailbox, reusing its connection.
    fn outbox_http(&mut self) -> Result<reqwest::Client, ApiError> {
        if let Some(http) = &self.outbox_http {
            return Ok(http.clone());
        }
        let http = crate::api::outbox::http_client()?;
        self.outbox_http = Some(http.clone());
        Ok(http)
    }

    fn spawn_request(&mut self, id: RequestId, fut: impl Future<Output = Reply> + Send + 'static) {
        let token = self.cancel.child_token();
        let (tx, t) = (self.tx.clone(), token.clone());
        let handle = tokio::spawn(async move {
            tokio::select! {
                biased;
                () = t.cancelled() => {}
                reply = fut => {
                    let _ = tx.send(Msg::Api { id, reply: Box::new(reply) });
                }
            }
        });
        self.requests.insert(id, (token, handle));
    }

    fn spawn_store(&mut self, work: impl FnOnce() -> StoreResult + Send + 'static) {
        let tx = self.tx.clone();
        self.essential.push(tokio::spawn(async move {
            match tokio::task::spawn_blocking(work).await {
                Ok(result) => {
                    let _ = tx.send(Msg::Stored(result));
                }
                Err(e) => tracing::error!("session file task failed: {e}"),
            }
        }));
    }

    /// Runs one draft operation after the ones before it (a delete must never overtake the write
    /// it follows), off the async threads. Quitting waits for it, like the session file.
    fn spawn_draft(&mut self, work: impl FnOnce(&DraftStore) -> DraftResult + Send + 'static) {
        let Some(store) = self.drafts.clone() else { return };
        tracing::debug!(dir = %store.dir().display(), "draft file operation");
        let (tx, previous, inline) = (self.tx.clone(), self.draft_tail.take(), self.drafts_inline);
        self.draft_tail = Some(tokio::spawn(async move {
            if let Some(previous) = previous {
                let _ = previous.await;
            }
            if inline {
                let _ = tx.send(Msg::Draft(work(&store)));
                return;
            }
            match tokio::task::spawn_blocking(move || work(&store)).await {
                Ok(result) => {
                    let _ = tx.send(Msg::Draft(result));
                }
                Err(e) => tracing::error!("draft file task failed: {e}"),
            }
        }));
    }

    /// Ends the runner: cancels the requests, and gives essential work (log-out, session file)
    /// up to `grace` to finish.
    pub async fn shutdown(mut self, grace: Duration) {
        for (token, _) in self.requests.values() {
            token.cancel();
        }
        let mut essential = std::mem::take(&mut self.essential);
        essential.extend(self.draft_tail.take());
        if tokio::time::timeout(grace, futures::future::join_all(essential)).await.is_err() {
            tracing::warn!("gave up waiting for the log-out call or the session file after {grace:?}");
        }
        self.cancel.cancel();
    }
}

/// Time until the current 30-second TOTP step ends, plus a little so the new code is current.
fn until_next_totp_step() -> Duration {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let into_step = now.as_millis() % 30_000;
    Duration::from_millis((30_000 - into_step) as u64 + 150)
}

/// Runs file work off the runtime's threads; a failure to read or write the store is said as
/// the store says it.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(|e| ApiError::Config(e.to_string())),
        Err(e) => Err(ApiError::Config(format!("Could not read the stored sessions: {e}"))),
    }
}

mod accounts;
mod signin;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_steps_are_at_most_30_s_away() {
        let d = until_next_totp_step();
        assert!(d > Duration::from_millis(150) && d <= Duration::from_millis(30_150), "{d:?}");
    }
}
