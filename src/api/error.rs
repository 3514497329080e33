//! One error type for every user call, told apart the way a user needs: what happened and what
//! to do next. Classification is pure (status + headers + body in, error out) so it is tested
//! without a network.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

/// Why a request never produced an HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// No answer within the request timeout.
    Timeout,
    /// The connection was refused or could not be made (nothing listening, DNS failure, no route).
    Connect,
    /// The connection broke mid-request (reset, closed early).
    Reset,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// Anything else below HTTP.
    Other,
}

/// Every way a user call can fail.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// 422 with error_code 104: wrong email or password. The server's message says how many
    /// attempts are left, so it is kept.
    #[error("{message}")]
    InvalidCredentials { message: String, attempts_left: Option<u32> },
    /// Too many failed attempts: the account is locked for a while.
    #[error("{message}")]
    AccountLocked { message: String },
    /// A second factor is needed (error_code 294, or a `tfa_type` in the body, whatever the status).
    #[error("{message}")]
    TfaRequired { message: String, tfa_type: Option<String> },
    /// The 2FA code was wrong or expired (error_code 295).
    #[error("{message}")]
    InvalidTfaCode { message: String },
    /// 401/403: the authtoken is unknown, expired or logged out.
    #[error("{message}")]
    Unauthorized { status: u16, code: Option<i64>, message: String },
    /// 422 (or 400) with field messages.
    #[error("{message}")]
    Validation { status: u16, code: Option<i64>, message: String, errors: BTreeMap<String, Vec<String>> },
    /// 429: too many requests. `retry_after` is never more than [`MAX_RETRY_AFTER`]: that is
    /// the longest anything waits for it, and reaching it means "later".
    #[error("{message}")]
    RateLimited { message: String, retry_after: Option<Duration>, limit: Option<u64>, remaining: Option<u64> },
    /// A 3xx: the server sent the request elsewhere. Redirects are never followed (one would
    /// carry the `authtoken` header to wherever it points).
    #[error("redirected ({status})")]
    Redirected {
        status: u16,
        /// The host (and port) of the `Location` header, never its path; empty for a
        /// location on the same server; `None` without a readable one.
        location: Option<String>,
    },
    /// 5xx.
    #[error("{message}")]
    Server { status: u16, code: Option<i64>, message: String },
    /// Any other refusal by the server (4xx not covered above).
    #[error("{message}")]
    Rejected { status: u16, code: Option<i64>, message: String },
    /// A password log-in that succeeded without giving a token: the account signs in through SSO.
    #[error("The server accepted the password but gave no session token")]
    NoToken { notice: String },
    /// No HTTP answer, or an answer cut off before its end.
    #[error("{detail}")]
    Transport {
        kind: TransportKind,
        /// The server's host and port, as the user named it (never the path: an activation
        /// link's token is in it); empty when not known.
        host: String,
        detail: String,
    },
    /// An answer that is not what the API sends.
    #[error("{detail}")]
    Decode { status: u16, detail: String },
    /// An answer larger than the client accepts: more bytes than the cap, or more roles,
    /// rules or other values than the decoder keeps (see [`Limit`]).
    #[error("answer over the limit of {limit} {}", of.noun())]
    TooLarge { limit: u64, of: Limit },
    /// The API address is not usable (bad URL, plain HTTP to a remote host).
    #[error("{0}")]
    Config(String),
}

impl ApiError {
    /// A sentence for the user: what happened and what to do next.
    pub fn user_message(&self) -> String {
        match self {
            ApiError::InvalidCredentials { message, .. } => {
                if message.is_empty() {
                    "Wrong email or password. Check both and the region, or reset your password.".into()
                } else {
                    format!("{message} (Check the region too: a wrong region looks like a wrong password.)")
                }
            }
            ApiError::AccountLocked { message } => locked_message(message, &chrono::Local::now()),
            ApiError::TfaRequired { .. } => {
                "This account uses two-factor authentication: enter the 6-digit code from your authenticator app, or ask for one by SMS.".into()
            }
            ApiError::InvalidTfaCode { message } => format!(
                "{} Enter the current code (they change every 30 seconds) or ask for a new one by SMS.",
                non_empty(message, "That verification code is not valid.")
            ),
            ApiError::Unauthorized { .. } => {
                "Your session has expired or was logged out. Log in again.".into()
            }
            ApiError::Validation { message, errors, .. } => {
                let mut s = non_empty(message, "The server did not accept these values.").to_string();
                for (field, msgs) in errors {
                    s.push_str(&format!(" {}: {}.", field_label(field), msgs.join(", ")));
                }
                // Without field messages the server's sentence says it all (e.g. "not activated").
                if !errors.is_empty() {
                    s.push_str(" Correct them and try again.");
                }
                s
            }
            ApiError::RateLimited { retry_after, .. } => match retry_after {
                Some(d) if *d >= MAX_RETRY_AFTER => format!(
                    "Contentstack is limiting requests and asked for a wait of {} or more. Try again later.",
                    wait_text(MAX_RETRY_AFTER)
                ),
                Some(d) => format!("Contentstack is limiting requests. Try again in {}.", wait_text(*d)),
                None => "Contentstack is limiting requests. Wait a few seconds and try again.".into(),
            },
            ApiError::Redirected { status, location } => {
                let to = match location.as_deref() {
                    Some("") => " to another path on the same server".to_string(),
                    Some(host) => format!(" to {host}"),
                    None => String::new(),
                };
                format!(
                    "The server redirected the request ({status}){to}. cs-account does not follow redirects, as one would take your session token along. Check the region or API URL."
                )
            }
            ApiError::Server { status, message, .. } => format!(
                "Contentstack had a problem ({status}{}). Try again in a moment.",
                if message.is_empty() { String::new() } else { format!(": {message}") }
            ),
            ApiError::Rejected { status, message, .. } => format!(
                "The server refused the request ({status}): {}",
                non_empty(message, "no reason given.")
            ),
            ApiError::NoToken { .. } => {
                "Password log-in gave no session token: this account signs in through SSO. Sign in with the browser instead (ctrl-b in the app, `cs-account login --oauth` in a shell).".into()
            }
            ApiError::Transport { kind, host, .. } => {
                let server =
                    if host.is_empty() { "the server".to_string() } else { format!("the server at {host}") };
                match kind {
                    TransportKind::Timeout => format!(
                        "{} did not answer in time. Check your connection and try again.",
                        capitalised(&server)
                    ),
                    TransportKind::Connect => format!(
                        "Could not reach {server}. Check your connection, the region or API URL, and any proxy settings."
                    ),
                    TransportKind::Reset => format!(
                        "The connection to {server} broke before its answer was complete. Try again."
                    ),
                    TransportKind::Tls => format!(
                        "The secure connection to {server} failed (TLS). Check the API URL, the system clock and any proxy that inspects traffic."
                    ),
                    TransportKind::Other => format!("The request to {server} failed on the network. Try again."),
                }
            }
            ApiError::Decode { status, detail } => {
                let detail = detail.trim();
                let what = if detail.is_empty() { String::new() } else { format!(": {detail}") };
                format!(
                    "The server sent an answer cs-account cannot read (HTTP {status}{what}). Check the API URL points at Contentstack's API."
                )
            }
            ApiError::TooLarge { limit, of: Limit::Bytes } => format!(
                "The server's answer is larger than {}, so it was refused. Check the API URL.",
                human_bytes(*limit)
            ),
            ApiError::TooLarge { limit, of } => format!(
                "The server's answer lists more than {} {}, more than cs-account reads, so it was refused (reading it could run out of memory). Check the API URL.",
                thousands(*limit),
                of.noun()
            ),
            ApiError::Config(msg) => msg.clone(),
        }
    }

    /// True when the call may be repeated unchanged (for idempotent calls only; see the client).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::Server { .. }
                | ApiError::Transport {
                    kind: TransportKind::Connect | TransportKind::Reset | TransportKind::Timeout,
                    ..
                }
        )
    }

    /// True when the token is no longer accepted and the user must log in again.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. })
    }

    /// The field messages of a validation error, empty otherwise.
    pub fn field_errors(&self) -> BTreeMap<String, Vec<String>> {
        match self {
            ApiError::Validation { errors, .. } => errors.clone(),
            _ => BTreeMap::new(),
        }
    }
}

/// The longest wait a server's `Retry-After` is taken at its word for. A longer one (a
/// hostile `999999999` or a date in 2099) is read as this, shown as "later", and is the longest
/// any retry key stays disabled.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

/// `7 s`, `2 min` (rounded up, so a retry at the time said is never early).
fn wait_text(d: Duration) -> String {
    let secs = d.as_secs().max(1);
    if secs < 60 { format!("{secs} s") } else { format!("{} min", secs.div_ceil(60)) }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One sentence for a locked account: until when (in the user's local time) when the server
/// said, and what to do. The server's own text is not repeated: it usually says the same with
/// a raw UTC timestamp.
fn locked_message<Tz: TimeZone>(server: &str, now: &DateTime<Tz>) -> String
where
    Tz::Offset: Display,
{
    let until = server
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ',' | ';' | ':' | '(' | ')')))
        .find_map(|w| DateTime::parse_from_rfc3339(w).ok())
        .map(|t| t.with_timezone(&now.timezone()));
    let said_minutes = minutes_in(server);
    // A count of minutes helps for a short lock; past two hours the time says it better.
    let minutes = said_minutes
        .or_else(|| {
            let left = until.as_ref()?.clone().signed_duration_since(now.clone()).num_seconds();
            (left > 0).then(|| u64::try_from(left).unwrap_or(0).div_ceil(60))
        })
        .filter(|m| *m <= 120 || until.is_none());
    let cause = "This account is locked after too many failed log-in attempts";
    match (until, minutes) {
        (Some(t), Some(m)) => format!(
            "{cause} until {} (in {m} minute{}): wait until then, or reset your password.",
            local_time(&t, now),
            if m == 1 { "" } else { "s" }
        ),
        (Some(t), None) => {
            format!("{cause} until {}: wait until then, or reset your password.", local_time(&t, now))
        }
        (None, Some(m)) => format!(
            "{cause} for about {m} more minute{}: wait, or reset your password.",
            if m == 1 { "" } else { "s" }
        ),
        (None, None) => format!("{cause}: wait until the lock ends, or reset your password."),
    }
}

/// `14:05` on the same day as `now`, `Tue 6 Jan 14:05` otherwise.
fn local_time<Tz: TimeZone>(t: &DateTime<Tz>, now: &DateTime<Tz>) -> String
where
    Tz::Offset: Display,
{
    if t.date_naive() == now.date_naive() {
        t.format("%H:%M").to_string()
    } else {
        t.format("%a %-d %b %H:%M").to_string()
    }
}

/// `N` from "... in N minute(s) ..." or "... for N minutes ...".
fn minutes_in(text: &str) -> Option<u64> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| c.is_whitespace() || c == '(' || c == ')').collect();
    words.windows(2).find_map(|w| {
        if w[1].starts_with("minute") { w[0].parse::<u64>().ok().filter(|m| *m > 0) } else { None }
    })
}

/// `20000000` → `20 MB`, `4096` → `4 kB`, `512` → `512 bytes`.
/// What an answer had too much of: bytes (the client's cap), or what the decoder counts as it
/// reads (roles, rules, and values elsewhere in the answer), each with its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Bytes,
    Roles,
    Rules,
    /// Values outside the roles (the user's other fields, organisations, settings, an error's
    /// fields), which are kept as JSON values.
    Values,
}

impl Limit {
    /// The most the decoder keeps (bytes are capped by the client's setting instead).
    pub fn max(self) -> u64 {
        match self {
            Limit::Bytes => u64::MAX,
            Limit::Roles => crate::api::profile_store::stream::MAX_ROLES as u64,
            Limit::Rules => crate::api::profile_store::stream::MAX_RULES as u64,
            Limit::Values => crate::api::decode::MAX_OTHER_VALUES as u64,
        }
    }

    /// What is counted, in the plural.
    pub fn noun(self) -> &'static str {
        match self {
            Limit::Bytes => "bytes",
            Limit::Roles => "roles",
            Limit::Rules => "permission rules",
            Limit::Values => "values outside the roles",
        }
    }
}

/// `100000` → `100,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000 => format!("{} MB", n / 1_000_000),
        n if n >= 1_000 => format!("{} kB", n / 1_000),
        n => format!("{n} bytes"),
    }
}

fn non_empty<'a>(s: &'a str, fallback: &'a str) -> &'a str {
    if s.trim().is_empty() { fallback } else { s }
}

/// `first_name` → `First name`.
pub fn field_label(field: &str) -> String {
    let spaced = field.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Error code of a wrong email or password.
pub const CODE_INVALID_CREDENTIALS: i64 = 104;
/// Error code of an invalid, expired or logged-out authtoken.
pub const CODE_INVALID_TOKEN: i64 = 105;
/// Error code of "two-factor code required".
pub const CODE_TFA_REQUIRED: i64 = 294;
/// Error code of a wrong two-factor code.
pub const CODE_TFA_INVALID: i64 = 295;

/// The headers classification looks at.
#[derive(Debug, Clone, Default)]
pub struct ErrorHeaders {
    /// Capped at [`MAX_RETRY_AFTER`].
    pub retry_after: Option<Duration>,
    pub rate_limit: Option<u64>,
    pub rate_remaining: Option<u64>,
    /// Where a 3xx points: see [`ApiError::Redirected`].
    pub location: Option<String>,
}

impl ErrorHeaders {
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
        let num = |name: &str| {
            headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok())
        };
        ErrorHeaders {
            retry_after: headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after),
            rate_limit: num("x-ratelimit-limit"),
            rate_remaining: num("x-ratelimit-remaining"),
            location: headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(redirect_host),
        }
    }
}

/// The host (and port) a `Location` points at, or an empty string when it is relative (the
/// same server). Only the host: a path can hold a token.
fn redirect_host(location: &str) -> String {
    match url::Url::parse(location.trim()) {
        Ok(url) => crate::sanitize::owned(host_of(&url)),
        Err(_) => String::new(),
    }
}

/// `api.example.com`, `127.0.0.1:4010`: the host, with the port when the URL names one.
pub fn host_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// `Retry-After` as seconds or as an HTTP date, capped at [`MAX_RETRY_AFTER`]: a server can
/// ask for any wait, and what it asks is shown and waited for.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is a very long wait all the same.
        let secs = v.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    let when = DateTime::parse_from_rfc2822(v).ok()?;
    let delta = when.with_timezone(&Utc) - Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO).min(MAX_RETRY_AFTER))
}

/// Turns a non-success answer (or a success status whose body carries an `error_code`) into an
/// error. `body` is the sanitised JSON body, or `None` when it was not JSON.
pub fn classify(status: u16, headers: &ErrorHeaders, body: Option<&Value>) -> ApiError {
    let text = |key: &str| body.and_then(|b| b.get(key)).and_then(Value::as_str).map(str::to_string);
    let message =
        text("error_message").or_else(|| text("message")).or_else(|| text("error")).unwrap_or_default();
    let code = body.and_then(|b| b.get("error_code")).and_then(Value::as_i64);
    let tfa_type = text("tfa_type");
    let errors = body.and_then(|b| b.get("errors")).map(field_errors).unwrap_or_default();

    if (300..400).contains(&status) {
        return ApiError::Redirected { status, location: headers.location.clone() };
    }
    if code == Some(CODE_TFA_REQUIRED) || (tfa_type.is_some() && code != Some(CODE_TFA_INVALID)) {
        return ApiError::TfaRequired { message, tfa_type };
    }
    if code == Some(CODE_TFA_INVALID) {
        return ApiError::InvalidTfaCode { message };
    }
    let lower = message.to_lowercase();
    if lower.contains("locked") || (code == Some(CODE_INVALID_CREDENTIALS) && lower.contains("temporarily")) {
        return ApiError::AccountLocked { message };
    }
    if code == Some(CODE_INVALID_CREDENTIALS) {
        return ApiError::InvalidCredentials { attempts_left: attempts_left(&message), message };
    }
    if status == 429 {
        return ApiError::RateLimited {
            message,
            retry_after: headers.retry_after,
            limit: headers.rate_limit,
            remaining: headers.rate_remaining,
        };
    }
    if status == 401 || status == 403 || code == Some(CODE_INVALID_TOKEN) {
        return ApiError::Unauthorized { status, code, message };
    }
    if status >= 500 {
        return ApiError::Server { status, code, message };
    }
    if status == 422 || !errors.is_empty() {
        return ApiError::Validation { status, code, message, errors };
    }
    if body.is_none() {
        return ApiError::Decode { status, detail: format!("HTTP {status} with a body that is not JSON") };
    }
    ApiError::Rejected { status, code, message }
}

/// `errors` comes as a map of field → messages, as an empty array, or as a map of field → one
/// message. Anything else is ignored rather than failing the whole answer.
fn field_errors(v: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    if let Value::Object(map) = v {
        for (field, msgs) in map {
            let list: Vec<String> = match msgs {
                Value::Array(items) => items
                    .iter()
                    .map(|m| m.as_str().map(str::to_string).unwrap_or_else(|| m.to_string()))
                    .collect(),
                Value::String(s) => vec![s.clone()],
                other => vec![other.to_string()],
            };
            out.insert(field.clone(), list);
        }
    }
    out
}

/// "You have 4 login attempt(s) left." → 4.
fn attempts_left(message: &str) -> Option<u32> {
    let lower = message.to_lowercase();
    let idx = lower.find("attempt")?;
    lower[..idx].split(|c: char| !c.is_ascii_digit()).rfind(|s| !s.is_empty()).and_then(|n| n.parse().ok())
}

/// Maps a reqwest failure (no HTTP answer) to a transport error naming the server's host.
/// The URL itself stays out of it: an activation link's token is in its path.
pub fn from_reqwest(err: reqwest::Error) -> ApiError {
    let host = err.url().map(host_of).unwrap_or_default();
    let err = err.without_url();
    let mut chain = String::new();
    let mut src: Option<&dyn std::error::Error> = Some(&err);
    while let Some(e) = src {
        if !chain.is_empty() {
            chain.push_str(": ");
        }
        chain.push_str(&e.to_string());
        src = e.source();
    }
    let lower = chain.to_lowercase();
    let kind = if err.is_timeout() || lower.contains("timed out") {
        TransportKind::Timeout
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        TransportKind::Tls
    } else if err.is_connect() {
        TransportKind::Connect
    } else if lower.contains("reset")
        || lower.contains("closed")
        || lower.contains("broken pipe")
        || lower.contains("incomplete")
        || lower.contains("eof")
        || err.is_body()
        || err.is_request()
    {
        TransportKind::Reset
    } else {
        TransportKind::Other
    };
    ApiError::Transport { kind, host: crate::sanitize::owned(host), detail: crate::sanitize::owned(chain) }
}

/// A failure while reading an answer whose status and headers had come: the connection broke
/// (or stalled) mid-body. Whatever reqwest calls it, it is the same transient failure as a
/// connection reset before the headers, so that `GET`/`PUT /user` retry it and the user reads
/// the same sentence. reqwest's body errors carry no URL, so the caller names the `host`.
pub fn from_reqwest_body(err: reqwest::Error, host: &str) -> ApiError {
    match from_reqwest(err) {
        ApiError::Transport { kind, host: found, detail } => ApiError::Transport {
            kind: if kind == TransportKind::Timeout { kind } else { TransportKind::Reset },
            host: if found.is_empty() { crate::sanitize::owned(host.to_string()) } else { found },
            detail,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn c(status: u16, body: Value) -> ApiError {
        classify(status, &ErrorHeaders::default(), Some(&body))
    }

    #[test]
    fn wrong_password_keeps_attempts() {
        let e = c(
            422,
            json!({"error_message": "Looks like your email or password is invalid. You have 4 login attempt(s) left.", "error_code": 104, "errors": {}}),
        );
        assert!(matches!(e, ApiError::InvalidCredentials { attempts_left: Some(4), .. }), "{e:?}");
        assert!(e.user_message().contains("4 login attempt"));
    }

    #[test]
    fn tfa_required_whatever_the_status() {
        for status in [200, 294, 401, 422] {
            let e = c(
                status,
                json!({"error_message": "Please login using the Two-Factor verification Token", "error_code": 294, "errors": [], "tfa_type": "totp_authenticator"}),
            );
            assert!(
                matches!(&e, ApiError::TfaRequired { tfa_type: Some(t), .. } if t == "totp_authenticator"),
                "{status}: {e:?}"
            );
        }
        let e = c(401, json!({"error_message": "2FA", "tfa_type": "sms"}));
        assert!(matches!(e, ApiError::TfaRequired { .. }));
    }

    #[test]
    fn the_other_classes() {
        assert!(matches!(
            c(422, json!({"error_code": 295, "error_message": "Invalid verification code"})),
            ApiError::InvalidTfaCode { .. }
        ));
        assert!(matches!(
            c(422, json!({"error_code": 104, "error_message": "Your account has been locked."})),
            ApiError::AccountLocked { .. }
        ));
        assert!(matches!(
            c(401, json!({"error_code": 105, "error_message": "bad token"})),
            ApiError::Unauthorized { status: 401, .. }
        ));
        assert!(matches!(c(403, json!({})), ApiError::Unauthorized { status: 403, .. }));
        assert!(matches!(c(503, json!({"error_message": "down"})), ApiError::Server { status: 503, .. }));
        assert!(matches!(c(404, json!({"error_message": "nope"})), ApiError::Rejected { status: 404, .. }));
        let v = c(
            422,
            json!({"error_message": "bad", "error_code": 119, "errors": {"first_name": ["is too long"], "country_code": "must be digits"}}),
        );
        let errs = v.field_errors();
        assert_eq!(errs["first_name"], vec!["is too long"]);
        assert_eq!(errs["country_code"], vec!["must be digits"]);
        let arr = c(422, json!({"error_message": "bad", "errors": []}));
        assert!(matches!(arr, ApiError::Validation { ref errors, .. } if errors.is_empty()));
    }

    #[test]
    fn rate_limit_carries_headers() {
        let h = ErrorHeaders {
            retry_after: Some(Duration::from_secs(5)),
            rate_limit: Some(10),
            rate_remaining: Some(0),
            location: None,
        };
        let e = classify(429, &h, Some(&json!({"error_message": "Too many requests", "error_code": 429})));
        assert!(
            matches!(e, ApiError::RateLimited { retry_after: Some(d), limit: Some(10), .. } if d.as_secs() == 5)
        );
        assert!(e.user_message().contains("5 s"));
        assert!(e.is_transient());
    }

    #[test]
    fn non_json_bodies() {
        assert!(matches!(
            classify(502, &ErrorHeaders::default(), None),
            ApiError::Server { status: 502, .. }
        ));
        assert!(matches!(
            classify(418, &ErrorHeaders::default(), None),
            ApiError::Decode { status: 418, .. }
        ));
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after(""), None);
    }

    #[test]
    fn a_hostile_retry_after_is_capped_and_said_as_later() {
        for v in ["999999999", "600", "99999999999999999999999", "Thu, 01 Jan 2099 00:00:00 GMT"] {
            let after = parse_retry_after(v);
            assert_eq!(after, Some(MAX_RETRY_AFTER), "{v}");
            let e = ApiError::RateLimited {
                message: String::new(),
                retry_after: after,
                limit: None,
                remaining: None,
            };
            let m = e.user_message();
            assert!(m.contains("later") && m.contains("10 min") && !m.contains("99"), "{v}: {m}");
        }
        assert_eq!(parse_retry_after("599"), Some(Duration::from_secs(599)));
        let e = |secs| ApiError::RateLimited {
            message: String::new(),
            retry_after: Some(Duration::from_secs(secs)),
            limit: None,
            remaining: None,
        };
        assert!(e(7).user_message().ends_with("Try again in 7 s."), "{}", e(7).user_message());
        assert!(e(0).user_message().ends_with("Try again in 1 s."));
        assert!(e(61).user_message().ends_with("Try again in 2 min."));
        assert!(e(599).user_message().ends_with("Try again in 10 min."));
    }

    #[test]
    fn the_lockout_is_one_sentence_in_local_time() {
        let tz = chrono::FixedOffset::east_opt(2 * 3600).expect("UTC+2");
        let now = tz.with_ymd_and_hms(2026, 1, 5, 11, 50, 0).single().expect("a time");
        // The demo server's text: a raw UTC timestamp and the advice the client adds.
        let demo = "Your account has been locked after 5 failed login attempts. Try again after \
                    2026-01-05T10:05:00.000Z (in 15 minute(s)), or reset your password.";
        assert_eq!(
            locked_message(demo, &now),
            "This account is locked after too many failed log-in attempts until 12:05 (in 15 minutes): \
             wait until then, or reset your password."
        );
        // No minutes said: counted from now. Another day: the day is said.
        let bare = "Locked until 2026-01-06T10:05:00Z.";
        assert_eq!(
            locked_message(bare, &now),
            "This account is locked after too many failed log-in attempts until Tue 6 Jan 12:05: \
             wait until then, or reset your password."
        );
        assert_eq!(
            locked_message("Your account has been locked temporarily for 30 minutes.", &now),
            "This account is locked after too many failed log-in attempts for about 30 more minutes: wait, or reset your password."
        );
        let plain = locked_message("Your account has been locked.", &now);
        assert_eq!(
            plain,
            "This account is locked after too many failed log-in attempts: wait until the lock ends, or reset your password."
        );
        for m in [locked_message(demo, &now), plain] {
            assert_eq!(m.matches(". ").count() + m.matches(": ").count(), 1, "one sentence: {m}");
            assert!(!m.contains("2026-") && !m.contains(":00"), "no raw timestamp: {m}");
        }
    }

    #[test]
    fn a_redirect_says_where_to_and_that_it_is_not_followed() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::LOCATION,
            reqwest::header::HeaderValue::from_static(
                "https://eu-api.contentstack.com/v3/user?authtoken=blt1",
            ),
        );
        let e = classify(302, &ErrorHeaders::from_headers(&headers), None);
        assert!(
            matches!(&e, ApiError::Redirected { status: 302, location: Some(h) } if h == "eu-api.contentstack.com")
        );
        let m = e.user_message();
        assert!(m.contains("redirected") && m.contains("eu-api.contentstack.com"), "{m}");
        assert!(m.contains("does not follow redirects") && !m.contains("blt1") && !m.contains("/v3"), "{m}");
        headers.insert(reqwest::header::LOCATION, reqwest::header::HeaderValue::from_static("/elsewhere"));
        let e =
            classify(307, &ErrorHeaders::from_headers(&headers), Some(&json!({"error_message": "moved"})));
        assert!(e.user_message().contains("another path on the same server"), "{}", e.user_message());
        let e = classify(301, &ErrorHeaders::default(), None);
        assert!(e.user_message().starts_with("The server redirected the request (301). cs-account"));
        assert!(!e.is_transient());
    }

    #[test]
    fn transport_failures_name_the_host() {
        let e = |kind| ApiError::Transport { kind, host: "127.0.0.1:4010".into(), detail: "x".into() };
        assert!(
            e(TransportKind::Connect)
                .user_message()
                .starts_with("Could not reach the server at 127.0.0.1:4010.")
        );
        assert!(
            e(TransportKind::Timeout)
                .user_message()
                .starts_with("The server at 127.0.0.1:4010 did not answer")
        );
        assert!(e(TransportKind::Reset).user_message().contains("127.0.0.1:4010"));
        let unknown =
            ApiError::Transport { kind: TransportKind::Connect, host: String::new(), detail: "x".into() };
        assert!(unknown.user_message().starts_with("Could not reach the server."));
    }

    #[test]
    fn too_large_names_the_cap() {
        assert!(ApiError::TooLarge { limit: 20_000_000, of: Limit::Bytes }.user_message().contains("20 MB"));
        assert!(ApiError::TooLarge { limit: 4096, of: Limit::Bytes }.user_message().contains("4 kB"));
        assert!(ApiError::TooLarge { limit: 100, of: Limit::Bytes }.user_message().contains("100 bytes"));
        let roles = ApiError::TooLarge { limit: 100_000, of: Limit::Roles }.user_message();
        assert!(roles.contains("more than 100,000 roles"), "{roles}");
    }

    #[test]
    fn labels() {
        assert_eq!(field_label("first_name"), "First name");
    }
}
