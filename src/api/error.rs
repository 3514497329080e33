//! One error type for every user call, told apart the way a user needs: what happened and what
//! to do next. Classification is pure (status + headers + body in, error out) so it is tested
//! without a network.

use std::collections::BTreeMap;
use std::time::Duration;

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
    /// 429: too many requests.
    #[error("{message}")]
    RateLimited { message: String, retry_after: Option<Duration>, limit: Option<u64>, remaining: Option<u64> },
    /// 5xx.
    #[error("{message}")]
    Server { status: u16, code: Option<i64>, message: String },
    /// Any other refusal by the server (4xx not covered above).
    #[error("{message}")]
    Rejected { status: u16, code: Option<i64>, message: String },
    /// A password log-in that succeeded without giving a token: the account signs in through SSO.
    #[error("The server accepted the password but gave no session token")]
    NoToken { notice: String },
    /// No HTTP answer.
    #[error("{detail}")]
    Transport { kind: TransportKind, detail: String },
    /// An answer that is not what the API sends.
    #[error("{detail}")]
    Decode { status: u16, detail: String },
    /// An answer larger than the client accepts.
    #[error("response larger than {limit} bytes")]
    TooLarge { limit: u64 },
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
            ApiError::AccountLocked { message } => format!(
                "{} Wait until the lock ends, or reset your password.",
                non_empty(message, "This account is locked after too many failed attempts.")
            ),
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
                Some(d) => format!(
                    "Contentstack is limiting requests. Try again in {} s.",
                    d.as_secs().max(1)
                ),
                None => "Contentstack is limiting requests. Wait a few seconds and try again.".into(),
            },
            ApiError::Server { status, message, .. } => format!(
                "Contentstack had a problem ({status}{}). Try again in a moment.",
                if message.is_empty() { String::new() } else { format!(": {message}") }
            ),
            ApiError::Rejected { status, message, .. } => format!(
                "The server refused the request ({status}): {}",
                non_empty(message, "no reason given.")
            ),
            ApiError::NoToken { .. } => {
                "Password log-in gave no session token: this account probably signs in through SSO. Paste an authtoken instead, or use your organisation's SSO log-in.".into()
            }
            ApiError::Transport { kind, .. } => match kind {
                TransportKind::Timeout => "The server did not answer in time. Check your connection and try again.".into(),
                TransportKind::Connect => "Could not reach the server. Check your connection, the region or API URL, and any proxy settings.".into(),
                TransportKind::Reset => "The connection broke before the server answered. Try again.".into(),
                TransportKind::Tls => "The secure connection failed (TLS). Check the API URL, the system clock and any proxy that inspects traffic.".into(),
                TransportKind::Other => "The request failed on the network. Try again.".into(),
            },
            ApiError::Decode { status, .. } => format!(
                "The server sent an answer cs-account cannot read (HTTP {status}). Check the API URL points at Contentstack's API."
            ),
            ApiError::TooLarge { limit } => format!(
                "The server's answer is larger than {}, so it was refused. Check the API URL.",
                human_bytes(*limit)
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

/// `20000000` → `20 MB`, `4096` → `4 kB`, `512` → `512 bytes`.
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
    pub retry_after: Option<Duration>,
    pub rate_limit: Option<u64>,
    pub rate_remaining: Option<u64>,
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
        }
    }
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
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

/// Maps a reqwest failure (no HTTP answer) to a transport error.
pub fn from_reqwest(err: &reqwest::Error) -> ApiError {
    let mut chain = String::new();
    let mut src: Option<&dyn std::error::Error> = Some(err);
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
    ApiError::Transport { kind, detail: crate::sanitize::owned(chain) }
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
    }

    #[test]
    fn too_large_names_the_cap() {
        assert!(ApiError::TooLarge { limit: 20_000_000 }.user_message().contains("20 MB"));
        assert!(ApiError::TooLarge { limit: 4096 }.user_message().contains("4 kB"));
        assert!(ApiError::TooLarge { limit: 100 }.user_message().contains("100 bytes"));
    }

    #[test]
    fn labels() {
        assert_eq!(field_label("first_name"), "First name");
    }
}
