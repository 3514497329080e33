//! The async client for Contentstack's user API (`/v3/user`, `/v3/user-session`).
//!
//! Every answer goes through one decoding path ([`decode`]): bounded read, JSON, the raw
//! authtoken taken out as a secret, everything else sanitised for the terminal, then either
//! classified as an error or turned into a model. That is the one place where server strings
//! enter the app.
//!
//! Only `GET /user` and `PUT /user` are ever repeated. Log-in, SMS, activation, password reset
//! and log-out go out once: every repeated log-in counts towards the account lockout, and a
//! repeated one-time token would only be refused.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::{self, HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use url::Url;

use super::error::{self, ApiError, ErrorHeaders};
use super::models::{LoginSuccess, Notice, UpdateSuccess, User, UserUpdate};
use super::region::Endpoint;
pub use super::retry::RetryPolicy;
use super::secret::mask;

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
    body: Option<Vec<u8>>,
}

/// A successful answer: 2xx, JSON, no `error_code`.
#[derive(Debug)]
struct Answer {
    status: u16,
    /// The sanitised body, without `user.authtoken`.
    body: Value,
    /// `user.authtoken`, exactly as sent.
    token: Option<SecretString>,
}

impl Client {
    /// Builds the HTTP client: rustls with the platform's roots, the system proxy settings
    /// (`HTTPS_PROXY`, `NO_PROXY`), HTTP/2 where the server offers it.
    pub fn new(cfg: ClientConfig) -> Result<Client, ApiError> {
        let mut headers = HeaderMap::new();
        // Sent on every request, GET and DELETE included: some servers reject a request
        // without it, and the Python SDK does the same.
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert("x-user-agent", HeaderValue::from_static(AGENT));
        let http = reqwest::Client::builder()
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
                base: cfg.endpoint.base_url(),
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
        let call =
            Call { method: Method::POST, label: "user-session", url, token: None, body: Some(wrap(&body)?) };
        let answer = self.send(&call, false).await?;
        let notice = notice_text(&answer.body);
        let Some(token) = answer.token else {
            return Err(ApiError::NoToken { notice });
        };
        let mut user = model::<UserEnvelope>(answer.status, answer.body)?.user;
        user.authtoken = Some(token.clone());
        Ok(LoginSuccess { notice, user, authtoken: token })
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
        let call =
            Call { method: Method::DELETE, label: "user-session", url, token: Some(token), body: None };
        notice(self.send(&call, false).await?)
    }

    /// `GET /user`, retried on transient failures.
    pub async fn get_user(&self, token: &SecretString, opts: GetUserOptions) -> Result<User, ApiError> {
        let url = self.url(&["user"], &opts.query())?;
        let call = Call { method: Method::GET, label: "user", url, token: Some(token), body: None };
        let answer = self.send(&call, true).await?;
        let mut user = model::<UserEnvelope>(answer.status, answer.body)?.user;
        user.authtoken = answer.token;
        Ok(user)
    }

    /// `PUT /user` with `{"user": changes}`, retried on transient failures (the same values
    /// written twice leave the same profile). Pass only the changed fields
    /// ([`UserUpdate::changes_from`]).
    pub async fn update_user(
        &self,
        token: &SecretString,
        changes: &UserUpdate,
    ) -> Result<UpdateSuccess, ApiError> {
        let url = self.url(&["user"], &[])?;
        let call =
            Call { method: Method::PUT, label: "user", url, token: Some(token), body: Some(wrap(changes)?) };
        let answer = self.send(&call, true).await?;
        let env = model::<UserEnvelope>(answer.status, answer.body)?;
        let mut user = env.user;
        user.authtoken = answer.token;
        Ok(UpdateSuccess { notice: env.notice.unwrap_or_default(), user })
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
        let call = Call { method: Method::POST, label, url, token: None, body: Some(wrap(body)?) };
        notice(self.send(&call, false).await?)
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

    /// Sends `call`, repeating it on transient failures when `retried` is set.
    async fn send(&self, call: &Call<'_>, retried: bool) -> Result<Answer, ApiError> {
        let once = RetryPolicy::none();
        let policy = if retried { &self.inner.retry } else { &once };
        let first = Instant::now();
        let mut attempt = 1;
        loop {
            let err = match self.attempt(call, attempt).await {
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
    async fn attempt(&self, call: &Call<'_>, attempt: u32) -> Result<Answer, ApiError> {
        let started = Instant::now();
        let result = self.exchange(call).await;
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
    async fn exchange(&self, call: &Call<'_>) -> Result<(u16, Result<Answer, ApiError>), ApiError> {
        let mut req = self.inner.http.request(call.method.clone(), call.url.clone());
        if let Some(token) = call.token {
            req = req.header("authtoken", token_header(token)?);
        }
        if let Some(body) = &call.body {
            req = req.body(body.clone());
        }
        let mut resp = req.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let answer = match read_capped(&mut resp, self.inner.max_body_bytes).await {
            Ok(bytes) => decode(status, &headers, &bytes),
            Err(e) => Err(e),
        };
        Ok((status, answer))
    }
}

/// The kind of a failure, for logs (`Unauthorized`, `Transport Timeout`): its messages are server
/// text, which could echo anything, so they stay out.
fn kind(e: &ApiError) -> String {
    let debug = format!("{e:?}");
    let name = debug.split([' ', '(', '{']).next().unwrap_or_default();
    match e {
        ApiError::Transport { kind, .. } => format!("{name} {kind:?}"),
        _ => name.to_string(),
    }
}

/// A transport failure, without the URL: an activation link's token is in its path.
fn transport(e: reqwest::Error) -> ApiError {
    error::from_reqwest(&e.without_url())
}

/// The `authtoken` header, marked sensitive so that no HTTP layer logs or prints it.
fn token_header(token: &SecretString) -> Result<HeaderValue, ApiError> {
    let mut value = HeaderValue::from_str(token.expose_secret()).map_err(|_| {
        ApiError::Config("The session token holds characters that cannot be sent. Log in again.".into())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Reads the body, refusing it as soon as it passes `cap` bytes: a declared length is checked
/// before reading, and the running count after every chunk, so no more than `cap` bytes plus
/// one chunk is ever held.
async fn read_capped(resp: &mut reqwest::Response, cap: u64) -> Result<Vec<u8>, ApiError> {
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(ApiError::TooLarge { limit: cap });
    }
    let hint = resp.content_length().unwrap_or(0).min(1 << 20);
    let mut buf = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    while let Some(chunk) = resp.chunk().await.map_err(transport)? {
        if (buf.len() as u64).saturating_add(chunk.len() as u64) > cap {
            return Err(ApiError::TooLarge { limit: cap });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// Turns a status and body into an answer or an error; see the module docs for the order.
///
/// An empty 2xx body is read as `{}` (the SMS call's answer is not documented; a 204 would be
/// fine). The models then decide whether `{}` is enough.
fn decode(status: u16, headers: &HeaderMap, bytes: &[u8]) -> Result<Answer, ApiError> {
    let success = (200..300).contains(&status);
    let parsed = if success && bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(Value::Object(Default::default()))
    } else {
        serde_json::from_slice::<Value>(bytes)
    };
    let mut value = match parsed {
        Ok(v) => v,
        Err(e) if success => {
            return Err(ApiError::Decode { status, detail: format!("the answer is not JSON ({e})") });
        }
        Err(_) => return Err(error::classify(status, &ErrorHeaders::from_headers(headers), None)),
    };
    let token = take_token(&mut value);
    let value = crate::sanitize::json(value);
    let present = |key: &str| value.get(key).is_some_and(|v| !v.is_null());
    if !success || present("error_code") || present("tfa_type") {
        return Err(error::classify(status, &ErrorHeaders::from_headers(headers), Some(&value)));
    }
    Ok(Answer { status, body: value, token })
}

/// Removes `user.authtoken` from the body, keeping its order otherwise, before anything
/// sanitises it: the token must go back to the server byte for byte.
fn take_token(value: &mut Value) -> Option<SecretString> {
    let user = value.get_mut("user")?.as_object_mut()?;
    match user.shift_remove("authtoken")? {
        Value::String(s) if !s.is_empty() => Some(SecretString::from(s)),
        _ => None,
    }
}

/// A model from a decoded body. Failure is a short `Decode` error naming what was wrong.
fn model<T: DeserializeOwned>(status: u16, body: Value) -> Result<T, ApiError> {
    serde_json::from_value(body).map_err(|e| {
        let detail: String = e.to_string().chars().take(160).collect();
        ApiError::Decode { status, detail: format!("unexpected answer: {detail}") }
    })
}

/// `{"notice": ...}` answers: any object will do, since the status already said it worked.
fn notice(answer: Answer) -> Result<Notice, ApiError> {
    if !answer.body.is_object() {
        return Err(ApiError::Decode {
            status: answer.status,
            detail: "the answer is not a JSON object".into(),
        });
    }
    Ok(Notice { notice: notice_text(&answer.body) })
}

fn notice_text(body: &Value) -> String {
    body.get("notice").and_then(Value::as_str).unwrap_or_default().to_string()
}

#[derive(Deserialize)]
struct UserEnvelope {
    #[serde(default)]
    notice: Option<String>,
    user: User,
}

/// Serialises `{"user": inner}`.
fn wrap<T: Serialize>(inner: &T) -> Result<Vec<u8>, ApiError> {
    #[derive(Serialize)]
    struct Wrapped<'a, T> {
        user: &'a T,
    }
    serde_json::to_vec(&Wrapped { user: inner })
        .map_err(|e| ApiError::Config(format!("Could not encode the request: {e}")))
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
