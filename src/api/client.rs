//! The async client for Contentstack's user API (`/v3/user`, `/v3/user-session`).
//!
//! Every answer is read with a size cap ([`ClientConfig::max_body_bytes`]), then handed to one of
//! the pure decoders in [`super::decode`]: JSON, the raw authtoken taken out as a secret,
//! everything else sanitised for the terminal, then either classified as an error or turned into
//! a model. That is the one place where server strings enter the app.
//!
//! Only `GET /user` and `PUT /user` are ever repeated. Log-in, SMS, activation, password reset
//! and log-out go out once: every repeated log-in counts towards the account lockout, and a
//! repeated one-time token would only be refused.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{self, HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::{Serialize, Serializer};
use url::Url;
use zeroize::{Zeroize, Zeroizing};

use super::credential::Auth;
use super::decode;
use super::error::{self, ApiError};
use super::models::{LoginSuccess, Notice, Profile, Stack, UpdateSuccess, User, UserUpdate};
use super::region::{Endpoint, is_loopback};
pub use super::retry::RetryPolicy;
use super::secret::mask;

mod browser;

/// What the client calls itself, in `User-Agent` and `X-User-Agent` (the SDKs send both).
const AGENT: &str = concat!("cs-account/", env!("CARGO_PKG_VERSION"));

/// How a [`Client`] talks to the API.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub endpoint: Endpoint,
    /// Time allowed to open the connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, from sending it to the last byte of the answer.
    pub timeout: Duration,
    /// How `GET /user` and `PUT /user` are retried; other calls never are.
    pub retry: RetryPolicy,
    /// Answers larger than this are refused: nothing the user API sends comes near it, so a
    /// larger one means a wrong URL or a hostile server.
    pub max_body_bytes: u64,
}

impl ClientConfig {
    /// The defaults: 5 s to connect, 30 s per request, 3 tries within 10 s, 20 MB answers.
    pub fn new(endpoint: Endpoint) -> Self {
        ClientConfig {
            endpoint,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            max_body_bytes: 20_000_000,
        }
    }
}

/// Which extras `GET /user` should include. Each costs the server work and adds to the
/// answer, so the default asks for none.
#[derive(Clone, Copy, Debug, Default)]
pub struct GetUserOptions {
    pub include_orgs: bool,
    pub include_orgs_roles: bool,
    pub include_stack_roles: bool,
    pub include_user_settings: bool,
}

impl GetUserOptions {
    /// Everything the profile screens show: organisations with their roles, stack roles and
    /// settings (`include_orgs_roles` implies the organisations).
    pub fn full() -> Self {
        GetUserOptions {
            include_orgs: false,
            include_orgs_roles: true,
            include_stack_roles: true,
            include_user_settings: true,
        }
    }

    fn query(self) -> Vec<(&'static str, &'static str)> {
        [
            ("include_orgs", self.include_orgs),
            ("include_orgs_roles", self.include_orgs_roles),
            ("include_stack_roles", self.include_stack_roles),
            ("include_user_settings", self.include_user_settings),
        ]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| (name, "true"))
        .collect()
    }
}

/// The API client. Cheap to clone (one shared connection pool). It holds no token: tokens are
/// passed to each call, so a clone can never leak or outlive a session.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Endpoint,
    base: Url,
    retry: RetryPolicy,
    max_body_bytes: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.id())
            .field("retry", &self.inner.retry)
            .field("max_body_bytes", &self.inner.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// One request, described before it is sent so that a retry can send it again.
struct Call<'a> {
    method: Method,
    /// The path as logged: a template that never holds a token (`user/activate/{token}`).
    label: &'static str,
    url: Url,
    token: Option<&'a SecretString>,
    /// The serialised body, in a buffer wiped when the last reference to it goes (see
    /// [`Wiped`]); each attempt sends a cheap clone of the same buffer.
    body: Option<Bytes>,
    /// The `organization_uid` header, for calls scoped to one organisation.
    organization_uid: Option<HeaderValue>,
    /// The body is a form (`application/x-www-form-urlencoded`: OAuth's token grants), not JSON.
    form: bool,
    /// `token` is a browser sign-in's access token, sent as `authorization: Bearer` (and never
    /// as `authtoken`).
    bearer: bool,
}

impl<'a> Call<'a> {
    /// A call without a body or an organisation header (add them with struct update).
    fn new(method: Method, label: &'static str, url: Url, token: Option<&'a SecretString>) -> Self {
        Call { method, label, url, token, body: None, organization_uid: None, form: false, bearer: false }
    }
}

/// One of the decoders of [`super::decode`]: status, headers and body bytes to a typed answer.
type Decoder<T> = fn(u16, &HeaderMap, &[u8]) -> Result<T, ApiError>;

impl Client {
    /// Builds the HTTP client: rustls with the platform's roots, the system proxy settings
    /// (`HTTPS_PROXY`, `NO_PROXY`), HTTP/2 where the server offers it.
    ///
    /// A loopback endpoint (the demo server, a local stand-in) is reached directly: a proxy
    /// would connect to *its own* loopback. A plain-http one gets no certificate roots at all:
    /// loading the platform's (hundreds of files under /etc/ssl/certs) took longer than the
    /// whole `whoami` round trip, for a connection that never speaks TLS (redirects, the only
    /// way it could reach an https URL, are not followed).
    pub fn new(cfg: ClientConfig) -> Result<Client, ApiError> {
        let mut headers = HeaderMap::new();
        // Sent on every request, GET and DELETE included: some servers reject a request
        // without it, and the Python SDK does the same.
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert("x-user-agent", HeaderValue::from_static(AGENT));
        let base = cfg.endpoint.base_url();
        let mut builder = reqwest::Client::builder();
        if is_loopback(&base) {
            builder = builder.no_proxy();
        }
        if !needs_tls_roots(&base) {
            builder = builder.tls_certs_only(std::iter::empty());
        }
        let http = builder
            .user_agent(AGENT)
            .default_headers(headers)
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.timeout)
            // A redirect would carry the `authtoken` header to wherever it points (reqwest strips
            // only standard credential headers) and would turn a POST into a GET. The API never
            // redirects, so a 3xx is reported instead.
            .redirect(reqwest::redirect::Policy::none())
            // One attempt is one request on the wire, so the log and the lockout count agree.
            .retry(reqwest::retry::never())
            .build()
            .map_err(|e| ApiError::Config(format!("Could not set up the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                endpoint: cfg.endpoint,
                retry: cfg.retry,
                max_body_bytes: cfg.max_body_bytes,
            }),
        })
    }

    /// The API this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// `POST /user-session?include_orgs_roles=true`. Never retried. A success without a token
    /// is [`ApiError::NoToken`]: SSO accounts get none from a password log-in.
    pub async fn login(
        &self,
        email: &str,
        password: &SecretString,
        tfa_token: Option<&str>,
    ) -> Result<LoginSuccess, ApiError> {
        // People type codes as "123 456".
        let tfa: Option<String> = tfa_token
            .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect())
            .filter(|t: &String| !t.is_empty());
        let body = Login { email: email.trim(), password, tfa_token: tfa.as_deref() };
        let url = self.url(&["user-session"], &[("include_orgs_roles", "true")])?;
        let call = Call { body: Some(wrap(&body)?), ..Call::new(Method::POST, "user-session", url, None) };
        self.send(&call, false, decode::login).await
    }

    /// `POST /user/request_token_sms`: has the server text a 2FA code. Never retried.
    pub async fn request_sms(&self, email: &str, password: &SecretString) -> Result<Notice, ApiError> {
        let body = Login { email: email.trim(), password, tfa_token: None };
        self.post_once("user/request_token_sms", &["user", "request_token_sms"], &body).await
    }

    /// `DELETE /user-session` with the token to end. Never retried: the caller forgets the
    /// token whatever the answer.
    pub async fn logout(&self, token: &SecretString) -> Result<Notice, ApiError> {
        let url = self.url(&["user-session"], &[])?;
        let call = Call::new(Method::DELETE, "user-session", url, Some(token));
        self.send(&call, false, decode::notice).await
    }

    /// `GET /user`, retried on transient failures.
    pub async fn get_user(&self, auth: impl Into<Auth<'_>>, opts: GetUserOptions) -> Result<User, ApiError> {
        self.read_user(auth.into(), opts, decode::user).await
    }

    /// `GET /user` as `auth`, read with `decoder` (into the models or the profile's store).
    async fn read_user<T>(
        &self,
        auth: Auth<'_>,
        opts: GetUserOptions,
        decoder: Decoder<T>,
    ) -> Result<T, ApiError> {
        self.send_as(self.user_call(None, opts)?, auth, true, decoder).await
    }

    /// The `GET /user` call (read into the models or into the profile's store).
    fn user_call<'a>(
        &self,
        token: Option<&'a SecretString>,
        opts: GetUserOptions,
    ) -> Result<Call<'a>, ApiError> {
        Ok(Call::new(Method::GET, "user", self.url(&["user"], &opts.query())?, token))
    }

    /// `GET /stacks`: every stack owned by or shared with the user, retried like `GET /user`.
    /// With `organization_uid`, only that organisation's, sent as the `organization_uid` header
    /// that SSO-enabled organisations require ("CMA | Stacks", "Get all stacks": "For
    /// SSO-enabled organizations, it is mandatory to pass the organization UID in the header";
    /// <https://www.contentstack.com/docs/developers/apis/content-management-api/stacks>).
    /// See [`super::stacks::all_stacks`] for asking once per organisation when the plain call
    /// is refused.
    pub async fn get_stacks(
        &self,
        auth: impl Into<Auth<'_>>,
        organization_uid: Option<&str>,
    ) -> Result<Vec<Stack>, ApiError> {
        let organization_uid = organization_uid.map(organization_header).transpose()?;
        let url = self.url(&["stacks"], &[])?;
        let call = Call { organization_uid, ..Call::new(Method::GET, "stacks", url, None) };
        self.send_as(call, auth.into(), true, decode::stacks).await
    }

    /// `GET /user`, retried on transient failures, read in one pass into the profile's store
    /// (see [`decode::profile`]).
    pub async fn get_profile(
        &self,
        auth: impl Into<Auth<'_>>,
        opts: GetUserOptions,
    ) -> Result<Profile, ApiError> {
        self.read_user(auth.into(), opts, decode::profile).await
    }

    /// `PUT /user` with `{"user": changes}`, retried on transient failures (the same values
    /// written twice leave the same profile). Pass only the changed fields
    /// ([`UserUpdate::changes_from`]).
    pub async fn update_user(
        &self,
        auth: impl Into<Auth<'_>>,
        changes: &UserUpdate,
    ) -> Result<UpdateSuccess, ApiError> {
        let url = self.url(&["user"], &[])?;
        let call = Call { body: Some(wrap(changes)?), ..Call::new(Method::PUT, "user", url, None) };
        self.send_as(call, auth.into(), true, decode::update).await
    }

    /// `POST /user/activate/{activation_token}`. Never retried.
    pub async fn activate(
        &self,
        activation_token: &str,
        first_name: &str,
        last_name: &str,
        password: &SecretString,
        confirmation: &SecretString,
    ) -> Result<Notice, ApiError> {
        let token = activation_token.trim();
        // "." and ".." would be dropped as path segments and post to another route.
        if token.is_empty() || token == "." || token == ".." {
            return Err(ApiError::Config(
                "The activation token is empty. Paste the link from the email.".into(),
            ));
        }
        let body = Activate { first_name, last_name, password, password_confirmation: confirmation };
        self.post_once("user/activate/{token}", &["user", "activate", token], &body).await
    }

    /// `POST /user/forgot_password`: asks for a reset email. Never retried.
    pub async fn forgot_password(&self, email: &str) -> Result<Notice, ApiError> {
        let body = Forgot { email: email.trim() };
        self.post_once("user/forgot_password", &["user", "forgot_password"], &body).await
    }

    /// `POST /user/reset_password`. Never retried.
    pub async fn reset_password(
        &self,
        reset_token: &SecretString,
        password: &SecretString,
        confirmation: &SecretString,
    ) -> Result<Notice, ApiError> {
        let body = Reset { reset_password_token: reset_token, password, password_confirmation: confirmation };
        self.post_once("user/reset_password", &["user", "reset_password"], &body).await
    }

    /// An unauthenticated POST answered by a notice, sent once. `label` is the path as logged.
    async fn post_once<T: Serialize>(
        &self,
        label: &'static str,
        segments: &[&str],
        body: &T,
    ) -> Result<Notice, ApiError> {
        let url = self.url(segments, &[])?;
        let call = Call { body: Some(wrap(body)?), ..Call::new(Method::POST, label, url, None) };
        self.send(&call, false, decode::notice).await
    }

    /// `{base}/a/b?k=v`, each segment percent-encoded (so a token can't add path segments).
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<Url, ApiError> {
        let mut url = self.inner.base.clone();
        url.path_segments_mut()
            .map_err(|()| ApiError::Config(format!("'{}' cannot hold an API path", self.inner.base)))?
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// Sends `call` as the session `auth` proves: an authtoken as `authtoken`; a browser
    /// sign-in's access token as `authorization: Bearer` (never `authtoken`), refreshed first when
    /// about to expire, and after a 401 refreshed once (shared with any other request's 401) and
    /// the call sent once more.
    async fn send_as<T>(
        &self,
        call: Call<'_>,
        auth: Auth<'_>,
        retried: bool,
        decoder: Decoder<T>,
    ) -> Result<T, ApiError> {
        match auth {
            Auth::Token(token) => self.send(&signed(&call, token, false), retried, decoder).await,
            Auth::OAuth(session) => {
                let access = session.access(chrono::Utc::now()).await?;
                match self.send(&signed(&call, &access, true), retried, decoder).await {
                    Err(e) if e.is_unauthorized() => {
                        tracing::info!(
                            path = call.label,
                            "access token refused: refreshing once, then again"
                        );
                        let fresh = session.after_unauthorized(&access).await?;
                        self.send(&signed(&call, &fresh, true), retried, decoder).await
                    }
                    other => other,
                }
            }
        }
    }

    /// Sends `call` and decodes the answer with `decoder`, repeating both on transient failures
    /// when `retried` is set (a 503 is only known to be one once decoded).
    async fn send<T>(&self, call: &Call<'_>, retried: bool, decoder: Decoder<T>) -> Result<T, ApiError> {
        let once = RetryPolicy::none();
        let policy = if retried { &self.inner.retry } else { &once };
        // tokio's clock (the system's, except in tests that pause it to repeat a run exactly).
        let first = tokio::time::Instant::now();
        let mut attempt = 1;
        loop {
            let err = match self.attempt(call, attempt, decoder).await {
                Ok(answer) => return Ok(answer),
                Err(err) => err,
            };
            let Some(wait) = policy.delay_after(attempt, &err, first.elapsed(), rand::random()) else {
                return Err(err);
            };
            tracing::debug!(
                method = %call.method, path = call.label, attempt, wait_ms = wait.as_millis() as u64,
                error = %kind(&err), "retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One request and its decoded answer.
    async fn attempt<T>(&self, call: &Call<'_>, attempt: u32, decoder: Decoder<T>) -> Result<T, ApiError> {
        let started = Instant::now();
        let result = self.exchange(call, decoder).await;
        let (status, outcome) = match &result {
            Ok((status, Ok(_))) => (*status, "ok".to_string()),
            Ok((status, Err(e))) => (*status, kind(e)),
            Err(e) => (0, kind(e)),
        };
        tracing::debug!(
            method = %call.method,
            path = call.label,
            status,
            elapsed_ms = started.elapsed().as_millis() as u64,
            attempt,
            token = call.token.map(mask).unwrap_or_default(),
            outcome = %outcome,
            "contentstack api"
        );
        result?.1
    }

    /// Sends the request and reads the answer; the outer error is a failure before a status came.
    async fn exchange<T>(
        &self,
        call: &Call<'_>,
        decoder: Decoder<T>,
    ) -> Result<(u16, Result<T, ApiError>), ApiError> {
        let mut req = self.inner.http.request(call.method.clone(), call.url.clone());
        match call.token {
            Some(token) if call.bearer => {
                req = req.header(header::AUTHORIZATION, token_header(token, "Bearer ")?)
            }
            Some(token) => req = req.header("authtoken", token_header(token, "")?),
            None => {}
        }
        if let Some(org) = &call.organization_uid {
            req = req.header("organization_uid", org.clone());
        }
        if let Some(body) = &call.body {
            req = req.body(body.clone());
        }
        if call.form {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let mut resp = req.send().await.map_err(error::from_reqwest)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let answer = match read_capped(
            &mut resp,
            self.inner.max_body_bytes,
            &error::host_of(&self.inner.base),
        )
        .await
        {
            Ok(bytes) => decoder(status, &headers, &bytes),
            Err(e) => Err(e),
        };
        Ok((status, answer))
    }
}

/// `call` with `token`, as `authorization: Bearer` when `bearer`.
fn signed<'b>(call: &Call<'_>, token: &'b SecretString, bearer: bool) -> Call<'b> {
    Call {
        method: call.method.clone(),
        label: call.label,
        url: call.url.clone(),
        token: Some(token),
        body: call.body.clone(),
        organization_uid: call.organization_uid.clone(),
        form: call.form,
        bearer,
    }
}

/// Whether a client for `base` may ever need certificate roots: always, except for plain http
/// to loopback (the only plain http [`Endpoint::custom`] accepts).
fn needs_tls_roots(base: &Url) -> bool {
    !(base.scheme() == "http" && is_loopback(base))
}

/// The kind of a failure, for logs (`Unauthorized`, `Transport Timeout`): its messages are server
/// text, which could echo anything, so they stay out. A decode failure says what was wrong
/// (a field's name and the type it came as, in the client's own words: never a value), since
/// without it nobody can tell why a profile did not load.
fn kind(e: &ApiError) -> String {
    let debug = format!("{e:?}");
    let name = debug.split([' ', '(', '{']).next().unwrap_or_default();
    match e {
        ApiError::Transport { kind, .. } => format!("{name} {kind:?}"),
        ApiError::Decode { detail, .. } => format!("{name}: {detail}"),
        _ => name.to_string(),
    }
}

/// The `authtoken` header, marked sensitive so that no HTTP layer logs or prints it, over a
/// buffer of its own that is wiped once the request is done with it (`http` keeps the bytes
/// it is given rather than copying them).
fn token_header(token: &SecretString, prefix: &str) -> Result<HeaderValue, ApiError> {
    let unsendable =
        || ApiError::Config("The session token holds characters that cannot be sent. Log in again.".into());
    let raw = token.expose_secret().as_bytes();
    // Visible ASCII only, as `HeaderValue::from_str` demands (shared bytes would also let
    // bytes above 0x7F through).
    if !raw.iter().all(|b| (0x20..0x7f).contains(b) || *b == b'\t') {
        return Err(unsendable());
    }
    let bytes = Bytes::from_owner(Wiped([prefix.as_bytes(), raw].concat()));
    let mut value = HeaderValue::from_maybe_shared(bytes).map_err(|_| unsendable())?;
    value.set_sensitive(true);
    Ok(value)
}

/// The `organization_uid` header: an organisation uid as the server gave it, trimmed. One that
/// is empty or holds anything but visible ASCII (uids are `blt` and hex) is refused before
/// anything is sent.
fn organization_header(uid: &str) -> Result<HeaderValue, ApiError> {
    let uid = uid.trim();
    if uid.is_empty() || !uid.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::Config(format!(
            "'{}' is not an organisation uid that can be sent.",
            crate::sanitize::display(uid)
        )));
    }
    HeaderValue::from_str(uid).map_err(|_| ApiError::Config("The organisation uid cannot be sent.".into()))
}

/// A buffer zeroed (its whole capacity) when dropped. Request bodies (passwords, reset and
/// activation tokens) and the `authtoken` header value live in one, handed to reqwest as
/// [`Bytes`] that share it, so the last clone reqwest drops wipes it. Copies made below
/// reqwest (hyper's per-connection write buffer, rustls's records, the kernel's socket
/// buffers) are out of reach; README's Security section says so.
struct Wiped(Vec<u8>);

impl AsRef<[u8]> for Wiped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        #[cfg(test)]
        tests::record_wipe(&self.0);
        self.0.zeroize();
    }
}

/// Reads the body, refusing it as soon as it passes `cap` bytes: a declared length is checked
/// before reading, and the running count after every chunk, so no more than `cap` bytes plus
/// one chunk is ever held. The buffer is wiped when dropped (answers can echo the token), and
/// grows by copying into a new one so that no unwiped old buffer is left behind.
///
/// A failure after the headers came (the connection cut mid-body) is the same transient
/// failure as one before them: see [`error::from_reqwest_body`].
async fn read_capped(
    resp: &mut reqwest::Response,
    cap: u64,
    host: &str,
) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(ApiError::TooLarge { limit: cap, of: error::Limit::Bytes });
    }
    // The whole answer in one allocation when the server says its length (at most the cap, which
    // was checked above): growing by doubling copied a 7 MB answer three times and faulted in
    // every copy's pages (a quarter of `whoami`'s time on a 1,000-role profile). A length that
    // lies costs only address space: pages are touched as the bytes arrive.
    let hint = resp.content_length().unwrap_or(0).min(cap);
    let mut buf = Zeroizing::new(Vec::with_capacity(usize::try_from(hint).unwrap_or(0)));
    crate::sys::prefer_huge_pages(buf.as_ptr(), buf.capacity());
    while let Some(chunk) = resp.chunk().await.map_err(|e| error::from_reqwest_body(e, host))? {
        if (buf.len() as u64).saturating_add(chunk.len() as u64) > cap {
            return Err(ApiError::TooLarge { limit: cap, of: error::Limit::Bytes });
        }
        let needed = buf.len() + chunk.len();
        if needed > buf.capacity() {
            let mut bigger = Zeroizing::new(Vec::with_capacity(needed.max(buf.capacity() * 2)));
            bigger.extend_from_slice(&buf);
            buf = bigger;
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// Serialises `{"user": inner}` into a [`Wiped`] buffer of exactly the right size (measured
/// first, so it never grows and leaves a copy behind).
fn wrap<T: Serialize>(inner: &T) -> Result<Bytes, ApiError> {
    #[derive(Serialize)]
    struct Wrapped<'a, T> {
        user: &'a T,
    }
    /// Counts the bytes a serialisation would write.
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let failed = |e: serde_json::Error| ApiError::Config(format!("Could not encode the request: {e}"));
    let wrapped = Wrapped { user: inner };
    let mut count = Count(0);
    serde_json::to_writer(&mut count, &wrapped).map_err(failed)?;
    let mut buf = Wiped(Vec::with_capacity(count.0));
    serde_json::to_writer(&mut buf.0, &wrapped).map_err(failed)?;
    Ok(Bytes::from_owner(buf))
}

/// The one place a password leaves its `SecretString`: while the request body is written.
fn expose<S: Serializer>(secret: &&SecretString, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(secret.expose_secret())
}

#[derive(Serialize)]
struct Login<'a> {
    email: &'a str,
    #[serde(serialize_with = "expose")]
    password: &'a SecretString,
    #[serde(skip_serializing_if = "Option::is_none")]
    tfa_token: Option<&'a str>,
}

#[derive(Serialize)]
struct Activate<'a> {
    first_name: &'a str,
    last_name: &'a str,
    #[serde(serialize_with = "expose")]
    password: &'a SecretString,
    #[serde(serialize_with = "expose")]
    password_confirmation: &'a SecretString,
}

#[derive(Serialize)]
struct Forgot<'a> {
    email: &'a str,
}

#[derive(Serialize)]
struct Reset<'a> {
    #[serde(serialize_with = "expose")]
    reset_password_token: &'a SecretString,
    #[serde(serialize_with = "expose")]
    password: &'a SecretString,
    #[serde(serialize_with = "expose")]
    password_confirmation: &'a SecretString,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Region;
    use std::sync::Mutex;

    /// What each [`Wiped`] buffer held just before it was zeroed, so a test can see that the
    /// buffers holding its secrets were all wiped (tests only: nothing keeps secrets otherwise).
    static WIPED: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

    pub(super) fn record_wipe(bytes: &[u8]) {
        WIPED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(bytes.to_vec());
    }

    fn wiped_holding(needle: &[u8]) -> usize {
        let wiped = WIPED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        wiped.iter().filter(|b| memchr::memmem::find(b, needle).is_some()).count()
    }

    #[tokio::test]
    async fn bodies_and_the_token_header_are_wiped_once_sent() {
        use wiremock::matchers::path;
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        let user =
            serde_json::json!({"user": {"uid": "u1", "email": "a@b.c", "authtoken": "blt-wipe-token"}});
        Mock::given(path("/v3/user-session"))
            .respond_with(ResponseTemplate::new(200).set_body_json(user.clone()))
            .mount(&server)
            .await;
        Mock::given(path("/v3/user"))
            .respond_with(ResponseTemplate::new(200).set_body_json(user))
            .mount(&server)
            .await;
        let client =
            Client::new(ClientConfig::new(Endpoint::custom(&server.uri()).expect("url"))).expect("client");
        // Unique to this test, so other tests' buffers cannot count.
        let password = SecretString::from("Wipe-probe-pass-8f3a1c");
        let token = SecretString::from("blt-wipe-probe-7d2e9b");
        client.login("a@b.c", &password, None).await.expect("logged in");
        client.get_user(&token, GetUserOptions::default()).await.expect("a user");
        // The last reference may go when the connection task next runs.
        for _ in 0..100 {
            if wiped_holding(b"Wipe-probe-pass-8f3a1c") > 0 && wiped_holding(b"blt-wipe-probe-7d2e9b") > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(wiped_holding(b"\"password\":\"Wipe-probe-pass-8f3a1c\""), 1, "the log-in body");
        assert_eq!(wiped_holding(b"blt-wipe-probe-7d2e9b"), 1, "the authtoken header");
    }

    #[test]
    fn a_token_header_is_visible_ascii_only() {
        assert!(token_header(&SecretString::from("blt0123abc"), "").is_ok_and(|v| v.is_sensitive()));
        for bad in ["blt\u{e9}", "blt\n", "blt\u{7f}", "blt\u{202e}"] {
            assert!(token_header(&SecretString::from(bad), "Bearer ").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_wiped_body_is_exactly_its_json() {
        let pw = SecretString::from("p\"w");
        let body = wrap(&Login { email: "a@b.c", password: &pw, tfa_token: Some("1") }).expect("json");
        assert_eq!(&body[..], br#"{"user":{"email":"a@b.c","password":"p\"w","tfa_token":"1"}}"#);
    }

    #[test]
    fn only_plain_http_to_loopback_goes_without_roots() {
        let url = |s: &str| Endpoint::custom(s).expect("valid").base_url();
        assert!(!needs_tls_roots(&url("http://127.0.0.1:4010")));
        assert!(!needs_tls_roots(&url("http://localhost:4010/v3")));
        assert!(!needs_tls_roots(&url("http://[::1]:4010")));
        assert!(needs_tls_roots(&url("https://127.0.0.1:4010")));
        assert!(needs_tls_roots(&url("https://api.example.com")));
        assert!(needs_tls_roots(&Endpoint::Region(Region::Eu).base_url()));
        // Built by hand, past `Endpoint::custom`'s check: still verified like any remote host.
        let remote = Endpoint::Custom(Url::parse("http://api.example.com").expect("url"));
        assert!(needs_tls_roots(&remote.base_url()));
    }

    #[test]
    fn clients_build_for_https_and_loopback_http() {
        for endpoint in [
            Endpoint::Region(Region::Na),
            Endpoint::custom("https://eu-api.contentstack.com").expect("valid"),
            Endpoint::custom("http://127.0.0.1:4010").expect("valid"),
        ] {
            let client = Client::new(ClientConfig::new(endpoint.clone()));
            assert!(client.is_ok(), "{endpoint:?}: {:?}", client.err());
        }
    }
}
